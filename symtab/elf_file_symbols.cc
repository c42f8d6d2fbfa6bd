// Reads an ELF buffer's symbol tables, symbol versions and dynamic section,
// for ElfFileParser (elf_file_parser.h); every field is checked before use.
#include <gelf.h>
#include <libelf.h>

#include <optional>
#include <string_view>

#include "symtab/elf_file_parser.h"

namespace pysym::symtab {

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

}  // namespace pysym::symtab
