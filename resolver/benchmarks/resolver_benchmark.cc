// Measures the resolver inside an embedded interpreter: its start-up, and
// find/resolve against the dynamic loader's dlsym on the same names, for the
// same addresses, in the same run.
//
// Run (one line): bazel run -c opt //resolver:resolver_benchmark --
//   --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
//   [--interpreter=pypy|cpython] [--interpreter_scope=local|global]
//
// The interpreter (default PyPy, with cpyext started) is loaded RTLD_LOCAL by
// //tests:embedded_python, as an embedding host does. With
// --interpreter_scope=global it is then promoted into the global scope
// (RTLD_NOLOAD | RTLD_GLOBAL), and dlsym(RTLD_DEFAULT) on its own names is
// measured too. Each lookup benchmark looks up its whole name set once per
// iteration; items_per_second counts single lookups.
#include <dlfcn.h>
#include <link.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "llvm/ADT/StringRef.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;

// C-API names that Numba's code generator references (from
// data/numba-capi-names.txt): 41 functions and 9 data objects that both
// CPython 3.11 and PyPy 3.9 export under some name.
constexpr const char *HitNames[] = {
    "PyArg_ParseTuple", "PyArg_UnpackTuple", "PyBool_FromLong", "PyBytes_AsString",
    "PyBytes_FromStringAndSize", "PyComplex_FromDoubles", "PyComplex_RealAsDouble",
    "PyDict_GetItemString", "PyDict_New", "PyDict_SetItemString", "PyErr_Clear", "PyErr_Fetch",
    "PyErr_Format", "PyErr_Occurred", "PyErr_SetString", "PyEval_RestoreThread", "PyEval_SaveThread",
    "PyFloat_AsDouble", "PyFloat_FromDouble", "PyImport_ImportModule", "PyIter_Next", "PyList_Append",
    "PyList_New", "PyList_SetItem", "PyLong_AsLongLong", "PyLong_FromLong", "PyLong_FromSsize_t",
    "PyNumber_Add", "PyNumber_InPlaceMultiply", "PyNumber_TrueDivide", "PyObject_Call",
    "PyObject_CallFunctionObjArgs", "PyObject_GetAttrString", "PyObject_GetIter", "PyObject_IsTrue",
    "PyObject_RichCompare", "PyTuple_New", "PyTuple_Pack", "PyUnicode_AsUTF8AndSize", "Py_DecRef",
    "Py_IncRef", "PyExc_MemoryError", "PyExc_NameError", "PyExc_OverflowError", "PyExc_RuntimeError",
    "PyExc_StopIteration", "PyExc_SystemError", "PyExc_TypeError", "PyExc_ValueError",
    "_Py_NoneStruct",
};

// Appended to each hit to make a Python API name that no image defines.
constexpr llvm::StringLiteral MissSuffix = "_NotExported";

struct Options {
  Flavor Interpreter = Flavor::PyPy;
  bool GlobalScope = false;
};

struct Fixture {
  EmbeddedPython *Python = nullptr;  // never freed: the interpreter outlives the run
  std::unique_ptr<Resolver> Resolve;
  std::vector<std::string> Hits;         // CPython names
  std::vector<std::string> HitTargets;   // the names the interpreter exports for them
  std::vector<std::uint64_t> HitAddresses;
  std::vector<std::string> Misses;
  std::size_t LoadedImages = 0;
  bool LibLLVMLoaded = false;
};

Fixture TheFixture;

int countImages(dl_phdr_info *Info, size_t, void *Data) {
  auto *F = static_cast<Fixture *>(Data);
  ++F->LoadedImages;
  if (Info->dlpi_name && llvm::StringRef(Info->dlpi_name).contains("libLLVM"))
    F->LibLLVMLoaded = true;
  return 0;
}

