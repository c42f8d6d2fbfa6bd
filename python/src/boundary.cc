#include "python/src/boundary.h"

#include <vector>

#include "jitlink/engine_errors.h"
#include "jitlink/missing_symbols_error.h"
#include "python/src/error_mapping.h"
#include "python/src/resolution_type.h"
#include "python/src/state.h"

namespace pysym::python {
namespace {

// Raises pysym.LinkError(message) with `.missing`, the list of Resolutions.
PyObject *raiseLinkError(const std::string &Message, const std::vector<Resolution> &Missing) {
  OwnedRef List(PyList_New(0));
  if (!List)
    return nullptr;
  for (const Resolution &R : Missing) {
    OwnedRef One(newResolution(R));
    if (!One || PyList_Append(List.get(), One.get()) < 0)
      return nullptr;
  }
  OwnedRef Error(PyObject_CallFunction(LinkErrorType, "s", Message.c_str()));
  if (!Error || PyObject_SetAttrString(Error.get(), "missing", List.get()) < 0)
    return nullptr;
  PyErr_SetObject(LinkErrorType, Error.get());
  return nullptr;
}

}  // namespace

void setErrorFromCurrentException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc &) {
    PyErr_NoMemory();
  } catch (const std::exception &E) {
    PyErr_Format(PyExc_RuntimeError, "pysym internal error (C++ exception): %s", E.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "pysym internal error: an unknown C++ exception");
  }
}

PyObject *raise(llvm::Error E, PyObject *Default) {
  PythonException Kind = PythonException::Default;
  std::vector<Resolution> Missing;  // of the deciding MissingSymbolsError
  std::string Symbol;               // of the deciding UndefinedSymbolError
  std::string Suffix;               // what Python adds to the message
  std::string Message;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    Message += (Message.empty() ? "" : "\n") + Info.message();
    if (Kind != PythonException::Default)
      return;
    Kind = exceptionFor(Info);
    if (Info.isA<MissingSymbolsError>())
      Missing = static_cast<const MissingSymbolsError &>(Info).missing();
    else if (Info.isA<UndefinedSymbolError>())
      Symbol = static_cast<const UndefinedSymbolError &>(Info).symbol();
    else if (Info.isA<AmbiguousSymbolError>())
      Suffix = " (pass module=handle)";
  });
  switch (Kind) {
  case PythonException::Default:
    if (Default == LinkErrorType)
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
  case PythonException::CompileError: return raise(CompileErrorType, Message);
  case PythonException::OSError: return raise(PyExc_OSError, Message);
  }
  return raise(Default, Message);
}

PyObject *raise(PyObject *Type, const std::string &Message) {
  PyErr_SetString(Type, Message.c_str());
  return nullptr;
}

bool utf8Argument(PyObject *Object, const char *What, std::string &Text) {
  if (!PyUnicode_Check(Object)) {
    PyErr_Format(PyExc_TypeError, "%s must be str, not %s", What, Py_TYPE(Object)->tp_name);
    return false;
  }
  Py_ssize_t Size = 0;
  const char *Data = PyUnicode_AsUTF8AndSize(Object, &Size);
  if (!Data)
    return false;
  Text.assign(Data, static_cast<size_t>(Size));
  return true;
}

}  // namespace pysym::python
