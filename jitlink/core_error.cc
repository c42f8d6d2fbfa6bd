#include "pysym/jitlink/core_error.h"

#include "llvm/Support/raw_ostream.h"

namespace pysym {

char CoreError::ID = 0;

void CoreError::log(llvm::raw_ostream &OS) const { OS << Payload->message(); }

std::error_code CoreError::convertToErrorCode() const { return Payload->errorCode(); }

llvm::Error toLlvmError(Error E) {
  std::unique_ptr<ErrorPayload> Payload = std::move(E).takePayload();
  if (!Payload)
    return llvm::Error::success();
  return llvm::make_error<CoreError>(std::move(Payload));
}

}  // namespace pysym
