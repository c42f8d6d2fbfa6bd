// An embedding host's run of the matrix: pysym's Engine and Resolver link each case in an
// interpreter loaded RTLD_LOCAL, and matrix_check.py, inside that interpreter, judges it.
#ifndef PYSYM_TESTS_MATRIX_HOST_SESSION_H
#define PYSYM_TESTS_MATRIX_HOST_SESSION_H

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/linker.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"
#include "tests/matrix/plan.h"

namespace pysym::matrix {

/// Where the matrix's files are, and what to call this column.
struct HostPaths {
  std::string Column;      // the column's label in the table, e.g. embed-cpython-3.11
  std::string Manifest;    // tests/kernels/MANIFEST
  std::string Kernels;     // the directory of the .ll files
  std::string CheckerDir;  // the directory holding matrix_check.py
  std::string Results;     // the file matrix_check writes the verdicts to
};

/// One process's run of every case with every linker, as a C++ application
/// embedding Python would do it:
///  - the interpreter is loaded dlopen(RTLD_NOW | RTLD_LOCAL) and started
///    through its embedding entry points (//tests:embedded_python), cpyext
///    too on PyPy;
///  - registrations go through Resolver::addSymbol / addObjectSymbol and
///    statuses through Resolver::resolve;
///  - each kernel is added to the Engine of each linker (one Engine per
///    linker for the whole run) and its entry looked up; a lookup failing
///    with MissingSymbolsError is a link failure to judge, any other error a
///    failure of the case;
///  - the entry, a CPython-ABI wrapper, becomes a builtin function through
///    PyCFunction_NewEx, resolved by pysym like any kernel's name (a
///    substitute on PyPy), and matrix_check calls and judges it;
///  - last, exposeToProcess makes the resolver's answers visible to the
///    dynamic loader, and matrix_check judges what the loader finds.
/// Only one session per process: an interpreter cannot start twice.
class HostSession {
public:
  /// Starts the interpreter in \p Library, the resolver, the engines, and
  /// matrix_check (which reads the manifest and opens the results file).
  /// Fails, naming the step, when any of them does not start.
  static llvm::Expected<std::unique_ptr<HostSession>> start(testing::Flavor F,
                                                            llvm::StringRef Library,
                                                            const HostPaths &Paths);

  /// Runs every case with every linker, recording each verdict (a case's own
  /// problems are verdicts, not errors). Fails only when matrix_check itself
  /// cannot be reached, or its plan cannot be read.
  llvm::Error runAll();

private:
  HostSession(testing::EmbeddedPython &Python, std::unique_ptr<Resolver> TheResolver,
              const HostPaths &Paths)
      : Python(Python), TheResolver(std::move(TheResolver)), Paths(Paths) {}

  llvm::Error runCase(const PlannedCase &Case, Linker Link);
  // Last, since exposure cannot be undone: exposeToProcess, then
  // matrix_check's judgement of what the loader finds.
  llvm::Error exposeAndJudge(const std::vector<PlannedCase> &Plan);
  llvm::Error linkAndJudge(const PlannedCase &Case, Linker Link, const std::string &Statuses);
  llvm::Error judgeCall(const PlannedCase &Case, Linker Link, std::uint64_t Address,
                        const std::string &Statuses);
  llvm::Error registerAll(const PlannedCase &Case, std::vector<std::string> &Registered);
  std::string observedStatuses(const PlannedCase &Case) const;
  llvm::Expected<std::string> evaluateText(llvm::StringRef Expression);
  llvm::Error call(const llvm::Twine &Method, const llvm::Twine &Arguments);

  testing::EmbeddedPython &Python;
  std::unique_ptr<Resolver> TheResolver;
  HostPaths Paths;
  std::map<Linker, std::unique_ptr<Engine>> Engines;
  // PyMethodDefs of the wrapped kernels, and their names: a builtin function
  // points at both for as long as it lives, so they live as long as the session.
  struct MethodDef {
    const char *Name;
    void *Method;
    int Flags;
    const char *Doc;
  };
  std::deque<MethodDef> Methods;
  std::deque<std::string> MethodNames;
};

}  // namespace pysym::matrix

#endif  // PYSYM_TESTS_MATRIX_HOST_SESSION_H
