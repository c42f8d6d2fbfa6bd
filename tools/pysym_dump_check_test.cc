// Runs `pysym-dump check` on kernels written here, as IR text, bitcode and
// an ELF object, against this machine's interpreters.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_testing.h"

namespace pysym::dump {
namespace {

using namespace testing;

const char *const PyPy = "/usr/bin/pypy3";
const char *const Python = "/usr/bin/python3.11";
const char *const Llc = "/usr/bin/llc-14";

// Calls the C API by CPython's names, uses one intrinsic (which must not be
// listed), declares one function it never calls (which must not be listed
// either), and weakly references a name nothing defines.
const char *const Kernel = R"(
target triple = "x86_64-pc-linux-gnu"

@_Py_NoneStruct = external global i8
@PyExc_ValueError = external global i8*
@pysym_test_optional = extern_weak global i8

declare i8* @PyLong_FromLong(i64)
declare void @Py_IncRef(i8*)
declare { double, double } @_Py_c_pow({ double, double }, { double, double })
declare double @cos(double)
declare void @PyNever_Called()
declare void @llvm.memset.p0i8.i64(i8*, i8, i64, i1)

define i8* @kernel(i64 %n, i8* %buffer) {
  call void @llvm.memset.p0i8.i64(i8* %buffer, i8 0, i64 8, i1 false)
  %x = call double @cos(double 1.0)
  %c = call { double, double } @_Py_c_pow({ double, double } zeroinitializer, { double, double } zeroinitializer)
  %e = load i8*, i8** @PyExc_ValueError
  call void @Py_IncRef(i8* @_Py_NoneStruct)
  call void @Py_IncRef(i8* %e)
  call void @Py_IncRef(i8* @pysym_test_optional)
  %r = call i8* @PyLong_FromLong(i64 %n)
  ret i8* %r
}
)";

const char *const MissingKernel = R"(
declare void @PyPysym_NoSuchFunction()
define void @kernel() {
  call void @PyPysym_NoSuchFunction()
  ret void
}
)";

const std::vector<std::string> Expected = {"PyExc_ValueError", "PyLong_FromLong", "Py_IncRef",
                                           "_Py_NoneStruct",   "_Py_c_pow",       "cos",
                                           "pysym_test_optional"};

std::string kernelFile(const char *Text) {
  std::string Path = temporaryFile("ll");
  writeFile(Path, Text);
  return Path;
}

// The kernel as bitcode, written by LLVM itself.
std::string bitcodeFile(const char *Text) {
  llvm::LLVMContext Context;
  llvm::SMDiagnostic Diagnostic;
  auto M = llvm::parseIR(llvm::MemoryBufferRef(Text, "kernel"), Diagnostic, Context);
  if (!M) {
    ADD_FAILURE() << Diagnostic.getMessage().str();
    return "";
  }
  std::string Path = temporaryFile("bc");
  std::error_code EC;
  llvm::raw_fd_ostream Out(Path, EC);
  EXPECT_FALSE(EC) << EC.message();
  llvm::WriteBitcodeToFile(*M, Out);
  return Path;
}

// The symbols of a `check --json` document's first kernel, by name.
std::map<std::string, llvm::json::Object> symbolsOf(const llvm::json::Object &D) {
  std::map<std::string, llvm::json::Object> Symbols;
  const llvm::json::Array *Kernels = D.getArray("kernels");
  if (!Kernels || Kernels->empty()) {
    ADD_FAILURE() << "no kernels in the document";
    return Symbols;
  }
  for (const llvm::json::Value &V : *(*Kernels)[0].getAsObject()->getArray("symbols"))
    Symbols.emplace(llvm_compat::valueOr(V.getAsObject()->getString("name"), "").str(), *V.getAsObject());
  return Symbols;
}

std::vector<std::string> namesOf(const std::map<std::string, llvm::json::Object> &Symbols) {
  std::vector<std::string> Names;
  for (const auto &Entry : Symbols)
    Names.push_back(Entry.first);
  return Names;
}

llvm_compat::Optional<llvm::StringRef> field(const std::map<std::string, llvm::json::Object> &Symbols,
                                      const std::string &Name, llvm::StringRef Key) {
  auto It = Symbols.find(Name);
  if (It == Symbols.end())
    return {};
  return It->second.getString(Key);
}

class CheckCommandTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(dumpBinary().empty()) << "PYSYM_DUMP is not set"; }
};

