// Reads an ELF buffer's headers, section table and string tables, checking
// every offset, size and index against the bytes actually present, then
// drives the symbol reads of elf_file_symbols.cc.
#include <gelf.h>
#include <libelf.h>

#include <climits>
#include <cstring>
#include <utility>

#include "pysym/support/text.h"
#include "symtab/elf_file_parser.h"

namespace pysym::symtab {
namespace {

// libelf needs elf_version before any other call; a function-local static
// makes that one call thread-safe.
bool libelfReady() {
  static const bool Ready = elf_version(EV_CURRENT) != EV_NONE;
  return Ready;
}

}  // namespace

std::string libelfMessage() {
  const char *Message = elf_errmsg(-1);
  return Message ? Message : "unknown libelf error";
}

Error ElfFileParser::checkIdentification() {
  if (Bytes.empty())
    return fail("is empty");
  if (Bytes.size() < SELFMAG || std::memcmp(Bytes.data(), ELFMAG, SELFMAG) != 0)
    return fail("not an ELF file (no \\x7fELF magic at the start)");
  if (Bytes.size() < EI_NIDENT)
    return fail("truncated ELF: " + std::to_string(Bytes.size()) +
                " bytes, shorter than the ELF identification");
  const auto Class = static_cast<unsigned char>(Bytes[EI_CLASS]);
  if (Class == ELFCLASS32)
    return fail("is a 32-bit ELF file (ELFCLASS32); only 64-bit x86-64 ELF is supported");
  if (Class != ELFCLASS64)
    return fail("invalid ELF class " + std::to_string(unsigned(Class)) + " in e_ident[EI_CLASS]");
  if (static_cast<unsigned char>(Bytes[EI_DATA]) != ELFDATA2LSB)
    return fail("is not a little-endian ELF file (e_ident[EI_DATA] is " +
                std::to_string(unsigned(static_cast<unsigned char>(Bytes[EI_DATA]))) +
                "); only x86-64 is supported");
  if (Bytes.size() < sizeof(Elf64_Ehdr))
    return fail("truncated ELF: " + std::to_string(Bytes.size()) +
                " bytes, shorter than the 64-byte ELF header");
  std::memcpy(&Header, Bytes.data(), sizeof(Header));
  if (Header.e_machine != EM_X86_64)
    return fail("is for machine " + std::to_string(Header.e_machine) +
                " (e_machine), not x86-64 (EM_X86_64 = 62)");
  return Error::success();
}

// Section and program header tables: entry sizes, the extended counts kept
// in section 0, and whether each table lies inside the file.
Error ElfFileParser::checkHeaderTables() {
  Elf64_Shdr First{};
  if (Header.e_shoff != 0) {
    if (Header.e_shentsize != sizeof(Elf64_Shdr))
      return fail("e_shentsize " + std::to_string(Header.e_shentsize) + " is not " +
                  std::to_string(sizeof(Elf64_Shdr)));
    if (!fits(Header.e_shoff, sizeof(Elf64_Shdr)))
      return fail("section header table offset " + hex(Header.e_shoff) +
                  " (e_shoff) is past the end of the file (" + std::to_string(Bytes.size()) +
                  " bytes): truncated or corrupt");
    std::memcpy(&First, Bytes.data() + Header.e_shoff, sizeof(First));
    SectionCount = Header.e_shnum != 0 ? Header.e_shnum : First.sh_size;
    if (SectionCount > (Bytes.size() - Header.e_shoff) / sizeof(Elf64_Shdr))
      return fail("section header table (offset " + hex(Header.e_shoff) + ", " +
                  std::to_string(SectionCount) + " entries of 64 bytes) extends past the end of "
                  "the file (" + std::to_string(Bytes.size()) + " bytes): truncated or corrupt");
    SectionNameTable = Header.e_shstrndx == SHN_XINDEX ? First.sh_link : Header.e_shstrndx;
    if (SectionNameTable != SHN_UNDEF && SectionNameTable >= SectionCount)
      return fail("section name table index " + std::to_string(SectionNameTable) +
                  " (e_shstrndx) is outside the section table (" + std::to_string(SectionCount) +
                  " sections)");
  } else if (Header.e_shnum != 0) {
    return fail("e_shnum is " + std::to_string(Header.e_shnum) + " but e_shoff is 0");
  }

  ProgramHeaderCount = Header.e_phnum == PN_XNUM ? First.sh_info : Header.e_phnum;
  if (ProgramHeaderCount != 0) {
    if (Header.e_phentsize != sizeof(Elf64_Phdr))
      return fail("e_phentsize " + std::to_string(Header.e_phentsize) + " is not " +
                  std::to_string(sizeof(Elf64_Phdr)));
    if (Header.e_phoff > Bytes.size() ||
        ProgramHeaderCount > (Bytes.size() - Header.e_phoff) / sizeof(Elf64_Phdr))
      return fail("program header table (offset " + hex(Header.e_phoff) + ", " +
                  std::to_string(ProgramHeaderCount) + " entries) extends past the end of the "
                  "file (" + std::to_string(Bytes.size()) + " bytes): truncated or corrupt");
  }
  return Error::success();
}

Error ElfFileParser::openWithLibelf() {
  if (!libelfReady())
    return fail("libelf refused EV_CURRENT: " + libelfMessage());
  // elf_memory takes a non-const pointer, but a read descriptor of a
  // native-endian file (checked above) only reads the image.
  Handle.reset(elf_memory(const_cast<char *>(Bytes.data()), Bytes.size()));
  if (!Handle)
    return fail("libelf cannot read it: " + libelfMessage());
  if (elf_kind(Handle.get()) != ELF_K_ELF || gelf_getclass(Handle.get()) != ELFCLASS64)
    return fail("libelf does not read it as a 64-bit ELF file");
  std::size_t Count = 0, NameTable = 0;
  if (elf_getshdrnum(Handle.get(), &Count) != 0 || Count != SectionCount)
    return fail("libelf disagrees about the section count: " + libelfMessage());
  if (SectionCount != 0 &&
      (elf_getshdrstrndx(Handle.get(), &NameTable) != 0 || NameTable != SectionNameTable))
    return fail("libelf disagrees about the section name table: " + libelfMessage());
  return Error::success();
}

Error ElfFileParser::readSectionHeaders() {
  Sections.resize(SectionCount);
  for (std::size_t I = 0; I < SectionCount; ++I) {
    Elf_Scn *Section = elf_getscn(Handle.get(), I);
    if (!Section || !gelf_getshdr(Section, &Sections[I]))
      return fail("cannot read " + describe(I) + " header: " + libelfMessage());
  }
  auto InFile = [&](std::size_t I) {
    const GElf_Shdr &S = Sections[I];
    return S.sh_type == SHT_NOBITS || fits(S.sh_offset, S.sh_size);
  };
  auto PastEnd = [&](std::size_t I) {
    const GElf_Shdr &S = Sections[I];
    return fail(describe(I) + " (sh_offset " + hex(S.sh_offset) + ", sh_size " +
                hex(S.sh_size) + ") extends past the end of the file (" +
                std::to_string(Bytes.size()) + " bytes)");
  };
  SectionNames.assign(SectionCount, std::string());
  if (SectionNameTable != SHN_UNDEF) {
    if (!InFile(SectionNameTable))
      return PastEnd(SectionNameTable);
    for (std::size_t I = 1; I < SectionCount; ++I) {
      auto Name = stringAt(SectionNameTable, Sections[I].sh_name,
                           "the name of section " + std::to_string(I));
      if (!Name)
        return Name.takeError();
      SectionNames[I] = std::string(*Name);
    }
  }
  for (std::size_t I = 1; I < SectionCount; ++I)
    if (!InFile(I))
      return PastEnd(I);
  return Error::success();
}

// Checks that section `Index`'s sh_link names a section of `ExpectedType`.
Error ElfFileParser::checkLink(std::size_t Index, std::uint32_t ExpectedType) {
  const std::uint64_t Link = Sections[Index].sh_link;
  if (Link == SHN_UNDEF || Link >= SectionCount)
    return fail(describe(Index) + " has sh_link " + std::to_string(Link) +
                ", outside the section table (" + std::to_string(SectionCount) + " sections)");
  if (Sections[Link].sh_type != ExpectedType)
    return fail(describe(Index) + " has sh_link " + std::to_string(Link) + " to " + describe(Link) +
                " of type " + hex(Sections[Link].sh_type) + ", expected type " +
                hex(ExpectedType));
  return Error::success();
}

// A NUL-terminated name at `Offset` in string table section `Table`, whose
// range was checked by readSectionHeaders. Never returns a dangling name.
Expected<std::string_view> ElfFileParser::stringAt(std::size_t Table, std::uint64_t Offset,
                                                        const std::string &User) const {
  const GElf_Shdr &S = Sections[Table];
  if (S.sh_type != SHT_STRTAB)
    return fail(describe(Table) + ", used for " + User + ", is not a string table");
  const ElfString Read = readString(sectionBytes(Table), Offset);
  switch (Read.Problem) {
  case ElfString::Defect::None: return std::string_view(Read.Text);
  case ElfString::Defect::PastTheEnd:
    return fail("name offset " + hex(Offset) + " of " + User + " is past the end of string table " +
                describe(Table) + " (" + std::to_string(S.sh_size) + " bytes)");
  case ElfString::Defect::Unterminated: break;
  }
  return fail("name at offset " + hex(Offset) + " of " + User + " runs past the end of string "
              "table " + describe(Table) + " without a terminating NUL");
}

Expected<Elf_Data *> ElfFileParser::sectionData(std::size_t Index) const {
  Elf_Data *Data = elf_getdata(elf_getscn(Handle.get(), Index), nullptr);
  if (!Data)
    return fail("libelf cannot read the data of " + describe(Index) + ": " + libelfMessage());
  if (Data->d_size != Sections[Index].sh_size || (Data->d_size != 0 && !Data->d_buf))
    return fail("libelf returned " + std::to_string(Data->d_size) + " bytes for " +
                describe(Index) + " of sh_size " + std::to_string(Sections[Index].sh_size));
  if (Data->d_size > INT_MAX)
    return fail(describe(Index) + " is larger than libelf's int offsets allow");
  return Data;
}

// The index of the only section of `Type`, or 0 when there is none.
Expected<std::size_t> ElfFileParser::uniqueSection(std::uint32_t Type) const {
  std::size_t Found = 0;
  for (std::size_t I = 1; I < SectionCount; ++I) {
    if (Sections[I].sh_type != Type)
      continue;
    if (Found != 0)
      return fail("has two sections of type " + hex(Type) + ": " + describe(Found) + " and " +
                  describe(I));
    Found = I;
  }
  return Found;
}

Error ElfFileParser::readAll() {
  if (auto Err = checkIdentification())
    return Err;
  if (auto Err = checkHeaderTables())
    return Err;
  if (auto Err = openWithLibelf())
    return Err;
  if (auto Err = readSectionHeaders())
    return Err;
  if (SectionCount == 0) {
    // Without section headers a shared object would look symbol-less, which
    // would read as "defines nothing" instead of "cannot tell".
    for (std::size_t I = 0; I < ProgramHeaderCount; ++I) {
      GElf_Phdr Phdr;
      if (gelf_getphdr(Handle.get(), static_cast<int>(I), &Phdr) && Phdr.p_type == PT_DYNAMIC)
        return fail("has a dynamic segment but no section headers; reading symbols from "
                    "the dynamic segment alone is not supported");
    }
  }

  auto Dynsym = uniqueSection(SHT_DYNSYM);
  if (!Dynsym)
    return Dynsym.takeError();
  if (*Dynsym != 0) {
    if (auto Err = readSymbols(*Dynsym, SymbolTable::Dynamic, Result->Dynamic))
      return Err;
    if (auto Err = applyVersions(*Dynsym))
      return Err;
  }
  auto Symtab = uniqueSection(SHT_SYMTAB);
  if (!Symtab)
    return Symtab.takeError();
  if (*Symtab != 0) {
    if (auto Err = readSymbols(*Symtab, SymbolTable::Static, Result->Static))
      return Err;
  }

  bool IsPie = false;
  if (auto Err = readDynamicSection(IsPie))
    return Err;
  switch (Header.e_type) {
  case ET_REL: Result->Kind = ElfKind::Relocatable; break;
  case ET_EXEC: Result->Kind = ElfKind::Executable; break;
  case ET_DYN:
    // Linkers older than DF_1_PIE leave a PIE recognisable only as a shared
    // object that asks for an interpreter yet has no soname (libc.so.6 has
    // an interpreter too, but also a soname).
    Result->Kind = IsPie || (hasInterpreter() && Result->Soname.empty())
                       ? ElfKind::PositionIndependentExecutable
                       : ElfKind::SharedObject;
    break;
  default: Result->Kind = ElfKind::Other; break;
  }
  return Error::success();
}

Expected<std::unique_ptr<ElfFile>> ElfFileParser::parse() {
  if (Error Err = readAll())
    return Err;
  return std::move(Result);
}
}  // namespace pysym::symtab
