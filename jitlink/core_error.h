// Where the LLVM-free core (symtab/, resolver/) meets LLVM: a core failure
// (pysym::Error, support/error.h) becomes an llvm::Error once, here, and
// keeps its payload, so that a caller past the boundary (the Python
// extension, an embedding host) still decides by the payload's type.
#ifndef PYSYM_JITLINK_CORE_ERROR_H
#define PYSYM_JITLINK_CORE_ERROR_H

#include <memory>
#include <system_error>
#include <utility>

#include "llvm/Support/Error.h"
#include "pysym/support/error.h"

namespace pysym {

/// An llvm::Error's payload holding a core failure's payload. Its message
/// is the payload's message; its error_code the payload's errorCode().
class CoreError : public llvm::ErrorInfo<CoreError> {
public:
  static char ID;
  /// `Payload` must not be null.
  explicit CoreError(std::unique_ptr<ErrorPayload> Payload) : Payload(std::move(Payload)) {}

  const ErrorPayload &payload() const { return *Payload; }
  /// Gives the payload back, for a caller that returns it to the core.
  std::unique_ptr<ErrorPayload> takePayload() { return std::move(Payload); }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::unique_ptr<ErrorPayload> Payload;
};

/// `E` as an llvm::Error carrying its payload in a CoreError; success stays
/// success. Handles `E`.
llvm::Error toLlvmError(Error E);

/// `E`'s value, or its failure as toLlvmError makes it.
template <typename T> llvm::Expected<T> toLlvmExpected(Expected<T> E) {
  if (!E)
    return toLlvmError(E.takeError());
  return std::move(*E);
}

/// The core payload of `Info` as a `T` when `Info` is a CoreError whose
/// payload is one (or derives from one), else null.
/// Example: if (auto *F = coreErrorAs<ExposeFailed>(Info)) ... F->reason()
template <typename T> const T *coreErrorAs(const llvm::ErrorInfoBase &Info) {
  if (!Info.isA<CoreError>())
    return nullptr;
  const ErrorPayload &P = static_cast<const CoreError &>(Info).payload();
  return P.isA<T>() ? static_cast<const T *>(&P) : nullptr;
}

}  // namespace pysym

#endif  // PYSYM_JITLINK_CORE_ERROR_H
