#include "python/src/engine_boundary.h"

#include <string>
#include <vector>

#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "python/src/boundary.h"
#include "python/src/engine_error_mapping.h"
#include "python/src/engine_state.h"

namespace pysym::python {
namespace {

// Raises pysym.LinkError(message) with `.missing`, the list of Resolutions.
PyObject *raiseLinkError(const std::string &Message, const std::vector<Resolution> &Missing) {
  OwnedRef List(PyList_New(0));
  if (!List)
    return nullptr;
  for (const Resolution &R : Missing) {
    OwnedRef One(Core->NewResolution(R));
    if (!One || PyList_Append(List.get(), One.get()) < 0)
      return nullptr;
  }
  OwnedRef Error(PyObject_CallFunction(Core->LinkError, "s", Message.c_str()));
  if (!Error || PyObject_SetAttrString(Error.get(), "missing", List.get()) < 0)
    return nullptr;
  PyErr_SetObject(Core->LinkError, Error.get());
  return nullptr;
}

}  // namespace

PyObject *raiseEngineError(llvm::Error E, PyObject *Default) {
  PythonException Kind = PythonException::Default;
  std::vector<Resolution> Missing;  // of the deciding MissingSymbolsError
  std::string Symbol;               // of the deciding UndefinedSymbolError
  std::string Suffix;               // what Python adds to the message
  std::string Message;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    Message += (Message.empty() ? "" : "\n") + Info.message();
    if (Kind != PythonException::Default)
      return;
    Kind = engineExceptionFor(Info);
    if (Info.isA<MissingSymbolsError>())
      Missing = static_cast<const MissingSymbolsError &>(Info).missing();
    else if (Info.isA<UndefinedSymbolError>())
      Symbol = static_cast<const UndefinedSymbolError &>(Info).symbol();
    else if (Info.isA<AmbiguousSymbolError>())
      Suffix = " (pass module=handle)";
  });
  switch (Kind) {
  case PythonException::Default:
    if (Default == Core->LinkError)
      return raiseLinkError(Message, {});
    return raise(Default, Message);
  case PythonException::LinkError: return raiseLinkError(Message, Missing);
  case PythonException::KeyError: {
    OwnedRef Key(PyUnicode_DecodeUTF8(Symbol.data(), static_cast<Py_ssize_t>(Symbol.size()),
                                      "surrogateescape"));
    if (Key)
      PyErr_SetObject(PyExc_KeyError, Key.get());
    return nullptr;
  }
  case PythonException::ValueError: return raise(PyExc_ValueError, Message + Suffix);
  case PythonException::CompileError: return raise(Core->CompileError, Message);
  case PythonException::OSError: return raise(PyExc_OSError, Message);
  }
  return raise(Default, Message);
}

}  // namespace pysym::python
