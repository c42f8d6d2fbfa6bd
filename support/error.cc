#include "pysym/support/error.h"

#include <cstdio>
#include <cstdlib>

namespace pysym {

const char ErrorPayload::ID = 0;
const char StringError::ID = 0;

ErrorPayload::~ErrorPayload() = default;

std::error_code ErrorPayload::errorCode() const {
  return std::make_error_code(std::errc::invalid_argument);
}

Error errorFromPayload(std::unique_ptr<ErrorPayload> P) {
  if (!P) return Error::success();
  return Error(std::move(P));
}

std::string toString(Error E) {
  std::unique_ptr<ErrorPayload> P = std::move(E).takePayload();
  return P ? P->message() : std::string();
}

namespace error_detail {
void reportUnchecked(const ErrorPayload *Payload) {
  // Reached only when pysym's own code forgot to check a result; the message
  // is what would otherwise be lost without a trace.
  if (Payload)
    std::fprintf(stderr, "pysym: a failure was never handled: %s\n", Payload->message().c_str());
  else
    std::fprintf(stderr, "pysym: a result was never checked (it was a success)\n");
  std::abort();
}
}  // namespace error_detail

}  // namespace pysym
