#include "pysym/support/error.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace pysym {
namespace {

class Refused : public ErrorKind<Refused> {
public:
  static const char ID;
  explicit Refused(int Index) : Index(Index) {}
  std::string message() const override { return "refused #" + std::to_string(Index); }
  std::error_code errorCode() const override {
    return std::make_error_code(std::errc::operation_not_permitted);
  }
  int Index;
};
const char Refused::ID = 0;

// A refinement: callers handling Refused handle it too.
class RefusedName : public ErrorKind<RefusedName, Refused> {
public:
  static const char ID;
  using ErrorKind::ErrorKind;
};
const char RefusedName::ID = 0;

Error refuse(int Index) { return makeError<Refused>(Index); }

Expected<int> half(int N) {
  if (N % 2) return makeStringError(std::errc::invalid_argument, std::to_string(N) + " is odd");
  return N / 2;
}

TEST(Error, SuccessIsFalseAndNeedsOnlyATest) {
  Error E = Error::success();
  EXPECT_FALSE(E);
  EXPECT_EQ(E.payload(), nullptr);
}

TEST(Error, FailureIsDecidedByItsPayloadsType) {
  Error E = refuse(3);
  ASSERT_TRUE(E);
  ASSERT_NE(E.as<Refused>(), nullptr);
  EXPECT_EQ(E.as<Refused>()->Index, 3);
  EXPECT_EQ(E.as<StringError>(), nullptr);
  EXPECT_EQ(E.payload()->errorCode(), std::errc::operation_not_permitted);
  EXPECT_EQ(toString(std::move(E)), "refused #3");
}

TEST(Error, ARefinementIsAlsoItsParent) {
  Error E = makeError<RefusedName>(7);
  ASSERT_TRUE(E);
  EXPECT_NE(E.as<RefusedName>(), nullptr);
  ASSERT_NE(E.as<Refused>(), nullptr);
  EXPECT_EQ(E.as<Refused>()->Index, 7);
  EXPECT_TRUE(E.payload()->isA<ErrorPayload>());
  Error Plain = refuse(1);
  ASSERT_TRUE(Plain);
  EXPECT_EQ(Plain.as<RefusedName>(), nullptr);
  consumeError(std::move(E));
  consumeError(std::move(Plain));
}

TEST(Error, StringErrorKeepsItsCode) {
  Error E = makeStringError(std::errc::no_such_file_or_directory, "x: cannot open");
  ASSERT_TRUE(E);
  ASSERT_NE(E.as<StringError>(), nullptr);
  EXPECT_EQ(E.payload()->errorCode(), std::errc::no_such_file_or_directory);
  EXPECT_EQ(toString(std::move(E)), "x: cannot open");
}

TEST(Error, PayloadsTravelAndComeBack) {
  Error E = refuse(5);
  ASSERT_TRUE(E);
  std::unique_ptr<ErrorPayload> P = std::move(E).takePayload();
  ASSERT_NE(P, nullptr);
  Error Again = errorFromPayload(std::move(P));
  ASSERT_TRUE(Again);
  EXPECT_EQ(Again.as<Refused>()->Index, 5);
  consumeError(std::move(Again));
  Error None = errorFromPayload(nullptr);
  EXPECT_FALSE(None);
}

TEST(Error, MovedFromNeedsNoCheck) {
  Error E = refuse(2);
  Error Moved = std::move(E);
  ASSERT_TRUE(Moved);
  consumeError(std::move(Moved));
}

TEST(Expected, HoldsAValue) {
  Expected<int> V = half(8);
  ASSERT_TRUE(V);
  EXPECT_EQ(*V, 4);
  Error None = V.takeError();
  EXPECT_FALSE(None);
}

TEST(Expected, HoldsAFailure) {
  Expected<int> V = half(3);
  ASSERT_FALSE(V);
  EXPECT_NE(V.errorAs<StringError>(), nullptr);
  EXPECT_EQ(toString(V.takeError()), "3 is odd");
}

TEST(Expected, ConvertsSubclassPointers) {
  struct Base { virtual ~Base() = default; };
  struct Derived : Base {};
  auto Make = []() -> Expected<std::unique_ptr<Base>> { return std::make_unique<Derived>(); };
  Expected<std::unique_ptr<Base>> P = Make();
  ASSERT_TRUE(P);
  EXPECT_NE(dynamic_cast<Derived *>(P->get()), nullptr);
}

TEST(Expected, MovesKeepTheObligation) {
  Expected<std::string> A = std::string("text");
  Expected<std::string> B = std::move(A);
  ASSERT_TRUE(B);
  EXPECT_EQ(*B, "text");
  Expected<std::string> C = makeStringError(std::errc::io_error, "handled");
  ASSERT_FALSE(C);
  EXPECT_EQ(toString(C.takeError()), "handled");
  C = std::move(B);
  ASSERT_TRUE(C);
  EXPECT_EQ(*C, "text");
}

#ifndef NDEBUG
TEST(ErrorDeathTest, AnUnhandledFailureIsReportedWithItsMessage) {
  EXPECT_DEATH({ Error E = refuse(9); }, "never handled: refused #9");
  EXPECT_DEATH({ Error E = refuse(9); (void)static_cast<bool>(E); }, "never handled");
  EXPECT_DEATH({ Expected<int> V = half(5); }, "never handled: 5 is odd");
  EXPECT_DEATH({ Expected<int> V = half(4); }, "never checked");
  EXPECT_DEATH(
      {
        Expected<std::string> V = makeStringError(std::errc::io_error, "overwritten");
        V = std::string("value");
      },
      "never handled: overwritten");
}
#endif

}  // namespace
}  // namespace pysym
