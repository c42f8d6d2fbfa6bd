// Kernels from tests/kernels/ compiled, linked and run inside the embedded
// interpreter (CPython or PyPy, one per test binary), with each linker.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using ::testing::HasSubstr;
using Object = PyObjectPtr;

class EngineKernelTest : public ::testing::TestWithParam<Linker> {
protected:
  // Each test gets its own engine; the interpreter and resolver are the
  // process's.
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    Python = P;
    TheResolver = N;
    auto Created = Engine::create(*TheResolver, EngineOptions{2, GetParam()});
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
  }

  // Adds tests/kernels/<Name>.ll.
  ModuleHandle load(llvm::StringRef Name) {
    auto Text = readKernel(Name);
    EXPECT_TRUE(succeeded(Text));
    if (!Text)
      return {};
    auto Handle = Jit->addIR(*Text, Name);
    EXPECT_TRUE(succeeded(Handle));
    return Handle ? *Handle : ModuleHandle{};
  }

  template <typename Fn> Fn *function(ModuleHandle Module, llvm::StringRef Symbol) {
    auto Address = Jit->lookup(Module, Symbol);
    EXPECT_TRUE(succeeded(Address)) << Symbol.str();
    return Address ? kernel<Fn>(*Address) : nullptr;
  }

  Object evaluate(llvm::StringRef Expression) {
    auto Value = Python->evaluate(Expression);
    EXPECT_TRUE(succeeded(Value)) << Expression.str();
    return Value ? *Value : nullptr;
  }

  // Whether two objects compare equal in Python (PyObject_RichCompareBool,
  // Py_EQ). The caller holds the GIL.
  bool pythonEqual(Object A, Object B) {
    return Python->api<int(Object, Object, int)>("PyObject_RichCompareBool")(A, B, 2) == 1;
  }

  // The pending exception's class and str(value), cleared. The caller holds
  // the GIL.
  std::pair<Object, std::string> takeException() {
    Object Type = nullptr, Value = nullptr, Traceback = nullptr;
    Python->api<void(Object *, Object *, Object *)>("PyErr_Fetch")(&Type, &Value, &Traceback);
    if (!Type)
      return {nullptr, ""};
    Python->api<void(Object *, Object *, Object *)>("PyErr_NormalizeException")(&Type, &Value,
                                                                               &Traceback);
    std::string Message;
    if (Object Text = Python->api<Object(Object)>("PyObject_Str")(Value)) {
      Message = Python->api<const char *(Object)>("PyUnicode_AsUTF8")(Text);
      decRef(*Python, Text);
    }
    decRef(*Python, Value);
    if (Traceback)
      decRef(*Python, Traceback);
    decRef(*Python, Type);  // the class outlives this: builtins holds it
    return {Type, Message};
  }

  EmbeddedPython *Python = nullptr;
  Resolver *TheResolver = nullptr;
  std::unique_ptr<Engine> Jit;
};

TEST_P(EngineKernelTest, ReturnsNewIntsFloatsTuplesListsAndDicts) {
  ModuleHandle Module = load("new_objects");
  auto *MakeInt = function<Object(std::int64_t)>(Module, "make_int");
  auto *MakeFloat = function<Object(double)>(Module, "make_float");
  auto *MakeTuple = function<Object(std::int64_t, double)>(Module, "make_tuple");
  auto *MakeList = function<Object(std::int64_t)>(Module, "make_list");
  auto *MakeDict = function<Object(std::int64_t)>(Module, "make_dict");
  ASSERT_TRUE(MakeInt && MakeFloat && MakeTuple && MakeList && MakeDict);
  std::vector<Object> Expected = {evaluate("-7"), evaluate("0.25"), evaluate("(3, 1.5)"),
                                  evaluate("[i * i for i in range(5)]"),
                                  evaluate("{'answer': 42}")};
  ASSERT_THAT(Expected, ::testing::Not(::testing::Contains(nullptr)));

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  std::vector<Object> Made = {MakeInt(-7), MakeFloat(0.25), MakeTuple(3, 1.5), MakeList(5),
                              MakeDict(42)};
  const std::vector<std::string> Reprs = {"-7", "0.25", "(3, 1.5)", "[0, 1, 4, 9, 16]",
                                          "{'answer': 42}"};
  for (std::size_t I = 0; I < Made.size(); ++I) {
    ASSERT_NE(Made[I], nullptr) << Reprs[I];
    EXPECT_EQ(repr(*Python, Made[I]), Reprs[I]);
    EXPECT_TRUE(pythonEqual(Made[I], Expected[I])) << Reprs[I];
    decRef(*Python, Made[I]);
    decRef(*Python, Expected[I]);
  }
}

