// The parser behind ElfFile::read and ElfFile::readBuffer, private to
// //symtab:elf_file. Split across elf_file_parser.cc (headers, sections,
// strings; the order of a read) and elf_file_symbols.cc (symbols, versions,
// the dynamic section), each about one part of the format.
#ifndef PYSYM_SYMTAB_ELF_FILE_PARSER_H
#define PYSYM_SYMTAB_ELF_FILE_PARSER_H

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/symtab/elf_file.h"

namespace pysym::symtab {

struct ElfEnd {
  void operator()(Elf *Handle) const { elf_end(Handle); }
};
using ElfHandle = std::unique_ptr<Elf, ElfEnd>;

/// libelf's text for its last error.
std::string libelfMessage();

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

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_ELF_FILE_PARSER_H
