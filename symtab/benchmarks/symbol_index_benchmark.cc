// Measures SymbolIndex against the loader's own lookup, dlsym, on the same
// names in the same run, with PyPy's libpypy3.9-c.so loaded RTLD_LOCAL.
//
// Run (one line): bazel run -c opt //symtab/benchmarks:symbol_index_benchmark --
//   --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
// Each lookup benchmark looks up its whole name set once per iteration; its
// items_per_second counts single lookups.
#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pysym/support/text.h"
#include "pysym/symtab/symbol_index.h"

namespace pysym::symtab {
namespace {

constexpr const char *PyPyLibrary = "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
constexpr std::size_t NamesPerSet = 50;

// `Count` entries spread evenly over `From`, so a set samples the whole table
// rather than its first (often alphabetically clustered) entries.
std::vector<std::string> spread(const std::vector<std::string> &From, std::size_t Count) {
  std::vector<std::string> Result;
  for (std::size_t I = 0; I < Count && I < From.size(); ++I)
    Result.push_back(From[I * From.size() / Count]);
  return Result;
}

struct Fixture {
  std::string Error;  // why the benchmarks cannot run, or empty
  LoadedImage PyPyImage;
  void *PyPyHandle = nullptr;
  std::unique_ptr<SymbolIndex> ProcessIndex;  // every loaded image, PyPy included
  // PyPy's own names: only the index (or dlsym on PyPy's handle) finds them.
  std::vector<std::string> PyPyHits;
  // libc and libm functions that dlsym(RTLD_DEFAULT) finds, where the index's
  // first definition is the one dlsym returns.
  std::vector<std::string> GlobalHits;
  // CPython's spellings of PyPy's names (PyLong_FromLong for
  // PyPyLong_FromLong): defined by no image here, as a resolver meets them.
  std::vector<std::string> Misses;
};

// The last component of `Path`, as the loader's names end.
std::string fileName(const std::string &Path) { return std::filesystem::path(Path).filename().string(); }

std::vector<std::string> globalHitsFrom(const SymbolIndex &Index, std::string_view FileName) {
  std::vector<std::string> Candidates;
  for (std::size_t ImageIndex = 0; ImageIndex < Index.images().size(); ++ImageIndex) {
    const LoadedImage &Image = Index.images()[ImageIndex];
    if (fileName(Image.Path) != FileName)
      continue;
    auto Symbols = definedDynamicSymbols(Image);
    if (!Symbols) {
      // The index was built from this image, so it read once; give up on it.
      pysym::consumeError(Symbols.takeError());
      return {};
    }
    for (const ImageSymbol &Symbol : *Symbols) {
      // dlsym runs an IFUNC's resolver on every call: not a lookup cost.
      if (Symbol.Type != SymbolType::Function || (!Symbol.Version.empty() && !Symbol.VersionIsDefault))
        continue;
      std::string Name = std::string(Symbol.Name);
      Span<IndexedSymbol> Found = Index.lookup(Name);
      void *Loader = dlsym(RTLD_DEFAULT, Name.c_str());
      if (!Found.empty() && Loader != nullptr &&
          Found.front().Symbol.Address == reinterpret_cast<std::uintptr_t>(Loader))
        Candidates.push_back(std::move(Name));
    }
  }
  return spread(Candidates, NamesPerSet / 2);
}

Fixture makeFixture() {
  Fixture F;
  F.PyPyHandle = dlopen(PyPyLibrary, RTLD_NOW | RTLD_LOCAL);
  if (F.PyPyHandle == nullptr) {
    F.Error = std::string("cannot load ") + PyPyLibrary + ": " + dlerror();
    return F;
  }
  auto Index = SymbolIndex::build(loadedImages());
  if (!Index) {
    F.Error = pysym::toString(Index.takeError());
    return F;
  }
  F.ProcessIndex = std::move(*Index);
  for (const LoadedImage &Image : F.ProcessIndex->images())
    if (fileName(Image.Path) == fileName(PyPyLibrary))
      F.PyPyImage = Image;
  auto PyPySymbols = definedDynamicSymbols(F.PyPyImage);
  if (!PyPySymbols) {
    F.Error = pysym::toString(PyPySymbols.takeError());
    return F;
  }
  std::vector<std::string> PyPyNames, CPythonMisses;
  for (const ImageSymbol &Symbol : *PyPySymbols) {
    if (!startsWith(Symbol.Name, "PyPy"))
      continue;
    PyPyNames.push_back(std::string(Symbol.Name));
    std::string CPythonName = "Py" + std::string(Symbol.Name.substr(4));
    if (F.ProcessIndex->lookup(CPythonName).empty() && dlsym(RTLD_DEFAULT, CPythonName.c_str()) == nullptr)
      CPythonMisses.push_back(CPythonName);
  }
  F.PyPyHits = spread(PyPyNames, NamesPerSet);
  F.Misses = spread(CPythonMisses, NamesPerSet);
  F.GlobalHits = globalHitsFrom(*F.ProcessIndex, "libc.so.6");
  for (std::string &Name : globalHitsFrom(*F.ProcessIndex, "libm.so.6"))
    F.GlobalHits.push_back(std::move(Name));
  if (F.PyPyHits.size() != NamesPerSet || F.Misses.size() != NamesPerSet ||
      F.GlobalHits.size() != NamesPerSet)
    F.Error = "could not gather " + std::to_string(NamesPerSet) + " names of each kind";
  return F;
}

const Fixture &fixture() {
  static const Fixture F = makeFixture();
  return F;
}

bool ready(benchmark::State &State) {
  if (fixture().Error.empty())
    return true;
  State.SkipWithError(fixture().Error.c_str());
  return false;
}

void BM_BuildIndexOfPyPyImage(benchmark::State &State) {
  if (!ready(State))
    return;
  std::size_t Symbols = 0;
  for (auto _ : State) {
    auto Index = SymbolIndex::build({fixture().PyPyImage});
    if (!Index) {
      State.SkipWithError(pysym::toString(Index.takeError()).c_str());
      return;
    }
    Symbols = (*Index)->definitions().size();
    benchmark::DoNotOptimize(Index);
  }
  State.counters["symbols"] = static_cast<double>(Symbols);
}
BENCHMARK(BM_BuildIndexOfPyPyImage)->Unit(benchmark::kMicrosecond);

// For scale: the index a resolver in this process would build.
void BM_BuildIndexOfAllImages(benchmark::State &State) {
  if (!ready(State))
    return;
  std::vector<LoadedImage> Images = fixture().ProcessIndex->images();
  for (auto _ : State) {
    auto Index = SymbolIndex::build(Images);
    if (!Index) {
      State.SkipWithError(pysym::toString(Index.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize(Index);
  }
  State.counters["symbols"] = static_cast<double>(fixture().ProcessIndex->definitions().size());
  State.counters["images"] = static_cast<double>(Images.size());
}
BENCHMARK(BM_BuildIndexOfAllImages)->Unit(benchmark::kMillisecond);

using NameSet = std::vector<std::string> Fixture::*;

void BM_IndexLookup(benchmark::State &State, NameSet Names, bool ExpectFound) {
  if (!ready(State))
    return;
  const SymbolIndex &Index = *fixture().ProcessIndex;
  const std::vector<std::string> &Set = fixture().*Names;
  for (auto _ : State)
    for (const std::string &Name : Set) {
      Span<IndexedSymbol> Found = Index.lookup(Name);
      benchmark::DoNotOptimize(Found.data());
      if (Found.empty() == ExpectFound) {
        State.SkipWithError(("index lookup disagrees about " + Name).c_str());
        return;
      }
    }
  State.SetItemsProcessed(State.iterations() * Set.size());
}

void BM_DlsymDefault(benchmark::State &State, NameSet Names, bool ExpectFound) {
  if (!ready(State))
    return;
  const std::vector<std::string> &Set = fixture().*Names;
  for (auto _ : State)
    for (const std::string &Name : Set) {
      void *Found = dlsym(RTLD_DEFAULT, Name.c_str());
      benchmark::DoNotOptimize(Found);
      if ((Found == nullptr) == ExpectFound) {
        State.SkipWithError(("dlsym disagrees about " + Name).c_str());
        return;
      }
    }
  State.SetItemsProcessed(State.iterations() * Set.size());
}

// The only loader lookup that reaches an RTLD_LOCAL image's names.
void BM_DlsymPyPyHandle(benchmark::State &State) {
  if (!ready(State))
    return;
  for (auto _ : State)
    for (const std::string &Name : fixture().PyPyHits)
      benchmark::DoNotOptimize(dlsym(fixture().PyPyHandle, Name.c_str()));
  State.SetItemsProcessed(State.iterations() * fixture().PyPyHits.size());
}

BENCHMARK_CAPTURE(BM_IndexLookup, pypy_hits, &Fixture::PyPyHits, true);
BENCHMARK(BM_DlsymPyPyHandle);
BENCHMARK_CAPTURE(BM_IndexLookup, global_hits, &Fixture::GlobalHits, true);
BENCHMARK_CAPTURE(BM_DlsymDefault, global_hits, &Fixture::GlobalHits, true);
BENCHMARK_CAPTURE(BM_IndexLookup, misses, &Fixture::Misses, false);
BENCHMARK_CAPTURE(BM_DlsymDefault, misses, &Fixture::Misses, false);

}  // namespace
}  // namespace pysym::symtab
