// The stand-ins for PyPy's header macros: offered only on PyPy, and equivalent to CPython's real functions.
#include "pysym/resolver/substitutes/pypy_header_macros.h"

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::Owned;
using testing::PyObjectPtr;

constexpr int MethNoArgs = 0x0004;  // METH_NOARGS in both families' methodobject.h
constexpr int PyEvalInput = 258;    // Py_eval_input in both

// PyMethodDef's layout, the same in CPython and PyPy.
struct MethodDef {
  const char *Name;
  PyObjectPtr (*Function)(PyObjectPtr, PyObjectPtr);
  int Flags;
  const char *Doc;
};

PyObjectPtr (*LongFromLong)(long) = nullptr;
PyObjectPtr returnSeven(PyObjectPtr, PyObjectPtr) { return LongFromLong(7); }
MethodDef Seven = {"seven", returnSeven, MethNoArgs, "returns 7"};

const char *const MacroNames[] = {"PyObject_GC_Track", "PyObject_GC_UnTrack", "PyCFunction_New",
                                  "PyCFunction_NewEx", "PyObject_Length",     "Py_CompileString"};

class PyPyHeaderMacrosTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
    Python = Started;
    auto Set = testing::bindToEmbedded(*Python);
    ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
    Substitutes = std::move(*Set);
    LongFromLong = Python->api<PyObjectPtr(long)>("PyLong_FromLong");
    // On CPython the set does not bind what these need (it offers none of
    // them), so bind directly to compare the functions with CPython's.
    for (const char *Need : {"PyCMethod_New", "PyObject_Size", "Py_CompileStringFlags"})
      ASSERT_NE(capi::bind(*capi::entryFor(Need), testing::lookupInEmbedded(*Python, Need)),
                capi::BindOutcome::Conflict);
  }

  // The function to test: the set's offer on PyPy; on CPython, where the
  // set refuses, the implementation itself.
  template <typename Fn> Fn *under(llvm::StringRef Name, Fn *Implementation) {
    if (Python->flavor() == Flavor::PyPy)
      return testing::substituteFunction<Fn>(*Substitutes, Name);
    return Implementation;
  }

  EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;
};

TEST_F(PyPyHeaderMacrosTest, OfferedOnPyPyOnlyAndNeverOnCPython) {
  for (const char *Name : MacroNames) {
    Offer Found = Substitutes->find(Name);
    ASSERT_NE(Found.Def, nullptr) << Name;
    EXPECT_EQ(Found.Def->OnlyFor, "pypy") << Name;
    if (Python->flavor() == Flavor::PyPy) {
      EXPECT_TRUE(Found.found()) << Name << ": " << Found.Explanation;
      EXPECT_EQ(Python->apiSymbol(Name), nullptr) << "PyPy exports " << Name << " after all";
    } else {
      EXPECT_FALSE(Found.found()) << Name;
      EXPECT_NE(Found.Explanation.find("pypy"), std::string::npos) << Found.Explanation;
      EXPECT_NE(Python->symbol(Name), nullptr) << "CPython exports its own " << Name;
    }
  }
}

TEST_F(PyPyHeaderMacrosTest, GcTrackingCallsChangeNothing) {
  if (Python->flavor() != Flavor::PyPy)
    GTEST_SKIP() << "PyObject_GC_Track is a real function on CPython; this process embeds CPython";
  auto *Track = testing::substituteFunction<void(void *)>(*Substitutes, "PyObject_GC_Track");
  auto *UnTrack = testing::substituteFunction<void(void *)>(*Substitutes, "PyObject_GC_UnTrack");
  ASSERT_NE(Track, nullptr);
  ASSERT_NE(UnTrack, nullptr);
  EXPECT_NE(Track, UnTrack);
  Owned List = testing::evaluate(*Python, "[1, 2]");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  // ob_refcnt is the first word in both families' object header.
  long Before = *static_cast<long *>(List.get());
  UnTrack(List.get());
  Track(List.get());
  EXPECT_EQ(*static_cast<long *>(List.get()), Before);
  EXPECT_EQ(Python->api<std::ptrdiff_t(PyObjectPtr)>("PyObject_Size")(List.get()), 2);
}

