// Coverage of the name lists in data/ on the real interpreters.
#include "pysym/resolver/coverage.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"
#include "pysym/resolver/offline_interpreter.h"
#include "tests/data_files.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::failedWith;
using testing::succeeded;

// The list in data/ that the BUILD rule passes in EnvVar, or a failure.
#define PYSYM_DATA_LIST(Var, EnvVar)                \
  std::string Var = testing::dataFile(EnvVar);      \
  ASSERT_FALSE(Var.empty()) << testing::dataFileUnset(EnvVar)

std::string tempFile(const char *Name, const char *Text) {
  const char *Dir = std::getenv("TEST_TMPDIR");
  std::string Path = std::string(Dir ? Dir : "/tmp") + "/" + Name;
  std::ofstream(Path) << Text;
  return Path;
}

TEST(ReadNameList, ReadsBothDataLists) {
  PYSYM_DATA_LIST(StableAbi, "PYSYM_STABLE_ABI");
  PYSYM_DATA_LIST(NumbaNames, "PYSYM_NUMBA_NAMES");
  auto Abi = readNameList(StableAbi);
  auto Numba = readNameList(NumbaNames);
  ASSERT_TRUE(succeeded(Abi));
  ASSERT_TRUE(succeeded(Numba));
  EXPECT_EQ(Abi->size(), 859u);
  EXPECT_EQ(Numba->size(), 128u);
  unsigned Data = 0;
  for (const ApiName &N : *Numba)
    Data += N.KindKnown && N.Kind == SymbolKind::Data;
  EXPECT_EQ(Data, 9u);
}

TEST(ReadNameList, BadListsNameTheFileAndLine) {
  EXPECT_TRUE(failedWith(readNameList(tempFile("three", "F A B\n")), "three:1: expected 'NAME' or 'KIND NAME', got 3 fields"));
  EXPECT_TRUE(failedWith(readNameList(tempFile("kind", "# c\nX Py_Foo\n")), "kind:2: unknown kind 'X'"));
  EXPECT_TRUE(failedWith(readNameList("/no/such/list"), "/no/such/list"));
}

TEST(Coverage, StableAbiIsCompleteOnCPythonAndCountedOnPyPy) {
  PYSYM_DATA_LIST(StableAbi, "PYSYM_STABLE_ABI");
  auto Names = readNameList(StableAbi);
  ASSERT_TRUE(succeeded(Names));
  auto CPython = OfflineInterpreter::analyze("/usr/bin/python3.11");
  auto PyPy = OfflineInterpreter::analyze("/usr/bin/pypy3");
  ASSERT_TRUE(succeeded(CPython));
  ASSERT_TRUE(succeeded(PyPy));
  Coverage OnCPython = measureCoverage(**CPython, *Names);
  // The stable ABI also lists Windows-only names and Py_REF_DEBUG-only data,
  // which a Linux release build cannot export.
  auto WindowsOrDebugOnly = [](llvm::StringRef Name) {
    return Name.contains("Windows") || Name.contains("MBCS") || Name.contains("CodePage") ||
           Name == "PyOS_CheckStack" || Name == "_Py_NegativeRefcount" || Name == "_Py_RefTotal";
  };
  unsigned Expected = 0;
  for (const Resolution &R : OnCPython.Resolutions) {
    Expected += !WindowsOrDebugOnly(R.Name);
    if (R.Status != ResolutionStatus::Exact) {
      EXPECT_TRUE(WindowsOrDebugOnly(R.Name)) << describe(R);
    }
  }
  EXPECT_EQ(OnCPython.count(ResolutionStatus::Exact), Expected);
  auto Debug = OfflineInterpreter::analyze("/usr/bin/python3.11d");
  ASSERT_TRUE(succeeded(Debug));
  for (const Resolution &R : measureCoverage(**Debug, *Names).Resolutions)
    if (R.Name == "_Py_NegativeRefcount" || R.Name == "_Py_RefTotal") {
      EXPECT_EQ(R.Status, ResolutionStatus::Exact) << describe(R);
    }
  EXPECT_TRUE(OnCPython.KindMismatches.empty());
  Coverage OnPyPy = measureCoverage(**PyPy, *Names);
  unsigned Total = 0;
  for (unsigned C : OnPyPy.Counts)
    Total += C;
  EXPECT_EQ(Total, Names->size());
  EXPECT_GT(OnPyPy.count(ResolutionStatus::Alias), 500u);
  EXPECT_GT(OnPyPy.count(ResolutionStatus::Missing), 0u) << "PyPy lacks parts of the stable ABI";
  for (const Resolution &R : OnPyPy.Resolutions)
    if (!R.found()) {
      EXPECT_FALSE(R.Tried.empty()) << R.Name;
    }
}

}  // namespace
}  // namespace pysym
