// `pysym-dump check`: will these kernels link on that interpreter?
#ifndef PYSYM_TOOLS_PYSYM_DUMP_CHECK_H
#define PYSYM_TOOLS_PYSYM_DUMP_CHECK_H

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "pysym/resolver/resolution.h"
#include "tools/pysym_dump_command.h"

namespace pysym::dump {

/// A name a kernel needs from outside itself.
struct UndefinedSymbol {
  std::string Name;
  std::optional<SymbolKind> Declared;  // as the kernel declares it; unknown for NOTYPE
  bool Weak = false;                   // links as null when nothing defines it
};

/// One kernel and the names it needs.
struct Kernel {
  std::string Path;
  llvm::StringRef Format;  // "llvm-ir", "llvm-bitcode" or "elf-relocatable"
  std::vector<UndefinedSymbol> Undefined;
};

/// Reads the kernel at `Path`, telling its format by content: bitcode magic
/// ('BC' 0xC0DE, or the bitcode wrapper), ELF magic, else LLVM IR text. For
/// IR (text or bitcode): each function declaration and external global that
/// is used, except LLVM intrinsics (llvm.*). For an x86-64 ELF relocatable
/// object: each named undefined symbol except _GLOBAL_OFFSET_TABLE_, which the
/// JIT linker defines itself. Names are sorted and unique. Never aborts:
/// fails, naming the file and the problem (the parser's line and column for
/// IR), when the file cannot be read, does not parse, or is an ELF file of
/// another kind or machine.
llvm::Expected<Kernel> readKernel(llvm::StringRef Path);

/// Lists each kernel's undefined symbols and how each resolves (exact,
/// alias, substitute, system or missing) against `--interpreter` analysed
/// offline. Exit status 1 when any non-weak symbol is missing, 0 otherwise;
/// an unreadable kernel or interpreter fails (2) before anything is printed.
Command checkCommand();

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_CHECK_H
