// The description of one ELF symbol, shared by file and process readers.
#ifndef PYSYM_SYMTAB_SYMBOL_H
#define PYSYM_SYMTAB_SYMBOL_H

#include <cstdint>
#include <string>

#include "llvm/ADT/StringRef.h"

namespace pysym::symtab {

/// What a symbol names, from ELF's STT_* (STT_GNU_IFUNC kept apart because its
/// value is a resolver to call, not the function itself).
enum class SymbolType { Function, Object, ThreadLocal, GnuIndirectFunction, Common, Other };

/// ELF's STB_*; STB_GNU_UNIQUE is reported as Global, which is how the
/// dynamic loader treats it for lookup.
enum class SymbolBinding { Global, Weak, Local, Other };

/// ELF's STV_*.
enum class SymbolVisibility { Default, Internal, Hidden, Protected };

/// Which table a symbol came from. `.dynsym` is the source of truth for
/// run-time linking; `.symtab` is read for diagnostics only, since `dlsym`
/// cannot reach what only it lists.
enum class SymbolTable { Dynamic, Static };

/// One symbol of an ELF file.
struct Symbol {
  std::string Name;
  std::uint64_t Value = 0;  // st_value: an address relative to the load bias.
  std::uint64_t Size = 0;
  SymbolType Type = SymbolType::Other;
  SymbolBinding Binding = SymbolBinding::Global;
  SymbolVisibility Visibility = SymbolVisibility::Default;
  SymbolTable Table = SymbolTable::Dynamic;
  bool Defined = false;               // st_shndx != SHN_UNDEF
  std::uint32_t SectionIndex = 0;     // st_shndx (or SHN_XINDEX's extension)
  std::string SectionName;            // empty when undefined, absolute or common
  // GNU symbol version from .gnu.version/.gnu.version_d/.gnu.version_r; empty
  // when the symbol is unversioned (local or global base version).
  std::string Version;
  // True for a default version (`name@@V`), false for a hidden one (`name@V`).
  // Meaningless when Version is empty.
  bool VersionIsDefault = false;
};

llvm::StringRef toString(SymbolType Type);
llvm::StringRef toString(SymbolBinding Binding);
llvm::StringRef toString(SymbolVisibility Visibility);

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_SYMBOL_H
