// C-API substitutes built from other C-API calls; semantics from CPython 3.11.
#include "pysym/resolver/substitutes/api_functions.h"

#include <cstdio>

namespace pysym::substitutes {
namespace {

using capi::Object;

// PyObject_TypeCheck without Py_TYPE: the object's real type, via the API.
bool hasTypeDerivedFrom(Object O, Object Base) {
  Object Type = capi::objectType(O);
  if (!Type) {
    capi::errClear();  // only for a NULL object; the check simply fails
    return false;
  }
  bool Derived = capi::typeIsSubtype(Type, Base) != 0;
  capi::decRef(Type);
  return Derived;
}

// The pending exception, put aside and restored, as CPython's sys_format and
// _PyObject_Dump do so that diagnostics do not disturb error handling.
class KeepPendingException {
public:
  KeepPendingException() { capi::errFetch(&Type, &Value, &Traceback); }
  ~KeepPendingException() { capi::errRestore(Type, Value, Traceback); }

private:
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
};

// file.write(text); false when there is no file or the call raised.
bool writeToFile(Object File, Object Text) {
  if (!File)
    return false;
  Object Write = capi::objectGetAttrString(File, "write");
  if (!Write)
    return false;
  Object Result = capi::callWithOneArgument(Write, Text);
  capi::decRef(Write);
  if (!Result)
    return false;
  capi::decRef(Result);
  return true;
}

void formatToStream(const char *StreamName, std::FILE *Fallback, const char *Format,
                    std::va_list Arguments) {
  KeepPendingException Keep;
  Object File = capi::sysGetObject(StreamName);  // borrowed
  Object Text = capi::unicodeFromFormatV(Format, Arguments);
  if (!Text)
    return;  // the formatting error is dropped when Keep restores, as in CPython
  if (!writeToFile(File, Text)) {
    capi::errClear();
    if (const char *Utf8 = capi::unicodeAsUtf8(Text))
      std::fputs(Utf8, Fallback);
  }
  capi::decRef(Text);
}

}  // namespace

Object dictNewPresized(std::ptrdiff_t) { return capi::dictNew(); }

int setUpdate(Object Set, Object Iterable) {
  if (!Set || !hasTypeDerivedFrom(Set, capi::setType())) {
    capi::errBadInternalCall();
    return -1;
  }
  Object Iterator = capi::objectGetIter(Iterable);
  if (!Iterator)
    return -1;
  while (Object Item = capi::iterNext(Iterator)) {
    int Added = capi::setAdd(Set, Item);
    capi::decRef(Item);
    if (Added < 0) {
      capi::decRef(Iterator);
      return -1;
    }
  }
  capi::decRef(Iterator);
  return capi::errOccurred() ? -1 : 0;
}

void objectDump(Object O) {
  if (!O) {
    // CPython's heuristic treats a NULL pointer as freed memory.
    std::fprintf(stderr, "<object at %p is freed>\n", O);
    std::fflush(stderr);
    return;
  }
  std::fprintf(stderr, "object address  : %p\n", O);
  std::fprintf(stderr, "object refcount : unknown (pysym's substitute reads no struct field)\n");
  std::fflush(stderr);
  capi::GilScope Gil;
  KeepPendingException Keep;
  Object Type = capi::objectType(O);
  std::fprintf(stderr, "object type     : %p\n", Type);
  const char *TypeName = "NULL";
  Object Name = Type ? capi::objectGetAttrString(Type, "__name__") : nullptr;
  if (Name) {
    if (const char *Utf8 = capi::unicodeAsUtf8(Name))
      TypeName = Utf8;
  }
  std::fprintf(stderr, "object type name: %s\n", TypeName);
  capi::decRef(Name);
  capi::decRef(Type);
  std::fprintf(stderr, "object repr     : ");
  std::fflush(stderr);
  capi::objectPrint(O, stderr, 0);
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  capi::errClear();  // a failing repr is reported by what it printed; Keep restores the original
}

void sysFormatStdout(const char *Format, ...) {
  std::va_list Arguments;
  va_start(Arguments, Format);
  formatToStream("stdout", stdout, Format, Arguments);
  va_end(Arguments);
}

void sysFormatStderr(const char *Format, ...) {
  std::va_list Arguments;
  va_start(Arguments, Format);
  formatToStream("stderr", stderr, Format, Arguments);
  va_end(Arguments);
}

int exceptionInstanceCheck(Object O) { return hasTypeDerivedFrom(O, capi::baseException()) ? 1 : 0; }

int exceptionClassCheck(Object O) {
  if (!hasTypeDerivedFrom(O, capi::typeType()))
    return 0;
  return capi::typeIsSubtype(O, capi::baseException()) ? 1 : 0;
}

Object errGetHandledException() {
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errGetExcInfo(&Type, &Value, &Traceback);
  capi::decRef(Type);
  capi::decRef(Traceback);
  if (Value == capi::none()) {
    capi::decRef(Value);
    return nullptr;
  }
  return Value;
}

void errSetHandledException(Object Exception) {
  if (!Exception || Exception == capi::none()) {
    capi::errSetExcInfo(nullptr, nullptr, nullptr);
    return;
  }
  // PyErr_SetExcInfo steals all three; CPython 3.11 ignores the type and
  // traceback, interpreters that keep them (PyPy) get the exception's own.
  Object Type = capi::objectType(Exception);
  Object Traceback = capi::exceptionGetTraceback(Exception);
  capi::incRef(Exception);
  capi::errSetExcInfo(Type, Exception, Traceback);
}

}  // namespace pysym::substitutes
