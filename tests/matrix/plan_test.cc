// parsePlan: the records matrix_check.py writes, and what it must refuse.
#include "tests/matrix/plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/error_testing.h"

namespace pysym::matrix {
namespace {

using ::pysym::testing::failedWith;
using ::pysym::testing::succeeded;

TEST(PlanTest, ReadsCasesWithTheirRegistrationsAndStatusNames) {
  auto Plan = parsePlan("case\tregistered_function\tregistered_function\tnegate_registered\n"
                        "function\tpysym_matrix_negate\tPyNumber_Negative\n"
                        "status\tpysym_matrix_negate\n"
                        "\n"
                        "case\tregistered_object\tregistered_object\tregistered_answer\n"
                        "object\tpysym_matrix_answer\n");
  ASSERT_TRUE(succeeded(Plan));
  ASSERT_EQ(Plan->size(), 2u);
  const PlannedCase &First = (*Plan)[0];
  EXPECT_EQ(First.Name, "registered_function");
  EXPECT_EQ(First.Kernel, "registered_function");
  EXPECT_EQ(First.Entry, "negate_registered");
  ASSERT_EQ(First.Functions.size(), 1u);
  EXPECT_EQ(First.Functions[0].Name, "pysym_matrix_negate");
  EXPECT_EQ(First.Functions[0].Target, "PyNumber_Negative");
  EXPECT_THAT(First.StatusNames, ::testing::ElementsAre("pysym_matrix_negate"));
  EXPECT_TRUE(First.Objects.empty());
  const PlannedCase &Second = (*Plan)[1];
  EXPECT_THAT(Second.Objects, ::testing::ElementsAre("pysym_matrix_answer"));
  EXPECT_TRUE(Second.Functions.empty());
  EXPECT_TRUE(Second.StatusNames.empty());
}

TEST(PlanTest, EmptyTextIsNoCases) {
  auto Plan = parsePlan("");
  ASSERT_TRUE(succeeded(Plan));
  EXPECT_TRUE(Plan->empty());
}

TEST(PlanTest, RefusesMalformedRecordsNamingTheLine) {
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\tc\nlinker\tx\n"),
                         "plan line 2: unknown record 'linker'"));
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\n"),
                         "plan line 1: case wants 3 fields, got 2"));
  EXPECT_TRUE(failedWith(parsePlan("status\tPyLong_FromLong\n"),
                         "plan line 1: status before the first case"));
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\tc\ncase\ta\tb\tc\n"),
                         "plan line 2: case a appears twice"));
}

TEST(PlanTest, RefusesNamesThatCouldBreakOutOfAPythonStringLiteral) {
  EXPECT_TRUE(failedWith(parsePlan("case\ta'\tb\tc\n"), "'a'' is not a plain name"));
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\tc\nobject\tx y\n"),
                         "'x y' is not a plain name"));
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\tc\nstatus\t\n"),
                         "'' is not a plain name"));
  EXPECT_TRUE(failedWith(parsePlan("case\ta\tb\t1c\n"), "'1c' is not a plain name"));
}

TEST(PlanTest, PlainNamesAreCSymbolsWithDotsAndDollars) {
  EXPECT_TRUE(isPlainName("PyLong_FromLong"));
  EXPECT_TRUE(isPlainName("_Py_NoneStruct"));
  EXPECT_TRUE(isPlainName("myjit.exc.ValueError"));
  EXPECT_TRUE(isPlainName("$x9"));
  EXPECT_FALSE(isPlainName(""));
  EXPECT_FALSE(isPlainName("9lives"));
  EXPECT_FALSE(isPlainName("a\\b"));
  EXPECT_FALSE(isPlainName("a\"b"));
}

}  // namespace
}  // namespace pysym::matrix
