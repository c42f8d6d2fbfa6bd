// The running interpreter's C-API entry points that substitutes call, bound once per process.
//
// Substitutes are plain functions handed to JIT-compiled code, so they cannot
// carry a context pointer: they reach the interpreter through this table. A
// process hosts one interpreter, so one table serves every SubstituteSet.
// Nothing here includes Python.h: objects are opaque pointers and every call
// goes through an address the resolver found by the CPython name.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_C_API_H
#define PYSYM_RESOLVER_SUBSTITUTES_C_API_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

#include "pysym/resolver/substitutes/c_api_more.h"

namespace pysym::substitutes::capi {

/// A PyObject *. Never dereferenced: CPython's and PyPy's layouts differ.
using Object = void *;

// Every C-API name a substitute may call, by its CPython name.
#define PYSYM_SUBSTITUTE_C_API(X)                                                          \
  X(PyGILState_Ensure) X(PyGILState_Release) X(Py_IncRef) X(Py_DecRef)                     \
  X(PyErr_Occurred) X(PyErr_Clear) X(PyErr_Fetch) X(PyErr_Restore) X(PyErr_BadInternalCall) \
  X(PyErr_NormalizeException)                                                               \
  X(PyErr_GetExcInfo) X(PyErr_SetExcInfo) X(PyException_GetTraceback)                     \
  X(PyObject_Type) X(PyType_IsSubtype) X(PyObject_GetIter) X(PyIter_Next)                  \
  X(PyObject_Repr) X(PyObject_Print) X(PyObject_GetAttrString) X(PyObject_Size)            \
  X(PyObject_CallFunctionObjArgs) X(PyDict_New) X(PyDict_GetItemString)                   \
  X(PyDict_SetItemString) X(PySet_Add) X(PyUnicode_FromFormatV) X(PyUnicode_AsUTF8)        \
  X(PySys_GetObject) X(PyImport_ImportModule) X(PyRun_String) X(PyCMethod_New)             \
  X(Py_CompileStringFlags) X(PyType_Type) X(PySet_Type) X(PyExc_BaseException) X(_Py_NoneStruct)     \
  PYSYM_SUBSTITUTE_C_API_MORE(X)

/// One entry of the table.
enum class Api : unsigned {
#define PYSYM_ENUMERATE(Name) Name,
  PYSYM_SUBSTITUTE_C_API(PYSYM_ENUMERATE)
#undef PYSYM_ENUMERATE
      Count
};

/// The CPython name of an entry, e.g. "PyDict_New".
std::string_view nameOf(Api Entry);
/// The entry for a CPython name; std::nullopt when substitutes never call it.
std::optional<Api> entryFor(std::string_view CPythonName);

/// What happened when an address was offered for an entry.
enum class BindOutcome {
  Bound,     // now (or already) bound to this address
  Absent,    // the address is 0: the interpreter lacks the name
  Conflict,  // already bound to a different address: a second interpreter?
};
/// Binds `Entry` to `Address` for the whole process. The first non-zero
/// address wins; offering the same one again is harmless. Thread-safe.
BindOutcome bind(Api Entry, std::uint64_t Address);
/// The bound address, 0 while unbound.
std::uint64_t address(Api Entry);

/// Holds the GIL for the scope (PyGILState_Ensure/Release). Both must be bound.
class GilScope {
public:
  GilScope();
  ~GilScope();
  GilScope(const GilScope &) = delete;
  GilScope &operator=(const GilScope &) = delete;

private:
  int State;
};

// Typed calls through the table, one per entry that code calls. Each assumes
// its entry is bound: a substitute is only offered when all its Needs are.
void incRef(Object O);
void decRef(Object O);  // null-safe, like Py_XDECREF
Object errOccurred();
void errClear();
void errFetch(Object *Type, Object *Value, Object *Traceback);
void errRestore(Object Type, Object Value, Object Traceback);
void errNormalizeException(Object *Type, Object *Value, Object *Traceback);
void errBadInternalCall();
void errGetExcInfo(Object *Type, Object *Value, Object *Traceback);
void errSetExcInfo(Object Type, Object Value, Object Traceback);
Object exceptionGetTraceback(Object Exception);
Object objectType(Object O);
int typeIsSubtype(Object Sub, Object Base);
Object objectGetIter(Object O);
Object iterNext(Object Iterator);
Object objectRepr(Object O);
int objectPrint(Object O, std::FILE *File, int Flags);
Object objectGetAttrString(Object O, const char *Name);
long objectSize(Object O);
/// PyObject_CallFunctionObjArgs(Callable, Argument, NULL).
Object callWithOneArgument(Object Callable, Object Argument);
Object dictNew();
Object dictGetItemString(Object Dict, const char *Key);
int dictSetItemString(Object Dict, const char *Key, Object Value);
int setAdd(Object Set, Object Key);
Object unicodeFromFormatV(const char *Format, std::va_list Arguments);
const char *unicodeAsUtf8(Object Unicode);
Object sysGetObject(const char *Name);
Object importModule(const char *Name);
Object runString(const char *Source, int Start, Object Globals, Object Locals);
Object cMethodNew(void *MethodDef, Object Self, Object Module, Object Class);
Object compileStringFlags(const char *Source, const char *Filename, int Start, void *Flags);
/// The type object `type` (PyType_Type's address).
Object typeType();
/// The type object `set` (PySet_Type's address).
Object setType();
/// The class BaseException (what the PyExc_BaseException cell holds).
Object baseException();
/// None (_Py_NoneStruct's address).
Object none();

/// Py_file_input, the same in CPython and PyPy (compile.h, eval.h).
constexpr int FileInput = 257;

}  // namespace pysym::substitutes::capi

#endif  // PYSYM_RESOLVER_SUBSTITUTES_C_API_H
