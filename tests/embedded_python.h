// Starts a real Python interpreter inside a C++ test process, the way an embedding host does.
#ifndef PYSYM_TESTS_EMBEDDED_PYTHON_H
#define PYSYM_TESTS_EMBEDDED_PYTHON_H

#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pysym::testing {

/// Which interpreter family a library belongs to; each has its own embedding
/// entry points.
enum class Flavor { CPython, PyPy };

/// "cpython" or "pypy", the spelling embedded_cc_test uses.
llvm::StringRef toString(Flavor F);
/// The inverse of toString; std::nullopt for anything else.
std::optional<Flavor> parseFlavor(llvm::StringRef Name);

/// A C-API object pointer. Opaque on purpose: the tests never see Python.h's
/// struct layouts, which differ between CPython and PyPy.
using PyObjectPtr = void *;

/// An interpreter loaded with dlopen(RTLD_NOW | RTLD_LOCAL) and started
/// through its embedding entry points, each found with dlsym on the handle.
/// Nothing of it is visible to dlsym(RTLD_DEFAULT), and nothing links against
/// Python, exactly as for a kernel hosted by an application that embeds one.
///
/// CPython: Py_InitializeEx(0) (no signal handlers), then the GIL is released
/// (PyEval_SaveThread), so that any thread may take it with PyGILState_Ensure.
/// Only builtin modules import: extension modules in lib-dynload cannot
/// resolve Py* symbols in an RTLD_LOCAL library.
/// PyPy: rpython_startup_code(), pypy_setup_home(<library>, 1) and
/// pypy_init_threads(). cpyext, PyPy's C API, is NOT started: a test decides,
/// with run("import cpyext"), since the resolver must cope with both states.
///
/// One interpreter per process: neither family can be unloaded or started
/// twice, so destroying the object leaves the interpreter running and a
/// second start() fails.
class EmbeddedPython {
public:
  /// Loads and starts the interpreter in \p Library. Fails, naming the
  /// library, when it does not load, lacks an entry point, refuses to start
  /// (pypy_setup_home's non-zero result), or when this process already
  /// started one. CPython's Py_InitializeEx itself aborts the process if its
  /// standard library is unusable; that is CPython's contract, not ours.
  static llvm::Expected<std::unique_ptr<EmbeddedPython>> start(Flavor F, llvm::StringRef Library);

  /// Debian's shared library for \p F, e.g.
  /// /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0.
  static llvm::StringRef defaultLibrary(Flavor F);

  /// PyPy's mechanical renaming of a C-API name: Py... -> PyPy...,
  /// _Py... -> _PyPy...; anything else unchanged. No fallback and no
  /// knowledge of which names PyPy exports unprefixed: that is the
  /// resolver's job. Example: pypyName("_Py_NoneStruct") == "_PyPy_NoneStruct".
  static std::string pypyName(llvm::StringRef CPythonName);

  ~EmbeddedPython();
  EmbeddedPython(const EmbeddedPython &) = delete;
  EmbeddedPython &operator=(const EmbeddedPython &) = delete;

  Flavor flavor() const { return TheFlavor; }
  llvm::StringRef library() const { return Library; }
  /// The dlopen handle, for a lookup that wants it directly.
  void *handle() const { return Handle; }

  /// dlsym(handle, Name), with Name exactly as given; nullptr when absent.
  void *symbol(llvm::StringRef Name) const;
  /// symbol() of \p CPythonName, renamed by pypyName() when this is PyPy.
  void *apiSymbol(llvm::StringRef CPythonName) const;
  /// apiSymbol() as a typed function pointer, e.g.
  /// `auto *AsLong = Py.api<long(void *)>("PyLong_AsLong");`
  template <typename Fn> Fn *api(llvm::StringRef CPythonName) const {
    return reinterpret_cast<Fn *>(apiSymbol(CPythonName));
  }

  /// Runs \p Source as a module body in `__main__`'s namespace, which
  /// persists across calls on both families (PyPy's pypy_execute_source
  /// would otherwise use a fresh namespace each time). Needs no C API, so it
  /// works on PyPy before cpyext starts. Fails when the code raises (the
  /// interpreter prints the traceback on stderr), and when the calling thread
  /// holds the GIL through a GilGuard: PyPy would deadlock there.
  llvm::Error run(llvm::StringRef Source);

