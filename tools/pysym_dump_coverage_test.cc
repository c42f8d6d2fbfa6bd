// Runs `pysym-dump coverage` with name lists written here and with this
// machine's interpreters as the source of names.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "tests/data_files.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_testing.h"

namespace pysym::dump {
namespace {

using namespace testing;

const char *const PyPy = "/usr/bin/pypy3";
const char *const Python = "/usr/bin/python3.11";

int64_t count(const llvm::json::Object &D, llvm::StringRef Status) {
  const llvm::json::Object *Counts = D.getObject("counts");
  return Counts ? llvm_compat::valueOr(Counts->getInteger(Status), -1) : -1;
}

int64_t sumOfCounts(const llvm::json::Object &D) {
  int64_t Sum = 0;
  for (llvm::StringRef S : {"exact", "alias", "substitute", "system", "missing"})
    Sum += count(D, S);
  return Sum;
}

std::map<std::string, llvm::json::Object> namesOf(const llvm::json::Object &D) {
  std::map<std::string, llvm::json::Object> Names;
  if (const llvm::json::Array *All = D.getArray("names"))
    for (const llvm::json::Value &V : *All)
      Names.emplace(llvm_compat::valueOr(V.getAsObject()->getString("name"), "").str(), *V.getAsObject());
  return Names;
}

class CoverageCommandTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(dumpBinary().empty()) << "PYSYM_DUMP is not set"; }
};

