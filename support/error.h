// Checked, typed errors for pysym's core (symtab/, resolver/), which builds
// and links without LLVM.
//
// The discipline is ORC's: a fallible function returns an `Error` or an
// `Expected<T>`; each must be checked before it is destroyed or overwritten,
// and a failure must be handled (inspected by type, converted, or consumed
// on purpose). "Not found" is not an error: it is an empty optional or a
// null pointer.
//
// A failure carries one payload, an `ErrorPayload` subclass that names what
// went wrong. Callers decide by the payload's type (`Error::as<T>()`), never
// by its message. A payload class derives from `ErrorKind<Self>` (or
// `ErrorKind<Self, Parent>` to refine another payload) and defines
// `static const char ID;`, whose address identifies the class.
//
// Where the core meets LLVM (jitlink/) a failure becomes an llvm::Error once,
// keeping its payload (jitlink/core_error.h); at the Python boundary it
// becomes an exception, chosen by the payload's type (python/src).
//
// Checking is enforced twice: the types are [[nodiscard]], and in builds
// without NDEBUG (Bazel's default, so every test) destroying an unchecked
// Error or Expected prints the lost message and aborts. That abort marks a
// bug in pysym's code, never a reaction to input. The layout does not depend
// on NDEBUG, so code built with it and code built without it (an installed
// library and its consumer, say) can hand errors to each other: a lost
// error aborts only when both the code that made it and the code that
// destroys it were built without NDEBUG.
#ifndef PYSYM_SUPPORT_ERROR_H
#define PYSYM_SUPPORT_ERROR_H

#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace pysym {

/// What a failure says. Subclasses add the fields a caller may act on.
class ErrorPayload {
public:
  virtual ~ErrorPayload();
  /// One line for a person, without a trailing newline.
  virtual std::string message() const = 0;
  /// The errno-style condition, for callers that report one (an OSError's
  /// errno, an llvm::Error's error_code). invalid_argument unless overridden.
  virtual std::error_code errorCode() const;
  /// True when this payload is of the class `Kind` identifies, or derives
  /// from it.
  virtual bool isA(const void *Kind) const { return Kind == &ID; }
  template <typename T> bool isA() const { return isA(&T::ID); }

  static const char ID;
};

/// The base of a payload class: `class Refused : public ErrorKind<Refused>`.
template <typename Self, typename Parent = ErrorPayload>
class ErrorKind : public Parent {
public:
  using Parent::Parent;
  using Parent::isA;
  bool isA(const void *Kind) const override {
    return Kind == &Self::ID || Parent::isA(Kind);
  }
};

/// A failure described by its message and an errno-style code alone: for
/// what no caller handles differently (a file that cannot be read, a table
/// that does not parse).
class StringError : public ErrorKind<StringError> {
public:
  static const char ID;
  StringError(std::errc Code, std::string Message)
      : Code(std::make_error_code(Code)), Message(std::move(Message)) {}
  StringError(std::error_code Code, std::string Message)
      : Code(Code), Message(std::move(Message)) {}
  std::string message() const override { return Message; }
  std::error_code errorCode() const override { return Code; }

private:
  std::error_code Code;
  std::string Message;
};

namespace error_detail {
[[noreturn]] void reportUnchecked(const ErrorPayload *Payload);
#ifdef NDEBUG
inline constexpr bool CheckErrors = false;
#else
inline constexpr bool CheckErrors = true;
#endif
}  // namespace error_detail

/// Success, or one failure with its payload.
class [[nodiscard]] Error {
public:
  /// Success. Checked until assigned a failure.
  static Error success() { return Error(); }

  Error(Error &&Other) noexcept : Payload(std::move(Other.Payload)), Unchecked(Other.Unchecked) {
    Other.Unchecked = false;
  }
  Error &operator=(Error &&Other) noexcept {
    assertChecked();
    Payload = std::move(Other.Payload);
    Unchecked = Other.Unchecked;
    Other.Unchecked = false;
    return *this;
  }
  Error(const Error &) = delete;
  Error &operator=(const Error &) = delete;
  ~Error() { assertChecked(); }

  /// True on failure. Checks a success; a failure stays to be handled.
  explicit operator bool() const {
    Unchecked = Payload != nullptr;
    return Payload != nullptr;
  }

  /// The payload as a `T` if it is one (or derives from it), else null.
  /// Inspecting does not handle the failure.
  template <typename T> const T *as() const {
    return Payload && Payload->isA<T>() ? static_cast<const T *>(Payload.get()) : nullptr;
  }
  /// The payload of a failure, null on success. Does not handle it.
  const ErrorPayload *payload() const { return Payload.get(); }

