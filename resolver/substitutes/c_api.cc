// The process-wide table of C-API addresses that substitutes call through.
#include "pysym/resolver/substitutes/c_api.h"

#include <atomic>

namespace pysym::substitutes::capi {
namespace {

constexpr unsigned EntryCount = static_cast<unsigned>(Api::Count);

constexpr std::string_view Names[EntryCount] = {
#define PYSYM_NAME(Name) #Name,
    PYSYM_SUBSTITUTE_C_API(PYSYM_NAME)
#undef PYSYM_NAME
};

// Written once per entry (compare-and-swap from 0), then only read: relaxed
// loads suffice because a substitute is handed out only after bind() returned.
std::atomic<std::uint64_t> Addresses[EntryCount];

template <typename Fn> Fn *call(Api Entry) {
  return reinterpret_cast<Fn *>(address(Entry));
}

}  // namespace

std::string_view nameOf(Api Entry) {
  unsigned Index = static_cast<unsigned>(Entry);
  return Index < EntryCount ? Names[Index] : std::string_view("<no such entry>");
}

std::optional<Api> entryFor(std::string_view CPythonName) {
  for (unsigned Index = 0; Index < EntryCount; ++Index)
    if (Names[Index] == CPythonName)
      return static_cast<Api>(Index);
  return std::nullopt;
}

BindOutcome bind(Api Entry, std::uint64_t Address) {
  if (Address == 0)
    return BindOutcome::Absent;
  std::uint64_t Expected = 0;
  std::atomic<std::uint64_t> &Slot = Addresses[static_cast<unsigned>(Entry)];
  if (Slot.compare_exchange_strong(Expected, Address, std::memory_order_acq_rel))
    return BindOutcome::Bound;
  return Expected == Address ? BindOutcome::Bound : BindOutcome::Conflict;
}

std::uint64_t address(Api Entry) {
  return Addresses[static_cast<unsigned>(Entry)].load(std::memory_order_acquire);
}

GilScope::GilScope() : State(call<int()>(Api::PyGILState_Ensure)()) {}
GilScope::~GilScope() { call<void(int)>(Api::PyGILState_Release)(State); }

void incRef(Object O) { call<void(Object)>(Api::Py_IncRef)(O); }
void decRef(Object O) {
  if (O)
    call<void(Object)>(Api::Py_DecRef)(O);
}
Object errOccurred() { return call<Object()>(Api::PyErr_Occurred)(); }
void errClear() { call<void()>(Api::PyErr_Clear)(); }
void errFetch(Object *Type, Object *Value, Object *Traceback) {
  call<void(Object *, Object *, Object *)>(Api::PyErr_Fetch)(Type, Value, Traceback);
}
void errRestore(Object Type, Object Value, Object Traceback) {
  call<void(Object, Object, Object)>(Api::PyErr_Restore)(Type, Value, Traceback);
}
void errNormalizeException(Object *Type, Object *Value, Object *Traceback) {
  call<void(Object *, Object *, Object *)>(Api::PyErr_NormalizeException)(Type, Value, Traceback);
}
void errBadInternalCall() { call<void()>(Api::PyErr_BadInternalCall)(); }
void errGetExcInfo(Object *Type, Object *Value, Object *Traceback) {
  call<void(Object *, Object *, Object *)>(Api::PyErr_GetExcInfo)(Type, Value, Traceback);
}
void errSetExcInfo(Object Type, Object Value, Object Traceback) {
  call<void(Object, Object, Object)>(Api::PyErr_SetExcInfo)(Type, Value, Traceback);
}
Object exceptionGetTraceback(Object Exception) {
  return call<Object(Object)>(Api::PyException_GetTraceback)(Exception);
}
Object objectType(Object O) { return call<Object(Object)>(Api::PyObject_Type)(O); }
int typeIsSubtype(Object Sub, Object Base) {
  return call<int(Object, Object)>(Api::PyType_IsSubtype)(Sub, Base);
}
Object objectGetIter(Object O) { return call<Object(Object)>(Api::PyObject_GetIter)(O); }
Object iterNext(Object Iterator) { return call<Object(Object)>(Api::PyIter_Next)(Iterator); }
Object objectRepr(Object O) { return call<Object(Object)>(Api::PyObject_Repr)(O); }
int objectPrint(Object O, std::FILE *File, int Flags) {
  return call<int(Object, std::FILE *, int)>(Api::PyObject_Print)(O, File, Flags);
}
Object objectGetAttrString(Object O, const char *Name) {
  return call<Object(Object, const char *)>(Api::PyObject_GetAttrString)(O, Name);
}
long objectSize(Object O) { return call<long(Object)>(Api::PyObject_Size)(O); }
Object callWithOneArgument(Object Callable, Object Argument) {
  return call<Object(Object, ...)>(Api::PyObject_CallFunctionObjArgs)(Callable, Argument,
                                                                       static_cast<Object>(nullptr));
}
Object dictNew() { return call<Object()>(Api::PyDict_New)(); }
Object dictGetItemString(Object Dict, const char *Key) {
  return call<Object(Object, const char *)>(Api::PyDict_GetItemString)(Dict, Key);
}
int dictSetItemString(Object Dict, const char *Key, Object Value) {
  return call<int(Object, const char *, Object)>(Api::PyDict_SetItemString)(Dict, Key, Value);
}
int setAdd(Object Set, Object Key) { return call<int(Object, Object)>(Api::PySet_Add)(Set, Key); }
Object unicodeFromFormatV(const char *Format, std::va_list Arguments) {
  return call<Object(const char *, std::va_list)>(Api::PyUnicode_FromFormatV)(Format, Arguments);
}
const char *unicodeAsUtf8(Object Unicode) {
  return call<const char *(Object)>(Api::PyUnicode_AsUTF8)(Unicode);
}
Object sysGetObject(const char *Name) {
  return call<Object(const char *)>(Api::PySys_GetObject)(Name);
}
Object importModule(const char *Name) {
  return call<Object(const char *)>(Api::PyImport_ImportModule)(Name);
}
Object runString(const char *Source, int Start, Object Globals, Object Locals) {
  return call<Object(const char *, int, Object, Object)>(Api::PyRun_String)(Source, Start, Globals,
                                                                           Locals);
}
Object cMethodNew(void *MethodDef, Object Self, Object Module, Object Class) {
  return call<Object(void *, Object, Object, Object)>(Api::PyCMethod_New)(MethodDef, Self, Module,
                                                                         Class);
}
Object compileStringFlags(const char *Source, const char *Filename, int Start, void *Flags) {
  return call<Object(const char *, const char *, int, void *)>(Api::Py_CompileStringFlags)(
      Source, Filename, Start, Flags);
}
Object typeType() { return reinterpret_cast<Object>(address(Api::PyType_Type)); }
Object setType() { return reinterpret_cast<Object>(address(Api::PySet_Type)); }
Object baseException() {
  // PyExc_BaseException is a cell: a PyObject * that holds the class.
  return *reinterpret_cast<Object *>(address(Api::PyExc_BaseException));
}

Object none() { return reinterpret_cast<Object>(address(Api::_Py_NoneStruct)); }

}  // namespace pysym::substitutes::capi
