// Creates the helpers' namespace once per process and calls its functions.
#include "pysym/resolver/substitutes/python_helpers.h"

#include <cstdlib>
#include <initializer_list>
#include <cstring>

#include "pysym/resolver/substitutes/c_api_more.h"

namespace pysym::substitutes::helpers {

// The namespace's source, run in this order.
extern const char CommonSource[];   // python_helpers_source.cc
extern const char TextSource[];     // python_helpers_text.cc
extern const char RuntimeSource[];  // python_helpers_runtime.cc

namespace {

// Everything call() and the conversions of text_functions.cc and
// runtime_functions.cc use.
constexpr std::string_view Needs[] = {
    "PyGILState_Ensure", "PyGILState_Release", "Py_IncRef",        "Py_DecRef",
    "PyErr_Occurred",    "PyErr_Clear",        "PyErr_Fetch",      "PyErr_Restore",
    "PyErr_NormalizeException", "PyErr_BadInternalCall", "PyErr_SetObject", "PyException_SetTraceback",
    "PyObject_Type",     "PyDict_New",         "PyDict_GetItemString", "PyDict_SetItemString",
    "PyImport_ImportModule", "PyRun_String",   "Py_VaBuildValue",  "PyObject_CallObject", "PyObject_CallFunctionObjArgs",
    "PyObject_IsTrue",   "PyLong_AsSsize_t",   "PyTuple_GetItem",  "PyBytes_FromStringAndSize",
    "PyBytes_AsString",  "PyBytes_Size",       "PyUnicode_FromString", "PyUnicode_FromFormatV",
    "PyUnicode_AsUTF8",  "_Py_NoneStruct",     "_Py_TrueStruct",   "_Py_FalseStruct",
    "PyUnicode_InternInPlace", "PyErr_WriteUnraisable",
};

// The namespace holding the helpers; a strong reference kept for the process.
std::atomic<void *> Namespace{nullptr};

Object makeNamespace() {
  Object Globals = capi::dictNew();
  if (!Globals)
    return nullptr;
  // Explicit builtins: the first call may come with no Python frame running.
  Object Builtins = capi::importModule("builtins");
  if (!Builtins || capi::dictSetItemString(Globals, "__builtins__", Builtins) < 0) {
    capi::decRef(Builtins);
    capi::decRef(Globals);
    return nullptr;
  }
  capi::decRef(Builtins);
  for (const char *Source : {CommonSource, TextSource, RuntimeSource}) {
    Object Outcome = capi::runString(Source, capi::FileInput, Globals, Globals);
    if (!Outcome) {
      capi::decRef(Globals);
      return nullptr;
    }
    capi::decRef(Outcome);
  }
  return Globals;
}

Object helperNamespace() {
  if (void *Ready = Namespace.load(std::memory_order_acquire))
    return Ready;
  // No lock while Python runs: it may release the GIL, and another thread
  // may build a namespace too; the first to publish wins.
  Object Made = makeNamespace();
  if (!Made)
    return nullptr;
  void *Expected = nullptr;
  if (!Namespace.compare_exchange_strong(Expected, Made, std::memory_order_acq_rel)) {
    capi::decRef(Made);
    return Expected;
  }
  return Made;
}

// An exception a helper raised (and any it chains) carries a traceback
// through the helper's frames, which keeps their arguments alive; CPython's
// C functions raise without one. Only types, values and messages remain.
void dropHelperTraceback(Object Names) {
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errFetch(&Type, &Value, &Traceback);
  capi::errNormalizeException(&Type, &Value, &Traceback);
  capi::decRef(Traceback);
  if (Value) {
    capi::exceptionSetTraceback(Value, capi::none());
    if (Object Strip = capi::dictGetItemString(Names, "strip_tracebacks")) {
      capi::decRef(capi::callWithOneArgument(Strip, Value));
      capi::errClear();  // best effort: the exception itself is what matters
    }
  }
  capi::errRestore(Type, Value, nullptr);
}

}  // namespace

Span<std::string_view> needs() { return Needs; }

Object call(const char *Function, const char *Format, ...) {
  Object Names = helperNamespace();
  if (!Names)
    return nullptr;
  Object Callable = capi::dictGetItemString(Names, Function);  // borrowed
  if (!Callable)
    return badInternalCall();  // no such helper: a pysym bug, reported, not a crash
  std::va_list Arguments;
  va_start(Arguments, Format);
  Object Tuple = capi::vaBuildValue(Format, Arguments);
  va_end(Arguments);
  if (!Tuple)
    return nullptr;
  Object Result = capi::callObject(Callable, Tuple);
  capi::decRef(Tuple);
  if (!Result)
    dropHelperTraceback(Names);
  return Result;
}

int status(Object Result) {
  if (!Result)
    return -1;
  capi::decRef(Result);
  return 0;
}

std::ptrdiff_t size(Object Result) {
  if (!Result)
    return -1;
  std::ptrdiff_t Value = capi::longAsSsize(Result);
  capi::decRef(Result);
  return Value;
}

int truth(Object Result) {
  if (!Result)
    return -1;
  int Value = capi::objectIsTrue(Result);
  capi::decRef(Result);
  return Value;
}

Object borrowed(Object Result, bool NoneIsNull) {
  if (!Result)
    return nullptr;
  capi::decRef(Result);
  return NoneIsNull && Result == capi::none() ? nullptr : Result;
}

const char *keptBytes(std::atomic<char *> &Cell, const char *Function) {
  if (char *Kept = Cell.load(std::memory_order_acquire))
    return Kept;
  capi::GilScope Gil;
  // CPython's equivalents return static text whatever the error state; the
  // helper must not run with the caller's exception pending.
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errFetch(&Type, &Value, &Traceback);
  Object Bytes = call(Function, "()");
  if (!Bytes) {
    capi::errClear();
    capi::errRestore(Type, Value, Traceback);
    return nullptr;
  }
  capi::errRestore(Type, Value, Traceback);
  const char *Data = capi::bytesAsString(Bytes);
  std::ptrdiff_t Length = capi::bytesSize(Bytes);
  if (!Data || Length < 0) {
    capi::decRef(Bytes);
    return nullptr;
  }
  // Four NUL bytes end the text as a char or a wchar_t string alike.
  char *Copy = static_cast<char *>(std::calloc(static_cast<size_t>(Length) + 4, 1));
  if (Copy)
    std::memcpy(Copy, Data, static_cast<size_t>(Length));
  capi::decRef(Bytes);
  if (!Copy)
    return nullptr;
  char *Expected = nullptr;
  if (!Cell.compare_exchange_strong(Expected, Copy, std::memory_order_acq_rel)) {
    std::free(Copy);
    return Expected;
  }
  return Copy;
}

Object badInternalCall() {
  capi::errBadInternalCall();
  return nullptr;
}

}  // namespace pysym::substitutes::helpers
