// The resolver inside a real embedded interpreter (CPython or PyPy, chosen by
// the test target), loaded RTLD_LOCAL as an embedding host would.
//
// Test order matters for PyPy: cpyext starts once and never stops, so the
// first test checks the state before it starts, and StartCpyext starts it.
#include "pysym/resolver/resolver.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"
#include "tests/stress.h"
#include "third_party/llvm/compat.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::failedWith;
using testing::succeeded;
using testing::Flavor;

bool isPyPy(const EmbeddedPython &Py) { return Py.flavor() == Flavor::PyPy; }

// What the interpreter itself exports for a CPython name, by PyPy's renaming
// when it is PyPy: the reference the resolver must agree with.
std::uint64_t exported(const EmbeddedPython &Py, llvm::StringRef CPythonName) {
  return reinterpret_cast<std::uint64_t>(Py.apiSymbol(CPythonName));
}

std::unique_ptr<Resolver> makeResolver() {
  auto R = Resolver::forCurrentProcess();
  EXPECT_TRUE(succeeded(R));
  return R ? std::move(*R) : nullptr;
}

bool triedMentions(const Resolution &R, llvm::StringRef Text) {
  for (const std::string &Attempt : R.Tried)
    if (llvm::StringRef(Attempt).contains(Text))
      return true;
  return false;
}

TEST(Resolver, DataIsRefusedUntilTheInterpreterInitialisesIt) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  Resolution None = R->resolve("_Py_NoneStruct");
  if (!isPyPy(*Py)) {
    EXPECT_EQ(None.Status, ResolutionStatus::Exact);
    return;
  }
  ASSERT_FALSE(Py->cApiReady()) << "cpyext started before this test; it must run first";
  EXPECT_FALSE(R->interpreter().ApiDataReady);
  EXPECT_EQ(None.Status, ResolutionStatus::Missing);
  EXPECT_EQ(None.Address, 0u);
  EXPECT_TRUE(llvm::StringRef(None.Note).contains("import cpyext")) << None.Note;
  // Functions are callable before cpyext starts; only data waits.
  EXPECT_EQ(R->resolve("PyLong_FromLong").Status, ResolutionStatus::Alias);
}

TEST(Resolver, StartCpyext) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  if (isPyPy(*Py)) {
    ASSERT_TRUE(succeeded(Py->run("import cpyext")));
  }
  EXPECT_TRUE(Py->cApiReady());
}

TEST(Resolver, FindsTheInterpreterLoadedLocally) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  // The point of pysym: the global scope cannot see the embedded interpreter.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, isPyPy(*Py) ? "PyPyLong_FromLong" : "PyLong_FromLong"), nullptr);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const InterpreterInfo &Info = R->interpreter();
  EXPECT_EQ(Info.Implementation, isPyPy(*Py) ? "pypy" : "cpython");
  EXPECT_EQ(Info.ImagePath, Py->library().str());
  EXPECT_EQ(llvm::StringRef(Info.Version).take_front(4), isPyPy(*Py) ? "3.9." : "3.11") << Info.Version;
  EXPECT_TRUE(llvm_compat::startsWith(Info.FullVersion, Info.Version));
  if (isPyPy(*Py)) {
    EXPECT_TRUE(llvm::StringRef(Info.FullVersion).contains("PyPy 7.3")) << Info.FullVersion;
  }
  EXPECT_FALSE(Info.Debug);
  EXPECT_TRUE(Info.ApiDataReady);
}

TEST(Resolver, FunctionsResolveToWhatTheInterpreterExports) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  for (llvm::StringRef Name : {"PyLong_FromLong", "Py_IncRef", "PyTuple_Pack", "PyErr_SetString"}) {
    Resolution Res = R->resolve(Name);
    EXPECT_EQ(Res.Status, isPyPy(*Py) ? ResolutionStatus::Alias : ResolutionStatus::Exact) << describe(Res);
    EXPECT_EQ(Res.Address, exported(*Py, Name)) << describe(Res);
    EXPECT_NE(Res.Address, 0u);
    EXPECT_EQ(Res.Kind, SymbolKind::Function);
    EXPECT_EQ(Res.Target, isPyPy(*Py) ? EmbeddedPython::pypyName(Name) : Name.str());
    EXPECT_EQ(Res.Image, Py->library().str());
    FoundSymbol Quick = R->find(Name);
    EXPECT_EQ(Quick.Address, Res.Address);
    EXPECT_EQ(Quick.Status, Res.Status);
  }
}

