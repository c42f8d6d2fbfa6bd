#include "python/src/core_boundary.h"

#include <memory>
#include <string>

#include "python/src/boundary.h"
#include "python/src/core_error_mapping.h"

namespace pysym::python {

PyObject *raiseCoreError(Error E, PyObject *Default) {
  std::unique_ptr<ErrorPayload> Payload = std::move(E).takePayload();
  if (!Payload)
    return raise(PyExc_RuntimeError, "pysym internal error: a success was raised as an error");
  std::string Message = Payload->message();
  switch (coreExceptionFor(*Payload)) {
  case PythonException::ValueError: return raise(PyExc_ValueError, Message);
  case PythonException::OSError: return raise(PyExc_OSError, Message);
  default: return raise(Default, Message);
  }
}

}  // namespace pysym::python
