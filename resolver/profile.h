// What differs between Python interpreters, in one place per interpreter.
//
// Supporting another interpreter (GraalPy, say) means adding one profile file
// that implements InterpreterProfile and listing it in profile.cc; nothing
// else in pysym names an interpreter.
#ifndef PYSYM_RESOLVER_PROFILE_H
#define PYSYM_RESOLVER_PROFILE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/resolver/interpreter_info.h"
#include "pysym/support/span.h"

namespace pysym {

/// Answers questions about one image's exports, either through the dynamic
/// loader (in-process) or from a file's .dynsym (offline).
class ExportProbe {
public:
  virtual ~ExportProbe() = default;
  /// Whether the image itself defines `Name` (not one of its dependencies).
  virtual bool defines(std::string_view Name) const = 0;
  /// The image's path, for version numbers in file names.
  virtual std::string_view path() const = 0;
};

/// A Python language version, e.g. {3, 11}. {0, 0} when unknown.
struct PythonVersion {
  unsigned Major = 0;
  unsigned Minor = 0;
  bool atLeast(unsigned M, unsigned N) const { return Major > M || (Major == M && Minor >= N); }
  bool known() const { return Major != 0; }
};

/// Parses "3.11.2 (main, ...)" or "3.11" into {3, 11}; {0, 0} when it cannot.
PythonVersion parsePythonVersion(std::string_view Text);

/// The rules of one interpreter implementation.
class InterpreterProfile {
public:
  virtual ~InterpreterProfile() = default;

  /// The implementation's name as pysym reports it: "cpython", "pypy".
  virtual std::string_view name() const = 0;

  /// Whether `Image` is this interpreter's C-API image, judged from its
  /// exports alone (an extension module that exports one API name is not).
  virtual bool recognizes(const ExportProbe &Image) const = 0;

  /// The exported function that returns the version string (Py_GetVersion's
  /// counterpart).
  virtual std::string_view versionFunction() const = 0;

  /// Whether calling into the interpreter before its API data is ready has
  /// side effects, so that pysym must wait (PyPy: any cpyext function starts
  /// cpyext, running Python code, possibly on a thread without the GIL).
  virtual bool callsWaitForApiData() const { return false; }

  /// The language version, from the image's file name when nothing better is
  /// known (offline analysis).
  virtual PythonVersion versionFromPath(std::string_view Path) const = 0;

  /// Whether the image was built with Py_DEBUG.
  virtual bool isDebugBuild(const ExportProbe &Image) const = 0;

  /// The object layout of this build.
  virtual AbiFacts abiFacts(const ExportProbe &Image) const = 0;

  /// Other names under which the interpreter may export `Name`, in the order
  /// to try after the name itself. Example (PyPy): PyLong_FromLong ->
  /// {PyPyLong_FromLong}.
  virtual void aliasesFor(std::string_view Name, PythonVersion Version,
                          std::vector<std::string> &Out) const = 0;

  /// The inverse of aliasesFor: CPython names whose aliases may include
  /// `Exported`, a name the image exports. Candidates only: a candidate is a
  /// CPython name for `Exported` when aliasesFor (with the running version)
  /// maps it there. Example (PyPy): PyPyLong_FromLong -> {PyLong_FromLong}.
  virtual void cpythonNamesFor(std::string_view Exported,
                               std::vector<std::string> &Out) const = 0;

  /// A data object whose type pointer is null until the interpreter's C-API
  /// data has been initialised, or "" when it always is. PyPy fills its
  /// objects in when cpyext starts.
  virtual std::string_view apiReadinessObject() const { return ""; }

  /// What the user should do when the API data is not ready yet.
  virtual std::string_view apiReadinessAdvice() const { return ""; }
};

/// Every profile pysym knows, in detection order.
Span<const InterpreterProfile *> interpreterProfiles();

/// Whether `Name` is Python API (Py*, _Py*): such names never resolve from
/// images other than the interpreter's.
bool isPythonApiName(std::string_view Name);

}  // namespace pysym

#endif  // PYSYM_RESOLVER_PROFILE_H
