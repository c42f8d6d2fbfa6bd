// The interpreter profiles against the real interpreter files on disk.
#include "pysym/resolver/profile.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/resolver/elf_file_probe.h"
#include "pysym/resolver/profiles.h"
#include "pysym/symtab/elf_file.h"
#include "tests/core_error_testing.h"

namespace pysym {
namespace {

namespace fs = std::filesystem;
using testing::succeeded;

using FileProbe = ElfFileProbe;

fs::path pyenvRoot() {
  if (const char *Root = std::getenv("PYENV_ROOT"))
    return Root;
  const char *Home = std::getenv("HOME");
  return fs::path(Home ? Home : "/root") / ".pyenv";
}

// pyenv's shared libpython for major.minor, or "" when that version is absent.
std::string pyenvLibrary(unsigned Minor) {
  std::error_code Ignored;  // an absent pyenv is reported by the caller, by name
  for (const auto &Entry : fs::directory_iterator(pyenvRoot() / "versions", Ignored)) {
    std::string Version = Entry.path().filename().string();
    if (Version.rfind("3." + std::to_string(Minor) + ".", 0) != 0)
      continue;
    for (const char *Suffix : {"", "m"}) {
      fs::path Lib = Entry.path() / "lib" / ("libpython3." + std::to_string(Minor) + Suffix + ".so.1.0");
      if (fs::exists(Lib))
        return Lib.string();
    }
  }
  return "";
}

TEST(ParsePythonVersion, ReadsMajorAndMinor) {
  PythonVersion V = parsePythonVersion("3.11.2 (main, Mar 13 2023) [GCC 12.2.0]");
  EXPECT_EQ(V.Major, 3u);
  EXPECT_EQ(V.Minor, 11u);
  EXPECT_FALSE(parsePythonVersion("garbage").known());
  EXPECT_FALSE(parsePythonVersion("").known());
  EXPECT_EQ(versionAfterMarker("/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so", "pypy").Minor, 9u);
  EXPECT_EQ(versionAfterMarker("/usr/bin/python3.11d", "python").Minor, 11u);
}

TEST(Profiles, RecogniseEachInterpreterImageAndNothingElse) {
  struct Case {
    const char *Path;
    const char *Profile;  // nullptr: no profile may claim it
  } Cases[] = {
      {"/usr/bin/python3.11", "cpython"},
      {"/usr/bin/python3.11d", "cpython"},
      {"/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "cpython"},
      {"/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so", "pypy"},
      {"/lib/x86_64-linux-gnu/libc.so.6", nullptr},
      {"/usr/bin/pypy3.9", nullptr},  // the launcher; the API lives in libpypy
  };
  for (const Case &C : Cases) {
    auto File = symtab::ElfFile::read(C.Path);
    if (!File) {
      consumeError(File.takeError());  // reported as a skip, by name
      GTEST_SKIP() << C.Path << " is not on this machine";
    }
    FileProbe Probe(**File);
    const InterpreterProfile *Claimed = nullptr;
    for (const InterpreterProfile *P : interpreterProfiles())
      if (P->recognizes(Probe)) {
        Claimed = P;
        break;
      }
    if (C.Profile) {
      ASSERT_NE(Claimed, nullptr) << C.Path;
      EXPECT_EQ(Claimed->name(), C.Profile) << C.Path;
    } else {
      EXPECT_EQ(Claimed, nullptr) << C.Path;
    }
  }
}

TEST(Profiles, DebugBuildsAndObjectLayouts) {
  auto Debug = symtab::ElfFile::read("/usr/bin/python3.11d");
  auto Release = symtab::ElfFile::read("/usr/bin/python3.11");
  auto PyPy = symtab::ElfFile::read("/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so");
  ASSERT_TRUE(succeeded(Debug));
  ASSERT_TRUE(succeeded(Release));
  ASSERT_TRUE(succeeded(PyPy));
  EXPECT_TRUE(cpythonProfile().isDebugBuild(FileProbe(**Debug)));
  EXPECT_FALSE(cpythonProfile().isDebugBuild(FileProbe(**Release)));
  EXPECT_FALSE(pypyProfile().isDebugBuild(FileProbe(**PyPy)));
  AbiFacts C = cpythonProfile().abiFacts(FileProbe(**Release));
  EXPECT_EQ(C.TypeOffset, 8u);
  EXPECT_EQ(C.ObjectSize, 16u);
  // Debian's debug build has Py_DEBUG but not Py_TRACE_REFS.
  EXPECT_EQ(cpythonProfile().abiFacts(FileProbe(**Debug)).TypeOffset, 8u);
  AbiFacts P = pypyProfile().abiFacts(FileProbe(**PyPy));
  EXPECT_EQ(P.TypeOffset, 16u);
  EXPECT_EQ(P.ObjectSize, 24u);
}

TEST(PyPyProfile, AliasesFollowPyPysRenaming) {
  std::vector<std::string> Out;
  pypyProfile().aliasesFor("PyLong_FromLong", {3, 9}, Out);
  pypyProfile().aliasesFor("_Py_NoneStruct", {3, 9}, Out);
  pypyProfile().aliasesFor("memcpy", {3, 9}, Out);
  EXPECT_EQ(Out, (std::vector<std::string>{"PyPyLong_FromLong", "_PyPy_NoneStruct"}));
}

TEST(PyPyProfile, CPythonNamesInvertTheRenaming) {
  std::vector<std::string> Out;
  for (const char *Exported : {"PyPyLong_FromLong", "_PyPy_NoneStruct", "PyModule_AddType", "memcpy"})
    pypyProfile().cpythonNamesFor(Exported, Out);
  EXPECT_EQ(Out, (std::vector<std::string>{"PyLong_FromLong", "_Py_NoneStruct"}));
  // Each candidate maps back to the export it came from.
  for (const std::string &Name : Out) {
    std::vector<std::string> Back;
    pypyProfile().aliasesFor(Name, {3, 9}, Back);
    ASSERT_EQ(Back.size(), 1u) << Name;
    EXPECT_TRUE(Back[0] == "PyPyLong_FromLong" || Back[0] == "_PyPy_NoneStruct") << Back[0];
  }
}

TEST(CPythonProfile, CPythonNamesInvertEveryRenameOnTheSideItApplies) {
  for (const CPythonRename &R : cpythonRenames()) {
    std::vector<std::string> FromNew, FromOld, Unrenamed;
    cpythonProfile().cpythonNamesFor(R.NewName, FromNew);
    cpythonProfile().cpythonNamesFor(R.OldName, FromOld);
    cpythonProfile().cpythonNamesFor("PyLong_FromLong", Unrenamed);
    ASSERT_EQ(FromNew.size(), 1u) << R.NewName;
    EXPECT_EQ(FromNew[0], R.OldName);
    ASSERT_EQ(FromOld.size(), 1u) << R.OldName;
    EXPECT_EQ(FromOld[0], R.NewName);
    EXPECT_TRUE(Unrenamed.empty());
    // The candidate is confirmed by aliasesFor on the side where the export
    // is the one that exists.
    std::vector<std::string> Forward, Backward;
    cpythonProfile().aliasesFor(FromNew[0], R.Since, Forward);
    cpythonProfile().aliasesFor(FromOld[0], {3, R.Since.Minor - 1}, Backward);
    EXPECT_EQ(Forward, (std::vector<std::string>{R.NewName}));
    EXPECT_EQ(Backward, (std::vector<std::string>{R.OldName}));
  }
}

std::string withoutLeadingUnderscores(std::string_view Name) {
  return std::string(Name.substr(std::min(Name.find_first_not_of('_'), Name.size())));
}

// One test per rename: the old name is exported before the change and the new
// one from it on, and the profile maps each to the other on the right side.
class CPythonRenameTest : public ::testing::TestWithParam<CPythonRename> {};

TEST_P(CPythonRenameTest, MatchesTheExportsOfTheVersionsOnEachSide) {
  const CPythonRename &R = GetParam();
  std::string Before = pyenvLibrary(R.Since.Minor - 1);
  std::string After = pyenvLibrary(R.Since.Minor);
  if (Before.empty() || After.empty())
    GTEST_SKIP() << "pyenv's CPython 3." << R.Since.Minor - 1 << " or 3." << R.Since.Minor
                 << " is not on this machine (looked in " << pyenvRoot().string() << ")";
  auto Old = symtab::ElfFile::read(Before);
  auto New = symtab::ElfFile::read(After);
  ASSERT_TRUE(succeeded(Old));
  ASSERT_TRUE(succeeded(New));
  FileProbe OldProbe(**Old), NewProbe(**New);
  EXPECT_TRUE(OldProbe.defines(R.OldName)) << Before;
  EXPECT_FALSE(OldProbe.defines(R.NewName)) << Before;
  EXPECT_TRUE(NewProbe.defines(R.NewName)) << After;
  EXPECT_FALSE(NewProbe.defines(R.OldName)) << After;

  std::vector<std::string> Forward, Backward, None;
  cpythonProfile().aliasesFor(R.OldName, R.Since, Forward);
  cpythonProfile().aliasesFor(R.NewName, {3, R.Since.Minor - 1}, Backward);
  cpythonProfile().aliasesFor(R.OldName, {3, R.Since.Minor - 1}, None);
  ASSERT_EQ(Forward.size(), 1u);
  EXPECT_EQ(Forward[0], R.NewName);
  ASSERT_EQ(Backward.size(), 1u);
  EXPECT_EQ(Backward[0], R.OldName);
  EXPECT_TRUE(None.empty());
}

INSTANTIATE_TEST_SUITE_P(EachRename, CPythonRenameTest, ::testing::ValuesIn(cpythonRenames().toVector()),
                         [](const auto &Info) { return std::string(Info.param.OldName[0] == '_' ? "Private" : "") +
                                                       withoutLeadingUnderscores(Info.param.OldName); });

}  // namespace
}  // namespace pysym
