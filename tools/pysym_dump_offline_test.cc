// The offline subcommands' shared parts, on this machine's interpreters.
#include "tools/pysym_dump_offline.h"

#include <sys/stat.h>

#include "gtest/gtest.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"
#include "tools/pysym_dump_testing.h"

namespace pysym::dump {
namespace {

using pysym::testing::failedWith;
using pysym::testing::succeeded;

const char *const PyPy = "/usr/bin/pypy3";
const char *const Python = "/usr/bin/python3.11";

std::string executableScript(const std::string &Directory, const char *Name) {
  std::string Path = Directory + "/" + Name;
  testing::writeFile(Path, "#!/bin/sh\nexit 1\n");
  EXPECT_EQ(::chmod(Path.c_str(), 0755), 0);
  return Path;
}

TEST(FindInterpreterFile, APathIsTakenAsItIs) {
  auto Found = findInterpreterFile("./python3.11", "/usr/bin");
  ASSERT_TRUE(succeeded(Found));
  EXPECT_EQ(*Found, "./python3.11");
}

TEST(FindInterpreterFile, ScriptsAreSkippedForALaterElfFile) {
  if (!testing::exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  std::string Shims = testing::temporaryDirectory();
  std::string Shim = executableScript(Shims, "python3.11");
  auto Found = findInterpreterFile("python3.11", Shims + ":/usr/bin");
  ASSERT_TRUE(succeeded(Found));
  EXPECT_EQ(*Found, Python);
  EXPECT_TRUE(failedWith(findInterpreterFile("python3.11", Shims), "skipped, not ELF: " + Shim));
}

TEST(FindInterpreterFile, AnUnknownNameOrAnEmptyOneFails) {
  EXPECT_TRUE(failedWith(findInterpreterFile("pysym-no-such-python", "/usr/bin:/bin"),
                         "interpreter 'pysym-no-such-python': no ELF executable of that name on PATH"));
  EXPECT_TRUE(failedWith(findInterpreterFile("", "/usr/bin"), "empty"));
}

TEST(CPythonApiNames, PyPysExportsBecomeCPythonNames) {
  if (!testing::exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  auto Interpreter = OfflineInterpreter::analyze(PyPy);
  ASSERT_TRUE(succeeded(Interpreter));
  auto Api = exportedApi(**Interpreter);
  ASSERT_TRUE(succeeded(Api));
  auto Names = cpythonApiNames(**Interpreter);
  ASSERT_TRUE(succeeded(Names));
  // Each aliased export gives exactly its CPython names; the others their own.
  size_t Expected = 0;
  for (const ExportedApiSymbol &S : Api->Symbols)
    Expected += S.CPythonNames.empty() ? 1 : S.CPythonNames.size();
  EXPECT_EQ(Names->size(), Expected);
  for (const ApiName &N : *Names) {
    EXPECT_TRUE(N.KindKnown) << N.Name;
    Resolution R = (*Interpreter)->resolve(N.Name);
    EXPECT_TRUE(R.Status == ResolutionStatus::Exact || R.Status == ResolutionStatus::Alias)
        << describe(R);
    EXPECT_EQ(R.Kind, N.Kind) << N.Name;
  }
}

TEST(CPythonApiNames, CPythonsNamesAreItsOwnEvenWhenARenameReachesThem) {
  if (!testing::exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  auto Interpreter = OfflineInterpreter::analyze(Python);
  ASSERT_TRUE(succeeded(Interpreter));
  auto Api = exportedApi(**Interpreter);
  auto Names = cpythonApiNames(**Interpreter);
  ASSERT_TRUE(succeeded(Api));
  ASSERT_TRUE(succeeded(Names));
  EXPECT_EQ(Names->size(), Api->Symbols.size());
  // 3.11 exports PyCode_New; 3.12's name for it reaches it by alias.
  for (const ExportedApiSymbol &S : Api->Symbols) {
    if (S.Symbol->Name == "PyCode_New") {
      EXPECT_EQ(S.CPythonNames, std::vector<std::string>{"PyUnstable_Code_New"});
    }
  }
}

TEST(WhyMissing, NamesWhatWasTriedInOneLine) {
  if (!testing::exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  auto Interpreter = OfflineInterpreter::analyze(PyPy);
  ASSERT_TRUE(succeeded(Interpreter));
  Resolution R = (*Interpreter)->resolve("PyPysym_NoSuchFunction");
  ASSERT_FALSE(R.found());
  EXPECT_EQ(whyMissing(R),
            "not exported (tried PyPysym_NoSuchFunction, PyPyPysym_NoSuchFunction); no substitute");
  Resolution System = (*Interpreter)->resolve("pysym_no_such_function");
  EXPECT_EQ(whyMissing(System), "not exported (tried pysym_no_such_function); no substitute; no "
                                "library the interpreter loads defines it");
}

}  // namespace
}  // namespace pysym::dump
