// Builds the name index in two passes so each name's definitions sit side by
// side in one array, and a lookup is one hash probe and no allocation.
#include "symtab/symbol_index.h"

#include <cstdint>
#include <limits>

#include "llvm/ADT/CachedHashString.h"
#include "llvm/ADT/DenseMap.h"

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
  // (as StringMap's are) and carry their hash, which probes compare first.
  // Measured against StringMap in docs/performance.md: faster to build and
  // to look up.
  llvm::DenseMap<llvm::CachedHashStringRef, DefinitionRange> Names;
  static llvm::CachedHashStringRef key(llvm::StringRef Name) { return llvm::CachedHashStringRef(Name); }
};

SymbolIndex::SymbolIndex() : State(std::make_unique<Impl>()) {}
SymbolIndex::~SymbolIndex() = default;

llvm::Expected<std::unique_ptr<SymbolIndex>> SymbolIndex::build(std::vector<LoadedImage> Images) {
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
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "symbol index: %llu definitions exceed the index's limit",
                                   static_cast<unsigned long long>(Total));

  std::unique_ptr<SymbolIndex> Index(new SymbolIndex());
  Impl &State = *Index->State;
  State.Names.reserve(Total);

  // Pass one: give each distinct name a group, and count its definitions.
  std::vector<std::uint32_t> GroupOfDefinition;
  GroupOfDefinition.reserve(Total);
  std::vector<std::uint32_t> GroupSize;
  for (const auto &Symbols : PerImage)
    for (const ImageSymbol &Symbol : Symbols) {
      auto Inserted = State.Names.try_emplace(Impl::key(Symbol.Name),
                                              DefinitionRange{std::uint32_t(GroupSize.size()), 0});
      if (Inserted.second)
        GroupSize.push_back(0);
      std::uint32_t Group = Inserted.first->second.Begin;
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
  for (auto &Entry : State.Names) {
    std::uint32_t Group = Entry.second.Begin;
    Entry.second = DefinitionRange{Next[Group], GroupSize[Group]};
  }
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

llvm::ArrayRef<IndexedSymbol> SymbolIndex::lookup(llvm::StringRef Name) const {
  if (Name.size() > std::numeric_limits<std::uint32_t>::max())
    return {};  // longer than any key CachedHashStringRef can hold, so absent
  auto Found = State->Names.find(Impl::key(Name));
  if (Found == State->Names.end())
    return {};
  return llvm::ArrayRef<IndexedSymbol>(State->Definitions.data() + Found->second.Begin,
                                       Found->second.Count);
}

llvm::ArrayRef<IndexedSymbol> SymbolIndex::definitions() const { return State->Definitions; }

const std::vector<LoadedImage> &SymbolIndex::images() const { return State->Images; }

}  // namespace pysym::symtab
