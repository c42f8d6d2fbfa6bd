// Measures exposeToProcess inside an embedded PyPy (cpyext started), against
// dlopen of a library of the same names built by the system linker, in the
// same run.
//
// Run: bazel run -c opt //resolver:exposure_benchmark --
//        --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
//
// Exposure happens once per process, so the cold call is timed once, before
// the repeated benchmarks, and printed as two lines: with the resolver cold
// (its first answers create PyPy's data substitutes, which run Python) and
// the exposure itself, with the resolver's answers already made. Run the
// binary several times for their median. The repeated benchmarks take the
// exposure apart:
//   BM_WriteAndLoadObject   write the default set's object to a memfd and
//                           dlopen/dlclose it (RTLD_LOCAL, so it repeats);
//   BM_DlopenLinkerBuilt    dlopen/dlclose the same names as a library that
//                           gcc and ld built (the reference);
//   BM_ExposeAgain          a repeated exposeToProcess of the default set,
//                           which loads nothing: the answers, the checks and
//                           the report.
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pysym/resolver/exposure.h"
#include "pysym/symtab/absolute_object.h"
#include "tests/embedded_python.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;

struct Fixture {
  std::unique_ptr<Resolver> Resolve;
  std::vector<symtab::AbsoluteSymbol> Symbols;  // what the default set exposed
  std::string LinkerBuilt;                     // the reference library's path
};
Fixture TheFixture;

double millisecondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - Start).count();
}

// A shared library defining `Symbols` as absolute symbols, assembled and
// linked by gcc (GNU as and ld), as a system toolchain would build it.
std::string buildWithSystemLinker(const std::vector<symtab::AbsoluteSymbol> &Symbols) {
  const char *Tmp = std::getenv("TMPDIR");
  std::string Base = std::string(Tmp && *Tmp ? Tmp : "/tmp") + "/pysym-exposure-benchmark-" +
                     std::to_string(getpid());
  {
    std::ofstream Assembly(Base + ".s");
    for (const symtab::AbsoluteSymbol &S : Symbols)
      Assembly << ".globl " << S.Name << "\n.type " << S.Name
               << (S.IsData ? ", @object\n" : ", @function\n") << ".set " << S.Name << ", "
               << S.Address << "\n";
  }
  std::string Command = "gcc -shared -nostdlib -Wl,-z,noexecstack -o " + Base + ".so " + Base + ".s";
  if (std::system(Command.c_str()) != 0)
    return "";
  std::remove((Base + ".s").c_str());
  return Base + ".so";
}

bool setUp() {
  auto Python = EmbeddedPython::start(Flavor::PyPy, EmbeddedPython::defaultLibrary(Flavor::PyPy));
  if (!Python) {
    std::fprintf(stderr, "cannot start PyPy: %s\n", llvm::toString(Python.takeError()).c_str());
    return false;
  }
  if (llvm::Error Err = (*Python)->run("import cpyext")) {
    std::fprintf(stderr, "%s\n", llvm::toString(std::move(Err)).c_str());
    return false;
  }
  Python->release();  // the interpreter outlives the run
  auto Start = std::chrono::steady_clock::now();
  auto R = Resolver::forCurrentProcess();
  if (!R) {
    std::fprintf(stderr, "%s\n", pysym::toString(R.takeError()).c_str());
    return false;
  }
  TheFixture.Resolve = std::move(*R);
  const Resolver &Res = *TheFixture.Resolve;
  // The resolver's answers, made once: what a cold call pays beyond exposing.
  for (const std::string &Name : Res.apiNames())
    (void)Res.findUnregistered(Name);
  const double AnswersMs = millisecondsSince(Start);
  auto Report = exposeToProcess(Res);
  if (!Report) {
    std::fprintf(stderr, "%s\n", toString(Report.takeError()).c_str());
    return false;
  }
  std::printf("cold: resolver created and its %zu answers made: %.2f ms\n", Res.apiNames().size(),
              AnswersMs);
  std::printf("cold: exposeToProcess of the default set: %.2f ms, %zu names exposed from %s\n",
              Report->Seconds * 1e3, Report->Added, std::string(toString(Report->Source)).c_str());
  for (const ExposedName &E : Report->Exposed)
    TheFixture.Symbols.push_back({E.Name, E.Address, E.Kind == SymbolKind::Data, 0});
  TheFixture.LinkerBuilt = buildWithSystemLinker(TheFixture.Symbols);
  if (TheFixture.LinkerBuilt.empty()) {
    std::fprintf(stderr, "gcc could not build the reference library\n");
    return false;
  }
  return true;
}

void BM_WriteAndLoadObject(benchmark::State &State) {
  for (auto _ : State) {
    int Fd = memfd_create("pysym-benchmark", MFD_CLOEXEC);
    if (Error Err = symtab::writeAbsoluteObject(Fd, "pysym-benchmark.so", TheFixture.Symbols)) {
      State.SkipWithError(toString(std::move(Err)).c_str());
      close(Fd);
      return;
    }
    void *Handle = dlopen(("/proc/self/fd/" + std::to_string(Fd)).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!Handle) {
      State.SkipWithError(dlerror());
      close(Fd);
      return;
    }
    dlclose(Handle);
    close(Fd);  // after dlclose: glibc no longer knows the path
  }
  State.counters["names"] = static_cast<double>(TheFixture.Symbols.size());
}
BENCHMARK(BM_WriteAndLoadObject)->Unit(benchmark::kMillisecond);

void BM_DlopenLinkerBuilt(benchmark::State &State) {
  for (auto _ : State) {
    void *Handle = dlopen(TheFixture.LinkerBuilt.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!Handle) {
      State.SkipWithError(dlerror());
      return;
    }
    dlclose(Handle);
  }
  State.counters["names"] = static_cast<double>(TheFixture.Symbols.size());
}
BENCHMARK(BM_DlopenLinkerBuilt)->Unit(benchmark::kMillisecond);

void BM_ExposeAgain(benchmark::State &State) {
  for (auto _ : State) {
    auto Report = exposeToProcess(*TheFixture.Resolve);
    if (!Report) {
      State.SkipWithError(toString(Report.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(Report->Exposed.size());
  }
}
BENCHMARK(BM_ExposeAgain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pysym

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (!pysym::setUp())
    return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::remove(pysym::TheFixture.LinkerBuilt.c_str());
  return 0;
}
