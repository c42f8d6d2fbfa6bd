// Tests of the embedded-interpreter helper, once per interpreter (see BUILD).
#include "tests/embedded_python.h"

#include <dlfcn.h>

#include <array>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pysym::testing {
namespace {

using ::testing::HasSubstr;

// PyPy's None as the process first saw it, before any test could start
// cpyext: {ob_refcnt, ob_pypy_link, ob_type}.
std::array<long, 3> PyPyNoneAtStart{};
bool PyPyNoneRecorded = false;
bool PyPyCApiReadyAtStart = true;
bool PyPyHoldGilRefusedAtStart = false;

class RecordStartState : public ::testing::Environment {
  void SetUp() override {
    auto Python = processInterpreter();
    if (!Python) {
      // The tests report the same failure through PYSYM_EMBEDDED_PYTHON_OR_SKIP.
      llvm::consumeError(Python.takeError());
      return;
    }
    if (!*Python || (*Python)->flavor() != Flavor::PyPy)
      return;
    auto *None = static_cast<const long *>((*Python)->symbol("_PyPy_NoneStruct"));
    std::copy(None, None + 3, PyPyNoneAtStart.begin());
    PyPyNoneRecorded = true;
    PyPyCApiReadyAtStart = (*Python)->cApiReady();
    auto Gil = (*Python)->holdGil();
    PyPyHoldGilRefusedAtStart = !Gil;
    if (!Gil)
      // The refusal itself is what the test checks, not its wording.
      llvm::consumeError(Gil.takeError());
  }
};
const auto *const Recorder = ::testing::AddGlobalTestEnvironment(new RecordStartState);

// Starts the C API where a test needs it: idempotent, and a no-op on CPython.
void startCApi(EmbeddedPython &Python) {
  if (Python.flavor() == Flavor::PyPy) {
    ASSERT_FALSE(errorToBool(Python.run("import cpyext")));
  }
  ASSERT_TRUE(Python.cApiReady());
}

TEST(EmbeddedPythonTest, RunsCodeAndReadsTheResultBackThroughTheCApi) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  ASSERT_NO_FATAL_FAILURE(startCApi(*Python));
  ASSERT_FALSE(errorToBool(Python->run("x = 6*7")));
  // A separate run: __main__'s namespace must persist between them.
  auto Value = Python->evaluate("x");
  ASSERT_TRUE(bool(Value)) << llvm::toString(Value.takeError());
  auto *AsLong = Python->api<long(PyObjectPtr)>("PyLong_AsLong");
  auto *DecRef = Python->api<void(PyObjectPtr)>("Py_DecRef");
  ASSERT_NE(AsLong, nullptr);
  ASSERT_NE(DecRef, nullptr);
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil)) << llvm::toString(Gil.takeError());
  EXPECT_EQ(AsLong(*Value), 42);
  DecRef(*Value);
}

TEST(EmbeddedPythonTest, EvaluateOfNoneIsTheExportedNoneObject) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  ASSERT_NO_FATAL_FAILURE(startCApi(*Python));
  auto None = Python->evaluate("None");
  ASSERT_TRUE(bool(None)) << llvm::toString(None.takeError());
  EXPECT_EQ(*None, Python->apiSymbol("_Py_NoneStruct"));
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil)) << llvm::toString(Gil.takeError());
  Python->api<void(PyObjectPtr)>("Py_DecRef")(*None);
}

TEST(EmbeddedPythonTest, PyPyStaticObjectsAreFilledInWhenCpyextStarts) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  if (Python->flavor() != Flavor::PyPy)
    GTEST_SKIP() << "cpyext start-up is PyPy's; this process embeds " << toString(Python->flavor()).str();
  ASSERT_TRUE(PyPyNoneRecorded);
  // Measured: before cpyext starts, _PyPy_NoneStruct is all zero bytes
  // (.bss), so the C API must not be used yet.
  EXPECT_EQ(PyPyNoneAtStart, (std::array<long, 3>{0, 0, 0}));
  EXPECT_FALSE(PyPyCApiReadyAtStart);
  EXPECT_TRUE(PyPyHoldGilRefusedAtStart);
  ASSERT_NO_FATAL_FAILURE(startCApi(*Python));
  auto *None = static_cast<const long *>(Python->symbol("_PyPy_NoneStruct"));
  EXPECT_NE(None[0], 0) << "ob_refcnt after import cpyext";
  EXPECT_NE(None[2], 0) << "ob_type after import cpyext";
  auto *Type = Python->api<PyObjectPtr(PyObjectPtr)>("PyObject_Type");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil)) << llvm::toString(Gil.takeError());
  PyObjectPtr NoneType = Type(const_cast<long *>(None));
  EXPECT_EQ(reinterpret_cast<long>(NoneType), None[2]);
  Python->api<void(PyObjectPtr)>("Py_DecRef")(NoneType);
}

