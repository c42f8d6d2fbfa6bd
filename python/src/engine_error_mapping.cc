#include "python/src/engine_error_mapping.h"

#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/missing_symbols_error.h"

namespace pysym::python {

PythonException engineExceptionFor(const llvm::ErrorInfoBase &Info) {
  if (Info.isA<MissingSymbolsError>())
    return PythonException::LinkError;
  if (Info.isA<UndefinedSymbolError>())
    return PythonException::KeyError;
  if (Info.isA<AmbiguousSymbolError>() || Info.isA<UnknownModuleError>())
    return PythonException::ValueError;
  if (Info.isA<RejectedInputError>())
    return PythonException::CompileError;
  return PythonException::Default;
}

}  // namespace pysym::python