TEST(Resolver, DataResolvesToTheObjectOrCellTheInterpreterExports) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_TRUE(Py->cApiReady());
  auto R = makeResolver();
  ASSERT_TRUE(R);
  for (llvm::StringRef Name : {"_Py_NoneStruct", "_Py_TrueStruct", "PyExc_TypeError", "PyExc_ValueError"}) {
    Resolution Res = R->resolve(Name);
    ASSERT_TRUE(Res.found()) << describe(Res);
    EXPECT_EQ(Res.Kind, SymbolKind::Data) << describe(Res);
    EXPECT_EQ(Res.Address, exported(*Py, Name)) << describe(Res);
  }
  // PyExc_X stays ABI-true: a cell holding the class, not the class itself.
  auto Cell = reinterpret_cast<void *const *>(R->resolve("PyExc_ValueError").Address);
  auto Class = Py->evaluate("ValueError");
  ASSERT_TRUE(succeeded(Class));
  EXPECT_EQ(*Cell, *Class);
  auto Gil = Py->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Py->api<void(void *)>("Py_DecRef")(*Class);
}

TEST(Resolver, SubstitutesFillInOnlyWhatTheInterpreterLacks) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  // Exported by CPython, absent from PyPy.
  for (llvm::StringRef Name : {"_Py_c_pow", "_Py_c_quot", "_PyDict_NewPresized"}) {
    Resolution Res = R->resolve(Name);
    EXPECT_EQ(Res.Status, isPyPy(*Py) ? ResolutionStatus::Substitute : ResolutionStatus::Exact) << describe(Res);
    EXPECT_NE(Res.Address, 0u);
    EXPECT_EQ(Res.Kind, SymbolKind::Function);
  }
  // A real function on CPython; PyPy's headers make it a no-op macro.
  Resolution Untrack = R->resolve("PyObject_GC_UnTrack");
  EXPECT_EQ(Untrack.Status, isPyPy(*Py) ? ResolutionStatus::Substitute : ResolutionStatus::Exact)
      << describe(Untrack);
  if (isPyPy(*Py)) {
    EXPECT_TRUE(llvm::StringRef(Untrack.Note).contains("pypy3.9")) << Untrack.Note;
  }
  // Macros on both: only pysym defines them as functions.
  for (llvm::StringRef Name : {"Py_IS_NAN", "PyExceptionInstance_Check"}) {
    Resolution Res = R->resolve(Name);
    EXPECT_EQ(Res.Status, ResolutionStatus::Substitute) << describe(Res);
    EXPECT_FALSE(Res.Note.empty()) << "a substitute names its semantic source";
  }
}

TEST(Resolver, MissingNamesSayWhatWasTried) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  Resolution Res = R->resolve("PyNoSuch_Function");
  EXPECT_EQ(Res.Status, ResolutionStatus::Missing);
  EXPECT_EQ(Res.Address, 0u);
  EXPECT_TRUE(triedMentions(Res, "exact PyNoSuch_Function in " + Py->library().str()));
  if (isPyPy(*Py)) {
    EXPECT_TRUE(triedMentions(Res, "alias PyPyNoSuch_Function")) << describe(Res);
  }
  EXPECT_TRUE(triedMentions(Res, "substitute"));
  EXPECT_TRUE(triedMentions(Res, "not searched")) << describe(Res);
  EXPECT_FALSE(R->find("PyNoSuch_Function").found());

  Resolution NotApi = R->resolve("no_such_symbol_anywhere");
  EXPECT_EQ(NotApi.Status, ResolutionStatus::Missing);
  EXPECT_TRUE(triedMentions(NotApi, "other loaded images: not defined")) << describe(NotApi);
}

TEST(Resolver, BadNamesAreMissingWithTheReason) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  Resolution Empty = R->resolve("");
  EXPECT_EQ(Empty.Status, ResolutionStatus::Missing);
  EXPECT_EQ(Empty.Note, "the name is empty");
  Resolution Nul = R->resolve(llvm::StringRef("PyLong_FromLong\0x", 17));
  EXPECT_EQ(Nul.Status, ResolutionStatus::Missing);
  EXPECT_EQ(Nul.Note, "the name contains a NUL byte at offset 15");
}

