// How long linking a kernel that references 50 distinct C-API names takes
// with pysym's generator and with LLVM's DynamicLibrarySearchGenerator, and
// pysym's share of that time. CPython only: LLVM's generator cannot see
// PyPy's renamed exports. Results: docs/performance.md, "## jitlink".
#include <dlfcn.h>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pysym/jitlink/testing/object_testing.h"
#include "pysym/jitlink/orc_compat.h"
#include "pysym/jitlink/python_symbol_generator.h"
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

// Forwards to another generator and measures the time spent in it, so both
// generators are timed the same way (pysym's own statistics agree).
class TimedGenerator : public llvm::orc::DefinitionGenerator {
public:
  TimedGenerator(std::unique_ptr<llvm::orc::DefinitionGenerator> Inner, double &Seconds,
                 double &CpuSeconds)
      : Inner(std::move(Inner)), Seconds(Seconds), CpuSeconds(CpuSeconds) {}
  llvm::Error tryToGenerate(llvm::orc::LookupState &LS, llvm::orc::LookupKind K,
                            llvm::orc::JITDylib &JD, llvm::orc::JITDylibLookupFlags Flags,
                            const llvm::orc::SymbolLookupSet &Names) override {
    const auto Start = std::chrono::steady_clock::now();
    const double CpuStart = threadCpuSeconds();
    llvm::Error Err = Inner->tryToGenerate(LS, K, JD, Flags, Names);
    CpuSeconds += threadCpuSeconds() - CpuStart;
    Seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    return Err;
  }

private:
  static double threadCpuSeconds() {
    timespec Now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &Now);
    return double(Now.tv_sec) + double(Now.tv_nsec) * 1e-9;
  }
  std::unique_ptr<llvm::orc::DefinitionGenerator> Inner;
  double &Seconds, &CpuSeconds;
};

struct Setup {
  std::unique_ptr<testing::EmbeddedPython> Python;
  std::unique_ptr<Resolver> Names;
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
    auto Names = Resolver::forCurrentProcess();
    if (!Names) {
      Made.Error = pysym::toString(Names.takeError());
      return Made;
    }
    Made.Names = std::move(*Names);
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

// Links the kernel into a fresh JITDylib served by the generator `Make`
// returns, timing only the link (adding the object and looking it up), and
// reports the average time per link spent inside the generator.
template <typename MakeFn> void linkKernel(benchmark::State &State, MakeFn Make) {
  Setup &S = setup();
  if (!S.Error.empty()) {
    State.SkipWithError(S.Error.c_str());
    return;
  }
  auto &ES = S.Jit->getExecutionSession();
  std::vector<void *> Addresses(50);
  double GeneratorSeconds = 0, GeneratorCpuSeconds = 0, ResolverSeconds = 0;
  int Round = 0;
  for (auto _ : State) {
    State.PauseTiming();
    auto JD = ES.createJITDylib("bench" + std::to_string(Round++));
    if (!JD) {
      State.SkipWithError(llvm::toString(JD.takeError()).c_str());
      return;
    }
    auto Generator = Make();
    if (!Generator) {
      State.SkipWithError(llvm::toString(Generator.takeError()).c_str());
      return;
    }
    auto *Pysym = dynamic_cast<PythonSymbolGenerator *>(Generator->get());
    JD->addGenerator(std::make_unique<TimedGenerator>(std::move(*Generator), GeneratorSeconds,
                                                     GeneratorCpuSeconds));
    auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::toStringRef(S.Object), "kernel.o");
    State.ResumeTiming();

    if (auto Err = S.Jit->addObjectFile(*JD, std::move(Buffer))) {
      State.SkipWithError(llvm::toString(std::move(Err)).c_str());
      return;
    }
    auto Kernel = S.Jit->lookup(*JD, "uses_all");
    if (!Kernel) {
      State.SkipWithError(llvm::toString(Kernel.takeError()).c_str());
      return;
    }

    State.PauseTiming();
    if (Pysym)
      ResolverSeconds += std::chrono::duration<double>(Pysym->statistics().ResolveTime).count();
    reinterpret_cast<void (*)(void **)>(orc_compat::addressOf(*Kernel))(Addresses.data());
    benchmark::DoNotOptimize(Addresses.data());
    if (auto Err = ES.removeJITDylib(*JD)) {
      State.SkipWithError(llvm::toString(std::move(Err)).c_str());
      return;
    }
    State.ResumeTiming();
  }
  State.counters["in_generator_us"] =
      benchmark::Counter(GeneratorSeconds * 1e6, benchmark::Counter::kAvgIterations);
  State.counters["in_generator_cpu_us"] =
      benchmark::Counter(GeneratorCpuSeconds * 1e6, benchmark::Counter::kAvgIterations);
  State.counters["in_resolver_us"] =
      benchmark::Counter(ResolverSeconds * 1e6, benchmark::Counter::kAvgIterations);
}

void BM_LinkWithPysymGenerator(benchmark::State &State) {
  linkKernel(State, []() -> llvm::Expected<std::unique_ptr<llvm::orc::DefinitionGenerator>> {
    return PythonSymbolGenerator::create(*setup().Names, setup().Jit->getDataLayout());
  });
}

void BM_LinkWithDynamicLibrarySearchGenerator(benchmark::State &State) {
  // LLVM's generator searches a library it loads itself (getPermanentLibrary
  // dlopens it again), so it sees the RTLD_LOCAL libpython by path.
  const std::string Library =
      testing::EmbeddedPython::defaultLibrary(testing::Flavor::CPython).str();
  linkKernel(State, [&]() -> llvm::Expected<std::unique_ptr<llvm::orc::DefinitionGenerator>> {
    auto Generator = llvm::orc::DynamicLibrarySearchGenerator::Load(
        Library.c_str(), setup().Jit->getDataLayout().getGlobalPrefix());
    if (!Generator)
      return Generator.takeError();
    return std::unique_ptr<llvm::orc::DefinitionGenerator>(std::move(*Generator));
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
      benchmark::DoNotOptimize(S.Names->find(Name));
    for (const char *Name : Data)
      benchmark::DoNotOptimize(S.Names->find(Name));
  }
}

// Repetitions come from the command line (docs/performance.md).
BENCHMARK(BM_LinkWithPysymGenerator)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LinkWithDynamicLibrarySearchGenerator)->Unit(benchmark::kMicrosecond);
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
