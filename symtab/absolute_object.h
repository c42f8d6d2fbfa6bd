// Writes an ELF shared object whose only content is dynamic symbols with
// absolute values: a way to give names to addresses the loader can find.
#ifndef PYSYM_SYMTAB_ABSOLUTE_OBJECT_H
#define PYSYM_SYMTAB_ABSOLUTE_OBJECT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pysym/support/error.h"
#include "pysym/support/span.h"

namespace pysym::symtab {

/// One name the object defines: `Address` exactly, whatever the object's
/// load address (st_shndx is SHN_ABS, which glibc's loader does not relocate).
struct AbsoluteSymbol {
  std::string Name;
  std::uint64_t Address = 0;
  bool IsData = false;     // STT_OBJECT when true, STT_FUNC otherwise
  std::uint64_t Size = 0;  // st_size; 0 when unknown
};

/// The most symbols, and the longest name, one object may hold. Far above
/// any interpreter's API (CPython 3.11 exports about 1,700 names, the longest
/// under 60 bytes); a list beyond them is a caller's mistake, not a library.
constexpr std::size_t MaxAbsoluteSymbols = 1u << 20;
constexpr std::size_t MaxAbsoluteSymbolNameLength = 4096;

/// Why the writer refused its input; nothing was written.
class AbsoluteObjectRefused : public ErrorKind<AbsoluteObjectRefused> {
public:
  static const char ID;
  enum class Reason {
    InvalidSoname,   // empty, a NUL byte, or too long
    TooManySymbols,  // more than MaxAbsoluteSymbols
    EmptyName,
    NameWithNul,
    NameTooLong,     // longer than MaxAbsoluteSymbolNameLength
    DuplicateName,
    NullAddress,     // dlsym would answer "not found" for it
  };
  AbsoluteObjectRefused(Reason Why, std::size_t Index, std::string Detail)
      : Why(Why), Index(Index), Detail(std::move(Detail)) {}

  Reason reason() const { return Why; }
  /// The position in the input of the symbol refused (0 for the soname and
  /// for TooManySymbols).
  std::size_t index() const { return Index; }
  std::string message() const override;
  /// invalid_argument.
  std::error_code errorCode() const override;

private:
  Reason Why;
  std::size_t Index;
  std::string Detail;
};

/// Checks what writeAbsoluteObject would refuse, without writing. Fails
/// with AbsoluteObjectRefused for the first problem found.
Error checkAbsoluteSymbols(std::string_view Soname, Span<AbsoluteSymbol> Symbols);

/// Writes to `Fd` (open for writing, empty, positioned at 0) a minimal ELF64
/// x86-64 ET_DYN that the dynamic loader accepts: one read-write PT_LOAD
/// holding a SysV hash table (DT_HASH), `.dynsym`, `.dynstr` and `.dynamic`
/// (DT_SONAME `Soname`), PT_DYNAMIC, and PT_GNU_STACK (not executable). It
/// has no code, no relocations, no initialisers and no DT_NEEDED, so loading
/// it runs nothing. Every symbol is GLOBAL, DEFAULT visibility, unversioned,
/// SHN_ABS, in input order.
///
/// Fails with AbsoluteObjectRefused, before writing anything, for input that
/// checkAbsoluteSymbols refuses; with a StringError (io_error) from libelf or I/O otherwise, when
/// the file may hold a partial write.
///
/// Example: writing {"Py_GetVersion", 0x7f00001234} and loading the result
/// with dlopen makes dlsym(handle, "Py_GetVersion") return 0x7f00001234.
Error writeAbsoluteObject(int Fd, std::string_view Soname, Span<AbsoluteSymbol> Symbols);

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_ABSOLUTE_OBJECT_H
