// Runs object checks: walks an object's parts and applies the rule table
// (defined here) to each, in order; the rules are in object_check_rules.cc
// and object_symbol_rules.cc.
#include "pysym/jitlink/object_checks.h"

#include <variant>

#include "jitlink/object_check_rules.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "pysym/jitlink/engine_errors.h"

namespace pysym {

namespace object_checks {

llvm::Error CheckedObject::fail(const llvm::Twine &Why) const {
  return rejectInput(RejectedInputError::Check::Object, "object '" + Name + "'", Why);
}

llvm::Error CheckedObject::wrap(llvm::Error Err, const llvm::Twine &Where) const {
  return fail(Where + ": " + llvm::toString(std::move(Err)));
}

std::string CheckedObject::sectionName(const SectionHeader &Section, std::size_t Index) const {
  auto SectionName = File.getSectionName(Section);
  if (!SectionName) {
    // Only used to label an error that is already being reported.
    llvm::consumeError(SectionName.takeError());
    return "section #" + std::to_string(Index);
  }
  return "section " + SectionName->str() + " (#" + std::to_string(Index) + ")";
}

bool CheckedObject::definedInUnloadedSection(const Elf::Sym &Symbol) const {
  const std::uint16_t Shndx = Symbol.st_shndx;
  return Shndx != llvm::ELF::SHN_UNDEF && Shndx < llvm::ELF::SHN_LORESERVE &&
         Shndx < Sections.size() && !(Sections[Shndx].sh_flags & llvm::ELF::SHF_ALLOC);
}

namespace {

// Object checks' one table, in the order the rules run. object_checks.h
// gives each rule's contract, in the same order.
const ObjectRule Rules[] = {
    {"refuseWhatIsNotRelocatable", refuseWhatIsNotRelocatable,
     "JIT linkers link relocatable objects (.o) only"},
    {"refuseOtherMachines", refuseOtherMachines, "pysym links x86-64 code only"},
    {"refuseUnreadableSectionNames", refuseUnreadableSectionNames,
     "the linkers read section names unchecked"},
    {"refuseSectionBytesOutsideTheFile", refuseSectionBytesOutsideTheFile,
     "the linkers read section contents unchecked"},
    {"refuseLoadedSectionsWithBadAlignment", refuseLoadedSectionsWithBadAlignment,
     "the linkers place sections by alignment unchecked"},
    {"refuseThreadLocalSections", refuseThreadLocalSections, "the JIT linkers have no TLS"},
    {"refuseOversizedSections", refuseOversizedSections,
     "RuntimeDyld aborts when an allocation fails"},
    {"refuseUnwindTablesNotLoaded", refuseUnwindTablesNotLoaded,
     "RuntimeDyld registers .eh_frame with the unwinder wherever it is, at 0 if not loaded"},
    {"refuseMalformedUnwindRecords", refuseMalformedUnwindRecords,
     "LLVM 14's JITLink follows an FDE's CIE pointer unchecked"},
    {"refuseRelRelocations", refuseRelRelocations, "x86-64 objects use RELA"},
    {"refuseLocalAndGlobalOfOneName", refuseLocalAndGlobalOfOneName,
     "RuntimeDyld files local and global symbols in one table by name"},
    {"refuseNamesWithTheDoNotMangleMarker", refuseNamesWithTheDoNotMangleMarker,
     "no compiler leaves LLVM's byte 1 in an object; RuntimeDyld looked such a global up at 0"},
    {"refuseUnnamedGlobalDefinitions", refuseUnnamedGlobalDefinitions,
     "a global nobody can name is as foreign"},
    {"refuseUnknownBindings", refuseUnknownBindings,
     "RuntimeDyld gave a symbol of another binding address 0"},
    {"refuseNonLocalSectionAndFileSymbols", refuseNonLocalSectionAndFileSymbols,
     "section and file symbols are local by definition"},
    {"refuseSectionSymbolsOutsideAnySection", refuseSectionSymbolsOutsideAnySection,
     "RuntimeDyld reaches report_fatal_error relocating against one"},
    {"refuseThreadLocalSymbols", refuseThreadLocalSymbols, "the JIT linkers have no TLS"},
    {"refuseIndirectFunctions", refuseIndirectFunctions,
     "the JIT linkers do not implement GNU indirect functions"},
    {"refuseExtendedSectionIndices", refuseExtendedSectionIndices,
     "objects with 0xff00 sections or more are not supported"},
    {"refuseReservedSectionIndices", refuseReservedSectionIndices,
     "the linkers place only absolute and common symbols of the reserved indices"},
    {"refuseCommonTypeOutsideCommon", refuseCommonTypeOutsideCommon,
     "RuntimeDyld takes STT_COMMON for common anywhere, and divides by alignment 0"},
    {"refuseBadCommonAlignments", refuseBadCommonAlignments,
     "RuntimeDyld divides by a common symbol's alignment"},
    {"refuseOversizedCommonSymbols", refuseOversizedCommonSymbols,
     "RuntimeDyld aborts when an allocation fails"},
    {"refuseSymbolsInMissingSections", refuseSymbolsInMissingSections,
     "the linkers index section headers by it unchecked"},
    {"refuseSymbolsOutsideTheirSection", refuseSymbolsOutsideTheirSection,
     "JITLink gave a global past its section's end address 0"},
    {"refuseGlobalsInUnloadedSections", refuseGlobalsInUnloadedSections,
     "the linkers place loaded sections only, so it would look up at 0"},
    {"refuseRelocationsOfMissingSections", refuseRelocationsOfMissingSections,
     "the linkers index section headers by sh_info unchecked"},
    {"refuseRelocationsWithoutASymbolTable", refuseRelocationsWithoutASymbolTable,
     "the linkers read sh_link's symbol table unchecked"},
    {"refuseRelocationsOfNoBitsSections", refuseRelocationsOfNoBitsSections,
     "RuntimeDyld writes relocations into the bytes such a section does not have"},
    {"refuseRelocationsOfMissingSymbols", refuseRelocationsOfMissingSymbols,
     "the linkers index the symbol table unchecked"},
    {"refuseRelocationsOutsideTheirSection", refuseRelocationsOutsideTheirSection,
     "the linkers write the relocated bytes unchecked"},
    {"refuseStubsInUnloadedSections", refuseStubsInUnloadedSections,
     "RuntimeDyld builds a PLT stub or GOT entry for one at the section's null address"},
    {"refuseRelocationsWithoutASymbol", refuseRelocationsWithoutASymbol,
     "LLVM 14's JITLink dereferences a null symbol reporting one"},
    {"refuseRelocationsAgainstUnloadedSymbols", refuseRelocationsAgainstUnloadedSymbols,
     "such a symbol's address would be 0"},
    {"refuseUnsupportedRelocationTypes", refuseUnsupportedRelocationTypes,
     "only the types both linkers implement are let through"},
    {"refuseTruncated32BitAddresses", refuseTruncated32BitAddresses,
     "RuntimeDyld truncates JIT and interpreter addresses to 32 bits silently"},
    {"refuseTruncatedPC32ToExternals", refuseTruncatedPC32ToExternals,
     "RuntimeDyld truncates displacements beyond 2 GiB silently"},
    {"refuseObjectsTooLargeToAllocate", refuseObjectsTooLargeToAllocate,
     "RuntimeDyld aborts when an allocation fails"},
};

}  // namespace

llvm::ArrayRef<ObjectRule> objectRules() { return Rules; }

namespace {

// Runs every rule of kind RuleType, in table order, on one thing; the first
// refusal is the answer.
template <typename RuleType, typename... Subject>
llvm::Error runRules(const CheckedObject &Object, const Subject &...Thing) {
  for (const ObjectRule &Rule : objectRules())
    if (const RuleType *Check = std::get_if<RuleType>(&Rule.Check))
      if (llvm::Error Err = (*Check)(Object, Thing...))
        return Err;
  return llvm::Error::success();
}

// Walks the object's parts, reading each as llvm::object reads it and
// handing it to the rules that look at such parts.
class ObjectWalker {
public:
  explicit ObjectWalker(CheckedObject &Object) : Object(Object) {}

