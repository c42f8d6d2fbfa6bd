// Py_IS_NAN, Py_IS_INFINITY and Py_IS_FINITE as functions, against C99, CPython's own macros and Python's math module.
#include "pysym/resolver/substitutes/float_macros.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/cpython_macros.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes {
namespace {

using Classifier = int(double);

double fromBits(std::uint64_t Bits) {
  double D;
  std::memcpy(&D, &Bits, sizeof D);
  return D;
}

std::vector<double> grid() {
  const double Inf = std::numeric_limits<double>::infinity();
  return {0.0, -0.0, 1.0, -1.5, 5e-324, std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
          -std::numeric_limits<double>::max(), Inf, -Inf, std::numeric_limits<double>::quiet_NaN(),
          fromBits(0xfff8000000000000ULL), fromBits(0x7ff0000000000001ULL) /* signalling */,
          fromBits(0x7ff8000000000123ULL)};
}

// The same double inside the embedded interpreter, bit for bit.
std::string pythonFloat(double X) {
  std::uint64_t Bits;
  std::memcpy(&Bits, &X, sizeof Bits);
  return "struct.unpack('<d', (" + std::to_string(Bits) + ").to_bytes(8, 'little'))[0]";
}

struct Case {
  const char *Name;
  int (*CStandard)(double);
  int (*CPythonMacro)(double);
  const char *PythonFunction;
};

int standardIsNan(double X) { return std::isnan(X); }
int standardIsInf(double X) { return std::isinf(X); }
int standardIsFinite(double X) { return std::isfinite(X); }

const Case Cases[] = {
    {"Py_IS_NAN", standardIsNan, pysym_cpython_Py_IS_NAN, "math.isnan"},
    {"Py_IS_INFINITY", standardIsInf, pysym_cpython_Py_IS_INFINITY, "math.isinf"},
    {"Py_IS_FINITE", standardIsFinite, pysym_cpython_Py_IS_FINITE, "math.isfinite"},
};

class FloatMacrosTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
    Python = Started;
    auto Set = testing::bindToEmbedded(*Python);
    ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
    Substitutes = std::move(*Set);
    ASSERT_FALSE(errorToBool(Python->run("import math, struct")));
  }
  testing::EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;
};

TEST_F(FloatMacrosTest, AgreeWithC99AndTheInterpretersMathModuleOnEveryValue) {
  for (const Case &C : Cases) {
    auto *Substitute = testing::substituteFunction<Classifier>(*Substitutes, C.Name);
    ASSERT_NE(Substitute, nullptr);
    for (double X : grid()) {
      int Ours = Substitute(X);
      EXPECT_TRUE(Ours == 0 || Ours == 1) << C.Name << " returned " << Ours;
      EXPECT_EQ(Ours != 0, C.CStandard(X) != 0) << C.Name << "(" << X << ")";
      int Python = testing::truth(*this->Python, std::string(C.PythonFunction) + "(" + pythonFloat(X) + ")");
      EXPECT_EQ(Ours, Python) << C.Name << " vs " << C.PythonFunction << " on " << X;
    }
  }
}

TEST_F(FloatMacrosTest, AgreeWithCPythonsOwnMacrosCompiledAsC) {
  if (Python->flavor() != testing::Flavor::CPython)
    GTEST_SKIP() << "CPython's macros are the reference only in a CPython process; this is "
                 << pysym::testing::toString(Python->flavor()).str();
  for (const Case &C : Cases) {
    auto *Substitute = testing::substituteFunction<Classifier>(*Substitutes, C.Name);
    ASSERT_NE(Substitute, nullptr);
    for (double X : grid())
      // Truth values: glibc's C isinf gives -1 for -inf, the substitute 1.
      EXPECT_EQ(Substitute(X) != 0, C.CPythonMacro(X) != 0) << C.Name << "(" << X << ")";
  }
}

}  // namespace
}  // namespace pysym::substitutes
