// Decodes symbol attributes, string tables and GNU version chains from
// untrusted ELF bytes.
#include "pysym/symtab/elf_vocabulary.h"

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace pysym::symtab {

SymbolType symbolType(unsigned char Info) {
  switch (ELF64_ST_TYPE(Info)) {
  case STT_NOTYPE: return SymbolType::NoType;
  case STT_OBJECT: return SymbolType::Object;
  case STT_FUNC: return SymbolType::Function;
  case STT_SECTION: return SymbolType::Section;
  case STT_FILE: return SymbolType::File;
  case STT_COMMON: return SymbolType::Common;
  case STT_TLS: return SymbolType::ThreadLocal;
  case STT_GNU_IFUNC: return SymbolType::GnuIndirectFunction;
  default: return SymbolType::Unknown;
  }
}

SymbolBinding symbolBinding(unsigned char Info) {
  switch (ELF64_ST_BIND(Info)) {
  case STB_LOCAL: return SymbolBinding::Local;
  case STB_GLOBAL: return SymbolBinding::Global;
  case STB_WEAK: return SymbolBinding::Weak;
  case STB_GNU_UNIQUE: return SymbolBinding::GnuUnique;
  default: return SymbolBinding::Unknown;
  }
}

SymbolVisibility symbolVisibility(unsigned char Other) {
  switch (ELF64_ST_VISIBILITY(Other)) {
  case STV_INTERNAL: return SymbolVisibility::Internal;
  case STV_HIDDEN: return SymbolVisibility::Hidden;
  case STV_PROTECTED: return SymbolVisibility::Protected;
  default: return SymbolVisibility::Default;  // STV_DEFAULT, the only value left
  }
}

bool bindsAcrossImages(SymbolBinding Binding) {
  return Binding == SymbolBinding::Global || Binding == SymbolBinding::Weak ||
         Binding == SymbolBinding::GnuUnique;
}

std::string_view toString(SymbolType Type) {
  switch (Type) {
  case SymbolType::NoType: return "notype";
  case SymbolType::Object: return "object";
  case SymbolType::Function: return "function";
  case SymbolType::Section: return "section";
  case SymbolType::File: return "file";
  case SymbolType::Common: return "common";
  case SymbolType::ThreadLocal: return "tls";
  case SymbolType::GnuIndirectFunction: return "ifunc";
  case SymbolType::Unknown: return "unknown";
  }
  return "unknown";
}

std::string_view toString(SymbolBinding Binding) {
  switch (Binding) {
  case SymbolBinding::Local: return "local";
  case SymbolBinding::Global: return "global";
  case SymbolBinding::Weak: return "weak";
  case SymbolBinding::GnuUnique: return "unique";
  case SymbolBinding::Unknown: return "unknown";
  }
  return "unknown";
}

std::string_view toString(SymbolVisibility Visibility) {
  switch (Visibility) {
  case SymbolVisibility::Default: return "default";
  case SymbolVisibility::Internal: return "internal";
  case SymbolVisibility::Hidden: return "hidden";
  case SymbolVisibility::Protected: return "protected";
  }
  return "default";
}

ElfString readString(std::string_view Table, std::uint64_t Offset) {
  if (Offset >= Table.size())
    return {{}, ElfString::Defect::PastTheEnd};
  const std::size_t End = Table.find('\0', Offset);
  if (End == std::string_view::npos)
    return {{}, ElfString::Defect::Unterminated};
  return {Table.substr(Offset, End - Offset), ElfString::Defect::None};
}

namespace {

// A .gnu.version entry's low 15 bits index a version; bit 15 hides a
// definition from unversioned lookups. elf.h names neither.
constexpr std::uint16_t VersionIndexMask = 0x7fff;
constexpr std::uint16_t HiddenVersionBit = 0x8000;

std::string hex(std::uint64_t Value) {
  char Text[24];
  std::snprintf(Text, sizeof(Text), "0x%llx", static_cast<unsigned long long>(Value));
  return Text;
}

// Copies a T from `Offset` of `Bytes` when it lies wholly inside; memcpy,
// since nothing says a chain's entries are aligned.
template <typename T> bool readAt(std::string_view Bytes, std::uint64_t Offset, T &Out) {
  if (Offset > Bytes.size() || sizeof(T) > Bytes.size() - Offset)
    return false;
  std::memcpy(&Out, Bytes.data() + Offset, sizeof(T));
  return true;
}

// Reads the name of an entry; false (with the chain's defect set) when the
// string table does not hold it.
bool readName(std::string_view Strings, std::uint32_t NameOffset, VersionChainDefect Where,
              VersionChain &Result, std::string_view &Name) {
  const ElfString Read = readString(Strings, NameOffset);
  if (Read.Problem == ElfString::Defect::None) {
    Name = Read.Text;
    return true;
  }
  Where.What = Read.Problem == ElfString::Defect::PastTheEnd
                   ? VersionChainDefect::Kind::NamePastTheEnd
                   : VersionChainDefect::Kind::UnterminatedName;
  Where.Value = NameOffset;
  Result.Defect = Where;
  return false;
}

}  // namespace

std::string VersionChainDefect::describe(std::string_view Where) const {
  const std::string Named = std::string(Entry) + " " + std::to_string(Number);
  const std::string At = Named + " at offset " + hex(Offset);
  const std::string In = std::string(Where);
  switch (What) {
  case Kind::EntryOutside: return At + " lies outside " + In;
  case Kind::NoName: return At + " of " + In + " has no name (vd_cnt is 0)";
  case Kind::UnknownLayout:
    return At + " of " + In + " has layout version " + std::to_string(Value) +
           ", where only 1 is defined";
  case Kind::NamePastTheEnd:
    return "the name of " + Named + " of " + In + " is at string offset " + hex(Value) +
           ", past the end of its string table";
  case Kind::UnterminatedName:
    return "the name of " + Named + " of " + In + " at string offset " + hex(Value) +
           " runs past the end of its string table without a terminating NUL";
  }
  return At + " of " + In + " is malformed";
}

VersionChain readVersionDefinitions(std::string_view Chain, std::uint64_t Count,
                                    std::string_view Strings) {
  VersionChain Result;
  std::uint64_t Offset = 0;
  for (std::uint64_t Entry = 0; Entry < std::min(Count, MaxVersionEntries); ++Entry) {
    VersionChainDefect Defect{VersionChainDefect::Kind::EntryOutside, "version definition", Entry,
                              Offset};
    Elf64_Verdef Definition;
    if (!readAt(Chain, Offset, Definition)) {
      Result.Defect = Defect;
      break;
    }
    if (Definition.vd_version != VER_DEF_CURRENT) {
      Defect.What = VersionChainDefect::Kind::UnknownLayout;
      Defect.Value = Definition.vd_version;
      Result.Defect = Defect;
      break;
    }
    if (Definition.vd_cnt == 0) {
      Defect.What = VersionChainDefect::Kind::NoName;
      Result.Defect = Defect;
      break;
    }
    // The first auxiliary entry holds the version's own name; later ones
    // name its parents, which lookups do not use.
    Elf64_Verdaux Aux;
    const std::uint64_t AuxOffset = Offset + Definition.vd_aux;
    if (!readAt(Chain, AuxOffset, Aux)) {
      Result.Defect = VersionChainDefect{VersionChainDefect::Kind::EntryOutside,
                                         "version definition name", Entry, AuxOffset};
      break;
    }
    std::string_view Name;
    if (!readName(Strings, Aux.vda_name, Defect, Result, Name))
      break;
    if (!(Definition.vd_flags & VER_FLG_BASE))
      Result.Versions.push_back({static_cast<std::uint16_t>(Definition.vd_ndx & VersionIndexMask),
                                 Name});
    if (Definition.vd_next == 0)
      break;
    Offset += Definition.vd_next;  // unsigned: the walk only moves forward
  }
  return Result;
}

VersionChain readVersionRequirements(std::string_view Chain, std::uint64_t Count,
                                     std::string_view Strings) {
  VersionChain Result;
  std::uint64_t Offset = 0;
  std::uint64_t Required = 0;  // versions read, over every file
  for (std::uint64_t File = 0; File < std::min(Count, MaxVersionEntries); ++File) {
    VersionChainDefect Defect{VersionChainDefect::Kind::EntryOutside, "version requirement", File,
                              Offset};
    Elf64_Verneed Need;
    if (!readAt(Chain, Offset, Need)) {
      Result.Defect = Defect;
      return Result;
    }
    if (Need.vn_version != VER_NEED_CURRENT) {
      Defect.What = VersionChainDefect::Kind::UnknownLayout;
      Defect.Value = Need.vn_version;
      Result.Defect = Defect;
      return Result;
    }
    std::uint64_t AuxOffset = Offset + Need.vn_aux;
    for (unsigned I = 0; I < Need.vn_cnt && Required < MaxVersionEntries; ++I) {
      const VersionChainDefect AuxDefect{VersionChainDefect::Kind::EntryOutside,
                                         "required version", Required++, AuxOffset};
      Elf64_Vernaux Aux;
      if (!readAt(Chain, AuxOffset, Aux)) {
        Result.Defect = AuxDefect;
        return Result;
      }
      std::string_view Name;
      if (!readName(Strings, Aux.vna_name, AuxDefect, Result, Name))
        return Result;
      Result.Versions.push_back({static_cast<std::uint16_t>(Aux.vna_other & VersionIndexMask), Name});
      if (Aux.vna_next == 0)
        break;
      AuxOffset += Aux.vna_next;
    }
    if (Need.vn_next == 0)
      break;
    Offset += Need.vn_next;
  }
  return Result;
}

void VersionTable::add(const std::vector<NamedVersion> &Chain) {
  for (const NamedVersion &Version : Chain) {
    if (Version.Index >= ByIndex.size())
      ByIndex.resize(Version.Index + 1);
    if (!ByIndex[Version.Index])
      ByIndex[Version.Index] = Version;
  }
}

std::uint16_t versionIndex(std::uint16_t Entry) { return Entry & VersionIndexMask; }

std::optional<SymbolVersion> VersionTable::versionOf(std::uint16_t Entry, bool Defined) const {
  const std::uint16_t Index = versionIndex(Entry);
  if (Index == VER_NDX_LOCAL || Index == VER_NDX_GLOBAL)
    return SymbolVersion{};
  if (Index >= ByIndex.size() || !ByIndex[Index])
    return std::nullopt;
  return SymbolVersion{ByIndex[Index]->Name, Defined && !(Entry & HiddenVersionBit)};
}

}  // namespace pysym::symtab
