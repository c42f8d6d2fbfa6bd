// The substitutes without Python code against CPython 3.11's own functions (CPython process) and fixed expectations (both).
#include "pysym/resolver/substitutes/plain_functions.h"

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <string>

#include "pysym/resolver/substitutes/fidelity_testing.h"

namespace pysym::substitutes {
namespace {

using testing::Case;
using testing::PyObjectPtr;
using testing::Reference;
using Size = testing::Size;

class PlainFunctionsTest : public testing::FidelityTest {
protected:
  // CPython's own function of that name in a CPython process, else nullptr.
  template <typename Fn> Fn *cpythons(const char *Name) {
    return onCPython() ? reinterpret_cast<Fn *>(Python->symbol(Name)) : nullptr;
  }
};

TEST_F(PlainFunctionsTest, ReferencesAndIdentity) {
  check<PyObjectPtr(PyObjectPtr)>("Py_NewRef", {{"(3.5,)", "3.5"}, {"(sys,)", "sys"}});
  check<PyObjectPtr(PyObjectPtr)>("Py_XNewRef", {{"([1],)", "[1]"}, {"(NULL,)", "NULL"}});
  check<int(PyObjectPtr, PyObjectPtr)>("Py_Is", {{"(None, None)", "1"}, {"(sys, sys)", "1"}, {"([], [])", "0"}});
  check<int(PyObjectPtr)>("Py_IsTrue", {{"(True,)", "1"}, {"(1,)", "0"}, {"(False,)", "0"}});
  check<int(PyObjectPtr)>("Py_IsFalse", {{"(False,)", "1"}, {"(0,)", "0"}, {"(None,)", "0"}});
  check<int(PyObjectPtr)>("Py_IsNone", {{"(None,)", "1"}, {"(False,)", "0"}, {"(NULL,)", "0"}});
  check<void(PyObjectPtr)>("_Py_IncRef", {{"(object(),)", "None"}});  // the argument's count: +1 on both
  check<int(PyObjectPtr, PyObjectPtr)>("PySequence_In",
                                       {{"([1, 2], 2)", "1"},
                                        {"([1], 3)", "0"},
                                        {"(3, 1)", "!TypeError"}});  // the message is the interpreter's own
  check<double()>("PyFloat_GetMax", {{"()", "sys.float_info.max"}});
  check<double()>("PyFloat_GetMin", {{"()", "sys.float_info.min"}});
  check<unsigned long()>("PyThread_get_thread_native_id", {{"()", "__import__('threading').get_native_id()"}});
}

TEST_F(PlainFunctionsTest, DecRefUndoesIncRef) {
  auto *IncRef = testing::substituteFunction<void(PyObjectPtr)>(*Substitutes, "_Py_IncRef");
  auto *DecRef = testing::substituteFunction<void(PyObjectPtr)>(*Substitutes, "_Py_DecRef");
  ASSERT_TRUE(IncRef && DecRef);
  testing::Owned Object = testing::evaluate(*Python, "[1, 2, 3]");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  std::intptr_t Before = api().refCount(Object.get());
  IncRef(Object.get());
  if (onCPython())
    EXPECT_EQ(api().refCount(Object.get()), Before + 1);
  DecRef(Object.get());
  EXPECT_EQ(api().refCount(Object.get()), Before);
}

TEST_F(PlainFunctionsTest, CaseInsensitiveComparisons) {
  auto *Stricmp = testing::substituteFunction<int(const char *, const char *)>(*Substitutes, "PyOS_mystricmp");
  auto *Strnicmp = testing::substituteFunction<int(const char *, const char *, Size)>(*Substitutes, "PyOS_mystrnicmp");
  ASSERT_TRUE(Stricmp && Strnicmp);
  auto *TheirStricmp = cpythons<int(const char *, const char *)>("PyOS_mystricmp");
  auto *TheirStrnicmp = cpythons<int(const char *, const char *, Size)>("PyOS_mystrnicmp");
  const char *Words[] = {"", "a", "A", "abc", "ABD", "abcd", "Zeta", "zeta", "\xc3\xa9", "\xc3\x89", "[", "_", "ab\x7f"};
  for (const char *Left : Words)
    for (const char *Right : Words) {
      SCOPED_TRACE(std::string(Left) + " | " + Right);
      if (TheirStricmp)
        EXPECT_EQ(Stricmp(Left, Right), TheirStricmp(Left, Right));
      for (Size N : {0, 1, 2, 3, 10})
        if (TheirStrnicmp)
          EXPECT_EQ(Strnicmp(Left, Right, N), TheirStrnicmp(Left, Right, N)) << N;
    }
  EXPECT_EQ(Stricmp("HeLLo", "hello"), 0);
  EXPECT_EQ(Stricmp("a", "B"), 'a' - 'b');
  EXPECT_EQ(Stricmp("\xc3\xa9", "\xc3\x89"), 0xa9 - 0x89);  // ASCII only: no locale
  EXPECT_EQ(Strnicmp("abcX", "ABCy", 3), 0);
  EXPECT_EQ(Strnicmp("abcX", "ABCy", 4), 'x' - 'y');
  EXPECT_EQ(Strnicmp("x", "y", 0), 0);
}

TEST_F(PlainFunctionsTest, StringToIntegerConversions) {
  auto *ToUL = testing::substituteFunction<unsigned long(const char *, char **, int)>(*Substitutes, "PyOS_strtoul");
  auto *ToL = testing::substituteFunction<long(const char *, char **, int)>(*Substitutes, "PyOS_strtol");
  ASSERT_TRUE(ToUL && ToL);
  auto *TheirUL = cpythons<unsigned long(const char *, char **, int)>("PyOS_strtoul");
  auto *TheirL = cpythons<long(const char *, char **, int)>("PyOS_strtol");
  const char *Texts[] = {"", "0", "  42", "\t\n-17xyz", "+9", "0x1f", "0X", "0xg", "0o17", "0o8", "0b101", "0b2",
                         "0777", "000", "00 7", "123abc", "zz", "Zz", "18446744073709551615", "18446744073709551616",
                         "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                         "-9223372036854775809", "99999999999999999999999999", "1_000", "\xc3\xa9", "-", " + 1",
                         "0x" "ffffffffffffffff", "0x" "10000000000000000"};
  for (const char *Text : Texts)
    for (int Base : {0, 2, 8, 10, 16, 36, 1, 37}) {
      SCOPED_TRACE(std::string("'") + Text + "' base " + std::to_string(Base));
      for (int StartErrno : {0, 12345}) {
        char *OurEnd = nullptr, *TheirEnd = nullptr;
        errno = StartErrno;
        unsigned long OurUL = ToUL(Text, &OurEnd, Base);
        int OurErrno = errno;
        if (TheirUL) {
          errno = StartErrno;
          EXPECT_EQ(OurUL, TheirUL(Text, &TheirEnd, Base));
          EXPECT_EQ(OurErrno, errno);
          EXPECT_EQ(OurEnd - Text, TheirEnd - Text);
        }
        errno = StartErrno;
        long OurL = ToL(Text, &OurEnd, Base);
        OurErrno = errno;
        if (TheirL) {
          errno = StartErrno;
          EXPECT_EQ(OurL, TheirL(Text, &TheirEnd, Base));
          EXPECT_EQ(OurErrno, errno);
          EXPECT_EQ(OurEnd - Text, TheirEnd - Text);
        }
      }
    }
  // Fixed expectations, on every interpreter.
  char *End = nullptr;
  EXPECT_EQ(ToL("  -0x1F!", &End, 0), -31);
  EXPECT_STREQ(End, "!");
  EXPECT_EQ(ToUL("0777", &End, 0), 0UL);  // no C octal
  EXPECT_STREQ(End, "777");
  errno = 0;
  EXPECT_EQ(ToUL("18446744073709551616", &End, 10), ULONG_MAX);
  EXPECT_EQ(errno, ERANGE);
  errno = 0;
  EXPECT_EQ(ToL("-9223372036854775808", nullptr, 10), LONG_MIN);
  EXPECT_EQ(errno, 0);
  EXPECT_EQ(ToL("9223372036854775808", nullptr, 10), LONG_MAX);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(ToUL(nullptr, &End, 10), 0UL);  // CPython would crash; pysym reads ""
}

TEST_F(PlainFunctionsTest, ContiguousStrides) {
  auto *Ours = testing::substituteFunction<void(int, Size *, Size *, int, char)>(*Substitutes,
                                                                                "PyBuffer_FillContiguousStrides");
  ASSERT_NE(Ours, nullptr);
  auto *Theirs = cpythons<void(int, Size *, Size *, int, char)>("PyBuffer_FillContiguousStrides");
  Size Shape[] = {2, 3, 4};
  for (char Order : {'C', 'F', 'A'})
    for (int Dimensions : {0, 1, 3}) {
      Size Mine[3] = {-1, -1, -1}, Reference[3] = {-1, -1, -1};
      Ours(Dimensions, Shape, Mine, 8, Order);
      if (Theirs) {
        Theirs(Dimensions, Shape, Reference, 8, Order);
        for (int K = 0; K < 3; ++K)
          EXPECT_EQ(Mine[K], Reference[K]) << Order << Dimensions << K;
      }
    }
  Size Strides[3];
  Ours(3, Shape, Strides, 8, 'C');
  EXPECT_EQ(Strides[0], 96);
  EXPECT_EQ(Strides[1], 32);
  EXPECT_EQ(Strides[2], 8);
  Ours(3, Shape, Strides, 8, 'F');
  EXPECT_EQ(Strides[0], 8);
  EXPECT_EQ(Strides[1], 16);
  EXPECT_EQ(Strides[2], 48);
}

using FormatV = PyObjectPtr(PyObjectPtr, const char *, std::va_list);
PyObjectPtr callFormatV(FormatV *Function, PyObjectPtr Exception, const char *Format, ...) {
  std::va_list Arguments;
  va_start(Arguments, Format);
  PyObjectPtr Result = Function(Exception, Format, Arguments);
  va_end(Arguments);
  return Result;
}

TEST_F(PlainFunctionsTest, ErrFormatV) {
  auto *Ours = testing::substituteFunction<FormatV>(*Substitutes, "PyErr_FormatV");
  ASSERT_NE(Ours, nullptr);
  auto *Theirs = cpythons<FormatV>("PyErr_FormatV");
  PyObjectPtr ValueError = *static_cast<PyObjectPtr *>(Python->apiSymbol("PyExc_ValueError"));
  for (FormatV *Function : {Ours, Theirs}) {
    if (!Function)
      continue;
    {
      auto Gil = Python->holdGil();
      ASSERT_TRUE(bool(Gil));
      Python->api<void(PyObjectPtr, const char *)>("PyErr_SetString")(ValueError, "pending, to be replaced");
      EXPECT_EQ(callFormatV(Function, ValueError, "%d items in %s", 3, "box"), nullptr);
      PyObjectPtr Type = nullptr, Value = nullptr, Traceback = nullptr;
      api().ErrFetch(&Type, &Value, &Traceback);
      api().ErrNormalize(&Type, &Value, &Traceback);
      EXPECT_EQ(Type, ValueError);
      api().SetAttrString(api().Main, "formatted", Value);
      api().DecRef(Type);
      api().DecRef(Value);
      if (Traceback)
        api().DecRef(Traceback);
    }
    EXPECT_EQ(testing::truth(*Python, "str(formatted) == '3 items in box' and formatted.__context__ is None"), 1);
  }
}

TEST_F(PlainFunctionsTest, SingleInterpreterStateOnlyOnPyPy) {
  for (const char *Name : {"PyInterpreterState_Get", "PyThreadState_GetInterpreter", "PyInterpreterState_GetDict"}) {
    Offer Found = Substitutes->find(Name);
    if (onCPython()) {
      EXPECT_FALSE(Found.found()) << Name << " must not stand in for CPython's, which knows subinterpreters";
      continue;
    }
    ASSERT_TRUE(Found.found()) << Found.Explanation;
  }
  if (onCPython())
    return;
  auto *Get = testing::substituteFunction<void *()>(*Substitutes, "PyInterpreterState_Get");
  auto *OfThread = testing::substituteFunction<void *(void *)>(*Substitutes, "PyThreadState_GetInterpreter");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  void *Head = Python->api<void *()>("PyInterpreterState_Head")();
  ASSERT_NE(Head, nullptr);
  EXPECT_EQ(Get(), Head);
  EXPECT_EQ(OfThread(Python->api<void *()>("PyThreadState_Get")()), Head);
  auto *GetDict = testing::substituteFunction<PyObjectPtr(void *)>(*Substitutes, "PyInterpreterState_GetDict");
  PyObjectPtr Dict = GetDict(Head);
  ASSERT_NE(Dict, nullptr);
  EXPECT_EQ(GetDict(Head), Dict) << "one dict for the process";
  EXPECT_EQ(Python->api<int(PyObjectPtr, PyObjectPtr)>("PyObject_IsInstance")(
                Dict, Python->apiSymbol("PyDict_Type")),
            1);
}

}  // namespace
}  // namespace pysym::substitutes
