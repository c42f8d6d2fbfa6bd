#include "python/src/core_boundary.h"

#include <string>

#include "python/src/boundary.h"
#include "python/src/core_error_mapping.h"

namespace pysym::python {

PyObject *raiseCoreError(llvm::Error E, PyObject *Default) {
  PythonException Kind = PythonException::Default;
  std::string Message;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    Message += (Message.empty() ? "" : "\n") + Info.message();
    if (Kind == PythonException::Default)
      Kind = coreExceptionFor(Info);
  });
  switch (Kind) {
  case PythonException::ValueError: return raise(PyExc_ValueError, Message);
  case PythonException::OSError: return raise(PyExc_OSError, Message);
  default: return raise(Default, Message);
  }
}

}  // namespace pysym::python