  llvm::Error run() {
    if (auto Err = runRules<HeaderRule>(Object, Object.File.getHeader()))
      return Err;
    auto AllSections = Object.File.sections();
    if (!AllSections)
      return Object.wrap(AllSections.takeError(), "section headers");
    Object.Sections = *AllSections;
    for (std::size_t I = 0; I < Object.Sections.size(); ++I)
      if (auto Err = walkSection(I))
        return Err;
    return runRules<WholeObjectRule>(Object);
  }

private:
  llvm::Error walkSection(std::size_t Index) {
    const SectionHeader &Header = Object.Sections[Index];
    const SectionAt Section{Header, Index, Object.sectionName(Header, Index)};
    if (auto Err = runRules<SectionRule>(Object, Section))
      return Err;
    switch (Header.sh_type) {
    case llvm::ELF::SHT_SYMTAB:
      return walkSymbols(Section);
    case llvm::ELF::SHT_RELA:
      return walkRelocations(Section);
    default:
      return llvm::Error::success();
    }
  }

  llvm::Error walkSymbols(const SectionAt &Table) {
    auto Symbols = Object.File.symbols(&Table.Header);
    if (!Symbols)
      return Object.wrap(Symbols.takeError(), Table.Label);
    auto Strings = Object.File.getStringTableForSymtab(Table.Header);
    if (!Strings)
      return Object.wrap(Strings.takeError(), Table.Label);
    NamesSeen Seen;
    std::size_t Index = 0;
    for (const Elf::Sym &Symbol : *Symbols) {
      std::string Where = "symbol #" + std::to_string(Index++);
      auto Name = Symbol.getName(*Strings);
      if (!Name)
        return Object.wrap(Name.takeError(), Where);
      std::string Described = Name->empty() ? Where : "symbol " + Name->str();
      const SymbolAt At{Symbol,
                        symtab::symbolType(Symbol.st_info),
                        symtab::symbolBinding(Symbol.st_info),
                        *Name,
                        std::move(Where),
                        std::move(Described),
                        Seen};
      if (auto Err = runRules<SymbolRule>(Object, At))
        return Err;
    }
    return llvm::Error::success();
  }

