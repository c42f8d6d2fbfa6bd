#include "pysym/support/borrowed_string_map.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace pysym {
namespace {

TEST(BorrowedStringMap, FindsWhatWasInsertedAndNothingElse) {
  BorrowedStringMap<int> Map;
  EXPECT_EQ(Map.find("absent"), nullptr);  // before any insertion
  auto [Value, Inserted] = Map.tryEmplace("PyLong_FromLong", 7);
  ASSERT_TRUE(Inserted);
  EXPECT_EQ(*Value, 7);
  ASSERT_NE(Map.find("PyLong_FromLong"), nullptr);
  EXPECT_EQ(*Map.find("PyLong_FromLong"), 7);
  EXPECT_EQ(Map.find("PyLong_FromLon"), nullptr);   // a prefix
  EXPECT_EQ(Map.find("PyLong_FromLongs"), nullptr); // an extension
  EXPECT_EQ(Map.find(""), nullptr);
  EXPECT_EQ(Map.size(), 1u);
}

TEST(BorrowedStringMap, ASecondInsertionKeepsTheFirstValue) {
  BorrowedStringMap<int> Map;
  ASSERT_TRUE(Map.tryEmplace("name", 1).second);
  auto [Value, Inserted] = Map.tryEmplace(std::string_view("name"), 2);
  EXPECT_FALSE(Inserted);
  EXPECT_EQ(*Value, 1);
  *Value = 3;  // the stored value is writable
  EXPECT_EQ(*Map.find("name"), 3);
  EXPECT_EQ(Map.size(), 1u);
}

TEST(BorrowedStringMap, KeysAreComparedByContentNotByPointer) {
  std::string Stored = "PyErr_Occurred";
  std::string Asked = Stored;  // other bytes, same content
  BorrowedStringMap<int> Map;
  ASSERT_TRUE(Map.tryEmplace(Stored, 5).second);
  ASSERT_NE(Map.find(Asked), nullptr);
  EXPECT_EQ(*Map.find(Asked), 5);
}

TEST(BorrowedStringMap, TheEmptyKeyIsAKeyLikeAnyOther) {
  BorrowedStringMap<int> Map;
  EXPECT_EQ(Map.find(std::string_view()), nullptr);
  ASSERT_TRUE(Map.tryEmplace(std::string_view(), 9).second);
  ASSERT_NE(Map.find(""), nullptr);
  EXPECT_EQ(*Map.find(""), 9);
  EXPECT_FALSE(Map.tryEmplace("", 10).second);
}

TEST(BorrowedStringMap, GrowingKeepsEveryEntry) {
  std::vector<std::string> Names;
  for (int I = 0; I < 20000; ++I)
    Names.push_back("symbol_" + std::to_string(I));
  BorrowedStringMap<int> Map;  // no reserve: grows from its smallest size
  for (int I = 0; I < 20000; ++I)
    ASSERT_TRUE(Map.tryEmplace(Names[I], I).second) << Names[I];
  EXPECT_EQ(Map.size(), 20000u);
  for (int I = 0; I < 20000; ++I) {
    const int *Found = Map.find(Names[I]);
    ASSERT_NE(Found, nullptr) << Names[I];
    EXPECT_EQ(*Found, I);
  }
  EXPECT_EQ(Map.find("symbol_20000"), nullptr);
}

TEST(BorrowedStringMap, ForEachVisitsEveryEntryOnceAndMayRewriteIt) {
  BorrowedStringMap<int> Map;
  Map.reserve(3);
  Map.tryEmplace("a", 1);
  Map.tryEmplace("bb", 2);
  Map.tryEmplace("ccc", 3);
  int Sum = 0, Visits = 0;
  Map.forEach([&](std::string_view Key, int &Value) {
    EXPECT_EQ(Key.size(), static_cast<std::size_t>(Value));
    Sum += Value;
    ++Visits;
    Value *= 10;
  });
  EXPECT_EQ(Visits, 3);
  EXPECT_EQ(Sum, 6);
  EXPECT_EQ(*Map.find("bb"), 20);
}

}  // namespace
}  // namespace pysym