TEST(Resolver, SystemNamesComeFromOtherImagesAsTheLoaderWouldBindThem) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  // memcpy and strlen are IFUNCs: the address is the implementation the
  // loader selected for this CPU, which is what dlsym returns.
  for (const char *Name : {"memcpy", "strlen", "printf"}) {
    Resolution Res = R->resolve(Name);
    EXPECT_EQ(Res.Status, ResolutionStatus::System) << describe(Res);
    EXPECT_EQ(Res.Address, reinterpret_cast<std::uint64_t>(dlsym(RTLD_DEFAULT, Name)));
    EXPECT_EQ(Res.Kind, SymbolKind::Function);
    // The image the loader binds the name to: libc.so, unless another image
    // interposes it, as a sanitizer's runtime does (--config=asan).
    Dl_info Info;
    ASSERT_NE(dladdr(dlsym(RTLD_DEFAULT, Name), &Info), 0) << Name;
    EXPECT_EQ(Res.Image, Info.dli_fname) << Name;
  }
}

TEST(Resolver, RegisteredSymbolsComeFirst) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  static int Helper = 0, Other = 0;
  auto At = [](int &X) { return reinterpret_cast<std::uint64_t>(&X); };
  ASSERT_TRUE(succeeded(R->addSymbol("numba_helper", At(Helper), SymbolKind::Data)));
  Resolution Res = R->resolve("numba_helper");
  EXPECT_EQ(Res.Status, ResolutionStatus::Registered);
  EXPECT_EQ(Res.Address, At(Helper));
  EXPECT_EQ(Res.Kind, SymbolKind::Data);
  // Registering again replaces the address, as llvmlite's add_symbol does.
  ASSERT_TRUE(succeeded(R->addSymbol("numba_helper", At(Other), SymbolKind::Data)));
  EXPECT_EQ(R->resolve("numba_helper").Address, At(Other));
  EXPECT_TRUE(R->removeSymbol("numba_helper"));
  EXPECT_FALSE(R->removeSymbol("numba_helper"));
  EXPECT_EQ(R->resolve("numba_helper").Status, ResolutionStatus::Missing);
}

TEST(Resolver, RegistrationRejectsBadInput) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  static int X = 0;
  auto Addr = reinterpret_cast<std::uint64_t>(&X);
  EXPECT_TRUE(failedWith(R->addSymbol("", Addr), "cannot register a symbol: the name is empty"));
  EXPECT_TRUE(failedWith(R->addSymbol(llvm::StringRef("a\0b", 3), Addr), "cannot register a symbol: the name contains a NUL byte at offset 1"));
  EXPECT_TRUE(failedWith(R->addSymbol("helper", 0), "cannot register helper at address 0"));
  EXPECT_TRUE(failedWith(R->addObjectSymbol("obj", nullptr), "cannot register obj: the object is null"));
}

TEST(Resolver, InterpreterSymbolsAreReplacedOnlyWhenAskedExplicitly) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  static int Fake = 0;
  auto Addr = reinterpret_cast<std::uint64_t>(&Fake);
  llvm::StringRef Exported = isPyPy(*Py) ? "PyPyLong_FromLong" : "PyLong_FromLong";
  EXPECT_TRUE(failedWith(R->addSymbol(Exported, Addr), "the interpreter " + Py->library().str() + " exports it"));
  EXPECT_EQ(R->resolve(Exported).Address, exported(*Py, "PyLong_FromLong"));
  ASSERT_TRUE(succeeded(R->addSymbol(Exported, Addr, SymbolKind::Function, /*AllowOverride=*/true)));
  EXPECT_EQ(R->resolve(Exported).Status, ResolutionStatus::Registered);
  EXPECT_EQ(R->resolve(Exported).Address, Addr);
  // A name the interpreter exports only under an alias is protected too.
  if (isPyPy(*Py)) {
    EXPECT_TRUE(failedWith(R->addSymbol("PyTuple_New", Addr), "the interpreter"));
    EXPECT_EQ(R->resolve("PyTuple_New").Status, ResolutionStatus::Alias);
  }
}

