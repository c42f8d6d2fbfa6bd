#include "jitlink/object_checks.h"

#include <vector>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

namespace pysym {

namespace {

using Elf = llvm::object::ELF64LE;
using ElfFile = llvm::object::ELFFile<Elf>;
using SectionHeader = Elf::Shdr;

constexpr std::uint64_t MaxAlignment = 64 * 1024;

class ObjectChecker {
public:
  ObjectChecker(llvm::StringRef Name, const ElfFile &File, Linker For)
      : Name(Name), File(File), For(For) {}

  llvm::Error run();

private:
  llvm::Error fail(const llvm::Twine &Why) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "object '" + Name + "': " + Why);
  }
  llvm::Error wrap(llvm::Error Err, const llvm::Twine &Where) const {
    return fail(Where + ": " + llvm::toString(std::move(Err)));
  }
  std::string sectionName(const SectionHeader &Section, std::size_t Index) const;
  // Whether \p Symbol is defined in a section (of the ones already checked
  // to exist) that the linkers do not load.
  bool definedInUnloadedSection(const Elf::Sym &Symbol) const {
    const std::uint16_t Shndx = Symbol.st_shndx;
    return Shndx != llvm::ELF::SHN_UNDEF && Shndx < llvm::ELF::SHN_LORESERVE &&
           Shndx < Sections.size() && !(Sections[Shndx].sh_flags & llvm::ELF::SHF_ALLOC);
  }
  llvm::Error checkSection(const SectionHeader &Section, std::size_t Index);
  llvm::Error checkUnwindTable(const SectionHeader &Section, std::size_t Index) const;
  llvm::Error checkSymbols(const SectionHeader &Table, std::size_t Index);
  llvm::Error checkRelocations(const SectionHeader &Table, std::size_t Index);
  llvm::Error checkRelocationType(std::uint32_t Type, bool AgainstUndefined,
                                  const llvm::Twine &Where) const;

  llvm::StringRef Name;
  const ElfFile &File;
  Linker For;
  llvm::ArrayRef<SectionHeader> Sections;
  std::uint64_t AllocatedBytes = 0;
};

// The number of bytes a relocation type writes; 0 for unsupported types.
unsigned relocationWidth(std::uint32_t Type) {
  switch (Type) {
  case llvm::ELF::R_X86_64_NONE:
    return 1;  // writes nothing, but its offset must still be in range
  case llvm::ELF::R_X86_64_64:
  case llvm::ELF::R_X86_64_PC64:
    return 8;
  case llvm::ELF::R_X86_64_PC32:
  case llvm::ELF::R_X86_64_PLT32:
  case llvm::ELF::R_X86_64_GOTPCREL:
  case llvm::ELF::R_X86_64_GOTPCRELX:
  case llvm::ELF::R_X86_64_REX_GOTPCRELX:
  case llvm::ELF::R_X86_64_32:
  case llvm::ELF::R_X86_64_32S:
    return 4;
  default:
    return 0;
  }
}

// Relocation types for which a linker allocates a PLT stub or GOT entry.
bool needsStubOrGotEntry(std::uint32_t Type) {
  switch (Type) {
  case llvm::ELF::R_X86_64_PLT32:
  case llvm::ELF::R_X86_64_GOTPCREL:
  case llvm::ELF::R_X86_64_GOTPCRELX:
  case llvm::ELF::R_X86_64_REX_GOTPCRELX:
    return true;
  default:
    return false;
  }
}

bool isValidAlignment(std::uint64_t Alignment) {
  return Alignment == 0 || (llvm::isPowerOf2_64(Alignment) && Alignment <= MaxAlignment);
}

std::string ObjectChecker::sectionName(const SectionHeader &Section, std::size_t Index) const {
  auto SectionName = File.getSectionName(Section);
  if (!SectionName) {
    // Only used to label an error that is already being reported.
    llvm::consumeError(SectionName.takeError());
    return "section #" + std::to_string(Index);
  }
  return "section " + SectionName->str() + " (#" + std::to_string(Index) + ")";
}

llvm::Error ObjectChecker::run() {
  const auto &Header = File.getHeader();
  if (Header.e_type != llvm::ELF::ET_REL)
    return fail("not a relocatable object (ELF type " + llvm::Twine(Header.e_type) +
                "); JIT linkers link .o files only");
  if (Header.e_machine != llvm::ELF::EM_X86_64)
    return fail("machine " + llvm::Twine(Header.e_machine) + " is not x86-64 (62)");
  auto AllSections = File.sections();
  if (!AllSections)
    return wrap(AllSections.takeError(), "section headers");
  Sections = *AllSections;
  for (std::size_t I = 0; I < Sections.size(); ++I)
    if (auto Err = checkSection(Sections[I], I))
      return Err;
  if (AllocatedBytes > MaxObjectAllocation)
    return fail("its sections and common symbols need " + llvm::Twine(AllocatedBytes) +
                " bytes, more than the " + llvm::Twine(MaxObjectAllocation) + " allowed");
  return llvm::Error::success();
}

