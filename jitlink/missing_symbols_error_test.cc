#include "pysym/jitlink/missing_symbols_error.h"

#include "gtest/gtest.h"

namespace pysym {
namespace {

Resolution miss(const std::string &Name, std::vector<std::string> Tried) {
  Resolution R;
  R.Name = Name;
  R.Tried = std::move(Tried);
  return R;
}

TEST(MissingSymbolsErrorTest, NamesTheModuleAndEachMissWithWhatWasTried) {
  llvm::Error Err = llvm::make_error<MissingSymbolsError>(
      "kernel", std::vector<Resolution>{miss("PyA", {"exact PyA: not exported"}),
                                        miss("PyB", {"alias PyPyB: not exported"})});
  ASSERT_TRUE(Err.isA<MissingSymbolsError>());
  std::vector<Resolution> Carried;
  std::string Message;
  llvm::handleAllErrors(std::move(Err), [&](const MissingSymbolsError &E) {
    Carried = E.missing();
    Message = E.message();
    EXPECT_EQ(E.module(), "kernel");
  });
  ASSERT_EQ(Carried.size(), 2u);
  EXPECT_EQ(Message, "cannot link module 'kernel': 2 symbols not found\n"
                     "  " + describe(Carried[0]) + "\n"
                     "  " + describe(Carried[1]));
  EXPECT_NE(Message.find("exact PyA: not exported"), std::string::npos);
}

TEST(MissingSymbolsErrorTest, SaysSymbolForOne) {
  llvm::Error Err = llvm::make_error<MissingSymbolsError>(
      "k", std::vector<Resolution>{miss("PyA", {"tried"})});
  EXPECT_EQ(llvm::toString(std::move(Err)).rfind("cannot link module 'k': 1 symbol not found", 0), 0u);
}

}  // namespace
}  // namespace pysym