  llvm::Error walkRelocations(const SectionAt &Section) {
    auto Relocations = Object.File.relas(Section.Header);
    if (!Relocations)
      return Object.wrap(Relocations.takeError(), Section.Label);
    const RelocationTableAt Table{Section.Header, Section.Index, Section.Label, *Relocations};
    if (auto Err = runRules<RelocationTableRule>(Object, Table))
      return Err;
    // The table rules made sure both exist and read.
    const SectionHeader &Target = Object.Sections[Section.Header.sh_info];
    auto Symbols = Object.File.symbols(&Object.Sections[Section.Header.sh_link]);
    if (!Symbols)
      return Object.wrap(Symbols.takeError(), Section.Label);
    std::size_t Index = 0;
    for (const Elf::Rela &Relocation : *Relocations) {
      const RelocationAt At{Table, Target, *Symbols, Relocation,
                            Section.Label + ", relocation #" + std::to_string(Index++)};
      if (auto Err = runRules<RelocationRule>(Object, At))
        return Err;
    }
    return llvm::Error::success();
  }

  CheckedObject &Object;
};

}  // namespace
}  // namespace object_checks

llvm::Error checkObject(llvm::MemoryBufferRef Object, Linker For) {
  const llvm::StringRef Name = Object.getBufferIdentifier();
  auto Binary = llvm::object::ObjectFile::createObjectFile(Object);
  if (!Binary)
    return rejectInput(RejectedInputError::Check::Object, "object '" + Name + "'",
                       llvm::toString(Binary.takeError()));
  const auto *Elf64 = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(Binary->get());
  if (!Elf64)
    return rejectInput(RejectedInputError::Check::Object, "object '" + Name + "'",
                       "format " + (*Binary)->getFileFormatName() +
                           " is not 64-bit little-endian ELF");
  object_checks::CheckedObject Checked{Name, Elf64->getELFFile(), For, {}};
  return object_checks::ObjectWalker(Checked).run();
}

}  // namespace pysym
