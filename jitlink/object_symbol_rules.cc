// The rules on each symbol of a symbol table.
#include "jitlink/object_check_rules.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "pysym/jitlink/object_checks.h"
#include "third_party/llvm/compat.h"

namespace pysym::object_checks {

using llvm::Error;
using llvm::Twine;
namespace ELF = llvm::ELF;

using symtab::SymbolBinding;
using symtab::SymbolType;

namespace {

// Whether the symbol names a byte in a section header (not undefined, not reserved).
bool inOrdinarySection(const Elf::Sym &Symbol) {
  return Symbol.st_shndx != ELF::SHN_UNDEF && Symbol.st_shndx < ELF::SHN_LORESERVE;
}

// The name RuntimeDyld files a symbol under: a section symbol without a
// name of its own goes by its section's name, as in LLVM's object reader.
llvm::StringRef nameInRuntimeDyld(const CheckedObject &O, const SymbolAt &S) {
  if (S.Type != SymbolType::Section || !S.Name.empty() ||
      S.Symbol.st_shndx >= O.Sections.size())
    return S.Name;
  auto OfSection = O.File.getSectionName(O.Sections[S.Symbol.st_shndx]);
  if (!OfSection) {
    llvm::consumeError(OfSection.takeError());  // refuseUnreadableSectionNames reports it
    return S.Name;
  }
  return *OfSection;
}

}  // namespace

Error refuseLocalAndGlobalOfOneName(const CheckedObject &O, const SymbolAt &S) {
  if (O.For != Linker::RuntimeDyld || S.Type == SymbolType::File)
    return Error::success();
  const llvm::StringRef Name = nameInRuntimeDyld(O, S);
  if (Name.empty())
    return Error::success();
  const bool Local = S.isLocal();
  if ((Local ? S.Seen.Global : S.Seen.Local).count(Name))
    return O.fail("symbol " + Name +
                  " is both local (or a section's) and global, which RuntimeDyld cannot "
                  "tell apart; link with JITLink");
  (Local ? S.Seen.Local : S.Seen.Global).insert(Name);
  return Error::success();
}

Error refuseNamesWithTheDoNotMangleMarker(const CheckedObject &O, const SymbolAt &S) {
  if (!llvm_compat::startsWith(S.Name, "\1"))
    return Error::success();
  return O.fail(S.Where + " has a name that starts with byte 1, LLVM's do-not-mangle marker");
}

Error refuseUnnamedGlobalDefinitions(const CheckedObject &O, const SymbolAt &S) {
  if (!S.Name.empty() || S.isLocal() || S.Symbol.st_shndx == ELF::SHN_UNDEF ||
      S.Type == SymbolType::Section || S.Type == SymbolType::File)
    return Error::success();
  return O.fail(S.Where + " is a global definition without a name");
}

Error refuseUnknownBindings(const CheckedObject &O, const SymbolAt &S) {
  if (S.Binding == SymbolBinding::Local || S.Binding == SymbolBinding::Global ||
      S.Binding == SymbolBinding::Weak)
    return Error::success();
  return O.fail(S.Described + " has binding " + Twine(unsigned(S.Symbol.getBinding())) + " (" +
                llvm::StringRef(symtab::toString(S.Binding)) +
                "); the JIT linkers take local, global and weak symbols");
}

Error refuseNonLocalSectionAndFileSymbols(const CheckedObject &O, const SymbolAt &S) {
  if ((S.Type != SymbolType::Section && S.Type != SymbolType::File) || S.isLocal())
    return Error::success();
  return O.fail(S.Described + " is a section or file symbol that is not local");
}

Error refuseSectionSymbolsOutsideAnySection(const CheckedObject &O, const SymbolAt &S) {
  if (S.Type != SymbolType::Section || inOrdinarySection(S.Symbol))
    return Error::success();
  return O.fail(S.Described + " is a section symbol outside any section");
}

Error refuseThreadLocalSymbols(const CheckedObject &O, const SymbolAt &S) {
  if (S.Type != SymbolType::ThreadLocal)
    return Error::success();
  return O.fail(S.Described + " is thread-local, which the JIT linkers do not support");
}

Error refuseIndirectFunctions(const CheckedObject &O, const SymbolAt &S) {
  if (S.Type != SymbolType::GnuIndirectFunction)
    return Error::success();
  return O.fail(S.Described + " is a GNU indirect function, which the JIT linkers do not support");
}

Error refuseExtendedSectionIndices(const CheckedObject &O, const SymbolAt &S) {
  if (S.Symbol.st_shndx != ELF::SHN_XINDEX)
    return Error::success();
  return O.fail(S.Described + " uses an extended section index; objects with that many "
                              "sections are not supported");
}

Error refuseReservedSectionIndices(const CheckedObject &O, const SymbolAt &S) {
  const std::uint16_t Shndx = S.Symbol.st_shndx;
  if (Shndx < ELF::SHN_LORESERVE || Shndx == ELF::SHN_ABS || Shndx == ELF::SHN_COMMON)
    return Error::success();
  return O.fail(S.Described + " is in the reserved section index " +
                llvm::utohexstr(Shndx, /*LowerCase=*/true) +
                ", which the JIT linkers do not place");
}

Error refuseCommonTypeOutsideCommon(const CheckedObject &O, const SymbolAt &S) {
  if (S.Type != SymbolType::Common || S.Symbol.st_shndx == ELF::SHN_COMMON)
    return Error::success();
  return O.fail(S.Described + " has type STT_COMMON outside SHN_COMMON");
}

// A common symbol's value is its alignment.
Error refuseBadCommonAlignments(const CheckedObject &O, const SymbolAt &S) {
  if (S.Symbol.st_shndx != ELF::SHN_COMMON ||
      (S.Symbol.st_value != 0 && isValidAlignment(S.Symbol.st_value)))
    return Error::success();
  return O.fail(S.Described + " is common with alignment " + Twine(S.Symbol.st_value) +
                ", not a power of two up to 64 KiB");
}

Error refuseOversizedCommonSymbols(const CheckedObject &O, const SymbolAt &S) {
  if (S.Symbol.st_shndx != ELF::SHN_COMMON || S.Symbol.st_size <= MaxObjectAllocation)
    return Error::success();
  return O.fail(S.Described + " is common with size " + Twine(S.Symbol.st_size) + ", too large");
}

Error refuseSymbolsInMissingSections(const CheckedObject &O, const SymbolAt &S) {
  if (!inOrdinarySection(S.Symbol) || S.Symbol.st_shndx < O.Sections.size())
    return Error::success();
  return O.fail(S.Described + " is in section #" + Twine(S.Symbol.st_shndx) +
                ", but there are only " + Twine(O.Sections.size()));
}

// Compilers put every symbol inside its section, and a global at a byte of it.
Error refuseSymbolsOutsideTheirSection(const CheckedObject &O, const SymbolAt &S) {
  const Elf::Sym &Symbol = S.Symbol;
  if (!inOrdinarySection(Symbol) || S.Type == SymbolType::Section)
    return Error::success();
  const SectionHeader &Section = O.Sections[Symbol.st_shndx];
  const std::uint64_t SectionSize = Section.sh_size;
  if (Symbol.st_value <= SectionSize && Symbol.st_size <= SectionSize - Symbol.st_value &&
      (S.isLocal() || Symbol.st_value != SectionSize))
    return Error::success();
  return O.fail(S.Described + " (offset " + Twine(Symbol.st_value) + ", size " +
                Twine(Symbol.st_size) + ") does not lie inside " +
                O.sectionName(Section, Symbol.st_shndx) + " of " + Twine(SectionSize) +
                " bytes");
}

Error refuseGlobalsInUnloadedSections(const CheckedObject &O, const SymbolAt &S) {
  if (S.isLocal() || !O.definedInUnloadedSection(S.Symbol))
    return Error::success();
  const std::uint16_t Shndx = S.Symbol.st_shndx;
  return O.fail(S.Described + " is global but defined in " +
                O.sectionName(O.Sections[Shndx], Shndx) + ", which is not loaded (no SHF_ALLOC)");
}

}  // namespace pysym::object_checks