llvm::Error ObjectChecker::checkSection(const SectionHeader &Section, std::size_t Index) {
  auto Label = [&] { return sectionName(Section, Index); };
  if (auto SectionName = File.getSectionName(Section); !SectionName)
    return wrap(SectionName.takeError(), "section #" + llvm::Twine(Index));
  if (Section.sh_type != llvm::ELF::SHT_NOBITS && Section.sh_type != llvm::ELF::SHT_NULL)
    if (auto Contents = File.getSectionContents(Section); !Contents)
      return wrap(Contents.takeError(), Label());
  if (Section.sh_flags & llvm::ELF::SHF_ALLOC) {
    if (!isValidAlignment(Section.sh_addralign))
      return fail(Label() + " has alignment " + llvm::Twine(Section.sh_addralign) +
                  ", not a power of two up to 64 KiB");
    if (Section.sh_flags & llvm::ELF::SHF_TLS)
      return fail(Label() + " is thread-local, which the JIT linkers do not support");
    if (Section.sh_size > MaxObjectAllocation)
      return fail(Label() + " is " + llvm::Twine(Section.sh_size) + " bytes, too large");
    AllocatedBytes += Section.sh_size;  // each term is capped, so this cannot wrap
  }
  if (auto SectionName = File.getSectionName(Section); SectionName && *SectionName == ".eh_frame") {
    // RuntimeDyld registers a section of this name with the unwinder
    // wherever it is, at address 0 when not loaded (found by
    // fuzz/engine_object_fuzzer: libgcc's __register_frame crashed).
    if (!(Section.sh_flags & llvm::ELF::SHF_ALLOC) || Section.sh_type == llvm::ELF::SHT_NOBITS)
      return fail(Label() + " is not loaded, or holds no bytes, but is where the JIT linkers "
                            "take unwind information from");
    if (auto Err = checkUnwindTable(Section, Index))
      return Err;
  }
  switch (Section.sh_type) {
  case llvm::ELF::SHT_SYMTAB:
    return checkSymbols(Section, Index);
  case llvm::ELF::SHT_RELA:
    return checkRelocations(Section, Index);
  case llvm::ELF::SHT_REL:
    return fail(Label() + " holds REL relocations; x86-64 objects use RELA");
  default:
    return llvm::Error::success();
  }
}

// JITLink parses .eh_frame record by record and, in LLVM 14, follows an
// FDE's CIE pointer without checking that a CIE is there: a pointer one byte
// off crashed it (found by fuzz/engine_object_fuzzer). So the record
// structure is checked here: lengths within the section, no 64-bit records,
// and every FDE pointing at the start of a CIE before it, as compilers emit.
llvm::Error ObjectChecker::checkUnwindTable(const SectionHeader &Section,
                                            std::size_t Index) const {
  auto Contents = File.getSectionContents(Section);
  if (!Contents)
    return wrap(Contents.takeError(), sectionName(Section, Index));
  const llvm::ArrayRef<std::uint8_t> Bytes = *Contents;
  const auto Word = [&](std::uint64_t At) {
    return llvm::support::endian::read32le(Bytes.data() + At);
  };
  llvm::SmallVector<std::uint64_t, 4> CieStarts;
  std::uint64_t At = 0;
  while (Bytes.size() - At >= 4) {
    const std::string Where = sectionName(Section, Index) + ", record at offset " +
                              std::to_string(At);
    const std::uint32_t Length = Word(At);
    if (Length == 0)
      break;  // the terminator
    if (Length == 0xffffffffu)
      return fail(Where + " is a 64-bit DWARF record, which the JIT linkers do not read");
    if (Length < 4 || Length > Bytes.size() - At - 4)
      return fail(Where + " has length " + llvm::Twine(Length) + ", which does not fit");
    const std::uint64_t IdField = At + 4;
    const std::uint32_t Id = Word(IdField);
    if (Id == 0) {
      CieStarts.push_back(At);
    } else if (Id > IdField || !llvm::is_contained(CieStarts, IdField - Id)) {
      return fail(Where + " is an FDE whose CIE pointer (" + llvm::Twine(Id) +
                  ") does not lead to the start of an earlier CIE");
    }
    At = IdField + Length;
  }
  return llvm::Error::success();
}