TEST_P(EngineKernelTest, RaisesValueErrorLoadedFromTheExceptionCell) {
  ModuleHandle Module = load("raise_value_error");
  auto *Raise = function<Object()>(Module, "raise_value_error");
  ASSERT_NE(Raise, nullptr);
  Object ValueError = evaluate("ValueError");
  ASSERT_NE(ValueError, nullptr);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  EXPECT_EQ(Raise(), nullptr);
  EXPECT_EQ(Python->api<Object()>("PyErr_Occurred")(), ValueError);
  auto [Type, Message] = takeException();
  EXPECT_EQ(Type, ValueError);
  EXPECT_EQ(Message, "bad value from kernel");
  decRef(*Python, ValueError);
}

TEST_P(EngineKernelTest, RaisesValueErrorInNumbasObjectConvention) {
  Object ValueError = evaluate("ValueError");
  ASSERT_NE(ValueError, nullptr);
  // The interpreter exports PyExc_ValueError as a cell; Numba's IR wants
  // the class itself at that name, so the host registers it, overriding.
  ASSERT_TRUE(succeeded(TheResolver->addObjectSymbol("PyExc_ValueError", ValueError, true)));
  ModuleHandle Module = load("raise_value_error_numba");
  auto *Raise = function<Object()>(Module, "raise_value_error");
  // Other tests in this process want the interpreter's cell again.
  EXPECT_TRUE(TheResolver->removeSymbol("PyExc_ValueError"));
  ASSERT_NE(Raise, nullptr);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  EXPECT_EQ(Raise(), nullptr);
  auto [Type, Message] = takeException();
  EXPECT_EQ(Type, ValueError);
  EXPECT_EQ(Message, "bad value from kernel");
  decRef(*Python, ValueError);
}

TEST_P(EngineKernelTest, UsesNoneTrueAndFalse) {
  ModuleHandle Module = load("singletons");
  auto *GetNone = function<Object()>(Module, "get_none");
  auto *GetBool = function<Object(int)>(Module, "get_bool");
  auto *IsNone = function<int(Object)>(Module, "is_none");
  ASSERT_TRUE(GetNone && GetBool && IsNone);
  Object None = evaluate("None"), True = evaluate("True"), False = evaluate("False");
  ASSERT_TRUE(None && True && False);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Object FromKernel[] = {GetNone(), GetBool(1), GetBool(0)};
  EXPECT_EQ(FromKernel[0], None);
  EXPECT_EQ(FromKernel[1], True);
  EXPECT_EQ(FromKernel[2], False);
  EXPECT_EQ(IsNone(None), 1);
  EXPECT_EQ(IsNone(True), 0);
  for (Object O : {FromKernel[0], FromKernel[1], FromKernel[2], None, True, False})
    decRef(*Python, O);
}

TEST_P(EngineKernelTest, ComplexPowerMatchesTheInterpretersOwn) {
  // A non-integer exponent: CPython's complex ** then calls _Py_c_pow itself.
  ASSERT_TRUE(succeeded(Python->run("pysym_power = (1.5+0.5j) ** (0.3-1.2j)")));
  Object Power = evaluate("pysym_power");
  ASSERT_NE(Power, nullptr);
  const Resolution How = TheResolver->resolve("_Py_c_pow");
  ASSERT_TRUE(How.found()) << describe(How);
  EXPECT_EQ(How.Status, Python->flavor() == Flavor::CPython ? ResolutionStatus::Exact
                                                          : ResolutionStatus::Substitute)
      << describe(How);

  ModuleHandle Module = load("complex_power");
  auto *Pow = function<void(double, double, double, double, double *)>(Module, "complex_power");
  ASSERT_NE(Pow, nullptr);
  double Result[2] = {NAN, NAN};
  Pow(1.5, 0.5, 0.3, -1.2, Result);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  const double Real = Python->api<double(Object)>("PyComplex_RealAsDouble")(Power);
  const double Imag = Python->api<double(Object)>("PyComplex_ImagAsDouble")(Power);
  decRef(*Python, Power);
  std::printf("_Py_c_pow (%s): kernel %.17g%+.17gj, interpreter %.17g%+.17gj\n",
              std::string(toString(How.Status)).c_str(), Result[0], Result[1], Real, Imag);
  EXPECT_EQ(Result[0], Real);
  EXPECT_EQ(Result[1], Imag);
}

