#include "python/src/core_error_mapping.h"

namespace pysym::python {

PythonException coreExceptionFor(const llvm::ErrorInfoBase &Info) {
  if (!Info.isA<ExposeFailed>())
    return PythonException::Default;
  switch (static_cast<const ExposeFailed &>(Info).reason()) {
  case ExposeFailed::Reason::InvalidName: return PythonException::ValueError;
  case ExposeFailed::Reason::WriteFailed:
  case ExposeFailed::Reason::LoadRefused: return PythonException::OSError;
  }
  return PythonException::OSError;
}

}  // namespace pysym::python
