// Builds the name index in two passes so each name's definitions sit side by
// side in one array, and a lookup is one hash probe and no allocation.
#include "pysym/symtab/symbol_index.h"

#include <cstdint>
#include <limits>
#include <string>

#include "pysym/support/borrowed_string_map.h"

namespace pysym::symtab {

namespace {

// A run of `Definitions`; during the build, Begin holds the name's group id.
struct DefinitionRange {
  std::uint32_t Begin = 0;
  std::uint32_t Count = 0;
};

}  // namespace

struct SymbolIndex::Impl {
  std::vector<LoadedImage> Images;
  std::vector<IndexedSymbol> Definitions;
  // Keys point into the images' mapped string tables instead of being copied
  // and carry their hash, which probes compare first (docs/performance.md,
  // "## symtab", measures it against dlsym).
  BorrowedStringMap<DefinitionRange> Names;
};

SymbolIndex::SymbolIndex() : State(std::make_unique<Impl>()) {}
SymbolIndex::~SymbolIndex() = default;

Expected<std::unique_ptr<SymbolIndex>> SymbolIndex::build(std::vector<LoadedImage> Images) {
  std::vector<std::vector<ImageSymbol>> PerImage;
  PerImage.reserve(Images.size());
  std::uint64_t Total = 0;
  for (const LoadedImage &Image : Images) {
    auto Symbols = definedDynamicSymbols(Image);
    if (!Symbols)
      return Symbols.takeError();
    Total += Symbols->size();
    PerImage.push_back(std::move(*Symbols));
  }
  if (Total > std::numeric_limits<std::uint32_t>::max())
    return makeStringError(std::errc::value_too_large,
                           "symbol index: " + std::to_string(Total) +
                               " definitions exceed the index's limit");

  std::unique_ptr<SymbolIndex> Index(new SymbolIndex());
  Impl &State = *Index->State;
  State.Names.reserve(Total);

  // Pass one: give each distinct name a group, and count its definitions.
  std::vector<std::uint32_t> GroupOfDefinition;
  GroupOfDefinition.reserve(Total);
  std::vector<std::uint32_t> GroupSize;
  for (const auto &Symbols : PerImage)
    for (const ImageSymbol &Symbol : Symbols) {
      auto [Range, Inserted] = State.Names.tryEmplace(
          Symbol.Name, DefinitionRange{std::uint32_t(GroupSize.size()), 0});
      if (!Range)
        return makeStringError(std::errc::value_too_large,
                               "symbol index: a name of " + std::to_string(Symbol.Name.size()) +
                                   " bytes exceeds the index's limit");
      if (Inserted)
        GroupSize.push_back(0);
      std::uint32_t Group = Range->Begin;
      ++GroupSize[Group];
      GroupOfDefinition.push_back(Group);
    }

  // Pass two: lay groups out contiguously, keeping image (and table) order.
  std::vector<std::uint32_t> Next(GroupSize.size());
  std::uint32_t Offset = 0;
  for (std::size_t Group = 0; Group < GroupSize.size(); ++Group) {
    Next[Group] = Offset;
    Offset += GroupSize[Group];
  }
  State.Names.forEach([&](std::string_view, DefinitionRange &Range) {
    std::uint32_t Group = Range.Begin;
    Range = DefinitionRange{Next[Group], GroupSize[Group]};
  });
  State.Definitions.resize(Total);
  std::size_t Definition = 0;
  for (std::size_t Image = 0; Image < PerImage.size(); ++Image)
    for (const ImageSymbol &Symbol : PerImage[Image]) {
      std::uint32_t Slot = Next[GroupOfDefinition[Definition++]]++;
      State.Definitions[Slot] = IndexedSymbol{Symbol, Image};
    }

  State.Images = std::move(Images);
  return Index;
}

Span<IndexedSymbol> SymbolIndex::lookup(std::string_view Name) const {
  const DefinitionRange *Found = State->Names.find(Name);
  if (!Found)
    return {};
  return Span<IndexedSymbol>(State->Definitions.data() + Found->Begin, Found->Count);
}

Span<IndexedSymbol> SymbolIndex::definitions() const { return State->Definitions; }

const std::vector<LoadedImage> &SymbolIndex::images() const { return State->Images; }

}  // namespace pysym::symtab
