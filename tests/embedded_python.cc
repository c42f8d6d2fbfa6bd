// Starts CPython or PyPy from a dlopen(RTLD_LOCAL) handle, as an embedding host does.
#include "tests/embedded_python.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <sys/stat.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "third_party/llvm/compat.h"

namespace pysym::testing {
namespace {

// Interpreters cannot be unloaded or restarted: the first start() claims the
// process for good.
std::atomic<bool> ProcessHasInterpreter{false};

// GilGuards held by this thread; run() refuses to start Python code under one
// because PyPy's pypy_execute_source waits for a GIL the thread already holds.
thread_local int GilGuardsHeld = 0;

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

// A Python string expression that rebuilds Source exactly, whatever bytes it
// holds (quotes, backslashes, NULs), with no C API involved.
std::string pythonBytesLiteral(llvm::StringRef Source) {
  return "bytes.fromhex('" + llvm::toHex(Source, /*LowerCase=*/true) + "').decode('utf-8')";
}

}  // namespace

llvm::StringRef toString(Flavor F) {
  switch (F) {
  case Flavor::CPython:
    return "cpython";
  case Flavor::PyPy:
    return "pypy";
  }
  return "unknown";
}

std::optional<Flavor> parseFlavor(llvm::StringRef Name) {
  if (Name == "cpython")
    return Flavor::CPython;
  if (Name == "pypy")
    return Flavor::PyPy;
  return std::nullopt;
}

llvm::StringRef EmbeddedPython::defaultLibrary(Flavor F) {
  switch (F) {
  case Flavor::CPython:
    return "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";
  case Flavor::PyPy:
    return "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
  }
  return "";
}

std::string EmbeddedPython::pypyName(llvm::StringRef CPythonName) {
  if (llvm_compat::startsWith(CPythonName, "Py"))
    return ("PyPy" + CPythonName.drop_front(2)).str();
  if (llvm_compat::startsWith(CPythonName, "_Py"))
    return ("_PyPy" + CPythonName.drop_front(3)).str();
  return CPythonName.str();
}

EmbeddedPython::~EmbeddedPython() {
  // A started interpreter is never finalized nor unloaded: objects may still
  // point into it, and neither family can start again in the same process.
  // A library that failed before starting is just unloaded.
  if (!Started)
    dlclose(Handle);
}

void *EmbeddedPython::symbol(llvm::StringRef Name) const {
  return dlsym(Handle, Name.str().c_str());
}

void *EmbeddedPython::apiSymbol(llvm::StringRef CPythonName) const {
  return TheFlavor == Flavor::PyPy ? symbol(pypyName(CPythonName)) : symbol(CPythonName);
}

llvm::Error EmbeddedPython::fail(const llvm::Twine &Message) const {
  return makeError(toString(TheFlavor) + " at " + Library + ": " + Message);
}

llvm::Error EmbeddedPython::requireApi(llvm::StringRef CPythonName, void *&Out) const {
  Out = apiSymbol(CPythonName);
  if (!Out)
    return fail("does not export " +
                (TheFlavor == Flavor::PyPy ? pypyName(CPythonName) : CPythonName.str()));
  return llvm::Error::success();
}

llvm::Error EmbeddedPython::bindCommonApi() {
  void *Ensure, *Release, *Add, *GetAttr, *Clear;
  if (auto E = requireApi("PyGILState_Ensure", Ensure))
    return E;
  if (auto E = requireApi("PyGILState_Release", Release))
    return E;
  if (auto E = requireApi("PyImport_AddModule", Add))
    return E;
  if (auto E = requireApi("PyObject_GetAttrString", GetAttr))
    return E;
  if (auto E = requireApi("PyErr_Clear", Clear))
    return E;
  GilEnsure = reinterpret_cast<int (*)()>(Ensure);
  GilRelease = reinterpret_cast<void (*)(int)>(Release);
  AddModule = reinterpret_cast<PyObjectPtr (*)(const char *)>(Add);
  GetAttrString = reinterpret_cast<PyObjectPtr (*)(PyObjectPtr, const char *)>(GetAttr);
  ErrClear = reinterpret_cast<void (*)()>(Clear);
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<EmbeddedPython>> EmbeddedPython::start(Flavor F,
                                                                       llvm::StringRef Library) {
  std::string Path = Library.str();
  // dlopen would also search the library path for a bare name; a test names
  // the file it means.
  if (Path.find('/') == std::string::npos)
    return makeError(toString(F) + " at " + Path + ": not a path to a library");
  void *Handle = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!Handle) {
    const char *Why = dlerror();
    return makeError(toString(F) + " at " + Path + ": dlopen failed: " + (Why ? Why : "no reason"));
  }
  std::unique_ptr<EmbeddedPython> Python(new EmbeddedPython(F, Path, Handle));
  if (auto E = Python->bindCommonApi())
    return E;

  if (F == Flavor::CPython) {
    auto *Initialize = reinterpret_cast<void (*)(int)>(Python->symbol("Py_InitializeEx"));
    auto *SaveThread = reinterpret_cast<void *(*)()>(Python->symbol("PyEval_SaveThread"));
    Python->RunSimpleString = reinterpret_cast<int (*)(const char *)>(Python->symbol("PyRun_SimpleString"));
    if (!Initialize || !SaveThread || !Python->RunSimpleString)
      return Python->fail("lacks Py_InitializeEx, PyEval_SaveThread or PyRun_SimpleString");
    if (ProcessHasInterpreter.exchange(true))
      return Python->fail("this process already embeds an interpreter; only one can start");
    Python->Started = true;
    Initialize(0);
    SaveThread();  // The thread state is never restored: the GIL goes to whoever ensures it.
    return Python;
  }

  auto *Startup = reinterpret_cast<void (*)()>(Python->symbol("rpython_startup_code"));
  auto *SetupHome = reinterpret_cast<int (*)(const char *, int)>(Python->symbol("pypy_setup_home"));
  auto *InitThreads = reinterpret_cast<void (*)()>(Python->symbol("pypy_init_threads"));
  Python->ExecuteSource = reinterpret_cast<int (*)(const char *)>(Python->symbol("pypy_execute_source"));
  Python->PyPyNoneRefcount = reinterpret_cast<const long *>(Python->symbol("_PyPy_NoneStruct"));
  if (!Startup || !SetupHome || !InitThreads || !Python->ExecuteSource || !Python->PyPyNoneRefcount)
    return Python->fail("lacks rpython_startup_code, pypy_setup_home, pypy_init_threads, "
                        "pypy_execute_source or _PyPy_NoneStruct");
  if (ProcessHasInterpreter.exchange(true))
    return Python->fail("this process already embeds an interpreter; only one can start");
  Python->Started = true;
  Startup();
  // Verbose (1) so that a library without its standard library says why.
  if (int Status = SetupHome(Path.c_str(), 1))
    return Python->fail("pypy_setup_home returned " + llvm::Twine(Status));
  // Without it, PyPy aborts ("the GIL was not initialized") whenever a
  // thread has to wait for the GIL, e.g. pypy_execute_source under a
  // PyGILState_Ensure; with it, that case is a deadlock run() refuses.
  InitThreads();
  return Python;
}

llvm::Error EmbeddedPython::run(llvm::StringRef Source) {
  if (GilGuardsHeld > 0)
    return fail("run() called while this thread holds a GilGuard; release it first");
  // One expression that binds no name: exec in __main__'s namespace, made if
  // the interpreter has none (PyPy's embedding runs each source in a fresh
  // dictionary and has no __main__ module of its own).
  std::string Wrapper = "exec(compile(" + pythonBytesLiteral(Source) +
                        ", '<pysym embedded>', 'exec'), __import__('sys').modules.setdefault("
                        "'__main__', type(__import__('sys'))('__main__')).__dict__)\n";
  int Status;
  if (TheFlavor == Flavor::PyPy) {
    Status = ExecuteSource(Wrapper.c_str());
  } else {
    int State = GilEnsure();
    Status = RunSimpleString(Wrapper.c_str());
    GilRelease(State);
  }
  if (Status != 0) {
    llvm::StringRef FirstLine = Source.ltrim().split('\n').first;
    return fail("Python code raised (traceback on stderr): " + FirstLine +
                (FirstLine.size() < Source.trim().size() ? " ..." : ""));
  }
  return llvm::Error::success();
}

bool EmbeddedPython::cApiReady() const {
  return TheFlavor == Flavor::CPython || __atomic_load_n(PyPyNoneRefcount, __ATOMIC_ACQUIRE) != 0;
}

EmbeddedPython::GilGuard::GilGuard(GilGuard &&Other) noexcept
    : Python(Other.Python), State(Other.State) {
  Other.Python = nullptr;
}

EmbeddedPython::GilGuard::~GilGuard() {
  if (!Python)
    return;
  Python->GilRelease(State);
  --GilGuardsHeld;
}

llvm::Expected<EmbeddedPython::GilGuard> EmbeddedPython::holdGil() const {
  if (!cApiReady())
    return fail("the C API is not ready: run(\"import cpyext\") first");
  int State = GilEnsure();
  ++GilGuardsHeld;
  return GilGuard(*this, State);
}

llvm::Expected<PyObjectPtr> EmbeddedPython::evaluate(llvm::StringRef Expression) {
  static constexpr const char *Slot = "__pysym_value__";
  if (!cApiReady())
    return fail("the C API is not ready: run(\"import cpyext\") first");
  if (auto E = run(std::string(Slot) + " = (\n" + Expression.str() + "\n)\n"))
    return E;
  PyObjectPtr Value = nullptr;
  {
    auto Gil = holdGil();
    if (!Gil)
      return Gil.takeError();
    PyObjectPtr Main = AddModule("__main__");  // borrowed
    if (Main)
      Value = GetAttrString(Main, Slot);
    if (!Value)
      ErrClear();
  }
  if (!Value)
    return fail(llvm::Twine("could not read __main__.") + Slot + " back through the C API");
  // The slot's own reference would keep the value alive behind the caller's back.
  if (auto E = run(std::string("del ") + Slot))
    return E;
  return Value;
}

namespace {

struct ProcessChoice {
  std::once_flag Once;
  EmbeddedPython *Python = nullptr;  // never freed: the interpreter outlives every test
  std::string Error;
  std::string SkipReason;
};

ProcessChoice &processChoice() {
  static ProcessChoice Choice;
  return Choice;
}

void startProcessInterpreter(ProcessChoice &Choice) {
  const char *Name = std::getenv("PYSYM_EMBEDDED_PYTHON");
  if (!Name) {
    Choice.Error = "PYSYM_EMBEDDED_PYTHON is not set: build the test with embedded_cc_test "
                   "(tests/embedded.bzl), or set it to cpython or pypy";
    return;
  }
  std::optional<Flavor> F = parseFlavor(Name);
  if (!F) {
    Choice.Error = std::string("PYSYM_EMBEDDED_PYTHON=") + Name + " names no interpreter (cpython, pypy)";
    return;
  }
  const char *Override = std::getenv("PYSYM_EMBEDDED_LIBRARY");
  std::string Library = Override && *Override ? Override : EmbeddedPython::defaultLibrary(*F).str();
  struct stat Info;
  if (stat(Library.c_str(), &Info) != 0) {
    Choice.SkipReason = toString(*F).str() + " library " + Library + " is absent on this machine";
    return;
  }
  auto Started = EmbeddedPython::start(*F, Library);
  if (!Started) {
    Choice.Error = llvm::toString(Started.takeError());
    return;
  }
  Choice.Python = Started->release();
}

}  // namespace

llvm::Expected<EmbeddedPython *> processInterpreter() {
  ProcessChoice &Choice = processChoice();
  std::call_once(Choice.Once, [&Choice] { startProcessInterpreter(Choice); });
  if (!Choice.Error.empty())
    return makeError(Choice.Error);
  return Choice.Python;
}

std::string processInterpreterSkipReason() { return processChoice().SkipReason; }

}  // namespace pysym::testing
