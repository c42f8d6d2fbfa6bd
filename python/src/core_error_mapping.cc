#include "python/src/core_error_mapping.h"

#include "pysym/resolver/exposure.h"

namespace pysym::python {

PythonException coreExceptionFor(const ErrorPayload &Payload) {
  if (!Payload.isA<ExposeFailed>())
    return PythonException::Default;
  switch (static_cast<const ExposeFailed &>(Payload).reason()) {
  case ExposeFailed::Reason::InvalidName: return PythonException::ValueError;
  case ExposeFailed::Reason::WriteFailed:
  case ExposeFailed::Reason::LoadRefused: return PythonException::OSError;
  }
  return PythonException::OSError;
}

}  // namespace pysym::python
