// exposeToProcess inside a real interpreter embedded RTLD_LOCAL (CPython or
// PyPy, chosen by the test target), checked with the loader's own dlsym.
//
// Exposure is permanent and process-wide, so the tests run in order and
// each builds on the last: nothing visible, the first exposure (PyPy:
// before cpyext starts, from many threads at once), then the data, repeats,
// explicit lists and bad input.
#include "pysym/resolver/exposure.h"

#include <dlfcn.h>
#include <link.h>

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::succeeded;

bool isPyPy(const EmbeddedPython &Py) { return Py.flavor() == Flavor::PyPy; }

std::uint64_t global(llvm::StringRef Name) {
  return reinterpret_cast<std::uint64_t>(dlsym(RTLD_DEFAULT, Name.str().c_str()));
}

std::unique_ptr<Resolver> makeResolver() {
  auto R = Resolver::forCurrentProcess();
  EXPECT_TRUE(succeeded(R));
  return R ? std::move(*R) : nullptr;
}

int loadedObjects() {
  int Count = 0;
  dl_iterate_phdr([](dl_phdr_info *, size_t, void *Data) { return ++*static_cast<int *>(Data), 0; },
                  &Count);
  return Count;
}

const ExposedName *exposed(const ExposeReport &Report, llvm::StringRef Name) {
  for (const ExposedName &E : Report.Exposed)
    if (E.Name == Name)
      return &E;
  return nullptr;
}

const SkippedName *skipped(const ExposeReport &Report, llvm::StringRef Name) {
  for (const SkippedName &S : Report.Skipped)
    if (S.Name == Name)
      return &S;
  return nullptr;
}

TEST(Exposure, NothingIsVisibleToTheLoaderBefore) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  for (const char *Name : {"PyLong_FromLong", "PyPyLong_FromLong", "_Py_NoneStruct", "PyTuple_Type"})
    EXPECT_EQ(global(Name), 0u) << Name;
}

// The first exposure, by 8 threads at once: each name is loaded exactly
// once, by one of them, and every thread's report agrees on its address.
TEST(Exposure, TheFirstExposureFromManyThreadsLoadsEachNameOnce) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const int ObjectsBefore = loadedObjects();
  std::vector<std::optional<Expected<ExposeReport>>> Reports(8);
  std::vector<std::thread> Threads;
  for (int T = 0; T < 8; ++T)
    Threads.emplace_back([&, T] { Reports[T].emplace(exposeToProcess(*R)); });
  for (std::thread &T : Threads)
    T.join();
  std::map<std::string, std::uint64_t> Addresses;
  std::map<std::string, int> TimesAdded;
  std::size_t Added = 0;
  for (auto &Slot : Reports) {
    ASSERT_TRUE(Slot.has_value());
    Expected<ExposeReport> &Report = *Slot;
    ASSERT_TRUE(succeeded(Report));
    Added += Report->Added;
    for (const ExposedName &E : Report->Exposed) {
      auto [It, New] = Addresses.emplace(E.Name, E.Address);
      EXPECT_EQ(It->second, E.Address) << E.Name;
      TimesAdded[E.Name] += E.AddedNow;
      EXPECT_NE(E.Status, ResolutionStatus::Registered);
    }
  }
  ASSERT_GT(Addresses.size(), isPyPy(*Py) ? 700u : 1000u);
  EXPECT_EQ(Added, Addresses.size());
  for (const auto &[Name, Times] : TimesAdded)
    EXPECT_EQ(Times, 1) << Name;
  // One object, by whichever thread came first; the others loaded nothing.
  EXPECT_EQ(loadedObjects(), ObjectsBefore + 1);
  for (const auto &[Name, Address] : Addresses)
    EXPECT_EQ(global(Name), Address) << Name;

  const ExposeReport &First = **Reports[0];
  // Functions resolve to the interpreter's own definitions.
  EXPECT_EQ(global("PyLong_FromLong"), reinterpret_cast<std::uint64_t>(Py->apiSymbol("PyLong_FromLong")));
  if (isPyPy(*Py)) {
    // Before cpyext, data waits: no address that is not final.
    ASSERT_FALSE(Py->cApiReady());
    for (const char *Data : {"_Py_NoneStruct", "PyExc_TypeError", "PyPyExc_TypeError"}) {
      const SkippedName *S = skipped(First, Data);
      ASSERT_NE(S, nullptr) << Data;
      EXPECT_EQ(S->Why, ExposeSkip::NotReady) << Data;
      EXPECT_EQ(global(Data), 0u) << Data;
    }
    EXPECT_EQ(exposed(First, "PyPyLong_FromLong")->Status, ResolutionStatus::Exact)
        << "PyPy's own names too, since the host loaded it RTLD_LOCAL";
  } else {
    // CPython loaded RTLD_LOCAL: its exact names, data included.
    const ExposedName *Tuple = exposed(First, "PyTuple_Type");
    ASSERT_NE(Tuple, nullptr);
    EXPECT_EQ(Tuple->Status, ResolutionStatus::Exact);
    EXPECT_EQ(Tuple->Kind, SymbolKind::Data);
    EXPECT_EQ(global("PyTuple_Type"), reinterpret_cast<std::uint64_t>(Py->symbol("PyTuple_Type")));
  }
}

TEST(Exposure, StartCpyext) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  if (isPyPy(*Py)) {
    ASSERT_TRUE(succeeded(Py->run("import cpyext")));
  }
  EXPECT_TRUE(Py->cApiReady());
}

