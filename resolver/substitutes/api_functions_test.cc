// The API-built substitutes against CPython 3.11's own functions and macros (CPython process) and against Python-level results (both).
#include "pysym/resolver/substitutes/api_functions.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/cpython_macros.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::Owned;
using testing::PyObjectPtr;

constexpr int PyEq = 2;  // Py_EQ, the same in CPython and PyPy

// Everything written to `Fd` (1 or 2) between construction and finish().
class CapturedFd {
public:
  explicit CapturedFd(int Fd) : Fd(Fd) {
    std::fflush(nullptr);
    Saved = dup(Fd);
    File = std::tmpfile();
    dup2(fileno(File), Fd);
  }
  std::string finish() {
    std::fflush(nullptr);
    dup2(Saved, Fd);
    close(Saved);
    std::rewind(File);
    std::string Text;
    char Buffer[4096];
    while (size_t Read = std::fread(Buffer, 1, sizeof Buffer, File))
      Text.append(Buffer, Read);
    std::fclose(File);
    return Text;
  }

private:
  int Fd;
  int Saved;
  std::FILE *File;
};

class ApiFunctionsTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
    Python = Started;
    auto Set = testing::bindToEmbedded(*Python);
    ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
    Substitutes = std::move(*Set);
    ErrOccurred = Python->api<PyObjectPtr()>("PyErr_Occurred");
    ErrClear = Python->api<void()>("PyErr_Clear");
    ErrSetString = Python->api<void(PyObjectPtr, const char *)>("PyErr_SetString");
    RichCompareBool = Python->api<int(PyObjectPtr, PyObjectPtr, int)>("PyObject_RichCompareBool");
    ObjectType = Python->api<PyObjectPtr(PyObjectPtr)>("PyObject_Type");
    DecRef = Python->api<void(PyObjectPtr)>("Py_DecRef");
    ValueErrorClass = *static_cast<PyObjectPtr *>(Python->apiSymbol("PyExc_ValueError"));
  }

  bool onCPython() const { return Python->flavor() == Flavor::CPython; }

  // CPython's own function of that name, in a CPython process; else nullptr.
  template <typename Fn> Fn *cpythons(llvm::StringRef Name) {
    return onCPython() ? reinterpret_cast<Fn *>(Python->symbol(Name)) : nullptr;
  }

  // The pending exception's class (borrowed), cleared; nullptr when none.
  PyObjectPtr takeErrorClass() {
    PyObjectPtr Class = ErrOccurred();
    ErrClear();
    return Class;
  }

  EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;
  PyObjectPtr (*ErrOccurred)() = nullptr;
  void (*ErrClear)() = nullptr;
  void (*ErrSetString)(PyObjectPtr, const char *) = nullptr;
  int (*RichCompareBool)(PyObjectPtr, PyObjectPtr, int) = nullptr;
  PyObjectPtr (*ObjectType)(PyObjectPtr) = nullptr;
  void (*DecRef)(PyObjectPtr) = nullptr;
  PyObjectPtr ValueErrorClass = nullptr;
};

TEST_F(ApiFunctionsTest, DictNewPresizedGivesAnEmptyDictForAnySizeHint) {
  auto *Ours = testing::substituteFunction<PyObjectPtr(std::ptrdiff_t)>(*Substitutes, "_PyDict_NewPresized");
  auto *Theirs = cpythons<PyObjectPtr(std::ptrdiff_t)>("_PyDict_NewPresized");
  ASSERT_NE(Ours, nullptr);
  Owned Empty = testing::evaluate(*Python, "{}");
  auto *SetItem = Python->api<int(PyObjectPtr, const char *, PyObjectPtr)>("PyDict_SetItemString");
  auto *Size = Python->api<std::ptrdiff_t(PyObjectPtr)>("PyDict_Size");
  auto *DictType = Python->apiSymbol("PyDict_Type");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  for (std::ptrdiff_t Hint : {std::ptrdiff_t(-1), std::ptrdiff_t(0), std::ptrdiff_t(5), std::ptrdiff_t(1000),
                              std::ptrdiff_t(1) << 20}) {
    for (auto *Make : {Ours, Theirs}) {
      if (!Make)
        continue;
      PyObjectPtr Dict = Make(Hint);
      ASSERT_NE(Dict, nullptr) << Hint;
      PyObjectPtr Type = ObjectType(Dict);
      EXPECT_EQ(Type, DictType) << Hint;
      DecRef(Type);
      EXPECT_EQ(Size(Dict), 0) << Hint;
      EXPECT_EQ(RichCompareBool(Dict, Empty.get(), PyEq), 1) << Hint;
      EXPECT_EQ(SetItem(Dict, "key", Dict), 0);
      EXPECT_EQ(Size(Dict), 1);
      EXPECT_EQ(SetItem(Dict, "key", Empty.get()), 0);  // break the cycle
      DecRef(Dict);
    }
  }
}

