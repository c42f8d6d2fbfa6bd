// One symbol of an ELF file on disk, as the file reader (elf_file.h) lists it.
#ifndef PYSYM_SYMTAB_SYMBOL_H
#define PYSYM_SYMTAB_SYMBOL_H

#include <cstdint>
#include <string>

#include "pysym/symtab/elf_vocabulary.h"

namespace pysym::symtab {

/// Which table a symbol came from. `.dynsym` is the source of truth for
/// run-time linking; `.symtab` is read for diagnostics only, since `dlsym`
/// cannot reach what only it lists.
enum class SymbolTable { Dynamic, Static };

/// One symbol of an ELF file. Its type, binding, visibility and version are
/// in the vocabulary of elf_vocabulary.h, which the process reader's
/// ImageSymbol (loaded_images.h) shares. The two stay two structs because
/// they hold different things: a Symbol owns its strings, since the file's
/// bytes live only while it is read, and carries what only a file has (the
/// table, the section, undefined entries); an ImageSymbol is one defined
/// dynamic symbol at its run-time address, its name a view of the loaded
/// image's own string table, so that indexing every loaded image copies no
/// names.
struct Symbol {
  std::string Name;
  std::uint64_t Value = 0;  // st_value: an address relative to the load bias.
  std::uint64_t Size = 0;
  SymbolType Type = SymbolType::NoType;
  SymbolBinding Binding = SymbolBinding::Global;
  SymbolVisibility Visibility = SymbolVisibility::Default;
  SymbolTable Table = SymbolTable::Dynamic;
  bool Defined = false;               // st_shndx != SHN_UNDEF
  std::uint32_t SectionIndex = 0;     // st_shndx (or SHN_XINDEX's extension)
  std::string SectionName;            // empty when undefined, absolute or common
  // GNU symbol version from .gnu.version/.gnu.version_d/.gnu.version_r; empty
  // when the symbol is unversioned (local or global base version).
  std::string Version;
  // True for a default version (`name@@V`), false for a hidden one (`name@V`)
  // and for an undefined symbol's required version. Meaningless when Version
  // is empty. VersionTable::versionOf (elf_vocabulary.h) decides it.
  bool VersionIsDefault = false;
};

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_SYMBOL_H
