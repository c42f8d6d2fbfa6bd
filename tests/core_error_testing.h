// GoogleTest assertions for the core's pysym::Error and pysym::Expected
// (support/error.h). No LLVM: the core's tests link without it.
#ifndef PYSYM_TESTS_CORE_ERROR_TESTING_H
#define PYSYM_TESTS_CORE_ERROR_TESTING_H

#include <functional>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "pysym/support/error.h"

namespace pysym::testing {

/// Success, or a failure that carries the error's message. Consumes `E`.
/// Example: ASSERT_TRUE(succeeded(writeAbsoluteObject(Fd, "x.so", Symbols)));
inline ::testing::AssertionResult succeeded(Error E) {
  if (!E)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected error: " << toString(std::move(E));
}

/// As above for an Expected, which keeps its value when it holds one.
template <typename T> ::testing::AssertionResult succeeded(Expected<T> &E) {
  if (E)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected error: " << toString(E.takeError());
}

/// Whether `E` is a failure whose message contains `Fragment`. Consumes `E`.
inline ::testing::AssertionResult failedWith(Error E, std::string_view Fragment) {
  if (!E)
    return ::testing::AssertionFailure() << "succeeded; expected an error containing \"" << Fragment << "\"";
  std::string Message = toString(std::move(E));
  if (Message.find(Fragment) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error \"" << Message << "\" does not contain \"" << Fragment << "\"";
}

template <typename T> ::testing::AssertionResult failedWith(Expected<T> &E, std::string_view Fragment) {
  if (E)
    return ::testing::AssertionFailure() << "succeeded; expected an error containing \"" << Fragment << "\"";
  return failedWith(E.takeError(), Fragment);
}

template <typename T> ::testing::AssertionResult failedWith(Expected<T> &&E, std::string_view Fragment) {
  return failedWith(E, Fragment);
}

/// Whether `E` is a failure whose payload is a `T` (and, given `Check`, one
/// it accepts), whatever its message says. Consumes `E`.
/// Example: EXPECT_TRUE(failedAs<ExposeFailed>(exposeToProcess(R, Bad)));
template <typename T>
::testing::AssertionResult failedAs(Error E, std::function<bool(const T &)> Check = nullptr) {
  if (!E)
    return ::testing::AssertionFailure() << "succeeded; expected an error of the type asked";
  const T *Payload = E.as<T>();
  const bool Matched = Payload && (!Check || Check(*Payload));
  std::string Message = toString(std::move(E));
  if (Matched)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error \"" << Message << "\" is not an error of the type asked";
}

template <typename T, typename V>
::testing::AssertionResult failedAs(Expected<V> &&E, std::function<bool(const T &)> Check = nullptr) {
  if (E)
    return ::testing::AssertionFailure() << "succeeded; expected an error of the type asked";
  return failedAs<T>(E.takeError(), std::move(Check));
}

}  // namespace pysym::testing

#endif  // PYSYM_TESTS_CORE_ERROR_TESTING_H