// Python's view of _PySet_Update: set.update for sets, SystemError otherwise.
constexpr const char *ReferenceUpdate = R"(
def reference_update(target, iterable):
    if not isinstance(target, set):
        return (-1, SystemError)
    try:
        target.update(iterable)
    except Exception as error:
        return (-1, type(error))
    return (0, None)

class SetSubclass(set):
    pass
)";

TEST_F(ApiFunctionsTest, SetUpdateMatchesCPythonAndSetUpdateOnTargetsAndIterables) {
  auto *Ours = testing::substituteFunction<int(PyObjectPtr, PyObjectPtr)>(*Substitutes, "_PySet_Update");
  auto *Theirs = cpythons<int(PyObjectPtr, PyObjectPtr)>("_PySet_Update");
  ASSERT_NE(Ours, nullptr);
  ASSERT_FALSE(errorToBool(Python->run(ReferenceUpdate)));
  auto *Call = Python->api<PyObjectPtr(PyObjectPtr, ...)>("PyObject_CallFunctionObjArgs");
  auto *TupleItem = Python->api<PyObjectPtr(PyObjectPtr, std::ptrdiff_t)>("PyTuple_GetItem");
  auto *AsLong = Python->api<long(PyObjectPtr)>("PyLong_AsLong");
  PyObjectPtr None = Python->apiSymbol("_Py_NoneStruct");
  const char *Targets[] = {"set()", "{1, 'a'}", "SetSubclass([2])", "frozenset()", "[]", "{}"};
  const char *Iterables[] = {"[1, 2, 2, 3]", "'abca'",         "{'x': 1, 'y': 2}", "range(5)",
                             "{7, 8}",       "frozenset([9])", "(i * i for i in range(4))",
                             "iter([])",     "[1, [1], 2]",    "5",
                             "None"};
  Owned Reference = testing::evaluate(*Python, "reference_update");
  int Cases = 0;
  for (const char *Target : Targets)
    for (const char *Iterable : Iterables) {
      std::string Where = std::string("_PySet_Update(") + Target + ", " + Iterable + ")";
      Owned OurTarget = testing::evaluate(*Python, Target), OurIterable = testing::evaluate(*Python, Iterable);
      Owned TheirTarget = testing::evaluate(*Python, Target), TheirIterable = testing::evaluate(*Python, Iterable);
      Owned RefTarget = testing::evaluate(*Python, Target), RefIterable = testing::evaluate(*Python, Iterable);
      ASSERT_TRUE(OurTarget && OurIterable && TheirTarget && TheirIterable && RefTarget && RefIterable);
      auto Gil = Python->holdGil();
      ASSERT_TRUE(bool(Gil));
      int OurStatus = Ours(OurTarget.get(), OurIterable.get());
      PyObjectPtr OurError = takeErrorClass();
      PyObjectPtr Expected = Call(Reference.get(), RefTarget.get(), RefIterable.get(), nullptr);
      ASSERT_NE(Expected, nullptr) << Where;
      long ExpectedStatus = AsLong(TupleItem(Expected, 0));
      PyObjectPtr ExpectedError = TupleItem(Expected, 1);
      EXPECT_EQ(OurStatus, ExpectedStatus) << Where;
      EXPECT_EQ(OurError, ExpectedError == None ? nullptr : ExpectedError) << Where;
      EXPECT_EQ(RichCompareBool(OurTarget.get(), RefTarget.get(), PyEq), 1) << Where << ": contents";
      DecRef(Expected);
      if (Theirs) {
        int TheirStatus = Theirs(TheirTarget.get(), TheirIterable.get());
        PyObjectPtr TheirError = takeErrorClass();
        EXPECT_EQ(OurStatus, TheirStatus) << Where << " vs CPython's";
        EXPECT_EQ(OurError, TheirError) << Where << " vs CPython's";
        EXPECT_EQ(RichCompareBool(OurTarget.get(), TheirTarget.get(), PyEq), 1) << Where << " vs CPython's";
      }
      ++Cases;
    }
  RecordProperty("cases", Cases);
}

