#include "pysym/support/span.h"

#include <vector>

#include "gtest/gtest.h"

namespace pysym {
namespace {

int sum(Span<int> Values) {
  int Total = 0;
  for (int V : Values) Total += V;
  return Total;
}

TEST(Span, ViewsAVectorWithoutCopying) {
  std::vector<int> Values = {1, 2, 3};
  Span<int> View = Values;
  EXPECT_EQ(View.data(), Values.data());
  EXPECT_EQ(View.size(), 3u);
  EXPECT_EQ(View.front(), 1);
  EXPECT_EQ(View.back(), 3);
  EXPECT_EQ(View[1], 2);
  EXPECT_EQ(sum(Values), 6);
  EXPECT_EQ(View.toVector(), Values);
}

TEST(Span, ViewsAnArrayAndAPart) {
  static constexpr int Array[] = {4, 5, 6, 7};
  EXPECT_EQ(sum(Array), 22);
  Span<int> Middle(Array + 1, 2);
  EXPECT_EQ(sum(Middle), 11);
}

TEST(Span, DefaultIsEmpty) {
  Span<int> None;
  EXPECT_TRUE(None.empty());
  EXPECT_EQ(None.begin(), None.end());
  EXPECT_EQ(sum(None), 0);
}

}  // namespace
}  // namespace pysym
