// What the offline subcommands (interpreter, check, coverage) share: finding
// an interpreter by path or name, and naming its exported API by CPython's
// names.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_OFFLINE_H
#define PYSYM_TOOLS_PYSYM_DUMP_OFFLINE_H

#include <memory>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "pysym/resolver/coverage.h"
#include "pysym/resolver/offline_interpreter.h"
#include "pysym/resolver/resolution.h"

namespace pysym::dump {

/// The file an interpreter argument names. A path (anything with a '/') is
/// taken as it is; analysis reports it when it is unreadable. A bare name
/// ("pypy3", "python3.11") is looked up in the directories of `SearchPath`
/// (colon-separated, like $PATH) in order, and the first regular, executable
/// ELF file wins: pyenv's shims (`$(pyenv root)/shims/python3.11`) are shell
/// scripts that run whichever version pyenv selects, so they are skipped in
/// favour of a real interpreter later on the path (/usr/bin/python3.11).
/// Fails, naming the argument, when no ELF file of that name is on the path;
/// the message names the scripts it skipped and, for a pyenv shim, the
/// interpreters pyenv has under that name, which can be given by path.
llvm::Expected<std::string> findInterpreterFile(llvm::StringRef PathOrName, llvm::StringRef SearchPath);

/// findInterpreterFile with $PATH, then OfflineInterpreter::analyze. Errors
/// name the argument as the user gave it.
llvm::Expected<std::unique_ptr<OfflineInterpreter>> analyzeInterpreter(llvm::StringRef PathOrName);

/// pyenv's root: $PYENV_ROOT, else ~/.pyenv for $HOME or the user's passwd
/// home; "" when none exists.
std::string pyenvRoot();

/// One Python API name (Py*, _Py*) the interpreter image exports, and the
/// CPython names that resolve to it through the profile's aliases.
struct ExportedApiSymbol {
  const symtab::Symbol *Symbol = nullptr;  // owned by ExportedApi::Image
  SymbolKind Kind = SymbolKind::Function;
  // Example (PyPy): PyPyLong_FromLong <- {PyLong_FromLong}. Empty when the
  // CPython name is the exported name itself.
  std::vector<std::string> CPythonNames;
};

/// The interpreter image's exported Python API, in name order.
struct ExportedApi {
  std::unique_ptr<symtab::ElfFile> Image;
  std::vector<ExportedApiSymbol> Symbols;
  unsigned Functions = 0, Data = 0;
  unsigned Aliased = 0;  // symbols some CPython name reaches only by alias
};

/// Reads the interpreter image again (OfflineInterpreter keeps its symbols
/// private) and lists the API names it exports with the definition new
/// references bind to. A CPython name is credited to an export only when
/// resolving it on `Interpreter` gives status Alias and that export as the
/// target: the candidates come from the renamings pysym knows (cpyext's
/// PyPy prefix, cpythonRenames()), and the profile decides. Fails when the
/// image cannot be read again.
llvm::Expected<ExportedApi> exportedApi(const OfflineInterpreter &Interpreter);

/// The interpreter's exported API as CPython names, each with its kind. A
/// CPython interpreter's names are its own. Elsewhere, an export some CPython
/// name reaches by alias contributes that name (PyPy's PyPyLong_FromLong
/// gives PyLong_FromLong), any other export its own name. Sorted,
/// without duplicates. This is what `coverage --from` and
/// `interpreter --missing --reference` measure.
llvm::Expected<std::vector<ApiName>> cpythonApiNames(const OfflineInterpreter &Interpreter);

/// One line on why `R` (status Missing) is missing, shorter than its Tried
/// list: the names tried, and the substitute's or the resolver's reason.
/// Example: "not exported (tried PyCell_New, PyPyCell_New); no substitute".
std::string whyMissing(const Resolution &R);

/// "cpython 3.11 (debug)", "pypy 3.9".
std::string describeInterpreter(const InterpreterInfo &Info);

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_OFFLINE_H