constexpr const char *ExceptionZoo = R"(
class MyError(ValueError):
    pass

class Mixin:
    pass

class Mixed(Mixin, Exception):
    pass

class Meta(type):
    pass

class MetaMade(Exception, metaclass=Meta):
    pass

class Pretender:
    # isinstance() believes __class__; the C macros look at the real type.
    @property
    def __class__(self):
        return ValueError

class ClassPretender:
    @property
    def __class__(self):
        return type

zoo = [ValueError(), ValueError, BaseException, BaseException(), KeyboardInterrupt(), StopIteration,
       Exception, GeneratorExit(), UserWarning(), Warning, MyError(), MyError, Mixed(), Mixed, MetaMade(),
       MetaMade, Pretender(), Pretender, ClassPretender(), type, int, 5, None, object(), 'text',
       [ValueError], Meta]
)";

TEST_F(ApiFunctionsTest, ExceptionChecksFollowTheRealTypeLikeCPythonsMacros) {
  auto *InstanceCheck = testing::substituteFunction<int(PyObjectPtr)>(*Substitutes, "PyExceptionInstance_Check");
  auto *ClassCheck = testing::substituteFunction<int(PyObjectPtr)>(*Substitutes, "PyExceptionClass_Check");
  ASSERT_NE(InstanceCheck, nullptr);
  ASSERT_NE(ClassCheck, nullptr);
  ASSERT_FALSE(errorToBool(Python->run(ExceptionZoo)));
  Owned Size = testing::evaluate(*Python, "len(zoo)");
  long Count;
  {
    auto Gil = Python->holdGil();
    Count = Python->api<long(PyObjectPtr)>("PyLong_AsLong")(Size.get());
  }
  ASSERT_GT(Count, 20);
  for (long I = 0; I < Count; ++I) {
    std::string Item = "zoo[" + std::to_string(I) + "]";
    Owned Object = testing::evaluate(*Python, Item);
    int ExpectInstance = testing::truth(*Python, "issubclass(type(" + Item + "), BaseException)");
    int ExpectClass =
        testing::truth(*Python, "issubclass(type(" + Item + "), type) and issubclass(" + Item + ", BaseException)");
    std::string Shown = testing::strOf(*Python, Object.get());
    auto Gil = Python->holdGil();
    ASSERT_TRUE(bool(Gil));
    EXPECT_EQ(InstanceCheck(Object.get()), ExpectInstance) << "PyExceptionInstance_Check(" << Shown << ")";
    EXPECT_EQ(ClassCheck(Object.get()), ExpectClass) << "PyExceptionClass_Check(" << Shown << ")";
    EXPECT_EQ(ErrOccurred(), nullptr);
    if (onCPython()) {
      EXPECT_EQ(InstanceCheck(Object.get()), pysym_cpython_PyExceptionInstance_Check(Object.get())) << Shown;
      EXPECT_EQ(ClassCheck(Object.get()), pysym_cpython_PyExceptionClass_Check(Object.get())) << Shown;
    }
  }
  // The point of following the real type: isinstance() disagrees here.
  EXPECT_EQ(testing::truth(*Python, "isinstance(Pretender(), BaseException)"), 1);
  Owned Pretender = testing::evaluate(*Python, "Pretender()");
  auto Gil = Python->holdGil();
  EXPECT_EQ(InstanceCheck(Pretender.get()), 0);
}

