// Runs `pysym-dump interpreter` on this machine's interpreters and checks it
// against what symtab::ElfFile reads from the same files.
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "pysym/symtab/elf_file.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_testing.h"

namespace pysym::dump {
namespace {

using namespace testing;

const char *const PyPy = "/usr/bin/pypy3";
const char *const LibPyPy = "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
const char *const Python = "/usr/bin/python3.11";
const char *const PythonDebug = "/usr/bin/python3.11d";

std::string realPath(const std::string &Path) {
  char Resolved[PATH_MAX];
  return ::realpath(Path.c_str(), Resolved) ? Resolved : Path;
}

bool isApiName(llvm::StringRef Name) { return llvm_compat::startsWith(Name, "Py") || llvm_compat::startsWith(Name, "_Py"); }

// The API a file exports, as the loader binds new references: defined,
// non-local, default or unversioned; name -> symbol.
std::map<std::string, symtab::Symbol> apiOnDisk(const std::string &Path) {
  std::map<std::string, symtab::Symbol> Api;
  auto File = symtab::ElfFile::read(Path);
  if (!File) {
    ADD_FAILURE() << pysym::toString(File.takeError());
    return Api;
  }
  for (const symtab::Symbol &S : (*File)->dynamicSymbols())
    if (S.Defined && S.Binding != symtab::SymbolBinding::Local &&
        (S.Version.empty() || S.VersionIsDefault) && isApiName(S.Name))
      Api.emplace(S.Name, S);
  return Api;
}

// cpyext's renaming, for checking PyPy independently of pysym's profile.
std::string pypyName(llvm::StringRef Name) {
  return llvm_compat::startsWith(Name, "_Py") ? "_PyPy" + Name.drop_front(3).str() : "PyPy" + Name.drop_front(2).str();
}

class InterpreterCommandTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(dumpBinary().empty()) << "PYSYM_DUMP is not set"; }
};