TEST_F(CheckCommandTest, IrKernelOnPyPyResolvesByAliasSubstituteAndSystem) {
  if (!exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  std::string Path = kernelFile(Kernel);
  Outcome R = dump({"check", Path, "--interpreter", PyPy, "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err << R.Out;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_EQ(D.getString("command"), llvm_compat::Optional<llvm::StringRef>("check"));
  auto Symbols = symbolsOf(D);
  EXPECT_EQ(namesOf(Symbols), Expected);
  EXPECT_EQ(field(Symbols, "PyLong_FromLong", "status"), llvm_compat::Optional<llvm::StringRef>("alias"));
  EXPECT_EQ(field(Symbols, "PyLong_FromLong", "target"),
            llvm_compat::Optional<llvm::StringRef>("PyPyLong_FromLong"));
  EXPECT_EQ(field(Symbols, "_Py_NoneStruct", "target"), llvm_compat::Optional<llvm::StringRef>("_PyPy_NoneStruct"));
  EXPECT_EQ(field(Symbols, "_Py_NoneStruct", "declared_kind"), llvm_compat::Optional<llvm::StringRef>("data"));
  EXPECT_EQ(field(Symbols, "_Py_c_pow", "status"), llvm_compat::Optional<llvm::StringRef>("substitute"));
  EXPECT_EQ(field(Symbols, "cos", "status"), llvm_compat::Optional<llvm::StringRef>("system"));
  EXPECT_TRUE(llvm_compat::valueOr(field(Symbols, "cos", "image"), "").contains("libm")) << R.Out;
  // The weak reference is missing, yet the kernel links: it reads as null.
  EXPECT_EQ(field(Symbols, "pysym_test_optional", "status"), llvm_compat::Optional<llvm::StringRef>("missing"));
  EXPECT_EQ(D.getInteger("failing"), llvm_compat::Optional<int64_t>(0));
  EXPECT_EQ(D.getBoolean("links"), llvm_compat::Optional<bool>(true));

  Outcome Text = dump({"check", Path, "--interpreter", PyPy});
  EXPECT_EQ(Text.Status, 0) << Text.Err;
  EXPECT_NE(lineWith(Text.Out, {"PyLong_FromLong", "alias", "PyPyLong_FromLong"}), "") << Text.Out;
  EXPECT_NE(lineWith(Text.Out, {"pysym_test_optional", "missing", "weak,"}), "") << Text.Out;
}

TEST_F(CheckCommandTest, AMissingNameExitsOneAndSaysWhy) {
  if (!exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  std::string Good = kernelFile(Kernel), Bad = kernelFile(MissingKernel);
  Outcome R = dump({"check", Good, Bad, "--interpreter", Python, "--json"});
  EXPECT_EQ(R.Status, 1) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_EQ(D.getInteger("failing"), llvm_compat::Optional<int64_t>(1));
  ASSERT_EQ(D.getArray("kernels")->size(), 2u);
  // On CPython the C API names are exact.
  auto Symbols = symbolsOf(D);
  EXPECT_EQ(field(Symbols, "PyLong_FromLong", "status"), llvm_compat::Optional<llvm::StringRef>("exact"));
  EXPECT_EQ(field(Symbols, "_Py_c_pow", "status"), llvm_compat::Optional<llvm::StringRef>("exact"));

  Outcome Text = dump({"check", Bad, "--interpreter", Python});
  EXPECT_EQ(Text.Status, 1) << Text.Err;
  std::string Line = lineWith(Text.Out, {"PyPysym_NoSuchFunction", "missing"});
  EXPECT_NE(Line.find("not exported"), std::string::npos) << Text.Out;
  EXPECT_NE(Text.Out.find("linking would fail"), std::string::npos) << Text.Out;
}

TEST_F(CheckCommandTest, BitcodeAndObjectListTheSameNamesAsText) {
  if (!exists(PyPy))
    GTEST_SKIP() << PyPy << " is not installed (Debian package pypy3)";
  std::string Bitcode = bitcodeFile(Kernel);
  Outcome R = dump({"check", Bitcode, "--interpreter", PyPy, "--json"});
  ASSERT_EQ(R.Status, 0) << R.Err;
  llvm::json::Object D = parseJson(R.Out);
  EXPECT_EQ((*D.getArray("kernels"))[0].getAsObject()->getString("format"),
            llvm_compat::Optional<llvm::StringRef>("llvm-bitcode"));
  EXPECT_EQ(namesOf(symbolsOf(D)), Expected);

  if (!exists(Llc))
    GTEST_SKIP() << Llc << " is not installed (Debian package llvm-14), so no object to check";
  std::string Object = temporaryFile("o");
  Outcome Compiled = runProgram(Llc, {"-filetype=obj", "-relocation-model=pic", "-o", Object,
                                      kernelFile(Kernel)});
  ASSERT_EQ(Compiled.Status, 0) << Compiled.Err;
  Outcome O = dump({"check", Object, "--interpreter", PyPy, "--json"});
  ASSERT_EQ(O.Status, 0) << O.Err;
  llvm::json::Object OD = parseJson(O.Out);
  EXPECT_EQ((*OD.getArray("kernels"))[0].getAsObject()->getString("format"),
            llvm_compat::Optional<llvm::StringRef>("elf-relocatable"));
  // memset (the intrinsic lowered to a libc call) appears in the object only;
  // _GLOBAL_OFFSET_TABLE_ never does, since the JIT linker defines it.
  std::vector<std::string> Names = namesOf(symbolsOf(OD));
  Names.erase(std::remove(Names.begin(), Names.end(), "memset"), Names.end());
  EXPECT_EQ(Names, Expected) << O.Out;
  EXPECT_EQ(OD.getInteger("failing"), llvm_compat::Optional<int64_t>(0));
}

TEST_F(CheckCommandTest, BadKernelsExitTwoWithOneLineNamingTheProblem) {
  std::string Broken = kernelFile("define void @kernel() {\n  call void @nothing(\n}\n");
  // Invalid (an instruction used before its definition), with the
  // debug-info flag whose upgrade makes LLVM 14's parseIR verify and abort.
  std::string Unverifiable = kernelFile(R"(
declare i32 @PyPysym_Unverified(i32)
define i32 @kernel() {
  %a = call i32 @PyPysym_Unverified(i32 %b)
  %b = add i32 %a, 1
  ret i32 %a
}
!llvm.module.flags = !{!0}
!0 = !{i32 2, !"Debug Info Version", i32 3}
)");
  std::string Truncated = temporaryFile("bc");
  writeFile(Truncated, llvm::StringRef("BC\xC0\xDE\x35\x14\x00\x00\x05", 9));
  // Shorter than the 4-byte bitcode magic, which LLVM reads unchecked.
  std::string TwoBytes = temporaryFile("bc");
  writeFile(TwoBytes, "BC");
  std::string Text = kernelFile("this is not IR\n");
  std::string Missing = Text + "-no-such-file";
  std::string Directory = temporaryDirectory();
  const char *Libc = "/lib/x86_64-linux-gnu/libc.so.6";
  std::string Good = kernelFile(MissingKernel);

  struct Case {
    std::vector<std::string> Arguments;
    std::vector<std::string> Fragments;
  };
  std::vector<Case> Cases = {
      {{"check", Broken, "--interpreter", Python}, {Broken + ":3:", "IR does not parse"}},
      {{"check", Text, "--interpreter", Python}, {Text + ":1:", "IR does not parse"}},
      {{"check", Truncated, "--interpreter", Python}, {Truncated, "bitcode does not load"}},
      {{"check", TwoBytes, "--interpreter", Python}, {TwoBytes + ":1:", "IR does not parse"}},
      {{"check", Missing, "--interpreter", Python}, {Missing, "No such file"}},
      {{"check", Directory, "--interpreter", Python}, {Directory, "directory"}},
      {{"check", Libc, "--interpreter", Python}, {Libc, "not a relocatable object"}},
      {{"check", Good}, {"missing --interpreter"}},
      {{"check", "--interpreter", Python}, {"missing KERNEL"}},
      {{"check", Good, "--interpreter", "python9.99"}, {"interpreter 'python9.99'"}},
      {{"check", Good, "--interpreter", Libc}, {"not a Python interpreter"}},
  };
  for (const Case &C : Cases) {
    std::string Command = "pysym-dump " + llvm::join(C.Arguments, " ");
    Outcome R = dump(C.Arguments);
    EXPECT_EQ(R.Status, 2) << Command << "\n" << R.Out;
    EXPECT_EQ(R.Out, "") << Command;
    EXPECT_TRUE(llvm_compat::startsWith(R.Err, "pysym-dump: ")) << Command << ": " << R.Err;
    EXPECT_EQ(std::count(R.Err.begin(), R.Err.end(), '\n'), 1) << Command << ": " << R.Err;
    for (const std::string &Fragment : C.Fragments)
      EXPECT_NE(R.Err.find(Fragment), std::string::npos) << Command << ": " << R.Err;
  }

  // The unverifiable module parses (check lists names; it does not compile),
  // so its one declaration is listed, and the process ends normally.
  Outcome R = dump({"check", Unverifiable, "--interpreter", Python});
  EXPECT_EQ(R.Status, 1) << R.Err;
  EXPECT_NE(lineWith(R.Out, {"PyPysym_Unverified", "missing"}), "") << R.Out;
}

}  // namespace
}  // namespace pysym::dump