  /// Handles the failure by taking its payload (null on success).
  std::unique_ptr<ErrorPayload> takePayload() && {
    Unchecked = false;
    return std::move(Payload);
  }

  template <typename T, typename... Args> friend Error makeError(Args &&...);
  friend Error errorFromPayload(std::unique_ptr<ErrorPayload>);

private:
  Error() = default;
  explicit Error(std::unique_ptr<ErrorPayload> P)
      : Payload(std::move(P)), Unchecked(error_detail::CheckErrors) {}
  void assertChecked() const {
    if (error_detail::CheckErrors && Unchecked) error_detail::reportUnchecked(Payload.get());
  }

  std::unique_ptr<ErrorPayload> Payload;
  // Checking is an observation, so a const result can be checked too.
  mutable bool Unchecked = error_detail::CheckErrors;
};

/// A failure whose payload is a `T` built from `Args`.
template <typename T, typename... Args> Error makeError(Args &&...A) {
  static_assert(std::is_base_of_v<ErrorPayload, T>, "T must be an ErrorPayload");
  return Error(std::make_unique<T>(std::forward<Args>(A)...));
}

/// A failure carrying `P`; success when `P` is null.
Error errorFromPayload(std::unique_ptr<ErrorPayload> P);

/// A StringError.
inline Error makeStringError(std::errc Code, std::string Message) {
  return makeError<StringError>(Code, std::move(Message));
}

/// Handles `E` by returning its message ("" on success).
std::string toString(Error E);

/// Handles `E` by dropping it: only where a failure is expected and its
/// reason is of no use (say so at the call).
inline void consumeError(Error E) { (void)std::move(E).takePayload(); }

/// A value, or the failure that prevented it.
template <typename T> class [[nodiscard]] Expected {
  static_assert(!std::is_reference_v<T>, "hold a pointer or std::reference_wrapper");

public:
  Expected(T Value) : HasValue(true), Unchecked(error_detail::CheckErrors) {
    new (&Storage.Value) T(std::move(Value));
  }
  /// From a failure; `E` must not be a success.
  Expected(Error E) : HasValue(false), Unchecked(error_detail::CheckErrors) {
    new (&Storage.Failure) Error(std::move(E));
    if (!Storage.Failure) {  // a success here is pysym's bug: report it as one
      Storage.Failure = makeStringError(std::errc::invalid_argument,
                                        "Expected built from a success");
    }
  }
  /// From a value of a type convertible to T (a unique_ptr of a subclass).
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Error>>>
  Expected(U &&Value) : Expected(T(std::forward<U>(Value))) {}

  Expected(Expected &&Other) noexcept : HasValue(Other.HasValue), Unchecked(Other.Unchecked) {
    if (HasValue)
      new (&Storage.Value) T(std::move(Other.Storage.Value));
    else
      new (&Storage.Failure) Error(std::move(Other.Storage.Failure));
    Other.Unchecked = false;
  }
  Expected &operator=(Expected &&Other) noexcept {
    if (this != &Other) {
      this->~Expected();
      new (this) Expected(std::move(Other));
    }
    return *this;
  }
  Expected(const Expected &) = delete;
  Expected &operator=(const Expected &) = delete;
  ~Expected() {
    if (error_detail::CheckErrors && Unchecked)
      error_detail::reportUnchecked(HasValue ? nullptr : Storage.Failure.payload());
    if (HasValue) {
      Storage.Value.~T();
    } else {
      consumeError(std::move(Storage.Failure));
      Storage.Failure.~Error();
    }
  }

  /// True when there is a value. Checks it; a failure stays to be handled
  /// through takeError().
  explicit operator bool() const {
    Unchecked = !HasValue;
    return HasValue;
  }

  /// The value; only after operator bool said there is one.
  T &get() { return Storage.Value; }
  const T &get() const { return Storage.Value; }
  T &operator*() { return get(); }
  const T &operator*() const { return get(); }
  T *operator->() { return &get(); }
  const T *operator->() const { return &get(); }

  /// The failure (success when there is a value). Checks this Expected.
  Error takeError() {
    Unchecked = false;
    return HasValue ? Error::success() : std::move(Storage.Failure);
  }

  /// The payload as a `T` if this holds a failure of that type, else null.
  template <typename T2> const T2 *errorAs() const {
    return HasValue ? nullptr : Storage.Failure.template as<T2>();
  }

private:
  union Union {
    Union() {}
    ~Union() {}
    T Value;
    Error Failure;
  } Storage;
  bool HasValue;
  mutable bool Unchecked;
};

}  // namespace pysym

#endif  // PYSYM_SUPPORT_ERROR_H
