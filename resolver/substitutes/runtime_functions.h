// Substitutes for CPython's runtime API built on python_helpers.h: sys, gc, import, modules, types, frames, iteration, errors, version strings.
//
// Each has the C signature of the CPython 3.11 function it stands for and
// its documented reference semantics (new or borrowed, as CPython's
// documentation says for that name); NULL or -1 means an exception is set,
// except where noted. A NULL pointer that CPython would dereference raises
// SystemError (PyErr_BadInternalCall) instead. The caller holds the GIL,
// except for the Py_Get* strings, which take it on their first call.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_RUNTIME_FUNCTIONS_H
#define PYSYM_RESOLVER_SUBSTITUTES_RUNTIME_FUNCTIONS_H

#include <cstddef>

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes::runtime {

using capi::Object;
using Size = std::ptrdiff_t;  // Py_ssize_t

// PySys_*: warn options and -X options, after initialisation. The void
// ones clear any error they meet, as CPython's do.
void sysAddWarnOption(const wchar_t *Option);
void sysAddWarnOptionUnicode(Object Option);
int sysHasWarnOptions();
void sysResetWarnOptions();
void sysAddXOption(const wchar_t *Option);
Object sysGetXOptions();  // borrowed

// PyGC_*: the previous state for Enable/Disable; Collect keeps a pending
// exception and returns 0 while collection is disabled.
int gcEnable();
int gcDisable();
int gcIsEnabled();
Size gcCollect();

// PyImport_*
long importGetMagicNumber();
const char *importGetMagicTag();
Object importGetImporter(Object Path);
Object importAddModuleObject(Object Name);  // borrowed

// PyModule_*, PyType_*
Object moduleGetNameObject(Object Module);
Object moduleGetFilenameObject(Object Module);
const char *moduleGetFilename(Object Module);
int moduleAddObjectRef(Object Module, const char *Name, Object Value);
int moduleSetDocString(Object Module, const char *Doc);
Object typeGetName(Object Type);
Object typeGetQualName(Object Type);

// Numbers: sys.float_info and sys.int_info as new references.
Object floatGetInfo();
Object longGetInfo();

// Sequences, dicts, iteration
Size sequenceCount(Object Sequence, Object Value);
int dictMergeFromSeq2(Object Dict, Object Sequence, int Override);
Object objectGetAIter(Object O);
int aiterCheck(Object O);
/// PyIter_Send: PYGEN_NEXT (1) or PYGEN_RETURN (0) with *Result a new
/// reference; PYGEN_ERROR (-1) with *Result NULL and an exception set.
int iterSend(Object Iterator, Object Argument, Object *Result);
Size bufferSizeFromFormat(const char *Format);

// Errors, frames, functions
Object errSetImportError(Object Message, Object Name, Object Path);  // always NULL
Object errSetImportErrorSubclass(Object Exception, Object Message, Object Name, Object Path);
void badInternalCallAt(const char *Filename, int Line);
const char *evalGetFuncDesc(Object Function);
Object frameGetCode(Object Frame);
int frameGetLineNumber(Object Frame);
Object cFunctionGetSelf(Object Function);  // borrowed; NULL without error when it has none
/// PyErr_ProgramText: line `Line` of the file (its last 999-byte chunk, as
/// CPython's fgets loop leaves it), or NULL without an exception.
Object errProgramText(const char *Filename, int Line);
/// PyErr_ResourceWarning: warnings.warn of the formatted text; 0 or -1.
int errResourceWarning(Object Source, Size StackLevel, const char *Format, ...);
/// PyEval_GetFuncName, PyExceptionClass_Name: names that stay valid for the
/// process (kept by the helpers), as tp_name and ml_name do in CPython.
const char *evalGetFuncName(Object Function);
const char *exceptionClassName(Object Class);
/// PyObject_CheckBuffer: 1 when memoryview(o) does not raise TypeError.
int objectCheckBuffer(Object O);

/// PyImport_ExecCodeModuleObject, PyImport_ExecCodeModuleWithPathnames:
/// runs the code in sys.modules[name] (created if absent) after
/// importlib's _fix_up_module; the module is removed again when the code
/// raises. A new reference.
Object importExecCodeModuleObject(Object Name, Object Code, Object PathName, Object CPathName);
Object importExecCodeModuleWithPathnames(const char *Name, Object Code, const char *PathName,
                                         const char *CPathName);
/// PyUnicode_InternImmortal: a DeprecationWarning (written as unraisable if
/// it raises), PyUnicode_InternInPlace, and one reference kept for the
/// process, taken once per string as CPython marks it immortal once.
void unicodeInternImmortal(Object *String);
/// PyInterpreterState_GetDict for PyPy's one interpreter: a dict kept for
/// the process (borrowed); NULL without an exception if it cannot be made.
Object interpreterStateGetDict(void *Interpreter);

// PyThread_*
Object threadGetInfo();
std::size_t threadGetStacksize();
int threadSetStacksize(std::size_t Bytes);

// Py_Get*: text the process keeps; computed on the first call from sys.
const char *getBuildInfo();
const char *getCompiler();
const char *getPlatform();
const char *getCopyright();
wchar_t *getPrefix();
wchar_t *getExecPrefix();
wchar_t *getProgramFullPath();

}  // namespace pysym::substitutes::runtime

#endif  // PYSYM_RESOLVER_SUBSTITUTES_RUNTIME_FUNCTIONS_H