llvm::Error ObjectChecker::checkSymbols(const SectionHeader &Table, std::size_t Index) {
  auto Symbols = File.symbols(&Table);
  if (!Symbols)
    return wrap(Symbols.takeError(), sectionName(Table, Index));
  auto Strings = File.getStringTableForSymtab(Table);
  if (!Strings)
    return wrap(Strings.takeError(), sectionName(Table, Index));
  // RuntimeDyld keeps local and global symbols in one table by name, so a
  // local symbol named like a global one takes its place: the global then
  // looks up at address 0, or a reference to it binds to the local (found
  // by fuzz/engine_object_fuzzer). Compilers never emit such a pair.
  llvm::StringSet<> LocalNames, GlobalNames;
  std::size_t SymbolIndex = 0;
  for (const auto &Symbol : *Symbols) {
    const std::string Where = "symbol #" + std::to_string(SymbolIndex++);
    auto SymbolName = Symbol.getName(*Strings);
    if (!SymbolName)
      return wrap(SymbolName.takeError(), Where);
    const auto Described = [&] {
      return SymbolName->empty() ? Where : "symbol " + SymbolName->str();
    };
    const unsigned Type = Symbol.getType();
    // A section symbol without a name of its own goes by its section's
    // name there, as in LLVM's object reader (a global named like a
    // section, or like a section symbol, looked up at 0).
    llvm::StringRef NameInRuntimeDyld = *SymbolName;
    if (Type == llvm::ELF::STT_SECTION && SymbolName->empty() && Symbol.st_shndx < Sections.size())
      if (auto OfSection = File.getSectionName(Sections[Symbol.st_shndx]))
        NameInRuntimeDyld = *OfSection;
      else
        llvm::consumeError(OfSection.takeError());  // checkSection reports it
    if (For == Linker::RuntimeDyld && !NameInRuntimeDyld.empty() && Type != llvm::ELF::STT_FILE) {
      const bool Local = Symbol.getBinding() == llvm::ELF::STB_LOCAL;
      if ((Local ? GlobalNames : LocalNames).count(NameInRuntimeDyld))
        return fail("symbol " + NameInRuntimeDyld +
                    " is both local (or a section's) and global, which RuntimeDyld cannot "
                    "tell apart; link with JITLink");
      (Local ? LocalNames : GlobalNames).insert(NameInRuntimeDyld);
    }
    // LLVM gives a leading \1 the meaning "do not mangle", and strips it
    // when it writes an object, so no object from a compiler has one;
    // RuntimeDyld looked such a global up at 0 (found by
    // fuzz/engine_object_fuzzer). A global without a name is as foreign.
    if (SymbolName->startswith("\1"))
      return fail(Where + " has a name that starts with byte 1, LLVM's do-not-mangle marker");
    if (SymbolName->empty() && Symbol.getBinding() != llvm::ELF::STB_LOCAL &&
        Symbol.st_shndx != llvm::ELF::SHN_UNDEF && Type != llvm::ELF::STT_SECTION &&
        Type != llvm::ELF::STT_FILE)
      return fail(Where + " is a global definition without a name");
    // RuntimeDyld gave a section symbol with binding 4 address 0 when
    // looked up (found by fuzz/engine_object_fuzzer).
    const unsigned Binding = Symbol.getBinding();
    if (Binding != llvm::ELF::STB_LOCAL && Binding != llvm::ELF::STB_GLOBAL &&
        Binding != llvm::ELF::STB_WEAK)
      return fail(Described() + " has binding " + llvm::Twine(Binding) +
                  "; the JIT linkers take local, global and weak symbols");
    if ((Type == llvm::ELF::STT_SECTION || Type == llvm::ELF::STT_FILE) &&
        Binding != llvm::ELF::STB_LOCAL)
      return fail(Described() + " is a section or file symbol that is not local");
    // RuntimeDyld reached report_fatal_error resolving relocations against
    // an undefined section symbol (found by fuzz/engine_object_fuzzer).
    if (Type == llvm::ELF::STT_SECTION &&
        (Symbol.st_shndx == llvm::ELF::SHN_UNDEF || Symbol.st_shndx >= llvm::ELF::SHN_LORESERVE))
      return fail(Described() + " is a section symbol outside any section");
    if (Type == llvm::ELF::STT_TLS)
      return fail(Described() + " is thread-local, which the JIT linkers do not support");
    if (Type == llvm::ELF::STT_GNU_IFUNC)
      return fail(Described() + " is a GNU indirect function, which the JIT linkers do not support");
    const std::uint16_t Shndx = Symbol.st_shndx;
    if (Shndx == llvm::ELF::SHN_XINDEX)
      return fail(Described() + " uses an extended section index; objects with that many "
                                "sections are not supported");
    // Of the reserved indices the linkers place only absolute and common
    // symbols; RuntimeDyld gave a global in index 0xfffe address 0 (found
    // by fuzz/engine_object_fuzzer).
    if (Shndx >= llvm::ELF::SHN_LORESERVE && Shndx != llvm::ELF::SHN_ABS &&
        Shndx != llvm::ELF::SHN_COMMON)
      return fail(Described() + " is in the reserved section index " +
                  llvm::utohexstr(Shndx, /*LowerCase=*/true) +
                  ", which the JIT linkers do not place");
    // RuntimeDyld takes a symbol of type STT_COMMON for common wherever it
    // is, reads its alignment as 0 outside SHN_COMMON, and divides by it
    // (found by fuzz/engine_object_fuzzer: SIGFPE).
    if (Type == llvm::ELF::STT_COMMON && Shndx != llvm::ELF::SHN_COMMON)
      return fail(Described() + " has type STT_COMMON outside SHN_COMMON");
    if (Shndx == llvm::ELF::SHN_COMMON) {
      if (Symbol.st_value == 0 || !isValidAlignment(Symbol.st_value))
        return fail(Described() + " is common with alignment " + llvm::Twine(Symbol.st_value) +
                    ", not a power of two up to 64 KiB");
      if (Symbol.st_size > MaxObjectAllocation)
        return fail(Described() + " is common with size " + llvm::Twine(Symbol.st_size) +
                    ", too large");
      AllocatedBytes += Symbol.st_size;
      continue;
    }
    if (Shndx != llvm::ELF::SHN_UNDEF && Shndx < llvm::ELF::SHN_LORESERVE &&
        Shndx >= Sections.size())
      return fail(Described() + " is in section #" + llvm::Twine(Shndx) + ", but there are only " +
                  llvm::Twine(Sections.size()));
    // JITLink gave a global past the end of its (empty) section address 0
    // (found by fuzz/engine_object_fuzzer); compilers put every symbol
    // inside its section, and a global at a byte of it.
    if (Shndx != llvm::ELF::SHN_UNDEF && Shndx < llvm::ELF::SHN_LORESERVE &&
        Type != llvm::ELF::STT_SECTION) {
      const std::uint64_t SectionSize = Sections[Shndx].sh_size;
      const bool Global = Symbol.getBinding() != llvm::ELF::STB_LOCAL;
      if (Symbol.st_value > SectionSize || Symbol.st_size > SectionSize - Symbol.st_value ||
          (Global && Symbol.st_value == SectionSize))
        return fail(Described() + " (offset " + llvm::Twine(Symbol.st_value) + ", size " +
                    llvm::Twine(Symbol.st_size) + ") does not lie inside " +
                    sectionName(Sections[Shndx], Shndx) + " of " + llvm::Twine(SectionSize) +
                    " bytes");
    }
    // A linker places only loaded sections, so such a symbol would look up
    // at address 0 (found by fuzz/engine_object_fuzzer); compilers put
    // global symbols in loaded sections only.
    if (Symbol.getBinding() != llvm::ELF::STB_LOCAL && definedInUnloadedSection(Symbol))
      return fail(Described() + " is global but defined in " +
                  sectionName(Sections[Shndx], Shndx) + ", which is not loaded (no SHF_ALLOC)");
  }
  return llvm::Error::success();
}

