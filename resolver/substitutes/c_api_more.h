// The C-API entries that the coverage substitutes (python_helpers.h and its users) call, with typed calls.
//
// The names join c_api.h's table through PYSYM_SUBSTITUTE_C_API_MORE, so
// they are bound by the same SubstituteSet::bind and share its first-wins
// rule. Every call assumes its entry is bound: a substitute is offered only
// when all of its Needs are.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_C_API_MORE_H
#define PYSYM_RESOLVER_SUBSTITUTES_C_API_MORE_H

#include <cstdarg>
#include <cstddef>

// Every further C-API name a substitute may call, by its CPython name.
#define PYSYM_SUBSTITUTE_C_API_MORE(X)                                                    \
  X(Py_VaBuildValue) X(PyObject_CallObject) X(PyObject_IsTrue) X(PyLong_AsSsize_t)        \
  X(PyTuple_GetItem) X(PyBytes_FromStringAndSize) X(PyBytes_AsString) X(PyBytes_Size)     \
  X(PyErr_SetObject) X(PyException_SetTraceback) X(PySequence_Contains) X(PyUnicode_FromString)                       \
  X(PyImport_ImportModuleLevelObject) X(PyInterpreterState_Head) X(PyUnicode_InternInPlace)          \
  X(PyErr_WriteUnraisable) X(_Py_TrueStruct)            \
  X(_Py_FalseStruct)

namespace pysym::substitutes::capi {

using Object = void *;

Object vaBuildValue(const char *Format, std::va_list Arguments);
Object callObject(Object Callable, Object Arguments);
int objectIsTrue(Object O);
std::ptrdiff_t longAsSsize(Object O);
Object tupleGetItem(Object Tuple, std::ptrdiff_t Index);  // borrowed
Object bytesFromStringAndSize(const char *Bytes, std::ptrdiff_t Size);
const char *bytesAsString(Object Bytes);
std::ptrdiff_t bytesSize(Object Bytes);
void errSetObject(Object Type, Object Value);
int exceptionSetTraceback(Object Exception, Object Traceback);
int sequenceContains(Object Sequence, Object Value);
Object unicodeFromString(const char *Utf8);
Object importModuleLevelObject(Object Name, Object Globals, Object Locals, Object FromList, int Level);
void *interpreterStateHead();
void unicodeInternInPlace(Object *String);
void errWriteUnraisable(Object Context);
/// True and False (_Py_TrueStruct's and _Py_FalseStruct's addresses).
Object trueObject();
Object falseObject();

}  // namespace pysym::substitutes::capi

#endif  // PYSYM_RESOLVER_SUBSTITUTES_C_API_MORE_H
