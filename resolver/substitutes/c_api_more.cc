// Typed calls through c_api.h's table for the entries c_api_more.h adds.
#include "pysym/resolver/substitutes/c_api_more.h"

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes::capi {
namespace {

template <typename Fn> Fn *call(Api Entry) { return reinterpret_cast<Fn *>(address(Entry)); }

}  // namespace

Object vaBuildValue(const char *Format, std::va_list Arguments) {
  return call<Object(const char *, std::va_list)>(Api::Py_VaBuildValue)(Format, Arguments);
}
Object callObject(Object Callable, Object Arguments) {
  return call<Object(Object, Object)>(Api::PyObject_CallObject)(Callable, Arguments);
}
int objectIsTrue(Object O) { return call<int(Object)>(Api::PyObject_IsTrue)(O); }
std::ptrdiff_t longAsSsize(Object O) { return call<std::ptrdiff_t(Object)>(Api::PyLong_AsSsize_t)(O); }
Object tupleGetItem(Object Tuple, std::ptrdiff_t Index) {
  return call<Object(Object, std::ptrdiff_t)>(Api::PyTuple_GetItem)(Tuple, Index);
}
Object bytesFromStringAndSize(const char *Bytes, std::ptrdiff_t Size) {
  return call<Object(const char *, std::ptrdiff_t)>(Api::PyBytes_FromStringAndSize)(Bytes, Size);
}
const char *bytesAsString(Object Bytes) { return call<const char *(Object)>(Api::PyBytes_AsString)(Bytes); }
std::ptrdiff_t bytesSize(Object Bytes) { return call<std::ptrdiff_t(Object)>(Api::PyBytes_Size)(Bytes); }
void errSetObject(Object Type, Object Value) {
  call<void(Object, Object)>(Api::PyErr_SetObject)(Type, Value);
}
int exceptionSetTraceback(Object Exception, Object Traceback) {
  return call<int(Object, Object)>(Api::PyException_SetTraceback)(Exception, Traceback);
}
int sequenceContains(Object Sequence, Object Value) {
  return call<int(Object, Object)>(Api::PySequence_Contains)(Sequence, Value);
}
Object unicodeFromString(const char *Utf8) {
  return call<Object(const char *)>(Api::PyUnicode_FromString)(Utf8);
}
Object importModuleLevelObject(Object Name, Object Globals, Object Locals, Object FromList, int Level) {
  return call<Object(Object, Object, Object, Object, int)>(Api::PyImport_ImportModuleLevelObject)(
      Name, Globals, Locals, FromList, Level);
}
void *interpreterStateHead() { return call<void *()>(Api::PyInterpreterState_Head)(); }
void unicodeInternInPlace(Object *String) { call<void(Object *)>(Api::PyUnicode_InternInPlace)(String); }
void errWriteUnraisable(Object Context) { call<void(Object)>(Api::PyErr_WriteUnraisable)(Context); }
Object trueObject() { return reinterpret_cast<Object>(address(Api::_Py_TrueStruct)); }
Object falseObject() { return reinterpret_cast<Object>(address(Api::_Py_FalseStruct)); }

}  // namespace pysym::substitutes::capi
