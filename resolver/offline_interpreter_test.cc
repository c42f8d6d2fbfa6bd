// Offline analysis of the interpreters installed on this machine.
#include "pysym/resolver/offline_interpreter.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/data_files.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

namespace fs = std::filesystem;
using testing::failedWith;
using testing::succeeded;

std::unique_ptr<OfflineInterpreter> analyzeOrSkip(const std::string &Path) {
  auto Result = OfflineInterpreter::analyze(Path);
  EXPECT_TRUE(succeeded(Result)) << Path;
  return Result ? std::move(*Result) : nullptr;
}

std::uint64_t fileValue(const std::string & File, const std::string & Name) {
  auto Elf = symtab::ElfFile::read(File);
  EXPECT_TRUE(succeeded(Elf));
  if (!Elf)
    return 0;
  for (const symtab::Symbol *S : (*Elf)->findDynamic(Name))
    if (S->Defined)
      return S->Value;
  return 0;
}

fs::path pyenvRoot() {
  if (const char *Root = std::getenv("PYENV_ROOT"))
    return Root;
  const char *Home = std::getenv("HOME");
  return fs::path(Home ? Home : "/root") / ".pyenv";
}

// pyenv's interpreter executables, e.g. versions/3.12.1/bin/python3.12.
std::vector<std::string> pyenvPythons() {
  std::vector<std::string> Found;
  std::error_code Ignored;  // no pyenv: the caller reports the skip by name
  for (const auto &Entry : fs::directory_iterator(pyenvRoot() / "versions", Ignored)) {
    std::string Version = Entry.path().filename().string();
    if (Version.rfind("3.", 0) != 0)
      continue;
    std::string MajorMinor = Version.substr(0, Version.rfind('.'));
    fs::path Exe = Entry.path() / "bin" / ("python" + MajorMinor);
    if (fs::exists(Exe))
      Found.push_back(Exe.string());
  }
  std::sort(Found.begin(), Found.end());
  return Found;
}

TEST(OfflineInterpreter, StaticCPythonExportsTheApiFromTheExecutable) {
  auto I = analyzeOrSkip("/usr/bin/python3.11");
  ASSERT_TRUE(I);
  EXPECT_EQ(I->info().Implementation, "cpython");
  EXPECT_EQ(I->info().Version, "3.11");
  EXPECT_EQ(I->info().ImagePath, "/usr/bin/python3.11");
  EXPECT_FALSE(I->info().Debug);
  Resolution R = I->resolve("PyLong_FromLong");
  EXPECT_EQ(R.Status, ResolutionStatus::Exact) << describe(R);
  EXPECT_EQ(R.Address, fileValue("/usr/bin/python3.11", "PyLong_FromLong"));
  EXPECT_EQ(I->resolve("_Py_c_pow").Status, ResolutionStatus::Exact);
  Resolution Memcpy = I->resolve("memcpy");
  EXPECT_EQ(Memcpy.Status, ResolutionStatus::System) << describe(Memcpy);
  EXPECT_NE(Memcpy.Image.find("libc.so.6"), std::string::npos) << Memcpy.Image;
  EXPECT_TRUE(I->unresolvedLibraries().empty());
}

TEST(OfflineInterpreter, DebugBuildIsReported) {
  auto I = analyzeOrSkip("/usr/bin/python3.11d");
  ASSERT_TRUE(I);
  EXPECT_TRUE(I->info().Debug);
}

