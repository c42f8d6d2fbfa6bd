// Writes a shared object of absolute dynamic symbols with libelf.
//
// The layout: ELF header, program headers, then .hash, .dynsym, .dynstr and
// .dynamic as libelf lays them out, all inside one PT_LOAD whose virtual
// addresses equal its file offsets (p_offset = p_vaddr = 0), so that each
// section's address is its offset. libelf computes the offsets
// (elf_update(ELF_C_NULL)); only then are the addresses known that
// .dynamic and the program headers carry, and they are filled in before the
// file is written.
#include "pysym/symtab/absolute_object.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace pysym::symtab {

const char AbsoluteObjectRefused::ID = 0;

std::string AbsoluteObjectRefused::message() const {
  std::string Message = "cannot write an object of absolute symbols: ";
  const std::string Symbol = "symbol " + std::to_string(Index);
  switch (Why) {
  case Reason::InvalidSoname: Message += "the soname is invalid"; break;
  case Reason::TooManySymbols: Message += "too many symbols"; break;
  case Reason::EmptyName: Message += Symbol + " has an empty name"; break;
  case Reason::NameWithNul: Message += Symbol + "'s name contains a NUL byte"; break;
  case Reason::NameTooLong: Message += Symbol + "'s name is too long"; break;
  case Reason::DuplicateName: Message += Symbol + " repeats a name"; break;
  case Reason::NullAddress: Message += Symbol + " has address 0"; break;
  }
  if (!Detail.empty())
    Message += " (" + Detail + ")";
  return Message;
}

std::error_code AbsoluteObjectRefused::errorCode() const {
  return std::make_error_code(std::errc::invalid_argument);
}

namespace {

using Reason = AbsoluteObjectRefused::Reason;

Error refuse(Reason Why, std::size_t Index, std::string Detail) {
  return makeError<AbsoluteObjectRefused>(Why, Index, std::move(Detail));
}

// A name for an error message: at most 64 bytes of it, with NUL shown.
std::string quoted(std::string_view Name) {
  std::string Shown;
  for (char C : Name.substr(0, 64))
    Shown += C == '\0' ? std::string("\\0") : std::string(1, C);
  return "'" + Shown + (Name.size() > 64 ? "...'" : "'");
}

bool libelfReady() {
  static const bool Ready = elf_version(EV_CURRENT) != EV_NONE;
  return Ready;
}

Error libelfFailure(const char *Step) {
  const char *Message = elf_errmsg(-1);
  return makeStringError(std::errc::io_error, std::string("cannot write an object of absolute symbols: ") +
                                                  Step + ": " +
                                                  (Message ? Message : "unknown libelf error"));
}

struct ElfEnd {
  void operator()(Elf *Handle) const { elf_end(Handle); }
};

// One section to be written: its header fields and its bytes, which must
// outlive elf_update(ELF_C_WRITE).
struct SectionPlan {
  const char *Name;
  GElf_Word Type;
  GElf_Xword Flags;
  Elf_Type DataType;
  std::size_t Align;
  std::size_t EntrySize;
  const void *Bytes;
  std::size_t Size;
  Elf_Scn *Section = nullptr;
  Elf_Data *Data = nullptr;
};

// The SysV hash table (DT_HASH) over `Symbols`, whose indices in .dynsym
// start at 1, after the null symbol.
std::vector<Elf32_Word> sysvHashTable(Span<AbsoluteSymbol> Symbols) {
  const std::size_t SymbolCount = Symbols.size() + 1;  // with the null symbol
  const Elf32_Word Buckets = static_cast<Elf32_Word>(Symbols.size() / 2 + 1);
  std::vector<Elf32_Word> Table(2 + Buckets + SymbolCount, 0);
  Table[0] = Buckets;
  Table[1] = static_cast<Elf32_Word>(SymbolCount);
  Elf32_Word *Bucket = Table.data() + 2;
  Elf32_Word *Chain = Bucket + Buckets;
  for (std::size_t I = 0; I < Symbols.size(); ++I) {
    const Elf32_Word Index = static_cast<Elf32_Word>(I + 1);
    const unsigned long Hash = elf_hash(Symbols[I].Name.c_str());
    Elf32_Word &Head = Bucket[Hash % Buckets];
    Chain[Index] = Head;
    Head = Index;
  }
  return Table;
}

}  // namespace

Error checkAbsoluteSymbols(std::string_view Soname, Span<AbsoluteSymbol> Symbols) {
  if (Soname.empty() || Soname.find('\0') != std::string_view::npos || Soname.size() > MaxAbsoluteSymbolNameLength)
    return refuse(Reason::InvalidSoname, 0, quoted(Soname));
  if (Symbols.size() > MaxAbsoluteSymbols)
    return refuse(Reason::TooManySymbols, 0,
                  std::to_string(Symbols.size()) + ", at most " + std::to_string(MaxAbsoluteSymbols));
  std::unordered_set<std::string_view> Seen;
  Seen.reserve(Symbols.size());
  for (std::size_t I = 0; I < Symbols.size(); ++I) {
    const AbsoluteSymbol &S = Symbols[I];
    if (S.Name.empty())
      return refuse(Reason::EmptyName, I, "");
    if (S.Name.find('\0') != std::string::npos)
      return refuse(Reason::NameWithNul, I, quoted(S.Name));
    if (S.Name.size() > MaxAbsoluteSymbolNameLength)
      return refuse(Reason::NameTooLong, I,
                    std::to_string(S.Name.size()) + " bytes, at most " +
                        std::to_string(MaxAbsoluteSymbolNameLength));
    if (S.Address == 0)
      return refuse(Reason::NullAddress, I, quoted(S.Name));
    if (!Seen.insert(S.Name).second)
      return refuse(Reason::DuplicateName, I, quoted(S.Name));
  }
  return Error::success();
}

