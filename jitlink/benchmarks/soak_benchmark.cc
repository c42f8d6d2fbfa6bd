// Soak: adds, links, calls and removes thousands of kernels with one Engine
// in one process, and reports whether memory comes back and whether any
// removed symbol stays resolvable (docs/performance.md, "## soak").
//
// Usage: soak_benchmark [--interpreter=cpython|pypy] [--linker=rtdyld|jitlink]
//                       [--placement=own|beside] [--kernels=N] [--probe_every=K]
// Exit status: 0 when every check passes and resident memory after the last
// removal is within 10% of the figure after the first 100 kernels, 1 when
// not, 2 on bad arguments or a setup failure.
//
// Kernel i defines soak_kernel_<i> (returns PyLong_FromLong(x + i), reading
// i from its own global soak_offset_<i>). --placement=own gives each kernel
// its own JITDylib, created and removed with it; --placement=beside adds
// every kernel beside one long-lived anchor module, so one JITDylib sees
// all 10,000 come and go through their resource trackers.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::PyObjectPtr;

struct Options {
  Flavor Interpreter = Flavor::CPython;
  Linker Link = Linker::RuntimeDyld;
  bool Beside = false;
  unsigned Kernels = 10000;
  unsigned ProbeEvery = 10;  // beside only: every K-th removed kernel is probed
};

