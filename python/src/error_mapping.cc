#include "python/src/error_mapping.h"

#include "jitlink/engine_errors.h"
#include "jitlink/missing_symbols_error.h"
#include "resolver/exposure.h"

namespace pysym::python {

PythonException exceptionFor(const llvm::ErrorInfoBase &Info) {
  if (Info.isA<MissingSymbolsError>())
    return PythonException::LinkError;
  if (Info.isA<UndefinedSymbolError>())
    return PythonException::KeyError;
  if (Info.isA<AmbiguousSymbolError>() || Info.isA<UnknownModuleError>())
    return PythonException::ValueError;
  if (Info.isA<RejectedInputError>())
    return PythonException::CompileError;
  if (Info.isA<ExposeFailed>()) {
    switch (static_cast<const ExposeFailed &>(Info).reason()) {
    case ExposeFailed::Reason::InvalidName: return PythonException::ValueError;
    case ExposeFailed::Reason::WriteFailed:
    case ExposeFailed::Reason::LoadRefused: return PythonException::OSError;
    }
    return PythonException::OSError;
  }
  return PythonException::Default;
}

}  // namespace pysym::python
