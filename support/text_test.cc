#include "pysym/support/text.h"

#include "gtest/gtest.h"

namespace pysym {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(Text, SplitKeepsOrDropsEmptyPieces) {
  EXPECT_EQ(split("a::b", ':', false), (Pieces{"a", "b"}));
  EXPECT_EQ(split("a::b", ':', true), (Pieces{"a", "", "b"}));
  EXPECT_EQ(split(":a:", ':', true), (Pieces{"", "a", ""}));
  EXPECT_EQ(split("", ':', true), (Pieces{""}));
  EXPECT_EQ(split("", ':', false), Pieces{});
  EXPECT_EQ(split("abc", ':', false), (Pieces{"abc"}));
}

TEST(Text, TrimRemovesSurroundingWhitespaceOnly) {
  EXPECT_EQ(trim("  F PyLong_FromLong \r\n"), "F PyLong_FromLong");
  EXPECT_EQ(trim("\t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, Affixes) {
  EXPECT_TRUE(startsWith("PyPyLong_FromLong", "PyPy"));
  EXPECT_FALSE(startsWith("Py", "PyPy"));
  EXPECT_TRUE(endsWith("libpython3.11.so", ".so"));
  EXPECT_FALSE(endsWith("so", ".so"));
}

TEST(Text, JoinAndHex) {
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(hex(255), "0xff");
  EXPECT_EQ(hex(0), "0x0");
  EXPECT_EQ(hex(0xffffffffffffffffull), "0xffffffffffffffff");
}

}  // namespace
}  // namespace pysym
