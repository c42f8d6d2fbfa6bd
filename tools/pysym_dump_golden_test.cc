// Compares `pysym-dump interpreter --symbols --json` for each interpreter on
// this machine with its golden file in tests/golden/, so that a change in
// what pysym reads or maps (names, kinds, types, versions, CPython names,
// ABI facts, files read) shows up as a reviewed diff.
//
// Addresses are masked, since they move with every rebuild of an
// interpreter, and pyenv's root becomes "$PYENV_ROOT". With
// PYSYM_UPDATE_GOLDEN set to a directory, the files are written there
// instead of compared: tools/update_golden.sh does that.
#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "tools/pysym_dump_offline.h"
#include "tools/pysym_dump_testing.h"

namespace pysym::dump {
namespace {

using namespace testing;

// Relative to the test's working directory, the runfiles tree.
const char *const GoldenDirectory = "tests/golden";
const char *const MaskedAddress = "0x(masked)";

struct Interpreter {
  std::string Name;  // the golden file's name without .json
  std::string Path;  // "" when this machine does not have it
};

// For gtest's messages: the name, not the object's bytes.
void PrintTo(const Interpreter &I, std::ostream *OS) { *OS << I.Name; }

// The interpreters this machine has, and those a golden file names: Debian's
// three, and each pyenv CPython as pyenv-X.Y.Z.
std::vector<Interpreter> interpreters() {
  std::vector<Interpreter> All = {{"pypy3", "/usr/bin/pypy3"},
                                  {"python3.11", "/usr/bin/python3.11"},
                                  {"python3.11d", "/usr/bin/python3.11d"}};
  for (Interpreter &I : All)
    if (!exists(I.Path))
      I.Path.clear();
  for (const std::string &Exe : pyenvPythons()) {
    // <root>/versions/X.Y.Z/bin/pythonX.Y
    llvm::StringRef Version = llvm::sys::path::filename(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe)));
    All.push_back({"pyenv-" + Version.str(), Exe});
  }
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(GoldenDirectory, EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef File = llvm::sys::path::filename(It->path());
    if (!File.consume_back(".json"))
      continue;
    bool Known = std::any_of(All.begin(), All.end(), [&](const Interpreter &I) { return I.Name == File; });
    if (!Known)
      All.push_back({File.str(), ""});
  }
  return All;
}

// Replaces pyenv's root in every string of `V`, and masks each symbol value.
void normalise(llvm::json::Value &V, const std::string &PyenvRoot) {
  if (auto S = V.getAsString()) {
    std::string Text = S->str();
    if (!PyenvRoot.empty())
      for (size_t At; (At = Text.find(PyenvRoot)) != std::string::npos;)
        Text.replace(At, PyenvRoot.size(), "$PYENV_ROOT");
    V = Text;
  } else if (auto *A = V.getAsArray()) {
    for (llvm::json::Value &E : *A)
      normalise(E, PyenvRoot);
  } else if (auto *O = V.getAsObject()) {
    for (auto &Entry : *O)
      normalise(Entry.second, PyenvRoot);
  }
}

// The golden text: one top-level field a line, and one symbol a line, so a
// diff shows which symbols changed.
std::string goldenText(llvm::json::Object Document) {
  if (llvm::json::Array *Symbols = Document.getArray("symbols"))
    for (llvm::json::Value &S : *Symbols)
      if (llvm::json::Object *Symbol = S.getAsObject())
        (*Symbol)["value"] = MaskedAddress;
  std::vector<std::string> Keys;
  for (const auto &Entry : Document)
    Keys.push_back(Entry.first.str());
  std::sort(Keys.begin(), Keys.end());
  std::string Text = "{\n";
  for (size_t I = 0; I < Keys.size(); ++I) {
    const llvm::json::Value &Field = *Document.get(Keys[I]);
    Text += "  \"" + Keys[I] + "\": ";
    const llvm::json::Array *Symbols = Keys[I] == "symbols" ? Field.getAsArray() : nullptr;
    if (Symbols && !Symbols->empty()) {
      Text += "[\n";
      for (size_t J = 0; J < Symbols->size(); ++J)
        Text += "    " + llvm::formatv("{0}", (*Symbols)[J]).str() + (J + 1 < Symbols->size() ? ",\n" : "\n");
      Text += "  ]";
    } else {
      Text += llvm::formatv("{0}", Field).str();
    }
    Text += I + 1 < Keys.size() ? ",\n" : "\n";
  }
  return Text + "}\n";
}

// The first line where `Actual` and `Golden` differ, for the failure message.
std::string firstDifference(llvm::StringRef Actual, llvm::StringRef Golden) {
  llvm::SmallVector<llvm::StringRef, 0> A, G;
  Actual.split(A, '\n');
  Golden.split(G, '\n');
  for (size_t I = 0; I < std::max(A.size(), G.size()); ++I) {
    llvm::StringRef Now = I < A.size() ? A[I] : "(end of output)";
    llvm::StringRef Was = I < G.size() ? G[I] : "(end of file)";
    if (Now != Was)
      return llvm::formatv("line {0}:\n  golden: {1}\n  now:    {2}", I + 1, Was, Now).str();
  }
  return "";
}

class GoldenTest : public ::testing::TestWithParam<Interpreter> {};

TEST_P(GoldenTest, InterpreterSymbolsMatchTheGoldenFile) {
  const Interpreter &I = GetParam();
  if (I.Path.empty())
    GTEST_SKIP() << I.Name << " is not on this machine; its golden file is not checked";
  ASSERT_FALSE(dumpBinary().empty()) << "PYSYM_DUMP is not set";
  Outcome R = dump({"interpreter", I.Path, "--symbols", "--json"});
  ASSERT_EQ(R.Status, 0) << I.Path << ": " << R.Err;
  llvm::json::Value Document(parseJson(R.Out));
  normalise(Document, pyenvRoot());
  ASSERT_NE(Document.getAsObject(), nullptr);
  std::string Actual = goldenText(*Document.getAsObject());

  std::string File = I.Name + ".json";
  if (const char *UpdateDirectory = std::getenv("PYSYM_UPDATE_GOLDEN")) {
    writeFile(std::string(UpdateDirectory) + "/" + File, Actual);
    return;
  }
  std::string GoldenPath = std::string(GoldenDirectory) + "/" + File;
  ASSERT_TRUE(exists(GoldenPath)) << "no tests/golden/" << File << " for " << I.Path
                                  << ": run tools/update_golden.sh and review the new file";
  std::string Golden = readFile(GoldenPath);
  EXPECT_TRUE(Actual == Golden) << I.Path << " differs from tests/golden/" << File << " at "
                                << firstDifference(Actual, Golden)
                                << "\nIf the change is intended, run tools/update_golden.sh and "
                                   "review the diff.";
}

INSTANTIATE_TEST_SUITE_P(Interpreters, GoldenTest, ::testing::ValuesIn(interpreters()),
                         [](const ::testing::TestParamInfo<Interpreter> &Info) {
                           std::string Name = Info.param.Name;
                           for (char &C : Name)
                             if (!llvm::isAlnum(C))
                               C = '_';
                           return Name;
                         });

}  // namespace
}  // namespace pysym::dump