TEST(OfflineInterpreter, PyPyIsFoundThroughTheLibraryItsLauncherNeeds) {
  auto I = analyzeOrSkip("/usr/bin/pypy3");
  ASSERT_TRUE(I);
  EXPECT_EQ(I->info().Implementation, "pypy");
  EXPECT_EQ(I->info().Version, "3.9");
  // The loader finds it under /lib (ldd says so too); on merged-/usr Debian
  // that is the same file as /usr/lib's.
  EXPECT_TRUE(fs::equivalent(I->info().ImagePath, "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so"))
      << I->info().ImagePath;
  EXPECT_EQ(I->info().Abi.TypeOffset, 16u);
  Resolution Long = I->resolve("PyLong_FromLong");
  EXPECT_EQ(Long.Status, ResolutionStatus::Alias) << describe(Long);
  EXPECT_EQ(Long.Target, "PyPyLong_FromLong");
  EXPECT_EQ(I->resolve("_Py_NoneStruct").Kind, SymbolKind::Data);
  EXPECT_EQ(I->resolve("_Py_c_pow").Status, ResolutionStatus::Substitute);
  EXPECT_EQ(I->resolve("PyObject_GC_UnTrack").Status, ResolutionStatus::Substitute);
  EXPECT_EQ(I->resolve("PyImport_ImportModuleLevel").Status, ResolutionStatus::Substitute);
  Resolution Unregister = I->resolve("PyCodec_Unregister");  // Python 3.10
  EXPECT_EQ(Unregister.Status, ResolutionStatus::Missing) << describe(Unregister);
}

TEST(OfflineInterpreter, FollowsCPythonRenamesByVersion) {
  std::string Python312 = (pyenvRoot() / "versions/3.12.1/bin/python3.12").string();
  if (!fs::exists(Python312))
    GTEST_SKIP() << Python312 << " is not on this machine";
  auto I = analyzeOrSkip(Python312);
  ASSERT_TRUE(I);
  EXPECT_EQ(I->info().Version, "3.12");
  Resolution R = I->resolve("PyCode_New");
  EXPECT_EQ(R.Status, ResolutionStatus::Alias) << describe(R);
  EXPECT_EQ(R.Target, "PyUnstable_Code_New");
}

// Numba's C-API names must all resolve on every interpreter, but the one
// Python 2 leftover.
TEST(OfflineInterpreter, EveryNumbaNameResolvesOnEveryInterpreter) {
  std::string List = testing::dataFile("PYSYM_NUMBA_NAMES");
  ASSERT_FALSE(List.empty()) << testing::dataFileUnset("PYSYM_NUMBA_NAMES");
  std::ifstream In(List);
  std::vector<std::pair<char, std::string>> Names;
  for (std::string Line; std::getline(In, Line);)
    if (Line.size() > 2 && Line[0] != '#')
      Names.emplace_back(Line[0], Line.substr(2));
  ASSERT_FALSE(Names.empty()) << List;
  std::vector<std::string> Interpreters = {"/usr/bin/python3.11", "/usr/bin/python3.11d", "/usr/bin/pypy3"};
  std::vector<std::string> Pyenv = pyenvPythons();
  if (Pyenv.empty())
    std::cout << "skipped: pyenv's CPythons (none under " << pyenvRoot().string() << ")\n";
  Interpreters.insert(Interpreters.end(), Pyenv.begin(), Pyenv.end());
  for (const std::string &Path : Interpreters) {
    auto I = analyzeOrSkip(Path);
    ASSERT_TRUE(I) << Path;
    for (const auto &[Kind, Name] : Names) {
      Resolution R = I->resolve(Name);
      if (Name == "PyString_FromStringAndSize") {
        EXPECT_FALSE(R.found()) << Path << ": " << describe(R);
        continue;
      }
      EXPECT_TRUE(R.found()) << Path << ": " << describe(R);
      EXPECT_EQ(R.Kind, Kind == 'D' ? SymbolKind::Data : SymbolKind::Function) << Path << ": " << describe(R);
    }
  }
}

TEST(OfflineInterpreter, BadInputIsAClearError) {
  EXPECT_TRUE(failedWith(OfflineInterpreter::analyze("/no/such/python"), "/no/such/python"));
  auto NotPython = OfflineInterpreter::analyze("/bin/ls");
  EXPECT_TRUE(failedWith(NotPython, "/bin/ls: not a Python interpreter"));
  std::string Text = std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp") + "/script";
  std::ofstream(Text) << "#!/bin/sh\n";
  EXPECT_TRUE(failedWith(OfflineInterpreter::analyze(Text), Text));
}

}  // namespace
}  // namespace pysym