TEST(Resolver, ObjectSymbolsAreTheObjectItselfAndKeepItAlive) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_TRUE(Py->cApiReady());
  auto R = makeResolver();
  ASSERT_TRUE(R);
  // A weak reference watches the object's life; sys.getrefcount is CPython's.
  ASSERT_TRUE(succeeded(Py->run("import gc, weakref\n"
                                "class Kept: pass\n"
                                "kept = Kept()\n"
                                "watch = weakref.ref(kept)")));
  auto Kept = Py->evaluate("kept");
  ASSERT_TRUE(succeeded(Kept));
  {
    auto Gil = Py->holdGil();
    ASSERT_TRUE(succeeded(Gil));
    ASSERT_TRUE(succeeded(R->addObjectSymbol("my_object", *Kept)));
    Py->api<void(void *)>("Py_DecRef")(*Kept);  // the resolver holds its own reference
  }
  Resolution Res = R->resolve("my_object");
  EXPECT_EQ(Res.Status, ResolutionStatus::Registered);
  EXPECT_EQ(Res.Kind, SymbolKind::Data);
  EXPECT_EQ(Res.Address, reinterpret_cast<std::uint64_t>(*Kept));
  ASSERT_TRUE(succeeded(Py->run("del kept\nfor _ in range(3): gc.collect()\n"
                                "assert watch() is not None, 'the registration did not keep it alive'")));
  {
    auto Gil = Py->holdGil();
    ASSERT_TRUE(succeeded(Gil));
    EXPECT_TRUE(R->removeSymbol("my_object"));
  }
  ASSERT_TRUE(succeeded(Py->run("for _ in range(3): gc.collect()\n"
                                "assert watch() is None, 'removing the registration did not release it'")));
}

TEST(Resolver, ApiNamesAreExactlyTheApiThatResolvesWithoutRegistration) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  std::vector<std::string> Names = R->apiNames();
  ASSERT_TRUE(std::is_sorted(Names.begin(), Names.end()));
  ASSERT_EQ(std::adjacent_find(Names.begin(), Names.end()), Names.end()) << "duplicates";
  auto Has = [&](llvm::StringRef Name) { return std::binary_search(Names.begin(), Names.end(), Name.str()); };
  // Functions and data under CPython's names, and macros only pysym defines.
  for (llvm::StringRef Name : {"PyLong_FromLong", "_Py_NoneStruct", "PyExc_ValueError", "Py_IS_NAN",
                               "PyExceptionInstance_Check"})
    EXPECT_TRUE(Has(Name)) << Name.str();
  // The interpreter's own spellings too; never a name that is not Python API.
  EXPECT_EQ(Has("PyPyLong_FromLong"), isPyPy(*Py));
  EXPECT_TRUE(Has("_Py_c_pow")) << "exported by CPython, substituted on PyPy";
  EXPECT_FALSE(Has("memcpy"));
  EXPECT_FALSE(Has("PyNoSuch_Function"));
  std::map<ResolutionStatus, unsigned> ByStatus;
  for (const std::string &Name : Names) {
    FoundSymbol A = R->find(Name);
    ++ByStatus[A.Status];
    if (A.Status == ResolutionStatus::Missing) {
      // Only a data substitute may fail, when its recipe does (PyPy 3.9 has
      // no class for 3.11's PyExc_EncodingWarning).
      Resolution Why = R->resolve(Name);
      EXPECT_TRUE(llvm::StringRef(describe(Why)).contains("could not be created")) << describe(Why);
      continue;
    }
    EXPECT_TRUE(A.Status == ResolutionStatus::Exact || A.Status == ResolutionStatus::Alias ||
                A.Status == ResolutionStatus::Substitute)
        << Name << ": " << describe(R->resolve(Name));
    // An alias is listed under both names (CPython: the renames between versions).
    if (A.Status == ResolutionStatus::Alias) {
      Resolution Res = R->resolve(Name);
      EXPECT_TRUE(Has(Res.Target)) << describe(Res);
      EXPECT_EQ(R->find(Res.Target).Status, ResolutionStatus::Exact) << describe(Res);
    }
  }
  // Every PyPyX export contributes its PyX.
  if (isPyPy(*Py)) {
    EXPECT_GT(ByStatus[ResolutionStatus::Alias], 800u);
  }
  EXPECT_GT(ByStatus[ResolutionStatus::Exact], 800u);
  EXPECT_GT(ByStatus[ResolutionStatus::Substitute], 4u);
  EXPECT_LT(ByStatus[ResolutionStatus::Missing], 10u);
}