llvm::Error ObjectChecker::checkRelocations(const SectionHeader &Table, std::size_t Index) {
  const std::string Label = sectionName(Table, Index);
  auto Relocations = File.relas(Table);
  if (!Relocations)
    return wrap(Relocations.takeError(), Label);
  if (Table.sh_info >= Sections.size())
    return fail(Label + " relocates section #" + llvm::Twine(Table.sh_info) +
                ", which does not exist");
  if (Table.sh_link >= Sections.size() || Sections[Table.sh_link].sh_type != llvm::ELF::SHT_SYMTAB)
    return fail(Label + " names section #" + llvm::Twine(Table.sh_link) +
                " as its symbol table, which is not one");
  const SectionHeader &Target = Sections[Table.sh_info];
  const SectionHeader &SymbolTable = Sections[Table.sh_link];
  auto Symbols = File.symbols(&SymbolTable);
  if (!Symbols)
    return wrap(Symbols.takeError(), Label);
  const bool Loaded = Target.sh_flags & llvm::ELF::SHF_ALLOC;
  // RuntimeDyld writes relocations into the section's bytes, loaded or not,
  // and one with none crashed it (found twice by fuzz/engine_object_fuzzer);
  // compilers never relocate SHT_NOBITS sections.
  if (Target.sh_type == llvm::ELF::SHT_NOBITS && !Relocations->empty())
    return fail(Label + " relocates " + sectionName(Target, Table.sh_info) +
                ", which holds no bytes (SHT_NOBITS)");
  std::size_t RelocationIndex = 0;
  for (const auto &Relocation : *Relocations) {
    const std::string Where = Label + ", relocation #" + std::to_string(RelocationIndex++);
    const std::uint32_t SymbolIndex = Relocation.getSymbol(false);
    const std::uint32_t Type = Relocation.getType(false);
    if (SymbolIndex >= Symbols->size())
      return fail(Where + " refers to symbol #" + llvm::Twine(SymbolIndex) + ", but there are only " +
                  llvm::Twine(Symbols->size()));
    // Unsupported types are only refused where a linker will apply them;
    // an unknown type still gets the widest plausible bounds check.
    const unsigned Width = relocationWidth(Type) ? relocationWidth(Type) : 8;
    if (Target.sh_type != llvm::ELF::SHT_NOBITS &&
        (Relocation.r_offset > Target.sh_size || Target.sh_size - Relocation.r_offset < Width))
      return fail(Where + " writes at offset " + llvm::Twine(Relocation.r_offset) +
                  ", outside its section of " + llvm::Twine(Target.sh_size) + " bytes");
    if (!Loaded) {
      // RuntimeDyld skips in-place relocations of a section it did not
      // load, but builds a PLT stub or GOT entry for one at the section's
      // address, which is null: refused, since compilers never emit them
      // outside loaded sections.
      if (needsStubOrGotEntry(Type))
        return fail(Where + " is " +
                    llvm::object::getELFRelocationTypeName(llvm::ELF::EM_X86_64, Type) +
                    " in a section that is not loaded (no SHF_ALLOC)");
      continue;
    }
    // LLVM 14's JITLink dereferences a null symbol building its error for
    // such a relocation (found by fuzz/engine_object_fuzzer); compilers
    // name a symbol in every relocation they emit.
    if (SymbolIndex == 0)
      return fail(Where + " names no symbol (index 0), which the JIT linkers do not take");
    if (definedInUnloadedSection((*Symbols)[SymbolIndex]))
      return fail(Where + " refers to a symbol in a section that is not loaded (no SHF_ALLOC), "
                          "whose address would be 0");
    const bool AgainstUndefined = (*Symbols)[SymbolIndex].st_shndx == llvm::ELF::SHN_UNDEF;
    if (auto Err = checkRelocationType(Type, AgainstUndefined, Where))
      return Err;
  }
  return llvm::Error::success();
}

