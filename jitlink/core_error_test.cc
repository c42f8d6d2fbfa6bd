// A core failure crosses into LLVM with its payload: type, fields, message
// and error code all survive.
#include "pysym/jitlink/core_error.h"

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

Expected<int> parse(bool Fail) {
  if (Fail)
    return makeError<Refused>(4);
  return 42;
}

TEST(CoreError, SuccessStaysSuccess) {
  llvm::Error E = toLlvmError(Error::success());
  EXPECT_FALSE(bool(E));
}

TEST(CoreError, TheFailureKeepsItsPayloadTypeFieldsMessageAndCode) {
  llvm::Error E = toLlvmError(makeError<Refused>(3));
  ASSERT_TRUE(bool(E));
  ASSERT_TRUE(E.isA<CoreError>());
  bool Handled = false;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    Handled = true;
    const Refused *R = coreErrorAs<Refused>(Info);
    ASSERT_NE(R, nullptr);
    EXPECT_EQ(R->Index, 3);
    EXPECT_EQ(coreErrorAs<StringError>(Info), nullptr);
    EXPECT_EQ(Info.message(), "refused #3");
    EXPECT_EQ(Info.convertToErrorCode(), std::errc::operation_not_permitted);
  });
  EXPECT_TRUE(Handled);
}

TEST(CoreError, AnLlvmErrorOfAnotherTypeHasNoCorePayload) {
  llvm::Error E = llvm::createStringError(std::errc::io_error, "not from the core");
  llvm::handleAllErrors(std::move(E), [](const llvm::ErrorInfoBase &Info) {
    EXPECT_EQ(coreErrorAs<Refused>(Info), nullptr);
    EXPECT_EQ(coreErrorAs<ErrorPayload>(Info), nullptr);
  });
}

TEST(CoreError, ExpectedCarriesTheValueOrThePayload) {
  llvm::Expected<int> Value = toLlvmExpected(parse(false));
  ASSERT_TRUE(bool(Value));
  EXPECT_EQ(*Value, 42);
  llvm::Expected<int> Failure = toLlvmExpected(parse(true));
  ASSERT_FALSE(bool(Failure));
  llvm::handleAllErrors(Failure.takeError(), [](const CoreError &C) {
    ASSERT_TRUE(C.payload().isA<Refused>());
    EXPECT_EQ(static_cast<const Refused &>(C.payload()).Index, 4);
  });
}

}  // namespace
}  // namespace pysym