// Compares the object `Expression` evaluates to with `Address`.
void expectObjectAt(EmbeddedPython &Py, llvm::StringRef Expression, std::uint64_t Address) {
  auto Object = Py.evaluate(Expression);
  ASSERT_TRUE(succeeded(Object));
  EXPECT_EQ(reinterpret_cast<std::uint64_t>(*Object), Address) << Expression.str();
  auto Gil = Py.holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Py.api<void(void *)>("Py_DecRef")(*Object);
}

TEST(Exposure, DataIsExposedOnceReadyAsTheCAbiMeansIt) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_TRUE(Py->cApiReady());
  auto R = makeResolver();
  ASSERT_TRUE(R);
  auto Report = exposeToProcess(*R);
  ASSERT_TRUE(succeeded(Report));
  if (isPyPy(*Py)) {
    EXPECT_GT(Report->Added, 50u) << "the data skipped before cpyext started";
    const ExposedName *None = exposed(*Report, "_Py_NoneStruct");
    ASSERT_NE(None, nullptr);
    EXPECT_TRUE(None->AddedNow);
    EXPECT_FALSE(exposed(*Report, "PyLong_FromLong")->AddedNow) << "exposed by the first call";
  } else {
    EXPECT_EQ(Report->Added, 0u) << "everything was ready the first time";
  }
  for (const SkippedName &S : Report->Skipped)
    EXPECT_NE(S.Why, ExposeSkip::NotReady) << S.Name;
  // _Py_NoneStruct is None itself; PyExc_TypeError a cell holding TypeError.
  expectObjectAt(*Py, "None", global("_Py_NoneStruct"));
  ASSERT_NE(global("PyExc_TypeError"), 0u);
  expectObjectAt(*Py, "TypeError", *reinterpret_cast<std::uint64_t *>(global("PyExc_TypeError")));
  // A substitute on PyPy, CPython's own export on CPython: either way the
  // address the resolver gives its kernels.
  EXPECT_EQ(global("_Py_c_pow"), R->find("_Py_c_pow").Address);
  EXPECT_EQ(exposed(*Report, "_Py_c_pow")->Status,
            isPyPy(*Py) ? ResolutionStatus::Substitute : ResolutionStatus::Exact);
  // Data symbols carry their sizes where the interpreter's table has them.
  EXPECT_EQ(exposed(*Report, "_Py_NoneStruct")->Kind, SymbolKind::Data);
}

TEST(Exposure, ARepeatedCallLoadsNothing) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const int ObjectsBefore = loadedObjects();
  auto Report = exposeToProcess(*R);
  ASSERT_TRUE(succeeded(Report));
  EXPECT_EQ(Report->Added, 0u);
  EXPECT_EQ(Report->Source, ExposeSource::None);
  EXPECT_TRUE(Report->Soname.empty());
  EXPECT_GT(Report->Exposed.size(), 700u);
  EXPECT_EQ(loadedObjects(), ObjectsBefore);
}

TEST(Exposure, AnExplicitListIsExposedInItsOrderWithEachSkipExplained) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  ExposeRequest Request;
  Request.Names = {"PyNoSuch_Thing", "PyLong_FromLong", "memcpy", "PyLong_FromLong", "_Py_NoneStruct"};
  auto Report = exposeToProcess(*R, Request);
  ASSERT_TRUE(succeeded(Report));
  ASSERT_EQ(Report->Exposed.size(), 2u);
  EXPECT_EQ(Report->Exposed[0].Name, "PyLong_FromLong");
  EXPECT_EQ(Report->Exposed[1].Name, "_Py_NoneStruct");
  ASSERT_EQ(Report->Skipped.size(), 2u);
  EXPECT_EQ(Report->Skipped[0].Name, "PyNoSuch_Thing");
  EXPECT_EQ(Report->Skipped[0].Why, ExposeSkip::Missing);
  EXPECT_EQ(Report->Skipped[1].Name, "memcpy");
  EXPECT_EQ(Report->Skipped[1].Why, ExposeSkip::NotPythonApi);
  EXPECT_EQ(Report->Added, 0u);
}

TEST(Exposure, RegistrationsAreNeverExposed) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  static int Slot = 0;
  ASSERT_TRUE(succeeded(
      R->addSymbol("PyPysymTest_Registered", reinterpret_cast<std::uint64_t>(&Slot))));
  ExposeRequest Request;
  Request.Names = {"PyPysymTest_Registered"};
  auto Report = exposeToProcess(*R, Request);
  ASSERT_TRUE(succeeded(Report));
  EXPECT_TRUE(Report->Exposed.empty());
  ASSERT_EQ(Report->Skipped.size(), 1u);
  EXPECT_EQ(Report->Skipped[0].Why, ExposeSkip::Missing);
  EXPECT_EQ(global("PyPysymTest_Registered"), 0u);
}

TEST(Exposure, InvalidNamesFailAndExposeNothing) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  const int ObjectsBefore = loadedObjects();
  for (std::vector<std::string> Names :
       {std::vector<std::string>{"PyPysymTest_Valid", ""},
        std::vector<std::string>{std::string("Py_\0Nul", 7)}}) {
    ExposeRequest Request;
    Request.Names = Names;
    auto Report = exposeToProcess(*R, Request);
    ASSERT_FALSE(bool(Report));
    EXPECT_TRUE(testing::failedAs<ExposeFailed>(Report.takeError(), [](const ExposeFailed &F) {
      return F.reason() == ExposeFailed::Reason::InvalidName;
    }));
  }
  EXPECT_EQ(loadedObjects(), ObjectsBefore);
}

}  // namespace
}  // namespace pysym
