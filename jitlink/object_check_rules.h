// The rules checkObject applies, as one table, and what each rule is shown:
// private to the object_checks library (object_checks.h is the contract).
#ifndef PYSYM_JITLINK_OBJECT_CHECK_RULES_H
#define PYSYM_JITLINK_OBJECT_CHECK_RULES_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/linker.h"
#include "pysym/symtab/elf_vocabulary.h"

namespace pysym::object_checks {

using Elf = llvm::object::ELF64LE;
using ElfFile = llvm::object::ELFFile<Elf>;
using SectionHeader = Elf::Shdr;

/// The object being checked, the linker it is for, and how rules word their
/// errors: every message starts "object '<buffer identifier>': ".
struct CheckedObject {
  llvm::StringRef Name;
  const ElfFile &File;
  Linker For;
  /// Every section header; set before any rule other than a HeaderRule runs.
  llvm::ArrayRef<SectionHeader> Sections;

  llvm::Error fail(const llvm::Twine &Why) const;
  /// fail() with \p Where and the text of \p Err, which it consumes.
  llvm::Error wrap(llvm::Error Err, const llvm::Twine &Where) const;
  /// "section <name> (#<Index>)", or "section #<Index>" if its name is unreadable.
  std::string sectionName(const SectionHeader &Section, std::size_t Index) const;
  /// Whether \p Symbol is defined in an existing section that the linkers do
  /// not load (no SHF_ALLOC).
  bool definedInUnloadedSection(const Elf::Sym &Symbol) const;
};

struct SectionAt {
  const SectionHeader &Header;
  std::size_t Index;
  std::string Label;  // sectionName()
};

/// Names already seen in one symbol table, by binding, as RuntimeDyld knows them.
struct NamesSeen {
  llvm::StringSet<> Local, Global;
};

/// One symbol, its st_info decoded in symtab's ELF vocabulary.
struct SymbolAt {
  const Elf::Sym &Symbol;
  symtab::SymbolType Type;
  symtab::SymbolBinding Binding;
  llvm::StringRef Name;    // from the table's string table, possibly empty
  std::string Where;       // "symbol #<index>"
  std::string Described;   // "symbol <name>", or Where when unnamed
  NamesSeen &Seen;         // the symbols before this one in its table

  bool isLocal() const { return Binding == symtab::SymbolBinding::Local; }
};

struct RelocationTableAt {
  const SectionHeader &Header;
  std::size_t Index;
  std::string Label;  // sectionName()
  llvm::ArrayRef<Elf::Rela> Relocations;
};

/// One relocation, once its table passed every RelocationTableRule (so its
/// target section and symbol table exist).
struct RelocationAt {
  const RelocationTableAt &Table;
  const SectionHeader &Target;
  llvm::ArrayRef<Elf::Sym> Symbols;
  const Elf::Rela &Entry;
  std::string Where;  // "<table label>, relocation #<index>"