TEST_F(CoverageCommandTest, ANameListIsCountedByStatusOnPyPy) {
  if (!exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  std::string List = temporaryFile("txt");
  writeFile(List, "# names to measure\n"
                  "F PyLong_FromLong\n"
                  "D _Py_NoneStruct   # the object itself\n"
                  "function _Py_c_pow\n"
                  "PyPysym_NoSuchFunction\n"
                  "data PyTuple_Pack\n"
                  "cos\n");
  Outcome R = dump({"coverage", "--names", List, "--to", PyPy, "--list", "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_EQ(D.getString("command"), llvm_compat::Optional<llvm::StringRef>("coverage"));
  EXPECT_EQ(D.getObject("source")->getString("kind"), llvm_compat::Optional<llvm::StringRef>("name-list"));
  EXPECT_EQ(D.getInteger("total"), llvm_compat::Optional<int64_t>(6));
  EXPECT_EQ(count(D, "alias"), 3);  // PyLong_FromLong, _Py_NoneStruct, PyTuple_Pack
  EXPECT_EQ(count(D, "substitute"), 1);
  EXPECT_EQ(count(D, "system"), 1);
  EXPECT_EQ(count(D, "missing"), 1);
  EXPECT_EQ(count(D, "exact"), 0);
  // PyTuple_Pack is a function, though the list says data.
  const llvm::json::Array *Mismatches = D.getArray("kind_mismatches");
  ASSERT_NE(Mismatches, nullptr);
  ASSERT_EQ(Mismatches->size(), 1u);
  EXPECT_EQ((*Mismatches)[0].getAsString(), llvm_compat::Optional<llvm::StringRef>("PyTuple_Pack"));
  auto Names = namesOf(D);
  ASSERT_EQ(Names.size(), 6u);
  EXPECT_EQ(Names["_Py_NoneStruct"].getString("target"), llvm_compat::Optional<llvm::StringRef>("_PyPy_NoneStruct"));
  EXPECT_EQ(Names["_Py_NoneStruct"].getString("listed_kind"), llvm_compat::Optional<llvm::StringRef>("data"));
  EXPECT_EQ(Names["cos"].getString("listed_kind"), llvm_compat::Optional<llvm::StringRef>());
  EXPECT_FALSE(llvm_compat::valueOr(Names["PyPysym_NoSuchFunction"].getString("why"), "").empty());

  Outcome Text = dump({"coverage", "--names", List, "--to", PyPy, "--list"});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  EXPECT_NE(lineWith(Text.Out, {"PyLong_FromLong", "alias", "PyPyLong_FromLong"}), "") << Text.Out;
  EXPECT_NE(lineWith(Text.Out, {"alias", "3", "50.0%"}), "") << Text.Out;
  EXPECT_NE(lineWith(Text.Out, {"total", "6", "100.0%"}), "") << Text.Out;
  // Without --list, only the counts.
  Outcome Counts = dump({"coverage", "--names", List, "--to", PyPy});
  EXPECT_EQ(lineWith(Counts.Out, {"PyLong_FromLong"}), "") << Counts.Out;
}

TEST_F(CoverageCommandTest, AnInterpretersOwnApiResolvesExactlyOnItself) {
  if (!exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  Outcome R = dump({"coverage", "--from", Python, "--to", Python, "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_GT(llvm_compat::valueOr(D.getInteger("total"), 0), 1000);
  EXPECT_EQ(count(D, "exact"), llvm_compat::valueOr(D.getInteger("total"), -1));
  EXPECT_EQ(D.getObject("source")->getString("kind"), llvm_compat::Optional<llvm::StringRef>("interpreter"));
}

TEST_F(CoverageCommandTest, PyPysNamesAreMeasuredAsCPythonNames) {
  if (!exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  Outcome Self = dump({"coverage", "--from", PyPy, "--to", PyPy, "--list", "--json"});
  ASSERT_EQ(Self.Status, 0) << Self.Err;
  llvm::json::Object D = parseJson(Self.Out);
  auto Names = namesOf(D);
  ASSERT_FALSE(Names.empty());
  EXPECT_TRUE(Names.count("PyLong_FromLong"));
  for (const auto &[Name, Entry] : Names) {
    // Every name came from PyPy's exports, so each resolves on PyPy, and by
    // its C-level name: a PyPy-prefixed one only when it is PyPy's own API
    // that cpyext prefixes once more (_PyPy_Free is exported as _PyPyPy_Free).
    EXPECT_NE(Entry.getString("status"), llvm_compat::Optional<llvm::StringRef>("missing")) << Name;
    if (llvm_compat::startsWith(Name, "PyPy") || llvm_compat::startsWith(Name, "_PyPy")) {
      EXPECT_EQ(Entry.getString("status"), llvm_compat::Optional<llvm::StringRef>("alias"))
          << Name << " is an exported PyPy spelling, not a name code uses";
    }
  }
  EXPECT_EQ(sumOfCounts(D), llvm_compat::valueOr(D.getInteger("total"), -1));
}

TEST_F(CoverageCommandTest, DataListsAreCountedCompletely) {
  std::string Numba = pysym::testing::dataFile("PYSYM_NUMBA_NAMES");
  std::string Abi = pysym::testing::dataFile("PYSYM_STABLE_ABI");
  ASSERT_FALSE(Numba.empty()) << pysym::testing::dataFileUnset("PYSYM_NUMBA_NAMES");
  ASSERT_FALSE(Abi.empty()) << pysym::testing::dataFileUnset("PYSYM_STABLE_ABI");
  if (!exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  for (const auto &[List, Size] : {std::pair<std::string, int64_t>{Numba, 128}, {Abi, 859}}) {
    Outcome R = dump({"coverage", "--names", List, "--to", PyPy, "--json"});
    ASSERT_EQ(R.Status, 0) << R.Err;
    llvm::json::Object D = parseJson(R.Out);
    EXPECT_EQ(D.getInteger("total"), llvm_compat::Optional<int64_t>(Size)) << List;
    EXPECT_EQ(sumOfCounts(D), Size) << List;
  }
}

TEST_F(CoverageCommandTest, BadInputExitsTwoWithOneLineNamingTheProblem) {
  std::string BadList = temporaryFile("txt");
  writeFile(BadList, "F PyLong_FromLong\nQ PyTuple_New\n");
  std::string Missing = BadList + "-no-such-file";
  struct Case {
    std::vector<std::string> Arguments;
    std::vector<std::string> Fragments;
  };
  std::vector<Case> Cases = {
      {{"coverage", "--names", Missing, "--to", Python}, {Missing, "No such file"}},
      {{"coverage", "--names", BadList, "--to", Python}, {BadList + ":2:", "unknown kind 'Q'"}},
      {{"coverage", "--to", Python}, {"missing --from PATH|NAME or --names FILE"}},
      {{"coverage", "--from", Python, "--names", BadList, "--to", Python}, {"not both"}},
      {{"coverage", "--from", Python}, {"missing --to"}},
      {{"coverage", "--from", Python, "--to", "python9.99"}, {"--to:", "interpreter 'python9.99'"}},
      {{"coverage", "--from", Missing, "--to", Python}, {"--from:", Missing}},
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