TEST_P(EngineKernelTest, CallsVariadicFunctions) {
  ModuleHandle Module = load("variadic");
  auto *Pack = function<Object(Object, Object, Object)>(Module, "pack_three");
  auto *Call = function<Object(Object, Object, Object)>(Module, "call_with_two");
  auto *Raise = function<Object(int)>(Module, "raise_formatted");
  ASSERT_TRUE(Pack && Call && Raise);
  Object One = evaluate("1"), Text = evaluate("'a'"), None = evaluate("None");
  Object Multiply = evaluate("lambda a, b: a * b"), Six = evaluate("6"), Seven = evaluate("7");
  Object TypeError = evaluate("TypeError");
  ASSERT_TRUE(One && Text && None && Multiply && Six && Seven && TypeError);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Object Packed = Pack(One, Text, None);
  ASSERT_NE(Packed, nullptr);
  EXPECT_EQ(repr(*Python, Packed), "(1, 'a', None)");
  Object Product = Call(Multiply, Six, Seven);
  ASSERT_NE(Product, nullptr);
  EXPECT_EQ(repr(*Python, Product), "42");
  EXPECT_EQ(Raise(3), nullptr);
  auto [Type, Message] = takeException();
  EXPECT_EQ(Type, TypeError);
  EXPECT_EQ(Message, "thing has 3 items");
  for (Object O : {Packed, Product, One, Text, None, Multiply, Six, Seven, TypeError})
    decRef(*Python, O);
}

TEST_P(EngineKernelTest, LoopsOverAnIteratorAndPropagatesItsErrors) {
  ModuleHandle Module = load("iterate");
  auto *Sum = function<Object(Object)>(Module, "sum_iterable");
  ASSERT_NE(Sum, nullptr);
  Object Range = evaluate("range(10)"), Floats = evaluate("[1.5, 2.25]");
  Object NotIterable = evaluate("5"), Mixed = evaluate("[1, 'x']");
  Object TypeError = evaluate("TypeError");
  ASSERT_TRUE(Range && Floats && NotIterable && Mixed && TypeError);

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Object Total = Sum(Range);
  ASSERT_NE(Total, nullptr);
  EXPECT_EQ(repr(*Python, Total), "45");
  Object FloatTotal = Sum(Floats);
  ASSERT_NE(FloatTotal, nullptr);
  EXPECT_EQ(repr(*Python, FloatTotal), "3.75");
  for (Object Bad : {NotIterable, Mixed}) {
    EXPECT_EQ(Sum(Bad), nullptr);
    EXPECT_EQ(takeException().first, TypeError);
  }
  for (Object O : {Total, FloatTotal, Range, Floats, NotIterable, Mixed, TypeError})
    decRef(*Python, O);
}

TEST_P(EngineKernelTest, MissingNameIsListedWithWhatWasTriedAndNothingIsPrinted) {
  ModuleHandle Module = load("missing_symbol");
  ::testing::internal::CaptureStderr();
  auto Address = Jit->lookup(Module, "uses_missing");
  const std::string Printed = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(Address);
  llvm::Error Err = Address.takeError();
  ASSERT_TRUE(Err.isA<MissingSymbolsError>());
  std::vector<Resolution> Missing;
  std::string Message;
  llvm::handleAllErrors(std::move(Err), [&](const MissingSymbolsError &E) {
    Missing = E.missing();
    Message = E.message();
  });
  std::printf("%s\n", Message.c_str());
  ASSERT_EQ(Missing.size(), 1u);
  EXPECT_EQ(Missing[0].Name, "PyPysym_NoSuchFunction");
  EXPECT_FALSE(Missing[0].Tried.empty());
  EXPECT_THAT(Message, HasSubstr("module 'missing_symbol'"));
  EXPECT_THAT(Message, HasSubstr("PyPysym_NoSuchFunction"));
  for (const std::string &Attempt : Missing[0].Tried)
    EXPECT_THAT(Message, HasSubstr(Attempt));
  EXPECT_THAT(Message, ::testing::Not(HasSubstr("PyLong_FromLong")));
  EXPECT_EQ(Printed, "");
  // A second lookup explains the same failure the same way.
  EXPECT_TRUE(failedWith(Jit->lookup(Module, "uses_missing").takeError(),
                         "PyPysym_NoSuchFunction"));
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, EngineKernelTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