std::optional<Options> parseOptions(int Argc, char **Argv) {
  Options Parsed;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    llvm::StringRef Value;
    if (Arg.consume_front("--interpreter=")) {
      auto F = testing::parseFlavor(Arg);
      if (!F)
        return std::nullopt;
      Parsed.Interpreter = *F;
    } else if (Arg.consume_front("--linker=")) {
      if (Arg != "rtdyld" && Arg != "jitlink")
        return std::nullopt;
      Parsed.Link = Arg == "jitlink" ? Linker::JITLink : Linker::RuntimeDyld;
    } else if (Arg.consume_front("--placement=")) {
      if (Arg != "own" && Arg != "beside")
        return std::nullopt;
      Parsed.Beside = Arg == "beside";
    } else if (Arg.consume_front("--kernels=")) {
      if (Arg.getAsInteger(10, Parsed.Kernels) || Parsed.Kernels < 100)
        return std::nullopt;
    } else if (Arg.consume_front("--probe_every=")) {
      if (Arg.getAsInteger(10, Parsed.ProbeEvery) || Parsed.ProbeEvery == 0)
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return Parsed;
}

// Memory as the kernel and the allocator see it.
struct Memory {
  std::uint64_t Resident = 0;  // /proc/self/statm's resident pages, in bytes
  std::uint64_t HeapInUse = 0;  // malloc's live bytes (mallinfo2), mmap'd blocks included
};

Memory measure() {
  Memory M;
  std::ifstream Statm("/proc/self/statm");
  std::uint64_t Size = 0, Pages = 0;
  if (Statm >> Size >> Pages)
    M.Resident = Pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  struct mallinfo2 Info = ::mallinfo2();
  M.HeapInUse = Info.uordblks + Info.hblkhd;
  return M;
}

double mib(std::uint64_t Bytes) { return double(Bytes) / (1024.0 * 1024.0); }

std::string kernelName(unsigned I) { return "soak_kernel_" + std::to_string(I); }

std::string kernelIR(unsigned I) {
  const std::string N = std::to_string(I);
  return "declare i8* @PyLong_FromLong(i64)\n"
         "@soak_offset_" + N + " = global i64 " + N + "\n"
         "define i8* @soak_kernel_" + N + "(i64 %x) {\n"
         "  %o = load i64, i64* @soak_offset_" + N + "\n"
         "  %s = add i64 %x, %o\n"
         "  %r = call i8* @PyLong_FromLong(i64 %s)\n"
         "  ret i8* %r\n"
         "}\n";
}

// Calls soak_kernel_<I> and a removed one's name: linking it in the anchor's
// JITDylib succeeds only if that JITDylib still defines the name.
std::string probeIR(unsigned I) {
  const std::string Kernel = kernelName(I);
  return "declare i8* @" + Kernel + "(i64)\n"
         "define i8* @soak_probe(i64 %x) {\n"
         "  %r = call i8* @" + Kernel + "(i64 %x)\n"
         "  ret i8* %r\n"
         "}\n";
}

constexpr const char *AnchorIR = "define i64 @soak_anchor() {\n  ret i64 7\n}\n";

class Soak {
public:
  Soak(const Options &Opts, EmbeddedPython &Python, Engine &Jit)
      : Opts(Opts), Python(Python), Jit(Jit),
        FromLong(Python.api<long(PyObjectPtr)>("PyLong_AsLong")),
        DecRef(Python.api<void(PyObjectPtr)>("Py_DecRef")) {}

  // Runs the whole soak; false after printing the first failure.
  bool run() {
    if (Opts.Beside) {
      auto Anchor = Jit.addIR(AnchorIR, "soak_anchor");
      if (!Anchor)
        return fail("anchor", llvm::toString(Anchor.takeError()));
      this->Anchor = *Anchor;
    }
    const auto Start = std::chrono::steady_clock::now();
    for (unsigned I = 0; I < Opts.Kernels; ++I) {
      if (!cycle(I))
        return false;
      if (I + 1 == 100) {
        After100 = measure();
        TimeAt100 = std::chrono::steady_clock::now();
      }
      if ((I + 1) % 1000 == 0)
        Trend.push_back({I + 1, measure()});
    }
    Final = measure();
    Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    SecondsAfter100 =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - TimeAt100).count();
    // Probes link modules of their own, which the generator remembers as
    // misses: they run after the final measurement so as not to count.
    if (Opts.Beside)
      for (unsigned I = 0; I < Opts.Kernels; I += Opts.ProbeEvery)
        if (!probe(I))
          return false;
    return true;
  }

  void report() const {
    std::printf("soak: LLVM %d, %s, %s, placement %s, %u kernels\n", LLVM_VERSION_MAJOR,
                toString(Opts.Interpreter).str().c_str(), toString(Opts.Link).str().c_str(),
                Opts.Beside ? "beside one anchor module" : "own JITDylib each", Opts.Kernels);
    std::printf("  %-22s %12s %14s\n", "after kernels", "resident MiB", "heap in use MiB");
    std::printf("  %-22u %12.1f %14.1f\n", 100u, mib(After100.Resident), mib(After100.HeapInUse));
    for (const auto &[Count, M] : Trend)
      std::printf("  %-22u %12.1f %14.1f\n", Count, mib(M.Resident), mib(M.HeapInUse));
    const double Growth = 100.0 * (double(Final.Resident) - double(After100.Resident)) /
                          double(After100.Resident);
    const double PerKernel = (double(Final.HeapInUse) - double(After100.HeapInUse)) /
                             double(Opts.Kernels - 100);
    std::printf("  resident after the last removal: %+.1f%% of the after-100 figure "
                "(target within 10%%): %s\n",
                Growth, withinTarget() ? "met" : "NOT met");
    std::printf("  heap in use grows %.0f bytes per kernel after the first 100\n", PerKernel);
    std::printf("  %.2f ms per kernel (add, link, call, remove, checks); %.1f s in all\n",
                1000.0 * SecondsAfter100 / double(Opts.Kernels - 100), Seconds);
    std::printf("  removed kernels resolvable: 0 of %u by handle, 0 of %u by name", Opts.Kernels,
                Opts.Kernels);
    if (Opts.Beside)
      std::printf(", 0 of %u probed in the anchor's JITDylib", Probed);
    std::printf("\n");
  }

  bool withinTarget() const {
    return double(Final.Resident) <= 1.10 * double(After100.Resident);
  }

private:
  bool fail(const std::string &Where, const std::string &Why) {
    std::fprintf(stderr, "soak: %s: %s\n", Where.c_str(), Why.c_str());
    return false;
  }

  // Adds, links, calls and removes kernel I, then checks it is gone.
  bool cycle(unsigned I) {
    const std::string Name = kernelName(I);
    auto Handle = Opts.Beside ? Jit.addIR(kernelIR(I), Name, Anchor) : Jit.addIR(kernelIR(I), Name);
    if (!Handle)
      return fail(Name, llvm::toString(Handle.takeError()));
    auto Address = Jit.lookup(*Handle, Name);
    if (!Address)
      return fail(Name, llvm::toString(Address.takeError()));
    {
      auto Gil = Python.holdGil();
      if (!Gil)
        return fail(Name, llvm::toString(Gil.takeError()));
      auto *Kernel = reinterpret_cast<PyObjectPtr (*)(std::int64_t)>(
          static_cast<std::uintptr_t>(*Address));
      PyObjectPtr Result = Kernel(1000);
      const long Value = Result ? FromLong(Result) : -1;
      if (Result)
        DecRef(Result);
      if (Value != long(1000 + I))
        return fail(Name, "returned " + std::to_string(Value) + ", not " +
                              std::to_string(1000 + I));
    }
    if (auto Err = Jit.remove(*Handle))
      return fail(Name, llvm::toString(std::move(Err)));
    if (auto Again = Jit.lookup(*Handle, Name))
      return fail(Name, "still resolvable through its handle after removal");
    else
      llvm::consumeError(Again.takeError());  // expected: the module was removed
    if (auto ByName = Jit.lookup(Name))
      return fail(Name, "still resolvable by name after removal");
    else
      llvm::consumeError(ByName.takeError());  // expected: no live module defines it
    return true;
  }

  // Links a module beside the anchor that calls removed kernel I: it must
  // fail, naming the kernel as missing.
  bool probe(unsigned I) {
    const std::string Name = kernelName(I);
    auto Probe = Jit.addIR(probeIR(I), "soak_probe", Anchor);
    if (!Probe)
      return fail(Name, "probe: " + llvm::toString(Probe.takeError()));
    auto Linked = Jit.lookup(*Probe, "soak_probe");
    bool NamedMissing = false;
    std::string Why = "linked: the anchor's JITDylib still defines it";
    if (!Linked)
      llvm::handleAllErrors(
          Linked.takeError(),
          [&](const MissingSymbolsError &Missing) {
            for (const Resolution &R : Missing.missing())
              NamedMissing |= R.Name == Name;
            Why = Missing.message();
          },
          [&](const llvm::ErrorInfoBase &Other) { Why = Other.message(); });
    if (auto Err = Jit.remove(*Probe))
      return fail(Name, "probe: " + llvm::toString(std::move(Err)));
    if (!NamedMissing)
      return fail(Name, "probe after removal: " + Why);
    ++Probed;
    return true;
  }

  const Options &Opts;
  EmbeddedPython &Python;
  Engine &Jit;
  long (*FromLong)(PyObjectPtr);
  void (*DecRef)(PyObjectPtr);
  std::optional<ModuleHandle> Anchor;
  Memory After100, Final;
  std::vector<std::pair<unsigned, Memory>> Trend;
  std::chrono::steady_clock::time_point TimeAt100;
  double Seconds = 0, SecondsAfter100 = 0;
  unsigned Probed = 0;
};

