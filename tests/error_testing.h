// GoogleTest assertions for llvm::Error and llvm::Expected. Debian's LLVM
// ships no libLLVMTestingSupport, so pysym's tests use these instead.
#ifndef PYSYM_TESTS_ERROR_TESTING_H
#define PYSYM_TESTS_ERROR_TESTING_H

#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pysym::testing {

/// Success, or a failure that carries the error's message. Consumes `E`.
/// Example: ASSERT_TRUE(succeeded(R->addSymbol("f", Address)));
inline ::testing::AssertionResult succeeded(llvm::Error E) {
  if (!E)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected error: " << llvm::toString(std::move(E));
}

/// As above for an Expected, which keeps its value when it holds one.
template <typename T> ::testing::AssertionResult succeeded(llvm::Expected<T> &E) {
  if (E)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected error: " << llvm::toString(E.takeError());
}

/// Whether `E` is an error whose message contains `Fragment`. Consumes `E`.
inline ::testing::AssertionResult failedWith(llvm::Error E, llvm::StringRef Fragment) {
  if (!E)
    return ::testing::AssertionFailure() << "succeeded; expected an error containing \"" << Fragment.str() << "\"";
  std::string Message = llvm::toString(std::move(E));
  if (llvm::StringRef(Message).contains(Fragment))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error \"" << Message << "\" does not contain \"" << Fragment.str() << "\"";
}

template <typename T> ::testing::AssertionResult failedWith(llvm::Expected<T> &E, llvm::StringRef Fragment) {
  if (E)
    return ::testing::AssertionFailure() << "succeeded; expected an error containing \"" << Fragment.str() << "\"";
  return failedWith(E.takeError(), Fragment);
}

template <typename T> ::testing::AssertionResult failedWith(llvm::Expected<T> &&E, llvm::StringRef Fragment) {
  return failedWith(E, Fragment);
}

/// Whether `E` is one error of type `T` (and, given `Check`, one it accepts),
/// whatever its message says. Consumes `E`.
/// Example: EXPECT_TRUE(failedAs<UndefinedSymbolError>(J->lookup("f").takeError()));
template <typename T>
::testing::AssertionResult failedAs(llvm::Error E,
                                    std::function<bool(const T &)> Check = nullptr) {
  if (!E)
    return ::testing::AssertionFailure() << "succeeded; expected an error of the type asked";
  bool Matched = false;
  unsigned Count = 0;
  std::string Message;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    ++Count;
    Message += Info.message();
    if (Info.isA<T>())
      Matched = !Check || Check(static_cast<const T &>(Info));
  });
  if (Matched && Count == 1)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error \"" << Message << "\" is not the one error of the type asked";
}

template <typename T, typename V>
::testing::AssertionResult failedAs(llvm::Expected<V> &&E,
                                    std::function<bool(const T &)> Check = nullptr) {
  if (E)
    return ::testing::AssertionFailure() << "succeeded; expected an error of the type asked";
  return failedAs<T>(E.takeError(), std::move(Check));
}

}  // namespace pysym::testing

#endif  // PYSYM_TESTS_ERROR_TESTING_H