Error writeAbsoluteObject(int Fd, std::string_view Soname, Span<AbsoluteSymbol> Symbols) {
  if (Error Refused = checkAbsoluteSymbols(Soname, Symbols))
    return Refused;
  if (!libelfReady())
    return libelfFailure("elf_version");

  // .dynstr: the empty string, the soname, then every name.
  std::string Strings(1, '\0');
  const std::size_t SonameOffset = Strings.size();
  Strings.append(Soname.data(), Soname.size()).push_back('\0');
  std::vector<Elf64_Sym> DynamicSymbols(Symbols.size() + 1);  // [0] is the null symbol
  for (std::size_t I = 0; I < Symbols.size(); ++I) {
    const AbsoluteSymbol &S = Symbols[I];
    Elf64_Sym &Entry = DynamicSymbols[I + 1];
    Entry.st_name = static_cast<Elf64_Word>(Strings.size());
    Entry.st_info = ELF64_ST_INFO(STB_GLOBAL, S.IsData ? STT_OBJECT : STT_FUNC);
    Entry.st_other = STV_DEFAULT;
    Entry.st_shndx = SHN_ABS;
    Entry.st_value = S.Address;
    Entry.st_size = S.Size;
    Strings.append(S.Name).push_back('\0');
  }
  if (Strings.size() > UINT32_MAX)
    return refuse(Reason::TooManySymbols, 0, "the string table would exceed 4 GiB");
  std::vector<Elf32_Word> Hash = sysvHashTable(Symbols);
  // Filled in once the layout is known; DT_NULL ends it.
  std::vector<Elf64_Dyn> Dynamic = {
      {DT_HASH, {0}},   {DT_STRTAB, {0}}, {DT_SYMTAB, {0}},
      {DT_STRSZ, {Strings.size()}}, {DT_SYMENT, {sizeof(Elf64_Sym)}},
      {DT_SONAME, {SonameOffset}}, {DT_NULL, {0}},
  };
  static constexpr char SectionNameTable[] = "\0.hash\0.dynsym\0.dynstr\0.dynamic\0.shstrtab";
  const std::string SectionNames(SectionNameTable, sizeof(SectionNameTable));
  auto NameOffset = [&](const char *Name) {
    return static_cast<GElf_Word>(SectionNames.find(std::string(Name) + '\0'));
  };

  std::unique_ptr<Elf, ElfEnd> File(elf_begin(Fd, ELF_C_WRITE, nullptr));
  if (!File)
    return libelfFailure("elf_begin");
  Elf *E = File.get();
  if (!gelf_newehdr(E, ELFCLASS64))
    return libelfFailure("gelf_newehdr");
  if (!gelf_newphdr(E, 3))
    return libelfFailure("gelf_newphdr");

  SectionPlan Plans[] = {
      {".hash", SHT_HASH, SHF_ALLOC, ELF_T_WORD, 8, sizeof(Elf32_Word), Hash.data(),
       Hash.size() * sizeof(Elf32_Word)},
      {".dynsym", SHT_DYNSYM, SHF_ALLOC, ELF_T_SYM, 8, sizeof(Elf64_Sym), DynamicSymbols.data(),
       DynamicSymbols.size() * sizeof(Elf64_Sym)},
      {".dynstr", SHT_STRTAB, SHF_ALLOC, ELF_T_BYTE, 1, 0, Strings.data(), Strings.size()},
      {".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, ELF_T_DYN, 8, sizeof(Elf64_Dyn),
       Dynamic.data(), Dynamic.size() * sizeof(Elf64_Dyn)},
      {".shstrtab", SHT_STRTAB, 0, ELF_T_BYTE, 1, 0, SectionNames.data(), SectionNames.size()},
  };
  enum { HashPlan, SymbolPlan, StringPlan, DynamicPlan, NamesPlan };
  for (SectionPlan &Plan : Plans) {
    Plan.Section = elf_newscn(E);
    if (!Plan.Section)
      return libelfFailure("elf_newscn");
    Plan.Data = elf_newdata(Plan.Section);
    if (!Plan.Data)
      return libelfFailure("elf_newdata");
    Plan.Data->d_buf = const_cast<void *>(Plan.Bytes);
    Plan.Data->d_size = Plan.Size;
    Plan.Data->d_type = Plan.DataType;
    Plan.Data->d_align = Plan.Align;
    Plan.Data->d_version = EV_CURRENT;
    GElf_Shdr Header;
    if (!gelf_getshdr(Plan.Section, &Header))
      return libelfFailure("gelf_getshdr");
    Header.sh_name = NameOffset(Plan.Name);
    Header.sh_type = Plan.Type;
    Header.sh_flags = Plan.Flags;
    Header.sh_addralign = Plan.Align;
    Header.sh_entsize = Plan.EntrySize;
    if (!gelf_update_shdr(Plan.Section, &Header))
      return libelfFailure("gelf_update_shdr");
  }
  // Links: .hash and .dynsym to their tables; .dynsym's sh_info is the
  // index of its first global, 1, after the null symbol.
  auto Link = [&](int From, int To, GElf_Word Info) -> Error {
    GElf_Shdr Header;
    if (!gelf_getshdr(Plans[From].Section, &Header))
      return libelfFailure("gelf_getshdr");
    Header.sh_link = static_cast<GElf_Word>(elf_ndxscn(Plans[To].Section));
    Header.sh_info = Info;
    if (!gelf_update_shdr(Plans[From].Section, &Header))
      return libelfFailure("gelf_update_shdr");
    return Error::success();
  };
  if (Error Err = Link(HashPlan, SymbolPlan, 0))
    return Err;
  if (Error Err = Link(SymbolPlan, StringPlan, 1))
    return Err;
  if (Error Err = Link(DynamicPlan, StringPlan, 0))
    return Err;

  GElf_Ehdr Ehdr;
  if (!gelf_getehdr(E, &Ehdr))
    return libelfFailure("gelf_getehdr");
  Ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  Ehdr.e_ident[EI_OSABI] = ELFOSABI_NONE;
  Ehdr.e_type = ET_DYN;
  Ehdr.e_machine = EM_X86_64;
  Ehdr.e_version = EV_CURRENT;
  Ehdr.e_shstrndx = static_cast<Elf64_Half>(elf_ndxscn(Plans[NamesPlan].Section));
  if (!gelf_update_ehdr(E, &Ehdr))
    return libelfFailure("gelf_update_ehdr");

  // Lay out, then give each loaded section the address of its offset.
  if (elf_update(E, ELF_C_NULL) < 0)
    return libelfFailure("elf_update(ELF_C_NULL)");
  GElf_Addr LoadEnd = 0;
  GElf_Shdr DynamicHeader{};
  for (SectionPlan &Plan : Plans) {
    GElf_Shdr Header;
    if (!gelf_getshdr(Plan.Section, &Header))
      return libelfFailure("gelf_getshdr");
    if (!(Header.sh_flags & SHF_ALLOC))
      continue;
    Header.sh_addr = Header.sh_offset;
    if (!gelf_update_shdr(Plan.Section, &Header))
      return libelfFailure("gelf_update_shdr");
    LoadEnd = std::max<GElf_Addr>(LoadEnd, Header.sh_offset + Header.sh_size);
    if (&Plan == &Plans[DynamicPlan])
      DynamicHeader = Header;
  }
  auto AddressOf = [&](int Plan) -> GElf_Addr {
    GElf_Shdr Header;
    return gelf_getshdr(Plans[Plan].Section, &Header) ? Header.sh_addr : 0;
  };
  Dynamic[0].d_un.d_ptr = AddressOf(HashPlan);
  Dynamic[1].d_un.d_ptr = AddressOf(StringPlan);
  Dynamic[2].d_un.d_ptr = AddressOf(SymbolPlan);
  elf_flagdata(Plans[DynamicPlan].Data, ELF_C_SET, ELF_F_DIRTY);

  GElf_Phdr Load{};
  Load.p_type = PT_LOAD;
  Load.p_flags = PF_R | PF_W;  // older loaders relocate .dynamic in place
  Load.p_offset = 0;
  Load.p_vaddr = Load.p_paddr = 0;
  Load.p_filesz = Load.p_memsz = LoadEnd;
  Load.p_align = 0x1000;
  GElf_Phdr DynamicSegment{};
  DynamicSegment.p_type = PT_DYNAMIC;
  DynamicSegment.p_flags = PF_R | PF_W;
  DynamicSegment.p_offset = DynamicHeader.sh_offset;
  DynamicSegment.p_vaddr = DynamicSegment.p_paddr = DynamicHeader.sh_addr;
  DynamicSegment.p_filesz = DynamicSegment.p_memsz = DynamicHeader.sh_size;
  DynamicSegment.p_align = 8;
  GElf_Phdr Stack{};
  Stack.p_type = PT_GNU_STACK;  // without it, glibc would make the stack executable
  Stack.p_flags = PF_R | PF_W;
  Stack.p_align = 16;
  if (!gelf_update_phdr(E, 0, &Load) || !gelf_update_phdr(E, 1, &DynamicSegment) ||
      !gelf_update_phdr(E, 2, &Stack))
    return libelfFailure("gelf_update_phdr");
  elf_flagphdr(E, ELF_C_SET, ELF_F_DIRTY);

  if (elf_update(E, ELF_C_WRITE) < 0)
    return libelfFailure("elf_update(ELF_C_WRITE)");
  return Error::success();
}

}  // namespace pysym::symtab