TEST_F(InterpreterCommandTest, PyPyByNameReportsItsLibraryAbiAndApiCounts) {
  if (!exists(PyPy) || !exists(LibPyPy))
    GTEST_SKIP() << PyPy << " or " << LibPyPy << " is not installed (Debian package pypy3)";
  Outcome R = dump({"interpreter", "pypy3", "--json"}, {"PATH=/usr/bin:/bin"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_EQ(D.getString("schema"), llvm_compat::Optional<llvm::StringRef>("pysym-dump/1"));
  EXPECT_EQ(D.getString("command"), llvm_compat::Optional<llvm::StringRef>("interpreter"));
  EXPECT_EQ(D.getString("path"), llvm_compat::Optional<llvm::StringRef>(PyPy));
  EXPECT_EQ(D.getString("implementation"), llvm_compat::Optional<llvm::StringRef>("pypy"));
  EXPECT_EQ(D.getString("version"), llvm_compat::Optional<llvm::StringRef>("3.9"));
  EXPECT_EQ(D.getBoolean("debug"), llvm_compat::Optional<bool>(false));
  EXPECT_EQ(realPath(llvm_compat::valueOr(D.getString("image"), "").str()), realPath(LibPyPy));
  // pypy3.9/object.h: {ob_refcnt, ob_pypy_link, ob_type}.
  EXPECT_EQ(D.getObject("abi")->getInteger("type_offset"), llvm_compat::Optional<int64_t>(16));
  EXPECT_EQ(D.getObject("abi")->getInteger("object_size"), llvm_compat::Optional<int64_t>(24));

  auto Api = apiOnDisk(LibPyPy);
  int64_t Functions = 0, Aliased = 0;
  for (const auto &[Name, S] : Api) {
    Functions += S.Type == symtab::SymbolType::Function;
    llvm::StringRef N(Name);
    // A PyPy-prefixed export is reached by alias unless its CPython name is
    // exported too (then that one is the exact match).
    bool Prefixed = llvm_compat::startsWith(N, "PyPy") || llvm_compat::startsWith(N, "_PyPy");
    std::string CPythonName = llvm_compat::startsWith(N, "_PyPy") ? "_Py" + N.drop_front(5).str()
                                                    : "Py" + N.drop_front(4).str();
    Aliased += Prefixed && !Api.count(CPythonName);
  }
  const llvm::json::Object *Counts = D.getObject("api");
  ASSERT_NE(Counts, nullptr) << R.Out;
  EXPECT_EQ(Counts->getInteger("total"), llvm_compat::Optional<int64_t>(Api.size()));
  EXPECT_EQ(Counts->getInteger("functions"), llvm_compat::Optional<int64_t>(Functions));
  EXPECT_EQ(Counts->getInteger("aliased"), llvm_compat::Optional<int64_t>(Aliased));
  EXPECT_EQ(D.getArray("symbols"), nullptr) << "symbols listed without --symbols";

  Outcome Text = dump({"interpreter", PyPy});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  EXPECT_NE(lineWith(Text.Out, {"implementation", "pypy"}), "") << Text.Out;
  EXPECT_NE(lineWith(Text.Out, {"exported", "API", std::to_string(Api.size())}), "") << Text.Out;
  EXPECT_EQ(Text.Out.find('\x1b'), std::string::npos) << "colour in output to a file";
}

TEST_F(InterpreterCommandTest, DebugBuildIsReportedAndReleaseIsNot) {
  for (const char *Path : {Python, PythonDebug}) {
    if (!exists(Path)) {
      ADD_FAILURE() << Path << " is not installed (Debian python3.11 / python3.11-dbg)";
      continue;
    }
    Outcome R = dump({"interpreter", Path, "--json"});
    ASSERT_EQ(R.Status, 0) << Path << ": " << R.Err;
    llvm::json::Object D = parseJson(R.Out);
    EXPECT_EQ(D.getBoolean("debug"), llvm_compat::Optional<bool>(Path == std::string(PythonDebug))) << Path;
    EXPECT_EQ(D.getString("implementation"), llvm_compat::Optional<llvm::StringRef>("cpython")) << Path;
    EXPECT_EQ(D.getObject("api")->getInteger("total"), llvm_compat::Optional<int64_t>(apiOnDisk(Path).size()))
        << Path;
  }
}

TEST_F(InterpreterCommandTest, SymbolsMapPyPyNamesBackToCPythonNames) {
  if (!exists(PyPy) || !exists(LibPyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  auto Api = apiOnDisk(LibPyPy);
  Outcome R = dump({"interpreter", PyPy, "--symbols", "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  const llvm::json::Array *Symbols = D.getArray("symbols");
  ASSERT_NE(Symbols, nullptr) << R.Out.substr(0, 2000);
  EXPECT_EQ(Symbols->size(), Api.size());
  std::set<std::string> Listed;
  for (const llvm::json::Value &V : *Symbols) {
    const llvm::json::Object &S = *V.getAsObject();
    std::string Name = llvm_compat::valueOr(S.getString("name"), "").str();
    Listed.insert(Name);
    auto OnDisk = Api.find(Name);
    ASSERT_NE(OnDisk, Api.end()) << Name << " is not exported by " << LibPyPy;
    EXPECT_EQ(S.getString("value"), llvm_compat::Optional<llvm::StringRef>(
                                        llvm::formatv("{0:x}", OnDisk->second.Value).str()))
        << Name;
    // Each CPython name credited to an export must be cpyext's renaming of it.
    for (const llvm::json::Value &CPythonName : *S.getArray("cpython_names"))
      EXPECT_EQ(pypyName(*CPythonName.getAsString()), Name);
  }
  EXPECT_EQ(Listed.size(), Api.size());

  auto entry = [&](llvm::StringRef Name) -> const llvm::json::Object * {
    for (const llvm::json::Value &V : *Symbols)
      if (V.getAsObject()->getString("name") == llvm_compat::Optional<llvm::StringRef>(Name))
        return V.getAsObject();
    return nullptr;
  };
  const llvm::json::Object *Long = entry("PyPyLong_FromLong");
  ASSERT_NE(Long, nullptr);
  EXPECT_EQ(Long->getString("kind"), llvm_compat::Optional<llvm::StringRef>("function"));
  ASSERT_EQ(Long->getArray("cpython_names")->size(), 1u);
  EXPECT_EQ((*Long->getArray("cpython_names"))[0].getAsString(),
            llvm_compat::Optional<llvm::StringRef>("PyLong_FromLong"));
  const llvm::json::Object *None = entry("_PyPy_NoneStruct");
  ASSERT_NE(None, nullptr);
  EXPECT_EQ(None->getString("kind"), llvm_compat::Optional<llvm::StringRef>("data"));

  Outcome Text = dump({"interpreter", PyPy, "--symbols"});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  EXPECT_NE(lineWith(Text.Out, {"PyPyLong_FromLong", "<-", "PyLong_FromLong", "function"}), "");
}

TEST_F(InterpreterCommandTest, SymbolsShowCPythonRenamesOnPyenv312AndLater) {
  std::vector<std::string> Newer;
  for (const std::string &Exe : pyenvPythons())
    if (llvm_compat::endsWith(Exe, "python3.12") || llvm_compat::endsWith(Exe, "python3.13"))
      Newer.push_back(Exe);
  if (Newer.empty())
    GTEST_SKIP() << "no pyenv CPython 3.12 or 3.13 ($(pyenv root)/versions/3.1[23].*)";
  for (const std::string &Exe : Newer) {
    Outcome R = dump({"interpreter", Exe, "--symbols", "--json"});
    ASSERT_EQ(R.Status, 0) << Exe << ": " << R.Err;
    bool Found = false;
    llvm::json::Object D = parseJson(R.Out);
    ASSERT_NE(D.getArray("symbols"), nullptr) << Exe;
    for (const llvm::json::Value &V : *D.getArray("symbols")) {
      const llvm::json::Object &S = *V.getAsObject();
      if (S.getString("name") != llvm_compat::Optional<llvm::StringRef>("PyUnstable_Code_New"))
        continue;
      Found = true;
      ASSERT_EQ(S.getArray("cpython_names")->size(), 1u) << Exe;
      EXPECT_EQ((*S.getArray("cpython_names"))[0].getAsString(),
                llvm_compat::Optional<llvm::StringRef>("PyCode_New"))
          << Exe;
    }
    EXPECT_TRUE(Found) << Exe << " does not list PyUnstable_Code_New";
  }
}

TEST_F(InterpreterCommandTest, MissingListsWhatTheReferenceHasAndPyPyCannotResolve) {
  if (!exists(PyPy) || !exists(LibPyPy) || !exists(Python))
    GTEST_SKIP() << PyPy << " or " << Python << " is not installed";
  auto Reference = apiOnDisk(Python);
  auto Here = apiOnDisk(LibPyPy);
  Outcome R = dump({"interpreter", PyPy, "--missing", "--reference", Python, "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  const llvm::json::Object *Missing = D.getObject("missing");
  ASSERT_NE(Missing, nullptr) << R.Out.substr(0, 2000);
  EXPECT_EQ(Missing->getInteger("total"), llvm_compat::Optional<int64_t>(Reference.size()));
  int64_t Sum = 0;
  for (const auto &Count : *Missing->getObject("counts"))
    Sum += llvm_compat::valueOr(Count.second.getAsInteger(), 0);
  EXPECT_EQ(Sum, int64_t(Reference.size()));
  const llvm::json::Array *Names = Missing->getArray("names");
  ASSERT_NE(Names, nullptr);
  EXPECT_EQ(int64_t(Names->size()), llvm_compat::valueOr(Missing->getObject("counts")->getInteger("missing"), -1));
  std::set<std::string> Listed;
  for (const llvm::json::Value &V : *Names) {
    const llvm::json::Object &S = *V.getAsObject();
    std::string Name = llvm_compat::valueOr(S.getString("name"), "").str();
    Listed.insert(Name);
    EXPECT_TRUE(Reference.count(Name)) << Name << " is not exported by " << Python;
    EXPECT_FALSE(Here.count(Name) || Here.count(pypyName(Name)))
        << Name << " is exported by " << LibPyPy << " yet listed missing";
    EXPECT_FALSE(llvm_compat::valueOr(S.getString("why"), "").empty()) << Name;
  }
  // Everything PyPy exports under either name resolves, so is not listed.
  for (const auto &[Name, S] : Reference) {
    if (Here.count(Name) || Here.count(pypyName(Name))) {
      EXPECT_FALSE(Listed.count(Name)) << Name;
    }
  }

  Outcome Text = dump({"interpreter", PyPy, "--missing", "--reference", Python});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  ASSERT_FALSE(Listed.empty());
  EXPECT_NE(lineWith(Text.Out, {*Listed.begin(), "not", "exported"}), "") << Text.Out.substr(0, 3000);
}

TEST_F(InterpreterCommandTest, ABareNameSkipsScriptsOnThePathLikePyenvShims) {
  if (!exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  std::string Shims = temporaryDirectory();
  std::string Shim = Shims + "/python3.11";
  writeFile(Shim, "#!/usr/bin/env bash\nexec pyenv exec python3.11 \"$@\"\n");
  ASSERT_EQ(::chmod(Shim.c_str(), 0755), 0);

  Outcome Found = dump({"interpreter", "python3.11", "--json"}, {"PATH=" + Shims + ":/usr/bin"});
  ASSERT_EQ(Found.Status, 0) << Found.Err;
  EXPECT_EQ(parseJson(Found.Out).getString("path"), llvm_compat::Optional<llvm::StringRef>(Python));

  Outcome OnlyShim = dump({"interpreter", "python3.11"}, {"PATH=" + Shims});
  EXPECT_EQ(OnlyShim.Status, 2);
  EXPECT_NE(OnlyShim.Err.find("interpreter 'python3.11'"), std::string::npos) << OnlyShim.Err;
  EXPECT_NE(OnlyShim.Err.find("skipped, not ELF: " + Shim), std::string::npos) << OnlyShim.Err;
}

TEST_F(InterpreterCommandTest, HelpListsTheOfflineSubcommands) {
  Outcome Top = dump({"--help"});
  EXPECT_EQ(Top.Status, 0) << Top.Err;
  for (const char *Name : {"interpreter", "check", "coverage"})
    EXPECT_NE(lineWith(Top.Out, {Name}), "") << Name << " missing from\n" << Top.Out;
  Outcome Own = dump({"interpreter", "--help"});
  EXPECT_EQ(Own.Status, 0) << Own.Err;
  EXPECT_NE(Own.Out.find("--reference PATH|NAME"), std::string::npos) << Own.Out;
}

TEST_F(InterpreterCommandTest, BadInputExitsTwoWithOneLineNamingTheProblem) {
  std::string Text = temporaryFile("txt");
  writeFile(Text, "This is a text file, not an interpreter; pysym-dump must say so plainly.\n");
  std::string Missing = Text + "-no-such-file";
  struct Case {
    std::vector<std::string> Arguments;
    std::vector<std::string> Fragments;
  };
  std::vector<Case> Cases = {
      {{"interpreter", Missing}, {Missing, "No such file"}},
      {{"interpreter", Text}, {Text, "not an ELF file"}},
      {{"interpreter", "/lib/x86_64-linux-gnu/libc.so.6"}, {"libc.so.6", "not a Python interpreter"}},
      {{"interpreter", "python9.99"}, {"interpreter 'python9.99'", "no ELF executable"}},
      {{"interpreter"}, {"missing PATH|NAME"}},
      {{"interpreter", Python, "--reference", Python}, {"--reference needs --missing"}},
      {{"interpreter", Python, "--missing", "--reference", Missing}, {"--reference", Missing}},
  };
  for (const Case &C : Cases) {
    std::string Command = "pysym-dump " + llvm::join(C.Arguments, " ");
    Outcome R = dump(C.Arguments);
    EXPECT_EQ(R.Status, 2) << Command;
    EXPECT_EQ(R.Out, "") << Command;
    EXPECT_TRUE(llvm_compat::startsWith(R.Err, "pysym-dump: ")) << Command << ": " << R.Err;
    EXPECT_EQ(std::count(R.Err.begin(), R.Err.end(), '\n'), 1) << Command << ": " << R.Err;
    for (const std::string &Fragment : C.Fragments)
      EXPECT_NE(R.Err.find(Fragment), std::string::npos) << Command << ": " << R.Err;
  }
}

}  // namespace
}  // namespace pysym::dump
