// Reads the symbol tables of an ELF file on disk with libelf, checking every
// offset, size and index against the bytes actually present.
#include "pysym/symtab/elf_file.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "pysym/support/text.h"

namespace pysym::symtab {
namespace {

// libelf needs elf_version before any other call; a function-local static
// makes that one call thread-safe.
bool libelfReady() {
  static const bool Ready = elf_version(EV_CURRENT) != EV_NONE;
  return Ready;
}

struct ElfEnd {
  void operator()(Elf *Handle) const { elf_end(Handle); }
};
using ElfHandle = std::unique_ptr<Elf, ElfEnd>;

std::string libelfMessage() {
  const char *Message = elf_errmsg(-1);
  return Message ? Message : "unknown libelf error";
}

}  // namespace

/// Parses one buffer. Raw header fields are checked before libelf sees the
/// bytes, and every section libelf later hands back is checked against the
/// buffer, so a malformed file becomes an Error naming the file and field.
class ElfFileParser {
public:
  ElfFileParser(std::string_view Buffer, std::string Name) : Bytes(Buffer), Result(new ElfFile()) {
    Result->Path = std::move(Name);
  }

  Expected<std::unique_ptr<ElfFile>> parse();

private:
  Error readAll();
  Error fail(const std::string &Problem) const {
    return makeStringError(std::errc::invalid_argument, Result->Path + ": " + Problem);
  }
  // Overflow-safe: true when [Offset, Offset + Size) lies inside the buffer.
  bool fits(std::uint64_t Offset, std::uint64_t Size) const {
    return Offset <= Bytes.size() && Size <= Bytes.size() - Offset;
  }
  // The bytes of section `Index`, clamped to the file (readSectionHeaders
  // checked that they lie in it).
  std::string_view sectionBytes(std::size_t Index) const {
    const GElf_Shdr &S = Sections[Index];
    if (S.sh_type == SHT_NOBITS)
      return {};
    return Bytes.substr(S.sh_offset, S.sh_size);
  }
  std::string describe(std::size_t Index) const {
    std::string Text = "section " + std::to_string(Index);
    if (Index < SectionNames.size() && !SectionNames[Index].empty())
      Text += " (" + SectionNames[Index] + ")";
    return Text;
  }

  Error checkIdentification();
  Error checkHeaderTables();
  Error openWithLibelf();
  Error readSectionHeaders();
  Error checkLink(std::size_t Index, std::uint32_t ExpectedType);
  Expected<std::string_view> stringAt(std::size_t Table, std::uint64_t Offset,
                                           const std::string &User) const;
  Expected<Elf_Data *> sectionData(std::size_t Index) const;
  Expected<std::size_t> uniqueSection(std::uint32_t Type) const;
  Error readSymbols(std::size_t Index, SymbolTable Table, std::vector<Symbol> &Out);
  Error readVersions(std::size_t Index);
  Error applyVersions(std::size_t DynsymIndex);
  Error readDynamicSection(bool &IsPie);
  bool hasInterpreter() const;