TEST_F(ApiFunctionsTest, HandledExceptionRoundTripsAndAgreesWithCPythons) {
  auto *Get = testing::substituteFunction<PyObjectPtr()>(*Substitutes, "PyErr_GetHandledException");
  auto *Set = testing::substituteFunction<void(PyObjectPtr)>(*Substitutes, "PyErr_SetHandledException");
  auto *TheirGet = cpythons<PyObjectPtr()>("PyErr_GetHandledException");
  auto *TheirSet = cpythons<void(PyObjectPtr)>("PyErr_SetHandledException");
  ASSERT_NE(Get, nullptr);
  ASSERT_NE(Set, nullptr);
  Owned First = testing::evaluate(*Python, "ValueError('first')");
  Owned Second = testing::evaluate(*Python, "KeyError('second')");
  PyObjectPtr None = Python->apiSymbol("_Py_NoneStruct");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));

  Set(nullptr);
  EXPECT_EQ(Get(), nullptr) << "nothing is being handled";
  EXPECT_EQ(ErrOccurred(), nullptr) << "getting sets no error";

  Set(First.get());
  PyObjectPtr Got = Get();
  EXPECT_EQ(Got, First.get());
  DecRef(Got);
  if (TheirGet) {
    Got = TheirGet();
    EXPECT_EQ(Got, First.get()) << "CPython sees what the substitute set";
    DecRef(Got);
    TheirSet(Second.get());
    Got = Get();
    EXPECT_EQ(Got, Second.get()) << "the substitute sees what CPython set";
    DecRef(Got);
  }
  Set(Second.get());
  Got = Get();
  EXPECT_EQ(Got, Second.get());
  DecRef(Got);

  Set(None);
  EXPECT_EQ(Get(), nullptr) << "None clears";
  if (TheirGet) {
    EXPECT_EQ(TheirGet(), nullptr);
  }
  Set(First.get());
  Set(nullptr);
  EXPECT_EQ(Get(), nullptr) << "NULL clears";
  EXPECT_EQ(ErrOccurred(), nullptr);
}

constexpr const char *FormatString = "%d items, %s, %R, %zd, %c, %x, %%, %U|\n";
constexpr const char *FormatExpected = "42 items, text, [1, 'a'], -7, A, ff, %, \u00fc\u20ac|\n";

TEST_F(ApiFunctionsTest, FormatStdoutAndStderrWriteThroughSysStreamsLikeCPython) {
  ASSERT_FALSE(errorToBool(Python->run("import io, sys\nsaved = (sys.stdout, sys.stderr)")));
  Owned List = testing::evaluate(*Python, "[1, 'a']");
  Owned Text = testing::evaluate(*Python, "'\u00fc\u20ac'");
  for (const char *Stream : {"stdout", "stderr"}) {
    std::string Name = std::string("PySys_Format") + (Stream[3] == 'o' ? "Stdout" : "Stderr");
    auto *Ours = testing::substituteFunction<void(const char *, ...)>(*Substitutes, Name);
    auto *Theirs = cpythons<void(const char *, ...)>(Name);
    ASSERT_NE(Ours, nullptr);
    std::vector<std::pair<const char *, decltype(Ours)>> Writers = {{"substitute", Ours}};
    if (Theirs)
      Writers.push_back({"CPython", Theirs});
    for (auto &[Who, Write] : Writers) {
      ASSERT_FALSE(errorToBool(Python->run(std::string("capture = io.StringIO()\nsys.") + Stream + " = capture")));
      {
        auto Gil = Python->holdGil();
        ErrSetString(ValueErrorClass, "pending before the call");
        Write(FormatString, 42, "text", List.get(), static_cast<std::ptrdiff_t>(-7), int('A'), 255, Text.get());
        EXPECT_EQ(takeErrorClass(), ValueErrorClass) << Who << " " << Name << " kept the pending exception";
      }
      ASSERT_FALSE(errorToBool(Python->run("sys.stdout, sys.stderr = saved")));
      Owned Captured = testing::evaluate(*Python, "capture.getvalue()");
      EXPECT_EQ(testing::strOf(*Python, Captured.get()), FormatExpected) << Who << " " << Name;
    }
  }
}