llvm::Error ObjectChecker::checkRelocationType(std::uint32_t Type, bool AgainstUndefined,
                                               const llvm::Twine &Where) const {
  const llvm::StringRef TypeName = llvm::object::getELFRelocationTypeName(llvm::ELF::EM_X86_64, Type);
  if (!relocationWidth(Type))
    return fail(Where + " has type " + TypeName + " (" + llvm::Twine(Type) +
                "), which pysym does not let the JIT linkers apply");
  if (For != Linker::RuntimeDyld)
    return llvm::Error::success();
  if (Type == llvm::ELF::R_X86_64_32 || Type == llvm::ELF::R_X86_64_32S)
    return fail(Where + " is " + TypeName +
                ", a 32-bit absolute address, which RuntimeDyld would silently truncate; "
                "compile with the large code model, or link with JITLink");
  if (Type == llvm::ELF::R_X86_64_PC32 && AgainstUndefined)
    return fail(Where + " is R_X86_64_PC32 against an external symbol, which RuntimeDyld would "
                "silently truncate beyond 2 GiB; compile with the large code model, or link with "
                "JITLink");
  return llvm::Error::success();
}

}  // namespace

llvm::Error checkObject(llvm::MemoryBufferRef Object, Linker For) {
  const llvm::StringRef Name = Object.getBufferIdentifier();
  auto Binary = llvm::object::ObjectFile::createObjectFile(Object);
  if (!Binary)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "object '" + Name + "': " + llvm::toString(Binary.takeError()));
  const auto *Elf64 = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(Binary->get());
  if (!Elf64)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "object '" + Name + "': format " + (*Binary)->getFileFormatName() +
            " is not 64-bit little-endian ELF");
  return ObjectChecker(Name, Elf64->getELFFile(), For).run();
}

}  // namespace pysym