  std::uint32_t type() const { return Entry.getType(false); }
  std::uint32_t symbolIndex() const { return Entry.getSymbol(false); }
  bool targetLoaded() const { return Target.sh_flags & llvm::ELF::SHF_ALLOC; }
};

/// What a rule looks at: the ELF header, each section, each symbol of a
/// symbol table, each relocation table and each of its relocations, and the
/// whole object once every part passed.
using HeaderRule = llvm::Error (*)(const CheckedObject &, const Elf::Ehdr &);
using SectionRule = llvm::Error (*)(const CheckedObject &, const SectionAt &);
using SymbolRule = llvm::Error (*)(const CheckedObject &, const SymbolAt &);
using RelocationTableRule = llvm::Error (*)(const CheckedObject &, const RelocationTableAt &);
using RelocationRule = llvm::Error (*)(const CheckedObject &, const RelocationAt &);
using WholeObjectRule = llvm::Error (*)(const CheckedObject &);

/// A rule: success, or the error that refuses the object. Rules of one kind
/// run in table order on each thing they look at, and a rule may rely on
/// every rule before it having passed.
struct ObjectRule {
  llvm::StringRef Name;
  std::variant<HeaderRule, SectionRule, SymbolRule, RelocationTableRule, RelocationRule,
               WholeObjectRule>
      Check;
  llvm::StringRef Why;  // why the linkers cannot take what it refuses
};

/// Every rule, in the order object_checks.h lists them.
llvm::ArrayRef<ObjectRule> objectRules();

constexpr std::uint64_t MaxAlignment = 64 * 1024;

/// Whether \p Alignment is 0 or a power of two up to MaxAlignment.
bool isValidAlignment(std::uint64_t Alignment);

// The rules, in table order; object_checks.h gives each one's contract.
// The ELF header (object_check_rules.cc).
llvm::Error refuseWhatIsNotRelocatable(const CheckedObject &, const Elf::Ehdr &);
llvm::Error refuseOtherMachines(const CheckedObject &, const Elf::Ehdr &);
// Each section (object_check_rules.cc).
llvm::Error refuseUnreadableSectionNames(const CheckedObject &, const SectionAt &);
llvm::Error refuseSectionBytesOutsideTheFile(const CheckedObject &, const SectionAt &);
llvm::Error refuseLoadedSectionsWithBadAlignment(const CheckedObject &, const SectionAt &);
llvm::Error refuseThreadLocalSections(const CheckedObject &, const SectionAt &);
llvm::Error refuseOversizedSections(const CheckedObject &, const SectionAt &);
llvm::Error refuseUnwindTablesNotLoaded(const CheckedObject &, const SectionAt &);
llvm::Error refuseMalformedUnwindRecords(const CheckedObject &, const SectionAt &);
llvm::Error refuseRelRelocations(const CheckedObject &, const SectionAt &);
// Each symbol (object_symbol_rules.cc).
llvm::Error refuseLocalAndGlobalOfOneName(const CheckedObject &, const SymbolAt &);
llvm::Error refuseNamesWithTheDoNotMangleMarker(const CheckedObject &, const SymbolAt &);
llvm::Error refuseUnnamedGlobalDefinitions(const CheckedObject &, const SymbolAt &);
llvm::Error refuseUnknownBindings(const CheckedObject &, const SymbolAt &);
llvm::Error refuseNonLocalSectionAndFileSymbols(const CheckedObject &, const SymbolAt &);
llvm::Error refuseSectionSymbolsOutsideAnySection(const CheckedObject &, const SymbolAt &);
llvm::Error refuseThreadLocalSymbols(const CheckedObject &, const SymbolAt &);
llvm::Error refuseIndirectFunctions(const CheckedObject &, const SymbolAt &);
llvm::Error refuseExtendedSectionIndices(const CheckedObject &, const SymbolAt &);
llvm::Error refuseReservedSectionIndices(const CheckedObject &, const SymbolAt &);
llvm::Error refuseCommonTypeOutsideCommon(const CheckedObject &, const SymbolAt &);
llvm::Error refuseBadCommonAlignments(const CheckedObject &, const SymbolAt &);
llvm::Error refuseOversizedCommonSymbols(const CheckedObject &, const SymbolAt &);
llvm::Error refuseSymbolsInMissingSections(const CheckedObject &, const SymbolAt &);
llvm::Error refuseSymbolsOutsideTheirSection(const CheckedObject &, const SymbolAt &);
llvm::Error refuseGlobalsInUnloadedSections(const CheckedObject &, const SymbolAt &);
// Each relocation table (object_check_rules.cc).
llvm::Error refuseRelocationsOfMissingSections(const CheckedObject &, const RelocationTableAt &);
llvm::Error refuseRelocationsWithoutASymbolTable(const CheckedObject &, const RelocationTableAt &);
llvm::Error refuseRelocationsOfNoBitsSections(const CheckedObject &, const RelocationTableAt &);
// Each relocation (object_check_rules.cc).
llvm::Error refuseRelocationsOfMissingSymbols(const CheckedObject &, const RelocationAt &);
llvm::Error refuseRelocationsOutsideTheirSection(const CheckedObject &, const RelocationAt &);
llvm::Error refuseStubsInUnloadedSections(const CheckedObject &, const RelocationAt &);
llvm::Error refuseRelocationsWithoutASymbol(const CheckedObject &, const RelocationAt &);
llvm::Error refuseRelocationsAgainstUnloadedSymbols(const CheckedObject &, const RelocationAt &);
llvm::Error refuseUnsupportedRelocationTypes(const CheckedObject &, const RelocationAt &);
llvm::Error refuseTruncated32BitAddresses(const CheckedObject &, const RelocationAt &);
llvm::Error refuseTruncatedPC32ToExternals(const CheckedObject &, const RelocationAt &);
// The whole object (object_check_rules.cc).
llvm::Error refuseObjectsTooLargeToAllocate(const CheckedObject &);

}  // namespace pysym::object_checks

#endif  // PYSYM_JITLINK_OBJECT_CHECK_RULES_H