  /// Whether C-API calls are safe: always on CPython; on PyPy once cpyext has
  /// started, observed as _PyPy_NoneStruct's reference count becoming
  /// non-zero (cpyext fills in its static objects when it starts).
  bool cApiReady() const;

  /// Holds the GIL (PyGILState_Ensure/Release) for C-API calls made by this
  /// thread. Nestable.
  class GilGuard {
  public:
    GilGuard(GilGuard &&Other) noexcept;
    GilGuard &operator=(GilGuard &&) = delete;
    ~GilGuard();

  private:
    friend class EmbeddedPython;
    GilGuard(const EmbeddedPython &Python, int State) : Python(&Python), State(State) {}
    const EmbeddedPython *Python;
    int State;
  };
  /// Takes the GIL; fails instead of crashing when the C API is not ready.
  llvm::Expected<GilGuard> holdGil() const;

  /// Evaluates \p Expression in `__main__` and returns a NEW reference to its
  /// value, fetched through the C API (PyImport_AddModule("__main__") and
  /// PyObject_GetAttrString). Release it with Py_DecRef under a GilGuard.
  /// Fails when the C API is not ready, when the expression raises, or when
  /// the calling thread holds a GilGuard (see run()).
  llvm::Expected<PyObjectPtr> evaluate(llvm::StringRef Expression);

private:
  EmbeddedPython(Flavor F, std::string Library, void *Handle)
      : TheFlavor(F), Library(std::move(Library)), Handle(Handle) {}
  llvm::Error requireApi(llvm::StringRef CPythonName, void *&Out) const;
  llvm::Error bindCommonApi();
  llvm::Error fail(const llvm::Twine &Message) const;

  Flavor TheFlavor;
  std::string Library;
  void *Handle;
  bool Started = false;  // once true, the library must stay loaded
  // The few entry points the helper itself calls, bound once at start.
  int (*GilEnsure)() = nullptr;
  void (*GilRelease)(int) = nullptr;
  PyObjectPtr (*AddModule)(const char *) = nullptr;
  PyObjectPtr (*GetAttrString)(PyObjectPtr, const char *) = nullptr;
  void (*ErrClear)() = nullptr;
  int (*RunSimpleString)(const char *) = nullptr;     // CPython
  int (*ExecuteSource)(const char *) = nullptr;       // PyPy
  const long *PyPyNoneRefcount = nullptr;             // PyPy
};

/// The interpreter this test process embeds, as chosen by embedded_cc_test
/// (tests/embedded.bzl) through the environment: PYSYM_EMBEDDED_PYTHON is
/// "cpython" or "pypy", and PYSYM_EMBEDDED_LIBRARY, when set, replaces
/// defaultLibrary(). Started on the first call; later calls return the same
/// result. Returns nullptr when the library file is absent (see
/// processInterpreterSkipReason()), an Error when the choice is invalid or the
/// interpreter does not start.
llvm::Expected<EmbeddedPython *> processInterpreter();
/// Why processInterpreter() returned nullptr, naming the library.
std::string processInterpreterSkipReason();

}  // namespace pysym::testing

/// In a TEST body: declares `EmbeddedPython *Var` bound to the process's
/// interpreter, failing the test if it does not start and skipping it, by
/// name, if its library is absent.
#define PYSYM_EMBEDDED_PYTHON_OR_SKIP(Var)                                           \
  [[maybe_unused]] ::pysym::testing::EmbeddedPython *Var = nullptr;                  \
  do {                                                                               \
    auto PysymStarted = ::pysym::testing::processInterpreter();                      \
    if (!PysymStarted)                                                               \
      FAIL() << ::llvm::toString(PysymStarted.takeError());                          \
    if (!*PysymStarted)                                                              \
      GTEST_SKIP() << ::pysym::testing::processInterpreterSkipReason();              \
    Var = *PysymStarted;                                                             \
  } while (false)

#endif  // PYSYM_TESTS_EMBEDDED_PYTHON_H