// The hot path from 8 threads: find() of a hit and of a miss while one
// thread registers and removes names. The registered names are Python API
// names, whose check against the interpreter stays inside its image; the
// paths that probe every loaded image race in the next test.
TEST(Resolver, LookupsAreSafeFromManyThreads) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const std::uint64_t Expected = exported(*Py, "PyLong_FromLong");
  static int Slot = 0;
  const std::uint64_t SlotAddress = reinterpret_cast<std::uint64_t>(&Slot);
  const int Rounds = testing::stressRounds(2000);
  std::atomic<bool> RegistrarDone{false};
  std::atomic<int> Wrong{0};
  std::vector<std::thread> Threads;
  Threads.emplace_back([&] {
    for (int I = 0; I < Rounds; ++I) {
      std::string Name = "PyPysymTest_Helper" + std::to_string(I % 16);
      if (Error E = R->addSymbol(Name, SlotAddress)) {
        consumeError(std::move(E));  // counted as a failure instead
        ++Wrong;
      }
      R->removeSymbol(Name);
    }
    RegistrarDone = true;
  });
  for (int T = 1; T < 8; ++T)
    Threads.emplace_back([&] {
      // Until the registrar is done, so that every reader overlaps it.
      for (int I = 0; I < Rounds || !RegistrarDone; ++I) {
        if (R->find("PyLong_FromLong").Address != Expected)
          ++Wrong;
        if (R->find("PyNoSuch_Thing").Address != 0)
          ++Wrong;
        std::uint64_t Helper = R->find("PyPysymTest_Helper" + std::to_string(I % 16)).Address;
        if (Helper != 0 && Helper != SlotAddress)
          ++Wrong;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Wrong.load(), 0);
}

// The explained path and the registration of a name that is not Python API
// both look through every loaded image (dlopen with RTLD_NOLOAD, which
// ThreadSanitizer serialises), so they race in fewer rounds.
TEST(Resolver, ExplainedLookupsAndImageSearchesAreSafeFromManyThreads) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const std::uint64_t Expected = exported(*Py, "PyLong_FromLong");
  static int Slot = 0;
  const int Rounds = testing::stressRounds(200);
  std::atomic<int> Wrong{0};
  std::vector<std::thread> Threads;
  Threads.emplace_back([&] {
    for (int I = 0; I < Rounds; ++I) {
      std::string Name = "pysym_test_helper_" + std::to_string(I % 4);
      if (Error E = R->addSymbol(Name, reinterpret_cast<std::uint64_t>(&Slot))) {
        consumeError(std::move(E));  // counted as a failure instead
        ++Wrong;
      }
      R->removeSymbol(Name);
    }
  });
  for (int T = 1; T < 4; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < Rounds; ++I) {
        if (R->resolve("PyLong_FromLong").Address != Expected)
          ++Wrong;
        if (R->resolve("PyNoSuch_Thing").found())
          ++Wrong;
        if (R->find("memcpy").Address == 0)
          ++Wrong;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Wrong.load(), 0);
}

// find answers most names from a table built once; it must give exactly
// what the full walk gives, for every name that resolves and for misses.
TEST(Resolver, FindsFastPathAgreesWithTheFullWalkOnEveryApiName) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_TRUE(Py->cApiReady());
  auto R = makeResolver();
  ASSERT_TRUE(R);
  std::vector<std::string> Names = R->apiNames();
  ASSERT_GT(Names.size(), 700u);
  for (const char *Miss : {"PyNoSuch_Function", "_PyNoSuch", "PyPyNoSuch", "Py", "memcpy", "no_such_symbol"})
    Names.push_back(Miss);
  for (const std::string &Name : Names) {
    FoundSymbol Quick = R->find(Name);
    Resolution Full = R->resolve(Name);
    EXPECT_EQ(Quick.Status, Full.Status) << describe(Full);
    EXPECT_EQ(Quick.Address, Full.Address) << describe(Full);
    if (Full.found()) {
      EXPECT_EQ(Quick.Kind, Full.Kind) << describe(Full);
    }
  }
}

}  // namespace
}  // namespace pysym