TEST(EmbeddedPythonTest, RunReportsAnExceptionAsAnError) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  llvm::Error E = Python->run("raise ValueError('raised on purpose by the test')");
  ASSERT_TRUE(bool(E));
  std::string Message = llvm::toString(std::move(E));
  EXPECT_THAT(Message, HasSubstr(Python->library().str()));
  EXPECT_THAT(Message, HasSubstr("raise ValueError"));
  // The interpreter is still usable afterwards.
  EXPECT_FALSE(errorToBool(Python->run("y = 1")));
}

TEST(EmbeddedPythonTest, EvaluateReportsAnExceptionAsAnError) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  ASSERT_NO_FATAL_FAILURE(startCApi(*Python));
  auto Value = Python->evaluate("1 // 0");
  ASSERT_FALSE(bool(Value));
  EXPECT_THAT(llvm::toString(Value.takeError()), HasSubstr("raised"));
}

TEST(EmbeddedPythonTest, RunRefusesToDeadlockUnderAGilGuard) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  ASSERT_NO_FATAL_FAILURE(startCApi(*Python));
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil)) << llvm::toString(Gil.takeError());
  llvm::Error E = Python->run("pass");
  ASSERT_TRUE(bool(E));
  EXPECT_THAT(llvm::toString(std::move(E)), HasSubstr("GilGuard"));
}

TEST(EmbeddedPythonTest, InterpreterIsInvisibleToTheDefaultLookup) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  std::string Name = Python->flavor() == Flavor::PyPy ? "PyPyLong_FromLong" : "PyLong_FromLong";
  EXPECT_NE(Python->symbol(Name), nullptr);
  EXPECT_EQ(dlsym(RTLD_DEFAULT, Name.c_str()), nullptr) << Name << " leaked out of RTLD_LOCAL";
}

TEST(EmbeddedPythonTest, SymbolIsExactAndApiSymbolRenamesOnlyOnPyPy) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  if (Python->flavor() == Flavor::PyPy) {
    EXPECT_EQ(Python->symbol("PyLong_FromLong"), nullptr);
    EXPECT_EQ(Python->apiSymbol("PyLong_FromLong"), Python->symbol("PyPyLong_FromLong"));
    EXPECT_EQ(Python->apiSymbol("_Py_NoneStruct"), Python->symbol("_PyPy_NoneStruct"));
  } else {
    EXPECT_NE(Python->symbol("PyLong_FromLong"), nullptr);
    EXPECT_EQ(Python->apiSymbol("PyLong_FromLong"), Python->symbol("PyLong_FromLong"));
  }
  EXPECT_EQ(Python->symbol("PyLong_FromLong_no_such_name"), nullptr);
}

TEST(EmbeddedPythonTest, PyPyNameAppliesThePrefixRuleOnly) {
  EXPECT_EQ(EmbeddedPython::pypyName("PyLong_FromLong"), "PyPyLong_FromLong");
  EXPECT_EQ(EmbeddedPython::pypyName("_Py_NoneStruct"), "_PyPy_NoneStruct");
  EXPECT_EQ(EmbeddedPython::pypyName("PyExc_TypeError"), "PyPyExc_TypeError");
  EXPECT_EQ(EmbeddedPython::pypyName("memcpy"), "memcpy");
  EXPECT_EQ(EmbeddedPython::pypyName(""), "");
}

TEST(EmbeddedPythonTest, ASecondStartFailsWithoutDisturbingTheFirst) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  auto Second = EmbeddedPython::start(Python->flavor(), Python->library());
  ASSERT_FALSE(bool(Second));
  EXPECT_THAT(llvm::toString(Second.takeError()), HasSubstr("already embeds"));
  EXPECT_FALSE(errorToBool(Python->run("z = 3")));
}

TEST(EmbeddedPythonTest, StartRejectsLibrariesThatCannotBeInterpreters) {
  auto Missing = EmbeddedPython::start(Flavor::CPython, "/nonexistent/libpython3.11.so.1.0");
  ASSERT_FALSE(bool(Missing));
  EXPECT_THAT(llvm::toString(Missing.takeError()), HasSubstr("/nonexistent/libpython3.11.so.1.0"));

  auto Bare = EmbeddedPython::start(Flavor::PyPy, "libpypy3.9-c.so");
  ASSERT_FALSE(bool(Bare));
  EXPECT_THAT(llvm::toString(Bare.takeError()), HasSubstr("not a path"));

  // A real library with no Python in it.
  const char *LibM = "/lib/x86_64-linux-gnu/libm.so.6";
  auto NotPython = EmbeddedPython::start(Flavor::CPython, LibM);
  ASSERT_FALSE(bool(NotPython));
  EXPECT_THAT(llvm::toString(NotPython.takeError()), HasSubstr("does not export PyGILState_Ensure"));
}

TEST(EmbeddedPythonTest, FlavorNamesRoundTrip) {
  for (Flavor F : {Flavor::CPython, Flavor::PyPy})
    EXPECT_EQ(parseFlavor(toString(F)), F);
  EXPECT_EQ(parseFlavor("CPython"), std::nullopt);
  EXPECT_EQ(parseFlavor(""), std::nullopt);
}

}  // namespace
}  // namespace pysym::testing