  std::string_view Bytes;
  std::unique_ptr<ElfFile> Result;
  Elf64_Ehdr Header{};
  std::uint64_t SectionCount = 0;
  std::uint64_t SectionNameTable = SHN_UNDEF;
  std::uint64_t ProgramHeaderCount = 0;
  ElfHandle Handle;
  std::vector<GElf_Shdr> Sections;
  std::vector<std::string> SectionNames;
  VersionTable Versions;
};

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

Error ElfFileParser::readSymbols(std::size_t Index, SymbolTable Table,
                                       std::vector<Symbol> &Out) {
  const GElf_Shdr &S = Sections[Index];
  const std::size_t EntrySize = gelf_fsize(Handle.get(), ELF_T_SYM, 1, EV_CURRENT);
  if (S.sh_entsize != EntrySize)
    return fail(describe(Index) + " has sh_entsize " + std::to_string(S.sh_entsize) +
                ", expected " + std::to_string(EntrySize) + " for a symbol table");
  if (S.sh_size % EntrySize != 0)
    return fail(describe(Index) + " has sh_size " + std::to_string(S.sh_size) +
                ", not a multiple of its sh_entsize " + std::to_string(EntrySize));
  if (auto Err = checkLink(Index, SHT_STRTAB))
    return Err;
  auto Data = sectionData(Index);
  if (!Data)
    return Data.takeError();

  // Symbols whose st_shndx is SHN_XINDEX keep the real index in a parallel
  // SHT_SYMTAB_SHNDX section that links back to this table.
  const std::size_t Count = S.sh_size / EntrySize;
  Elf_Data *Extended = nullptr;
  for (std::size_t I = 1; I < SectionCount && !Extended; ++I) {
    if (Sections[I].sh_type != SHT_SYMTAB_SHNDX || Sections[I].sh_link != Index)
      continue;
    auto ExtendedData = sectionData(I);
    if (!ExtendedData)
      return ExtendedData.takeError();
    if (Sections[I].sh_size / sizeof(Elf32_Word) < Count)
      return fail(describe(I) + " has fewer entries than " + describe(Index));
    Extended = *ExtendedData;
  }

  Out.reserve(Count > 0 ? Count - 1 : 0);
  const std::string Where = describe(Index);  // built once: names are checked per symbol
  for (std::size_t I = 1; I < Count; ++I) {
    GElf_Sym Raw;
    Elf32_Word ExtendedIndex = 0;
    if (!gelf_getsymshndx(*Data, Extended, static_cast<int>(I), &Raw, &ExtendedIndex))
      return fail("cannot read symbol " + std::to_string(I) + " of " + describe(Index) + ": " +
                  libelfMessage());
    Symbol Sym;
    auto Name = stringAt(S.sh_link, Raw.st_name,
                         "symbol " + std::to_string(I) + " of " + Where);
    if (!Name)
      return Name.takeError();
    Sym.Name = std::string(*Name);
    Sym.Value = Raw.st_value;
    Sym.Size = Raw.st_size;
    Sym.Type = symbolType(Raw.st_info);
    Sym.Binding = symbolBinding(Raw.st_info);
    Sym.Visibility = symbolVisibility(Raw.st_other);
    Sym.Table = Table;
    Sym.Defined = Raw.st_shndx != SHN_UNDEF;
    Sym.SectionIndex = Raw.st_shndx;
    if (Raw.st_shndx == SHN_XINDEX) {
      if (!Extended)
        return fail("symbol " + Sym.Name + " of " + describe(Index) +
                    " uses SHN_XINDEX but no SHT_SYMTAB_SHNDX section links to the table");
      Sym.SectionIndex = ExtendedIndex;
    }
    const bool Reserved = Raw.st_shndx >= SHN_LORESERVE && Raw.st_shndx != SHN_XINDEX;
    if (Sym.Defined && !Reserved) {
      if (Sym.SectionIndex >= SectionCount)
        return fail("symbol " + Sym.Name + " of " + describe(Index) + " has section index " +
                    std::to_string(Sym.SectionIndex) + ", outside the section table (" +
                    std::to_string(SectionCount) + " sections)");
      Sym.SectionName = SectionNames[Sym.SectionIndex];
    }
    Out.push_back(std::move(Sym));
  }
  return Error::success();
}

// Adds the versions that section `Index` (.gnu.version_d or .gnu.version_r)
// names, walked by the reader the process reader uses too.
Error ElfFileParser::readVersions(std::size_t Index) {
  if (auto Err = checkLink(Index, SHT_STRTAB))
    return Err;
  const GElf_Shdr &S = Sections[Index];
  const std::string_view Strings = sectionBytes(S.sh_link);
  const VersionChain Chain =
      S.sh_type == SHT_GNU_verdef
          ? readVersionDefinitions(sectionBytes(Index), S.sh_info, Strings)
          : readVersionRequirements(sectionBytes(Index), S.sh_info, Strings);
  if (Chain.Defect)
    return fail(Chain.Defect->describe(describe(Index)));
  Versions.add(Chain.Versions);
  return Error::success();
}

// Attaches .gnu.version entries to the dynamic symbols, as
// VersionTable::versionOf reads them.
Error ElfFileParser::applyVersions(std::size_t DynsymIndex) {
  auto VersymIndex = uniqueSection(SHT_GNU_versym);
  if (!VersymIndex)
    return VersymIndex.takeError();
  if (*VersymIndex == 0)
    return Error::success();
  const std::size_t Versym = *VersymIndex;
  if (auto Err = checkLink(Versym, SHT_DYNSYM))
    return Err;
  const std::size_t EntrySize = gelf_fsize(Handle.get(), ELF_T_HALF, 1, EV_CURRENT);
  const std::uint64_t Expected = Result->Dynamic.size() + 1;
  if (Sections[Versym].sh_size % EntrySize != 0 || Sections[Versym].sh_size / EntrySize != Expected)
    return fail(describe(Versym) + " has sh_size " + std::to_string(Sections[Versym].sh_size) +
                " but " + describe(DynsymIndex) + " has " + std::to_string(Expected) +
                " entries of " + std::to_string(EntrySize) + " bytes each");
  for (std::uint32_t Type : {SHT_GNU_verdef, SHT_GNU_verneed}) {
    auto Index = uniqueSection(Type);
    if (!Index)
      return Index.takeError();
    if (*Index == 0)
      continue;
    if (auto Err = readVersions(*Index))
      return Err;
  }
  auto Data = sectionData(Versym);
  if (!Data)
    return Data.takeError();
  for (std::size_t I = 0; I < Result->Dynamic.size(); ++I) {
    GElf_Versym Entry;
    if (!gelf_getversym(*Data, static_cast<int>(I + 1), &Entry))
      return fail("cannot read version entry " + std::to_string(I + 1) + " of " + describe(Versym) +
                  ": " + libelfMessage());
    Symbol &Sym = Result->Dynamic[I];
    const std::optional<SymbolVersion> Version = Versions.versionOf(Entry, Sym.Defined);
    if (!Version)
      return fail("symbol " + Sym.Name + " has version index " +
                  std::to_string(versionIndex(Entry)) + " in " + describe(Versym) +
                  ", out of range: no version definition or requirement has that index");
    Sym.Version = std::string(Version->Name);
    Sym.VersionIsDefault = Version->IsDefault;
  }
  return Error::success();
}

Error ElfFileParser::readDynamicSection(bool &IsPie) {
  auto Found = uniqueSection(SHT_DYNAMIC);
  if (!Found)
    return Found.takeError();
  if (*Found == 0)
    return Error::success();
  const std::size_t Index = *Found;
  const GElf_Shdr &S = Sections[Index];
  const std::size_t EntrySize = gelf_fsize(Handle.get(), ELF_T_DYN, 1, EV_CURRENT);
  if (S.sh_entsize != EntrySize || S.sh_size % EntrySize != 0)
    return fail(describe(Index) + " has sh_entsize " + std::to_string(S.sh_entsize) +
                " and sh_size " + std::to_string(S.sh_size) + ", expected a multiple of " +
                std::to_string(EntrySize));
  if (auto Err = checkLink(Index, SHT_STRTAB))
    return Err;
  auto Data = sectionData(Index);
  if (!Data)
    return Data.takeError();
  const std::string Where = describe(Index);
  for (std::size_t I = 0; I < S.sh_size / EntrySize; ++I) {
    GElf_Dyn Entry;
    if (!gelf_getdyn(*Data, static_cast<int>(I), &Entry))
      return fail("cannot read entry " + std::to_string(I) + " of " + describe(Index) + ": " +
                  libelfMessage());
    if (Entry.d_tag == DT_NULL)
      break;
    if (Entry.d_tag == DT_FLAGS_1) {
      IsPie = (Entry.d_un.d_val & DF_1_PIE) != 0;
      continue;
    }
    if (Entry.d_tag != DT_NEEDED && Entry.d_tag != DT_SONAME && Entry.d_tag != DT_RUNPATH &&
        Entry.d_tag != DT_RPATH)
      continue;
    auto Text = stringAt(S.sh_link, Entry.d_un.d_val,
                         "dynamic entry " + std::to_string(I) + " of " + Where);
    if (!Text)
      return Text.takeError();
    if (Entry.d_tag == DT_NEEDED)
      Result->Needed.emplace_back(*Text);
    else if (Entry.d_tag == DT_SONAME)
      Result->Soname = std::string(*Text);
    else if (Entry.d_tag == DT_RUNPATH || Result->RunPath.empty())
      Result->RunPath = std::string(*Text);  // DT_RUNPATH wins over DT_RPATH
  }
  return Error::success();
}

bool ElfFileParser::hasInterpreter() const {
  for (std::size_t I = 0; I < ProgramHeaderCount; ++I) {
    GElf_Phdr Phdr;
    if (gelf_getphdr(Handle.get(), static_cast<int>(I), &Phdr) && Phdr.p_type == PT_INTERP)
      return true;
  }
  return false;
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
    return std::move(Err);
  return std::move(Result);
}

namespace {

// A file mapped read-only for the life of a read, so that only the pages
// holding headers and symbol tables are touched (libpypy3.9-c.so is 59 MB).
class MappedFile {
public:
  ~MappedFile() {
    if (Address != MAP_FAILED)
      munmap(Address, Size);
  }
  // Maps `Fd`'s `Length` bytes; false with errno set when mmap refuses.
  bool map(int Fd, std::size_t Length) {
    Size = Length;
    Address = mmap(nullptr, Length, PROT_READ, MAP_PRIVATE, Fd, 0);
    return Address != MAP_FAILED;
  }
  std::string_view bytes() const { return {static_cast<const char *>(Address), Size}; }

private:
  void *Address = MAP_FAILED;
  std::size_t Size = 0;
};

Error fileError(int Errno, const std::string &Path, const char *Step) {
  return makeError<StringError>(std::error_code(Errno, std::generic_category()),
                                Path + ": " + Step + ": " + std::strerror(Errno));
}

}  // namespace

Expected<std::unique_ptr<ElfFile>> ElfFile::read(const std::string &Path) {
  // Checked first so that a directory or a FIFO is named as such instead of
  // failing obscurely (or blocking) inside the read.
  struct stat Status {};
  if (stat(Path.c_str(), &Status) != 0)
    return fileError(errno, Path, "cannot open");
  if (S_ISDIR(Status.st_mode))
    return makeStringError(std::errc::is_a_directory, Path + ": is a directory");
  if (!S_ISREG(Status.st_mode))
    return makeStringError(std::errc::invalid_argument, Path + ": is not a regular file");
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return fileError(errno, Path, "cannot read");
  struct stat Opened {};
  if (fstat(Fd, &Opened) != 0) {
    int Errno = errno;
    close(Fd);
    return fileError(Errno, Path, "cannot read");
  }
  if (Opened.st_size == 0) {  // mmap refuses an empty mapping
    close(Fd);
    return ElfFileParser(std::string_view(), Path).parse();
  }
  MappedFile Mapped;
  bool Mapping = Mapped.map(Fd, static_cast<std::size_t>(Opened.st_size));
  int Errno = errno;
  close(Fd);  // the mapping stays valid without the descriptor
  if (!Mapping)
    return fileError(Errno, Path, "cannot read");
  return ElfFileParser(Mapped.bytes(), Path).parse();
}

Expected<std::unique_ptr<ElfFile>> ElfFile::readBuffer(std::string_view Bytes, const std::string &Name) {
  return ElfFileParser(Bytes, Name).parse();
}

std::vector<const Symbol *> ElfFile::findDynamic(std::string_view Name) const {
  std::vector<const Symbol *> Matches;
  for (const Symbol &Sym : Dynamic)
    if (Sym.Name == Name)
      Matches.push_back(&Sym);
  return Matches;
}

}  // namespace pysym::symtab
