// How long linking a kernel that references 50 distinct C-API names takes
// in pysym's engine, kernel after kernel as a JIT links them, and the share
// of that time spent in its generators; the same for LLVM's
// DynamicLibrarySearchGenerator, the reference, in the same run. CPython
// only: LLVM's generator cannot see PyPy's renamed exports. Results:
// docs/performance.md, "## jitlink".
#include <dlfcn.h>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/testing/object_testing.h"
#include "pysym/jitlink/orc_compat.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"

namespace pysym {
namespace {

const char *const Functions[] = {
    "PyLong_FromLong", "PyLong_AsLong", "PyFloat_FromDouble", "PyFloat_AsDouble",
    "PyTuple_New", "PyTuple_Pack", "PyTuple_SetItem", "PyTuple_GetItem", "PyList_New",
    "PyList_Append", "PyList_GetItem", "PyList_SetItem", "PyDict_New", "PyDict_SetItem",
    "PyDict_GetItem", "PyDict_SetItemString", "PyObject_GetAttrString", "PyObject_SetAttrString",
    "PyObject_Call", "PyObject_CallFunctionObjArgs", "PyObject_GetIter", "PyIter_Next",
    "PyNumber_Add", "PyNumber_Subtract", "PyNumber_Multiply", "PyNumber_TrueDivide",
    "PyNumber_Long", "PyNumber_Float", "PyObject_RichCompare", "PyObject_IsTrue", "PyObject_Str",
    "PyObject_Repr", "PyUnicode_FromString", "PyUnicode_AsUTF8", "PyBool_FromLong",
    "PyErr_SetString", "PyErr_Occurred", "PyErr_Clear", "PyErr_Format", "PyErr_NoMemory",
    "Py_IncRef", "Py_DecRef", "PyComplex_FromDoubles", "PyComplex_RealAsDouble",
    "PySequence_Length", "PyObject_GetItem"};
const char *const Data[] = {"_Py_NoneStruct", "_Py_TrueStruct", "PyExc_TypeError",
                            "PyExc_ValueError"};
static_assert(std::size(Functions) + std::size(Data) == 50);

// A kernel that stores the address of every name: the linker must resolve
// all 50 and nothing else.
std::string kernelIR() {
  std::string IR;
  for (const char *Name : Functions)
    IR += "declare void @" + std::string(Name) + "()\n";
  for (const char *Name : Data)
    IR += "@" + std::string(Name) + " = external global i8\n";
  IR += "define void @uses_all(i8** %out) {\n";
  int Slot = 0;
  auto Store = [&](const std::string &Value) {
    const std::string Index = std::to_string(Slot++);
    IR += "  %p" + Index + " = getelementptr i8*, i8** %out, i64 " + Index + "\n";
    IR += "  store i8* " + Value + ", i8** %p" + Index + "\n";
  };
  for (const char *Name : Functions)
    Store("bitcast (void ()* @" + std::string(Name) + " to i8*)");
  for (const char *Name : Data)
    Store("@" + std::string(Name));
  return IR + "  ret void\n}\n";
}

// Forwards to another generator and measures the wall time spent in it, as
// pysym's generator measures its own (PythonSymbolGenerator::statistics).
class TimedGenerator : public llvm::orc::DefinitionGenerator {
public:
  TimedGenerator(std::unique_ptr<llvm::orc::DefinitionGenerator> Inner, double &Seconds)
      : Inner(std::move(Inner)), Seconds(Seconds) {}
  llvm::Error tryToGenerate(llvm::orc::LookupState &LS, llvm::orc::LookupKind K,
                            llvm::orc::JITDylib &JD, llvm::orc::JITDylibLookupFlags Flags,
                            const llvm::orc::SymbolLookupSet &Names) override {
    const auto Start = std::chrono::steady_clock::now();
    llvm::Error Err = Inner->tryToGenerate(LS, K, JD, Flags, Names);
    Seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    return Err;
  }

private:
  std::unique_ptr<llvm::orc::DefinitionGenerator> Inner;
  double &Seconds;
};

struct Setup {
  std::unique_ptr<testing::EmbeddedPython> Python;
  std::unique_ptr<Resolver> TheResolver;
  std::unique_ptr<llvm::orc::LLJIT> Jit;
  std::vector<std::uint8_t> Object;
  std::string Error;
};

Setup &setup() {
  static Setup S = [] {
    Setup Made;
    auto Python = testing::EmbeddedPython::start(
        testing::Flavor::CPython, testing::EmbeddedPython::defaultLibrary(testing::Flavor::CPython));
    if (!Python) {
      Made.Error = llvm::toString(Python.takeError());
      return Made;
    }
    Made.Python = std::move(*Python);
    auto TheResolver = Resolver::forCurrentProcess();
    if (!TheResolver) {
      Made.Error = pysym::toString(TheResolver.takeError());
      return Made;
    }
    Made.TheResolver = std::move(*TheResolver);
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto Jit = llvm::orc::LLJITBuilder().create();  // LLVM 14: RuntimeDyld, large model
    if (!Jit) {
      Made.Error = llvm::toString(Jit.takeError());
      return Made;
    }
    Made.Jit = std::move(*Jit);
    auto Object = testing::compileToObject(kernelIR(), llvm::CodeModel::Large, llvm::Reloc::Static);
    if (!Object) {
      Made.Error = llvm::toString(Object.takeError());
      return Made;
    }
    Made.Object = std::move(*Object);
    return Made;
  }();
  return S;
}

// A JIT's life: one engine (or one LLJIT) per repetition, kernels linked
// into it one after another, each a module of its own, kept while the next
// ones link and removed, untimed, in batches of this many.
constexpr std::size_t ModulesKept = 64;

double threadCpuSeconds() {
  timespec Now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &Now);
  return double(Now.tv_sec) + double(Now.tv_nsec) * 1e-9;
}

// Runs the linked kernel, so the link is known to be whole.
void callKernel(std::uint64_t Address) {
  std::vector<void *> Addresses(50);
  reinterpret_cast<void (*)(void **)>(Address)(Addresses.data());
  benchmark::DoNotOptimize(Addresses.data());
}

// Times the link itself (adding the object and the lookup that links it),
// and reports per link its wall and CPU time, the wall time spent inside
// generators, and that as a percentage of the link's wall time.
class LinkTimes {
public:
  template <typename LinkFn> bool time(LinkFn Link) {
    const auto Start = std::chrono::steady_clock::now();
    const double CpuStart = threadCpuSeconds();
    const bool Linked = Link();
    CpuSeconds += threadCpuSeconds() - CpuStart;
    Seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    return Linked;
  }
  void report(benchmark::State &State, double GeneratorSeconds) const {
    using benchmark::Counter;
    State.counters["link_us"] = Counter(Seconds * 1e6, Counter::kAvgIterations);
    State.counters["link_cpu_us"] = Counter(CpuSeconds * 1e6, Counter::kAvgIterations);
    State.counters["in_generator_us"] = Counter(GeneratorSeconds * 1e6, Counter::kAvgIterations);
    State.counters["generator_share_pct"] = Seconds > 0 ? 100 * GeneratorSeconds / Seconds : 0;
  }

private:
  double Seconds = 0, CpuSeconds = 0;
};

// pysym's engine as a JIT uses it: addObject and lookup per kernel, the
// engine's own JITDylibs and generators, and their time inside
// tryToGenerate as the engine counts it (Engine::generatorStatistics).
void BM_EngineLinksKernels(benchmark::State &State) {
  Setup &S = setup();
  if (!S.Error.empty()) {
    State.SkipWithError(S.Error.c_str());
    return;
  }
  auto Made = Engine::create(*S.TheResolver);  // RuntimeDyld, large model: the object's
  if (!Made) {
    State.SkipWithError(llvm::toString(Made.takeError()).c_str());
    return;
  }
  Engine &E = **Made;
  std::vector<ModuleHandle> Kept;
  LinkTimes Times;
  std::string Error;
  for (auto _ : State) {
    std::uint64_t Kernel = 0;
    const bool Linked = Times.time([&] {
      auto Module = E.addObject(S.Object, "kernel");
      if (!Module) {
        Error = llvm::toString(Module.takeError());
        return false;
      }
      Kept.push_back(*Module);
      auto Address = E.lookup(*Module, "uses_all");
      if (!Address) {
        Error = llvm::toString(Address.takeError());
        return false;
      }
      Kernel = *Address;
      return true;
    });
    if (!Linked) {
      State.SkipWithError(Error.c_str());
      return;
    }
    State.PauseTiming();
    callKernel(Kernel);
    if (Kept.size() == ModulesKept) {
      for (ModuleHandle Module : Kept)
        if (auto Err = E.remove(Module)) {
          State.SkipWithError(llvm::toString(std::move(Err)).c_str());
          return;
        }
      Kept.clear();
    }
    State.ResumeTiming();
  }
  Times.report(State, std::chrono::duration<double>(E.generatorStatistics().Time).count());
}

// The reference: LLVM's DynamicLibrarySearchGenerator on the same LLJIT
// layers (LLJIT's defaults: RuntimeDyld on LLVM 14), each kernel in a
// JITDylib of its own, arranged by \p Arrange: given the kernel's JITDylib,
// the generator and where it is timed, it attaches the generator.
template <typename ArrangeFn> void linkWithLLVMsGenerator(benchmark::State &State, ArrangeFn Arrange) {
  Setup &S = setup();
  if (!S.Error.empty()) {
    State.SkipWithError(S.Error.c_str());
    return;
  }
  auto &ES = S.Jit->getExecutionSession();
  std::vector<llvm::orc::JITDylib *> Kept;
  double GeneratorSeconds = 0;
  LinkTimes Times;
  std::string Error;
  static int Round = 0;
  auto RemoveKept = [&]() -> bool {
    for (llvm::orc::JITDylib *JD : Kept)
      if (auto Err = ES.removeJITDylib(*JD)) {
        Error = llvm::toString(std::move(Err));
        return false;
      }
    Kept.clear();
    return true;
  };
  // Per repetition, as the engine is: for the shared arrangement, its
  // JITDylib and generator.
  auto Timed = [&]() -> llvm::Expected<std::unique_ptr<llvm::orc::DefinitionGenerator>> {
    auto Generator = llvm::orc::DynamicLibrarySearchGenerator::Load(
        testing::EmbeddedPython::defaultLibrary(testing::Flavor::CPython).str().c_str(),
        S.Jit->getDataLayout().getGlobalPrefix());
    if (!Generator)
      return Generator.takeError();
    return std::make_unique<TimedGenerator>(std::move(*Generator), GeneratorSeconds);
  };
  auto Shared = ES.createJITDylib("bench.shared." + std::to_string(Round++));
  if (!Shared) {
    State.SkipWithError(llvm::toString(Shared.takeError()).c_str());
    return;
  }
  for (auto _ : State) {
    State.PauseTiming();
    auto JD = ES.createJITDylib("bench." + std::to_string(Round++));
    if (!JD) {
      State.SkipWithError(llvm::toString(JD.takeError()).c_str());
      return;
    }
    Kept.push_back(&*JD);
    if (auto Err = Arrange(*JD, *Shared, Timed)) {
      State.SkipWithError(llvm::toString(std::move(Err)).c_str());
      return;
    }
    auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::toStringRef(S.Object), "kernel.o");
    State.ResumeTiming();

    std::uint64_t Kernel = 0;
    const bool Linked = Times.time([&] {
      if (auto Err = S.Jit->addObjectFile(*JD, std::move(Buffer))) {
        Error = llvm::toString(std::move(Err));
        return false;
      }
      auto Address = S.Jit->lookup(*JD, "uses_all");
      if (!Address) {
        Error = llvm::toString(Address.takeError());
        return false;
      }
      Kernel = orc_compat::addressOf(*Address);
      return true;
    });
    if (!Linked) {
      State.SkipWithError(Error.c_str());
      return;
    }

    State.PauseTiming();
    callKernel(Kernel);
    if (Kept.size() == ModulesKept && !RemoveKept()) {
      State.SkipWithError(Error.c_str());
      return;
    }
    State.ResumeTiming();
  }
  Times.report(State, GeneratorSeconds);
  if (!RemoveKept())
    return;
  if (auto Err = ES.removeJITDylib(*Shared))
    llvm::consumeError(std::move(Err));  // the benchmark's figures are taken
}

