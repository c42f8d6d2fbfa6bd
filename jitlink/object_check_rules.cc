// The rules on the ELF header, sections, relocations and the whole object
// (object_symbol_rules.cc has those on symbols).
#include "jitlink/object_check_rules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "pysym/jitlink/object_checks.h"

namespace pysym::object_checks {

using llvm::Error;
using llvm::Twine;
namespace ELF = llvm::ELF;

bool isValidAlignment(std::uint64_t Alignment) {
  return Alignment == 0 || (llvm::isPowerOf2_64(Alignment) && Alignment <= MaxAlignment);
}

namespace {

// The number of bytes a relocation type writes; 0 for unsupported types.
unsigned relocationWidth(std::uint32_t Type) {
  switch (Type) {
  case ELF::R_X86_64_NONE:
    return 1;  // writes nothing, but its offset must still be in range
  case ELF::R_X86_64_64:
  case ELF::R_X86_64_PC64:
    return 8;
  case ELF::R_X86_64_PC32:
  case ELF::R_X86_64_PLT32:
  case ELF::R_X86_64_GOTPCREL:
  case ELF::R_X86_64_GOTPCRELX:
  case ELF::R_X86_64_REX_GOTPCRELX:
  case ELF::R_X86_64_32:
  case ELF::R_X86_64_32S:
    return 4;
  default:
    return 0;
  }
}

// Relocation types for which a linker allocates a PLT stub or GOT entry.
bool needsStubOrGotEntry(std::uint32_t Type) {
  switch (Type) {
  case ELF::R_X86_64_PLT32:
  case ELF::R_X86_64_GOTPCREL:
  case ELF::R_X86_64_GOTPCRELX:
  case ELF::R_X86_64_REX_GOTPCRELX:
    return true;
  default:
    return false;
  }
}

std::string relocationTypeName(std::uint32_t Type) {
  return llvm::object::getELFRelocationTypeName(ELF::EM_X86_64, Type).str();
}

bool isLoaded(const SectionAt &S) { return S.Header.sh_flags & ELF::SHF_ALLOC; }

bool isUnwindTable(const CheckedObject &O, const SectionAt &S) {
  auto Name = O.File.getSectionName(S.Header);
  if (!Name) {
    llvm::consumeError(Name.takeError());  // refuseUnreadableSectionNames reports it
    return false;
  }
  return *Name == ".eh_frame";
}

}  // namespace

Error refuseWhatIsNotRelocatable(const CheckedObject &O, const Elf::Ehdr &Header) {
  if (Header.e_type == ELF::ET_REL)
    return Error::success();
  return O.fail("not a relocatable object (ELF type " + Twine(Header.e_type) +
                "); JIT linkers link .o files only");
}

Error refuseOtherMachines(const CheckedObject &O, const Elf::Ehdr &Header) {
  if (Header.e_machine == ELF::EM_X86_64)
    return Error::success();
  return O.fail("machine " + Twine(Header.e_machine) + " is not x86-64 (62)");
}

// Sections

Error refuseUnreadableSectionNames(const CheckedObject &O, const SectionAt &S) {
  if (auto Name = O.File.getSectionName(S.Header); !Name)
    return O.wrap(Name.takeError(), "section #" + Twine(S.Index));
  return Error::success();
}

Error refuseSectionBytesOutsideTheFile(const CheckedObject &O, const SectionAt &S) {
  if (S.Header.sh_type == ELF::SHT_NOBITS || S.Header.sh_type == ELF::SHT_NULL)
    return Error::success();
  if (auto Contents = O.File.getSectionContents(S.Header); !Contents)
    return O.wrap(Contents.takeError(), S.Label);
  return Error::success();
}

Error refuseLoadedSectionsWithBadAlignment(const CheckedObject &O, const SectionAt &S) {
  if (!isLoaded(S) || isValidAlignment(S.Header.sh_addralign))
    return Error::success();
  return O.fail(S.Label + " has alignment " + Twine(S.Header.sh_addralign) +
                ", not a power of two up to 64 KiB");
}

Error refuseThreadLocalSections(const CheckedObject &O, const SectionAt &S) {
  if (!isLoaded(S) || !(S.Header.sh_flags & ELF::SHF_TLS))
    return Error::success();
  return O.fail(S.Label + " is thread-local, which the JIT linkers do not support");
}

Error refuseOversizedSections(const CheckedObject &O, const SectionAt &S) {
  if (!isLoaded(S) || S.Header.sh_size <= MaxObjectAllocation)
    return Error::success();
  return O.fail(S.Label + " is " + Twine(S.Header.sh_size) + " bytes, too large");
}

Error refuseUnwindTablesNotLoaded(const CheckedObject &O, const SectionAt &S) {
  if (!isUnwindTable(O, S) || (isLoaded(S) && S.Header.sh_type != ELF::SHT_NOBITS))
    return Error::success();
  return O.fail(S.Label + " is not loaded, or holds no bytes, but is where the JIT linkers "
                          "take unwind information from");
}

// Compilers emit .eh_frame as 32-bit records within the section, each FDE
// pointing at the start of a CIE before it.
Error refuseMalformedUnwindRecords(const CheckedObject &O, const SectionAt &S) {
  if (!isUnwindTable(O, S))
    return Error::success();
  auto Contents = O.File.getSectionContents(S.Header);
  if (!Contents)
    return O.wrap(Contents.takeError(), S.Label);
  const llvm::ArrayRef<std::uint8_t> Bytes = *Contents;
  const auto Word = [&](std::uint64_t At) {
    return llvm::support::endian::read32le(Bytes.data() + At);
  };
  llvm::SmallVector<std::uint64_t, 4> CieStarts;
  std::uint64_t At = 0;
  while (Bytes.size() - At >= 4) {
    const std::string Where = S.Label + ", record at offset " + std::to_string(At);
    const std::uint32_t Length = Word(At);
    if (Length == 0)
      break;  // the terminator
    if (Length == 0xffffffffu)
      return O.fail(Where + " is a 64-bit DWARF record, which the JIT linkers do not read");
    if (Length < 4 || Length > Bytes.size() - At - 4)
      return O.fail(Where + " has length " + Twine(Length) + ", which does not fit");
    const std::uint64_t IdField = At + 4;
    const std::uint32_t Id = Word(IdField);
    if (Id == 0) {
      CieStarts.push_back(At);
    } else if (Id > IdField || !llvm::is_contained(CieStarts, IdField - Id)) {
      return O.fail(Where + " is an FDE whose CIE pointer (" + Twine(Id) +
                    ") does not lead to the start of an earlier CIE");
    }
    At = IdField + Length;
  }
  return Error::success();
}

Error refuseRelRelocations(const CheckedObject &O, const SectionAt &S) {
  if (S.Header.sh_type != ELF::SHT_REL)
    return Error::success();
  return O.fail(S.Label + " holds REL relocations; x86-64 objects use RELA");
}

// Relocation tables

Error refuseRelocationsOfMissingSections(const CheckedObject &O, const RelocationTableAt &T) {
  if (T.Header.sh_info < O.Sections.size())
    return Error::success();
  return O.fail(T.Label + " relocates section #" + Twine(T.Header.sh_info) +
                ", which does not exist");
}

Error refuseRelocationsWithoutASymbolTable(const CheckedObject &O, const RelocationTableAt &T) {
  const std::uint32_t Link = T.Header.sh_link;
  if (Link >= O.Sections.size() || O.Sections[Link].sh_type != ELF::SHT_SYMTAB)
    return O.fail(T.Label + " names section #" + Twine(Link) +
                  " as its symbol table, which is not one");
  if (auto Symbols = O.File.symbols(&O.Sections[Link]); !Symbols)
    return O.wrap(Symbols.takeError(), T.Label);
  return Error::success();
}

// Compilers never relocate SHT_NOBITS sections.
Error refuseRelocationsOfNoBitsSections(const CheckedObject &O, const RelocationTableAt &T) {
  const SectionHeader &Target = O.Sections[T.Header.sh_info];
  if (Target.sh_type != ELF::SHT_NOBITS || T.Relocations.empty())
    return Error::success();
  return O.fail(T.Label + " relocates " + O.sectionName(Target, T.Header.sh_info) +
                ", which holds no bytes (SHT_NOBITS)");
}

// Relocations

Error refuseRelocationsOfMissingSymbols(const CheckedObject &O, const RelocationAt &R) {
  if (R.symbolIndex() < R.Symbols.size())
    return Error::success();
  return O.fail(R.Where + " refers to symbol #" + Twine(R.symbolIndex()) +
                ", but there are only " + Twine(R.Symbols.size()));
}

// Unsupported types are only refused where a linker will apply them; an
// unknown type still gets the widest plausible bounds check.
Error refuseRelocationsOutsideTheirSection(const CheckedObject &O, const RelocationAt &R) {
  const unsigned Width = relocationWidth(R.type()) ? relocationWidth(R.type()) : 8;
  const std::uint64_t Size = R.Target.sh_size;
  if (R.Target.sh_type == ELF::SHT_NOBITS ||
      (R.Entry.r_offset <= Size && Size - R.Entry.r_offset >= Width))
    return Error::success();
  return O.fail(R.Where + " writes at offset " + Twine(R.Entry.r_offset) +
                ", outside its section of " + Twine(Size) + " bytes");
}

// The rules below this one look only at relocations of loaded sections,
// the only ones the linkers apply.
Error refuseStubsInUnloadedSections(const CheckedObject &O, const RelocationAt &R) {
  if (R.targetLoaded() || !needsStubOrGotEntry(R.type()))
    return Error::success();
  return O.fail(R.Where + " is " + relocationTypeName(R.type()) +
                " in a section that is not loaded (no SHF_ALLOC)");
}

Error refuseRelocationsWithoutASymbol(const CheckedObject &O, const RelocationAt &R) {
  if (!R.targetLoaded() || R.symbolIndex() != 0)
    return Error::success();
  return O.fail(R.Where + " names no symbol (index 0), which the JIT linkers do not take");
}

Error refuseRelocationsAgainstUnloadedSymbols(const CheckedObject &O, const RelocationAt &R) {
  if (!R.targetLoaded() || !O.definedInUnloadedSection(R.Symbols[R.symbolIndex()]))
    return Error::success();
  return O.fail(R.Where + " refers to a symbol in a section that is not loaded (no SHF_ALLOC), "
                          "whose address would be 0");
}

Error refuseUnsupportedRelocationTypes(const CheckedObject &O, const RelocationAt &R) {
  if (!R.targetLoaded() || relocationWidth(R.type()))
    return Error::success();
  return O.fail(R.Where + " has type " + relocationTypeName(R.type()) + " (" + Twine(R.type()) +
                "), which pysym does not let the JIT linkers apply");
}

Error refuseTruncated32BitAddresses(const CheckedObject &O, const RelocationAt &R) {
  if (!R.targetLoaded() || O.For != Linker::RuntimeDyld ||
      (R.type() != ELF::R_X86_64_32 && R.type() != ELF::R_X86_64_32S))
    return Error::success();
  return O.fail(R.Where + " is " + relocationTypeName(R.type()) +
                ", a 32-bit absolute address, which RuntimeDyld would silently truncate; "
                "compile with the large code model, or link with JITLink");
}

Error refuseTruncatedPC32ToExternals(const CheckedObject &O, const RelocationAt &R) {
  if (!R.targetLoaded() || O.For != Linker::RuntimeDyld || R.type() != ELF::R_X86_64_PC32 ||
      R.Symbols[R.symbolIndex()].st_shndx != ELF::SHN_UNDEF)
    return Error::success();
  return O.fail(R.Where + " is R_X86_64_PC32 against an external symbol, which RuntimeDyld would "
                "silently truncate beyond 2 GiB; compile with the large code model, or link with "
                "JITLink");
}

// The whole object

// Each term is at most MaxObjectAllocation by the rules before, so the sum
// cannot wrap.
Error refuseObjectsTooLargeToAllocate(const CheckedObject &O) {
  std::uint64_t Bytes = 0;
  for (const SectionHeader &Section : O.Sections) {
    if (Section.sh_flags & ELF::SHF_ALLOC)
      Bytes += Section.sh_size;
    if (Section.sh_type != ELF::SHT_SYMTAB)
      continue;
    auto Symbols = O.File.symbols(&Section);
    if (!Symbols)
      return O.wrap(Symbols.takeError(), "symbol table");  // read before, without error
    for (const Elf::Sym &Symbol : *Symbols)
      if (Symbol.st_shndx == ELF::SHN_COMMON)
        Bytes += Symbol.st_size;
  }
  if (Bytes <= MaxObjectAllocation)
    return Error::success();
  return O.fail("its sections and common symbols need " + Twine(Bytes) + " bytes, more than the " +
                Twine(MaxObjectAllocation) + " allowed");
}

}  // namespace pysym::object_checks