int runSoak(int Argc, char **Argv) {
  auto Opts = parseOptions(Argc, Argv);
  if (!Opts) {
    std::fprintf(stderr, "usage: soak_benchmark [--interpreter=cpython|pypy] "
                         "[--linker=rtdyld|jitlink] [--placement=own|beside] [--kernels=N>=100] "
                         "[--probe_every=K]\n");
    return 2;
  }
  auto Python = EmbeddedPython::start(Opts->Interpreter,
                                      EmbeddedPython::defaultLibrary(Opts->Interpreter));
  if (!Python) {
    std::fprintf(stderr, "soak: %s\n", llvm::toString(Python.takeError()).c_str());
    return 2;
  }
  if (Opts->Interpreter == Flavor::PyPy) {
    if (auto Err = (*Python)->run("import cpyext")) {
      std::fprintf(stderr, "soak: %s\n", llvm::toString(std::move(Err)).c_str());
      return 2;
    }
  }
  auto TheResolver = Resolver::forCurrentProcess();
  if (!TheResolver) {
    std::fprintf(stderr, "soak: %s\n", pysym::toString(TheResolver.takeError()).c_str());
    return 2;
  }
  auto Jit = Engine::create(**TheResolver, EngineOptions{2, Opts->Link});
  if (!Jit) {
    std::fprintf(stderr, "soak: %s\n", llvm::toString(Jit.takeError()).c_str());
    return 2;
  }
  Soak Run(*Opts, **Python, **Jit);
  if (!Run.run())
    return 1;
  Run.report();
  return Run.withinTarget() ? 0 : 1;
}

}  // namespace
}  // namespace pysym

// Our own main: //tests:embedded_python brings GoogleTest's gmock_main.
int main(int Argc, char **Argv) { return pysym::runSoak(Argc, Argv); }
