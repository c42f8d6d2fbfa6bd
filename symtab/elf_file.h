// Reads the symbol tables of an ELF file on disk with libelf.
#ifndef PYSYM_SYMTAB_ELF_FILE_H
#define PYSYM_SYMTAB_ELF_FILE_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/support/error.h"
#include "pysym/symtab/symbol.h"

namespace pysym::symtab {

/// The kind of ELF file, from e_type (and PT_INTERP/DF_1_PIE for executables).
enum class ElfKind { Relocatable, Executable, PositionIndependentExecutable, SharedObject, Other };

/// The symbol tables and dynamic-linking facts of one 64-bit x86-64 ELF file.
///
/// Every field read from the file is untrusted: offsets, sizes, entry sizes,
/// counts and string indices are checked before use, and a malformed file is
/// an error that names the file and the problem, never a crash.
class ElfFile {
public:
  /// Reads the file at `Path`, mapped so that only the pages holding headers,
  /// symbol, string and version tables are touched. Fails, naming the path
  /// and the problem, when it is missing, a directory or other non-regular
  /// file, empty, not ELF, truncated, 32-bit, big-endian, not x86-64, or
  /// malformed: a header table, section, symbol table or string table past
  /// the end of the file; sh_entsize inconsistent with the section size; a
  /// name offset past its string table; an sh_link or symbol section index
  /// outside the section table; a version index with no version behind it; a
  /// version chain that leaves its section; two `.dynsym` or `.symtab`
  /// sections; or a dynamic segment with no section headers (not supported).
  /// A malformed `.symtab` fails the read too, though it is diagnostics only.
  ///
  /// Example: `ElfFile::read("/lib/x86_64-linux-gnu/libc.so.6")` lists
  /// `realpath` twice, at `GLIBC_2.2.5` (hidden) and `GLIBC_2.3` (default).
  static Expected<std::unique_ptr<ElfFile>> read(const std::string &Path);

  /// As `read`, from bytes already in memory; `Name` names the file in
  /// errors and is its path(). The bytes need only live for the call:
  /// everything kept is copied.
  static Expected<std::unique_ptr<ElfFile>> readBuffer(std::string_view Bytes, const std::string &Name);

  const std::string &path() const { return Path; }
  ElfKind kind() const { return Kind; }

  /// `.dynsym`, in table order without the null entry 0. Empty for a file
  /// with no dynamic symbol table (a static executable or an object).
  const std::vector<Symbol> &dynamicSymbols() const { return Dynamic; }

  /// `.symtab` when present (often stripped). Diagnostics only.
  const std::vector<Symbol> &staticSymbols() const { return Static; }

  /// Every `.dynsym` entry named `Name`, in table order: several when the name
  /// has several versions (or is both required and defined); empty when there
  /// is none. A linear scan, meant for tests and tools, not hot lookups.
  std::vector<const Symbol *> findDynamic(std::string_view Name) const;

  /// DT_SONAME, empty when absent.
  const std::string &soname() const { return Soname; }
  /// DT_NEEDED entries, in order.
  const std::vector<std::string> &neededLibraries() const { return Needed; }
  /// DT_RUNPATH, or DT_RPATH when there is no DT_RUNPATH; `$ORIGIN` unexpanded.
  const std::string &runPath() const { return RunPath; }

private:
  ElfFile() = default;
  friend class ElfFileParser;

  std::string Path;
  ElfKind Kind = ElfKind::Other;
  std::vector<Symbol> Dynamic;
  std::vector<Symbol> Static;
  std::string Soname;
  std::vector<std::string> Needed;
  std::string RunPath;
};

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_ELF_FILE_H