// Starts the interpreter and gathers the names; "" on success, else why not.
std::string setUp(const Options &Opts) {
  llvm::StringRef Library = EmbeddedPython::defaultLibrary(Opts.Interpreter);
  auto Started = EmbeddedPython::start(Opts.Interpreter, Library);
  if (!Started)
    return llvm::toString(Started.takeError());
  TheFixture.Python = Started->release();
  EmbeddedPython &Py = *TheFixture.Python;
  if (Opts.Interpreter == Flavor::PyPy)
    if (auto E = Py.run("import cpyext"))
      return llvm::toString(std::move(E));
  if (Opts.GlobalScope && !dlopen(Library.str().c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL))
    return "cannot promote " + Library.str() + " to the global scope: " + dlerror();

  auto R = Resolver::forCurrentProcess();
  if (!R)
    return toString(R.takeError());
  TheFixture.Resolve = std::move(*R);
  for (const char *Name : HitNames) {
    // The reference must find the same definition: the name the interpreter
    // exports, through the interpreter's own handle.
    Resolution Found = TheFixture.Resolve->resolve(Name);
    if (Found.Status != ResolutionStatus::Exact && Found.Status != ResolutionStatus::Alias)
      return std::string(Name) + " does not resolve from the interpreter: " + describe(Found);
    void *Loader = dlsym(Py.handle(), Found.Target.c_str());
    if (reinterpret_cast<std::uint64_t>(Loader) != Found.Address)
      return "dlsym(handle, " + Found.Target + ") disagrees with the resolver";
    if (Opts.GlobalScope && dlsym(RTLD_DEFAULT, Found.Target.c_str()) != Loader)
      return "dlsym(RTLD_DEFAULT, " + Found.Target + ") disagrees with the resolver";
    TheFixture.Hits.push_back(Name);
    TheFixture.HitTargets.push_back(Found.Target);
    TheFixture.HitAddresses.push_back(Found.Address);
    std::string Miss = Name + MissSuffix.str();
    if (TheFixture.Resolve->find(Miss).found() || dlsym(RTLD_DEFAULT, Miss.c_str()) ||
        dlsym(Py.handle(), Miss.c_str()))
      return Miss + " is defined somewhere; it was meant to be a miss";
    TheFixture.Misses.push_back(std::move(Miss));
  }
  dl_iterate_phdr(countImages, &TheFixture);
  return "";
}

void addCounters(benchmark::State &State, std::size_t NamesPerIteration) {
  State.SetItemsProcessed(State.iterations() * NamesPerIteration);
}

// --- start-up ---