TEST_F(ApiFunctionsTest, FormatFallsBackToTheCStreamWhenTheSysStreamIsNone) {
  for (int Fd : {1, 2}) {
    std::string Name = Fd == 1 ? "PySys_FormatStdout" : "PySys_FormatStderr";
    auto *Ours = testing::substituteFunction<void(const char *, ...)>(*Substitutes, Name);
    auto *Theirs = cpythons<void(const char *, ...)>(Name);
    ASSERT_NE(Ours, nullptr);
    ASSERT_FALSE(errorToBool(Python->run("import sys\nsaved = (sys.stdout, sys.stderr)\n"
                                         "sys.stdout = sys.stderr = None")));
    std::string OurOutput, TheirOutput;
    {
      auto Gil = Python->holdGil();
      CapturedFd Capture(Fd);
      Ours("fallback %d|", 7);
      OurOutput = Capture.finish();
      if (Theirs) {
        CapturedFd CaptureTheirs(Fd);
        Theirs("fallback %d|", 7);
        TheirOutput = CaptureTheirs.finish();
      }
      EXPECT_EQ(ErrOccurred(), nullptr);
    }
    ASSERT_FALSE(errorToBool(Python->run("sys.stdout, sys.stderr = saved")));
    EXPECT_EQ(OurOutput, "fallback 7|") << Name;
    if (Theirs) {
      EXPECT_EQ(OurOutput, TheirOutput) << Name << " vs CPython's";
    }
  }
}

// The lines of a dump, without the reference count, which only CPython's
// reads (from the struct).
std::vector<std::string> dumpLines(const std::string &Text) {
  std::vector<std::string> Lines;
  std::istringstream In(Text);
  for (std::string Line; std::getline(In, Line);)
    if (Line.rfind("object refcount", 0) != 0)
      Lines.push_back(Line);
  return Lines;
}

TEST_F(ApiFunctionsTest, ObjectDumpWritesCPythonsLayoutToStderr) {
  auto *Ours = testing::substituteFunction<void(PyObjectPtr)>(*Substitutes, "_PyObject_Dump");
  auto *Theirs = cpythons<void(PyObjectPtr)>("_PyObject_Dump");
  ASSERT_NE(Ours, nullptr);
  for (const char *Expression : {"42", "'text'", "[1, (2, 3)]", "None", "ValueError('x')", "{'a': 1.5}"}) {
    Owned Object = testing::evaluate(*Python, Expression);
    Owned Repr = testing::evaluate(*Python, std::string("repr(") + Expression + ")");
    Owned TypeName = testing::evaluate(*Python, std::string("type(") + Expression + ").__name__");
    std::string ExpectedRepr = testing::strOf(*Python, Repr.get());
    std::string ExpectedTypeName = testing::strOf(*Python, TypeName.get());
    auto Gil = Python->holdGil();
    ASSERT_TRUE(bool(Gil));
    PyObjectPtr Type = ObjectType(Object.get());
    ErrSetString(ValueErrorClass, "pending before the dump");
    CapturedFd Capture(2);
    Ours(Object.get());
    std::vector<std::string> Lines = dumpLines(Capture.finish());
    EXPECT_EQ(takeErrorClass(), ValueErrorClass) << "the dump kept the pending exception";
    char Address[64], TypeAddress[64];
    std::snprintf(Address, sizeof Address, "object address  : %p", Object.get());
    std::snprintf(TypeAddress, sizeof TypeAddress, "object type     : %p", Type);
    DecRef(Type);
    std::vector<std::string> Expected = {Address, TypeAddress, "object type name: " + ExpectedTypeName,
                                         "object repr     : " + ExpectedRepr};
    EXPECT_EQ(Lines, Expected) << Expression;
    if (Theirs) {
      CapturedFd CaptureTheirs(2);
      Theirs(Object.get());
      EXPECT_EQ(Lines, dumpLines(CaptureTheirs.finish())) << Expression << " vs CPython's";
    }
  }
  auto Gil = Python->holdGil();
  CapturedFd Capture(2);
  Ours(nullptr);
  std::string Null = Capture.finish();
  EXPECT_EQ(Null, "<object at (nil) is freed>\n");
  if (Theirs) {
    CapturedFd CaptureTheirs(2);
    Theirs(nullptr);
    EXPECT_EQ(Null, CaptureTheirs.finish());
  }
}

}  // namespace
}  // namespace pysym::substitutes