// LLVM's usual arrangement: one generator in a JITDylib that every
// kernel's JITDylib links against, so each name is defined once.
void BM_LLVMGeneratorInOneSharedJITDylib(benchmark::State &State) {
  bool Attached = false;
  linkWithLLVMsGenerator(State, [&](llvm::orc::JITDylib &JD, llvm::orc::JITDylib &Shared,
                                    auto &Timed) -> llvm::Error {
    if (!Attached) {
      auto Generator = Timed();
      if (!Generator)
        return Generator.takeError();
      Shared.addGenerator(std::move(*Generator));
      Attached = true;
    }
    JD.addToLinkOrder(Shared);
    return llvm::Error::success();
  });
}

// A generator in each kernel's JITDylib, so each name is defined per kernel.
void BM_LLVMGeneratorInEachKernelsJITDylib(benchmark::State &State) {
  linkWithLLVMsGenerator(State, [](llvm::orc::JITDylib &JD, llvm::orc::JITDylib &,
                                   auto &Timed) -> llvm::Error {
    auto Generator = Timed();
    if (!Generator)
      return Generator.takeError();
    JD.addGenerator(std::move(*Generator));
    return llvm::Error::success();
  });
}

// The resolver alone: the 50 names, answered as the generator asks.
void BM_ResolverFind50Names(benchmark::State &State) {
  Setup &S = setup();
  if (!S.Error.empty()) {
    State.SkipWithError(S.Error.c_str());
    return;
  }
  for (auto _ : State) {
    for (const char *Name : Functions)
      benchmark::DoNotOptimize(S.TheResolver->find(Name));
    for (const char *Name : Data)
      benchmark::DoNotOptimize(S.TheResolver->find(Name));
  }
}

// Repetitions come from the command line (docs/performance.md).
BENCHMARK(BM_EngineLinksKernels)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LLVMGeneratorInOneSharedJITDylib)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LLVMGeneratorInEachKernelsJITDylib)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ResolverFind50Names)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pysym

// Our own main: //tests:embedded_python brings GoogleTest's gmock_main,
// whose main would otherwise run (no tests) instead of the benchmarks.
int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