void BM_ResolverForCurrentProcess(benchmark::State &State) {
  for (auto _ : State) {
    auto R = Resolver::forCurrentProcess();
    if (!R) {
      State.SkipWithError(toString(R.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(R->get());
  }
  State.counters["loaded_images"] = static_cast<double>(TheFixture.LoadedImages);
  State.counters["libLLVM_loaded"] = TheFixture.LibLLVMLoaded ? 1 : 0;
}

// --- hits: every answer is checked against the address found at set-up ---

void BM_FindHits(benchmark::State &State) {
  const Resolver &R = *TheFixture.Resolve;
  const auto &Names = TheFixture.Hits;
  for (auto _ : State)
    for (std::size_t I = 0; I < Names.size(); ++I) {
      FoundSymbol A = R.find(Names[I]);
      benchmark::DoNotOptimize(A);
      if (A.Address != TheFixture.HitAddresses[I]) {
        State.SkipWithError(("find disagrees about " + Names[I]).c_str());
        return;
      }
    }
  addCounters(State, Names.size());
}

void BM_ResolveHits(benchmark::State &State) {
  const Resolver &R = *TheFixture.Resolve;
  const auto &Names = TheFixture.Hits;
  for (auto _ : State)
    for (std::size_t I = 0; I < Names.size(); ++I) {
      Resolution Found = R.resolve(Names[I]);
      benchmark::DoNotOptimize(Found.Address);
      if (Found.Address != TheFixture.HitAddresses[I]) {
        State.SkipWithError(("resolve disagrees about " + Names[I]).c_str());
        return;
      }
    }
  addCounters(State, Names.size());
}

// dlsym on the interpreter's handle, by the names it exports: the only
// loader lookup that reaches an RTLD_LOCAL interpreter.
void BM_DlsymHandleHits(benchmark::State &State) {
  void *Handle = TheFixture.Python->handle();
  const auto &Targets = TheFixture.HitTargets;
  for (auto _ : State)
    for (std::size_t I = 0; I < Targets.size(); ++I) {
      void *Found = dlsym(Handle, Targets[I].c_str());
      benchmark::DoNotOptimize(Found);
      if (reinterpret_cast<std::uint64_t>(Found) != TheFixture.HitAddresses[I]) {
        State.SkipWithError(("dlsym(handle) disagrees about " + Targets[I]).c_str());
        return;
      }
    }
  addCounters(State, Targets.size());
}

// With --interpreter_scope=global only: what a JIT's default generator
// (LLVM's DynamicLibrarySearchGenerator) does when the interpreter is global.
void BM_DlsymDefaultHits(benchmark::State &State) {
  const auto &Targets = TheFixture.HitTargets;
  for (auto _ : State)
    for (std::size_t I = 0; I < Targets.size(); ++I) {
      void *Found = dlsym(RTLD_DEFAULT, Targets[I].c_str());
      benchmark::DoNotOptimize(Found);
      if (reinterpret_cast<std::uint64_t>(Found) != TheFixture.HitAddresses[I]) {
        State.SkipWithError(("dlsym(RTLD_DEFAULT) disagrees about " + Targets[I]).c_str());
        return;
      }
    }
  addCounters(State, Targets.size());
}

// --- misses ---

void BM_FindMisses(benchmark::State &State) {
  const Resolver &R = *TheFixture.Resolve;
  for (auto _ : State)
    for (const std::string &Name : TheFixture.Misses) {
      FoundSymbol A = R.find(Name);
      benchmark::DoNotOptimize(A);
      if (A.found()) {
        State.SkipWithError(("find found " + Name).c_str());
        return;
      }
    }
  addCounters(State, TheFixture.Misses.size());
}

void BM_ResolveMisses(benchmark::State &State) {
  const Resolver &R = *TheFixture.Resolve;
  for (auto _ : State)
    for (const std::string &Name : TheFixture.Misses) {
      Resolution Found = R.resolve(Name);
      benchmark::DoNotOptimize(Found.Address);
      if (Found.found()) {
        State.SkipWithError(("resolve found " + Name).c_str());
        return;
      }
    }
  addCounters(State, TheFixture.Misses.size());
}

// The loader's answer for a name nobody defines: every image of the global
// scope is searched in turn.
void BM_DlsymDefaultMisses(benchmark::State &State) {
  for (auto _ : State)
    for (const std::string &Name : TheFixture.Misses) {
      void *Found = dlsym(RTLD_DEFAULT, Name.c_str());
      benchmark::DoNotOptimize(Found);
      if (Found) {
        State.SkipWithError(("dlsym(RTLD_DEFAULT) found " + Name).c_str());
        return;
      }
    }
  addCounters(State, TheFixture.Misses.size());
}

void registerBenchmarks(const Options &Opts) {
  benchmark::RegisterBenchmark("resolver_for_current_process", BM_ResolverForCurrentProcess)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("find/hits", BM_FindHits);
  benchmark::RegisterBenchmark("resolve/hits", BM_ResolveHits)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("dlsym_handle/hits", BM_DlsymHandleHits);
  if (Opts.GlobalScope)
    benchmark::RegisterBenchmark("dlsym_default/hits", BM_DlsymDefaultHits);
  benchmark::RegisterBenchmark("find/misses", BM_FindMisses);
  benchmark::RegisterBenchmark("resolve/misses", BM_ResolveMisses)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("dlsym_default/misses", BM_DlsymDefaultMisses);
}

// Reads this benchmark's own flags; false, having said why, for anything else.
bool parseOptions(int Argc, char **Argv, Options &Opts) {
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (Arg.consume_front("--interpreter=")) {
      std::optional<Flavor> F = testing::parseFlavor(Arg);
      if (!F) {
        std::fprintf(stderr, "--interpreter=%s: expected pypy or cpython\n", Arg.str().c_str());
        return false;
      }
      Opts.Interpreter = *F;
    } else if (Arg.consume_front("--interpreter_scope=")) {
      if (Arg != "local" && Arg != "global") {
        std::fprintf(stderr, "--interpreter_scope=%s: expected local or global\n", Arg.str().c_str());
        return false;
      }
      Opts.GlobalScope = Arg == "global";
    } else {
      std::fprintf(stderr, "unknown argument %s\n", Argv[I]);
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace pysym

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  pysym::Options Opts;
  if (!pysym::parseOptions(argc, argv, Opts))
    return 2;
  if (std::string Why = pysym::setUp(Opts); !Why.empty()) {
    std::fprintf(stderr, "resolver_benchmark: %s\n", Why.c_str());
    return 1;
  }
  std::fprintf(stderr, "interpreter: %s (%s scope), %zu hits, %zu misses, %zu loaded images%s\n",
               pysym::TheFixture.Resolve->interpreter().ImagePath.c_str(),
               Opts.GlobalScope ? "global" : "local", pysym::TheFixture.Hits.size(),
               pysym::TheFixture.Misses.size(), pysym::TheFixture.LoadedImages,
               pysym::TheFixture.LibLLVMLoaded ? ", libLLVM among them" : "");
  pysym::registerBenchmarks(Opts);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