TEST_F(PyPyHeaderMacrosTest, CFunctionNewMakesACallableBuiltinLikeCPythons) {
  auto *New = under<PyObjectPtr(void *, PyObjectPtr)>("PyCFunction_New", cFunctionNew);
  auto *NewEx = under<PyObjectPtr(void *, PyObjectPtr, PyObjectPtr)>("PyCFunction_NewEx", cFunctionNewEx);
  ASSERT_NE(New, nullptr);
  ASSERT_NE(NewEx, nullptr);
  Owned ModuleName = testing::evaluate(*Python, "'pysym_module'");
  auto *CallObject = Python->api<PyObjectPtr(PyObjectPtr, PyObjectPtr)>("PyObject_CallObject");
  auto *AsLong = Python->api<long(PyObjectPtr)>("PyLong_AsLong");
  auto *GetAttr = Python->api<PyObjectPtr(PyObjectPtr, const char *)>("PyObject_GetAttrString");
  auto *RichCompareBool = Python->api<int(PyObjectPtr, PyObjectPtr, int)>("PyObject_RichCompareBool");
  PyObjectPtr None = Python->apiSymbol("_Py_NoneStruct");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  PyObjectPtr Plain = New(&Seven, nullptr);
  PyObjectPtr WithModule = NewEx(&Seven, nullptr, ModuleName.get());
  ASSERT_NE(Plain, nullptr);
  ASSERT_NE(WithModule, nullptr);
  for (PyObjectPtr Function : {Plain, WithModule}) {
    PyObjectPtr Result = CallObject(Function, nullptr);
    ASSERT_NE(Result, nullptr);
    EXPECT_EQ(AsLong(Result), 7);
    Python->api<void(PyObjectPtr)>("Py_DecRef")(Result);
  }
  auto *DecRef = Python->api<void(PyObjectPtr)>("Py_DecRef");
  auto *Type = Python->api<PyObjectPtr(PyObjectPtr)>("PyObject_Type");
  PyObjectPtr PlainModule = GetAttr(Plain, "__module__");
  PyObjectPtr Module = GetAttr(WithModule, "__module__");
  EXPECT_EQ(PlainModule, None);
  EXPECT_EQ(RichCompareBool(Module, ModuleName.get(), 2), 1);
  if (Python->flavor() == Flavor::CPython) {
    auto *TheirNewEx =
        reinterpret_cast<PyObjectPtr (*)(void *, PyObjectPtr, PyObjectPtr)>(Python->symbol("PyCFunction_NewEx"));
    PyObjectPtr Theirs = TheirNewEx(&Seven, nullptr, ModuleName.get());
    PyObjectPtr TheirModule = GetAttr(Theirs, "__module__");
    EXPECT_EQ(RichCompareBool(Module, TheirModule, 2), 1);
    PyObjectPtr TheirType = Type(Theirs), OurType = Type(WithModule);
    EXPECT_EQ(TheirType, OurType);
    for (PyObjectPtr Done : {TheirType, OurType, TheirModule, Theirs})
      DecRef(Done);
  }
  for (PyObjectPtr Done : {PlainModule, Module, Plain, WithModule})
    DecRef(Done);
}

TEST_F(PyPyHeaderMacrosTest, ObjectLengthIsObjectSize) {
  auto *Length = under<std::ptrdiff_t(PyObjectPtr)>("PyObject_Length", objectLength);
  ASSERT_NE(Length, nullptr);
  Owned List = testing::evaluate(*Python, "[1, 2, 3]");
  Owned Number = testing::evaluate(*Python, "5");
  auto *Occurred = Python->api<PyObjectPtr()>("PyErr_Occurred");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  EXPECT_EQ(Length(List.get()), 3);
  EXPECT_EQ(Length(Number.get()), -1);
  EXPECT_EQ(Occurred(), *static_cast<PyObjectPtr *>(Python->apiSymbol("PyExc_TypeError")));
  Python->api<void()>("PyErr_Clear")();
}

TEST_F(PyPyHeaderMacrosTest, CompileStringCompilesWithoutFlags) {
  auto *Compile = under<PyObjectPtr(const char *, const char *, int)>("Py_CompileString", compileString);
  ASSERT_NE(Compile, nullptr);
  Owned CodeType = testing::evaluate(*Python, "type((lambda: 0).__code__)");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  PyObjectPtr Code = Compile("6 * 7", "<pysym test>", PyEvalInput);
  ASSERT_NE(Code, nullptr);
  PyObjectPtr Type = Python->api<PyObjectPtr(PyObjectPtr)>("PyObject_Type")(Code);
  EXPECT_EQ(Type, CodeType.get());
  Python->api<void(PyObjectPtr)>("Py_DecRef")(Type);
  Python->api<void(PyObjectPtr)>("Py_DecRef")(Code);
  EXPECT_EQ(Compile("6 *", "<pysym test>", PyEvalInput), nullptr) << "a syntax error";
  EXPECT_EQ(Python->api<PyObjectPtr()>("PyErr_Occurred")(),
            *static_cast<PyObjectPtr *>(Python->apiSymbol("PyExc_SyntaxError")));
  Python->api<void()>("PyErr_Clear")();
}

}  // namespace
}  // namespace pysym::substitutes
