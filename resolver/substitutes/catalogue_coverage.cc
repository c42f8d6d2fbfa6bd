// The coverage substitutes with their semantic sources (CPython 3.11.2, the build the fidelity tests compare against).
#include "pysym/resolver/substitutes/catalogue_coverage.h"

#include "pysym/resolver/substitutes/data_objects.h"
#include "pysym/resolver/substitutes/plain_functions.h"
#include "pysym/resolver/substitutes/python_helpers.h"
#include "pysym/resolver/substitutes/runtime_functions.h"
#include "pysym/resolver/substitutes/text_functions.h"

namespace pysym::substitutes {
namespace {

constexpr std::string_view NeedsIncRef[] = {"Py_IncRef"};
constexpr std::string_view NeedsDecRef[] = {"Py_DecRef"};
constexpr std::string_view NeedsTrue[] = {"_Py_TrueStruct"};
constexpr std::string_view NeedsFalse[] = {"_Py_FalseStruct"};
constexpr std::string_view NeedsNone[] = {"_Py_NoneStruct"};
constexpr std::string_view NeedsContains[] = {"PySequence_Contains"};
constexpr std::string_view NeedsImportLevel[] = {"PyUnicode_FromString", "PyImport_ImportModuleLevelObject",
                                                "Py_DecRef"};
constexpr std::string_view NeedsHead[] = {"PyInterpreterState_Head"};
constexpr std::string_view NeedsFormatV[] = {"PyErr_Clear", "PyUnicode_FromFormatV", "PyErr_SetObject",
                                            "Py_DecRef"};

template <typename Fn> void *code(Fn *Function) { return reinterpret_cast<void *>(Function); }

CatalogueEntry function(std::string_view Name, void *Implementation, std::string_view Source,
                        Span<std::string_view> Needs) {
  return {{Name, SymbolKind::Function, Source, Needs, ""}, Shape::Function, Implementation, ""};
}
// A substitute built on the Python helpers.
CatalogueEntry helper(std::string_view Name, void *Implementation, std::string_view Source) {
  return function(Name, Implementation, Source, helpers::needs());
}
CatalogueEntry pypyOnly(std::string_view Name, void *Implementation, std::string_view Source,
                        Span<std::string_view> Needs) {
  return {{Name, SymbolKind::Function, Source, Needs, "pypy"}, Shape::Function, Implementation, ""};
}
CatalogueEntry plainC(std::string_view Name, void *Implementation, std::string_view Source) {
  return function(Name, Implementation, Source, {});
}
CatalogueEntry type(std::string_view Name, std::string_view Recipe, std::string_view Source) {
  return {{Name, SymbolKind::Data, Source, recipeNeeds(), ""}, Shape::TypeObject, nullptr, Recipe};
}

}  // namespace

std::vector<CatalogueEntry> coverageEntries() {
  using namespace plain;
  using namespace runtime;
  using namespace text;
  return {
      // Object basics.
      function("Py_NewRef", code(newRef), "CPython 3.11 Include/object.h _Py_NewRef: Py_INCREF(o), return o",
               NeedsIncRef),
      function("Py_XNewRef", code(newRef), "CPython 3.11 Include/object.h _Py_XNewRef: Py_XINCREF(o), return o",
               NeedsIncRef),
      plainC("Py_Is", code(is), "CPython 3.11 Objects/object.c Py_Is: x == y"),
      function("Py_IsTrue", code(isTrue), "CPython 3.11 Objects/object.c Py_IsTrue: x == Py_True", NeedsTrue),
      function("Py_IsFalse", code(isFalse), "CPython 3.11 Objects/object.c Py_IsFalse: x == Py_False",
               NeedsFalse),
      function("Py_IsNone", code(isNone), "CPython 3.11 Objects/object.c Py_IsNone: x == Py_None", NeedsNone),
      function("_Py_IncRef", code(plain::incRef), "CPython 3.11 Objects/object.c _Py_IncRef: Py_INCREF",
               NeedsIncRef),
      function("_Py_DecRef", code(plain::decRef), "CPython 3.11 Objects/object.c _Py_DecRef: Py_DECREF",
               NeedsDecRef),
      function("PySequence_In", code(sequenceIn), "CPython 3.11 Objects/abstract.c PySequence_In: PySequence_Contains",
               NeedsContains),
      function("PyImport_ImportModuleLevel", code(importModuleLevel),
               "CPython 3.11 Python/import.c: PyImport_ImportModuleLevelObject(PyUnicode_FromString(name), ...)",
               NeedsImportLevel),
      function("PyErr_FormatV", code(errFormatV),
               "CPython 3.11 Python/errors.c _PyErr_FormatV: clear, PyUnicode_FromFormatV, PyErr_SetObject; NULL",
               NeedsFormatV),

      plainC("PyThread_get_thread_native_id", code(threadNativeId),
             "CPython 3.11 Python/thread_pthread.h: syscall(SYS_gettid) on Linux"),
      pypyOnly("PyInterpreterState_Get", code(interpreterStateGet),
               "CPython 3.11 Python/pystate.c: the current interpreter; PyPy has exactly one, "
               "PyInterpreterState_Head()",
               NeedsHead),
      pypyOnly("PyInterpreterState_GetDict", code(interpreterStateGetDict),
               "CPython 3.11 Python/pystate.c: the interpreter's dict, borrowed; PyPy has one interpreter, so "
               "one dict kept for the process",
               helpers::needs()),
      pypyOnly("PyThreadState_GetInterpreter", code(threadStateGetInterpreter),
               "CPython 3.11 Python/pystate.c: tstate->interp; PyPy has exactly one, PyInterpreterState_Head()",
               NeedsHead),

      // Pure C.
      plainC("PyOS_mystricmp", code(myStricmp), "CPython 3.11 Python/pystrcmp.c: ASCII Py_TOLOWER comparison"),
      plainC("PyOS_mystrnicmp", code(myStrnicmp),
             "CPython 3.11 Python/pystrcmp.c: ASCII Py_TOLOWER comparison of at most n bytes"),
      plainC("PyOS_strtoul", code(strToUL),
             "CPython 3.11 Python/mystrtoul.c: 0x/0o/0b prefixes, ERANGE and ULONG_MAX on overflow"),
      plainC("PyOS_strtol", code(strToL),
             "CPython 3.11 Python/mystrtoul.c: sign, then PyOS_strtoul; ERANGE and LONG_MAX on overflow"),
      plainC("PyBuffer_FillContiguousStrides", code(fillContiguousStrides),
             "CPython 3.11 Objects/abstract.c: C or Fortran ('F') contiguous strides from the item size"),
      plainC("PyFloat_GetMax", code(floatGetMax), "CPython 3.11 Objects/floatobject.c: DBL_MAX"),
      plainC("PyFloat_GetMin", code(floatGetMin), "CPython 3.11 Objects/floatobject.c: DBL_MIN"),

      // UnicodeError accessors (Objects/exceptions.c).
      helper("PyUnicodeDecodeError_Create", code(decodeErrorCreate),
             "CPython 3.11 Objects/exceptions.c: UnicodeDecodeError(encoding, bytes, start, end, reason)"),
      helper("PyUnicodeDecodeError_GetEncoding", code(decodeErrorGetEncoding),
             "CPython 3.11 Objects/exceptions.c get_unicode: .encoding, TypeError unless str"),
      helper("PyUnicodeEncodeError_GetEncoding", code(encodeErrorGetEncoding),
             "CPython 3.11 Objects/exceptions.c get_unicode: .encoding, TypeError unless str"),
      helper("PyUnicodeDecodeError_GetObject", code(decodeErrorGetObject),
             "CPython 3.11 Objects/exceptions.c get_string: .object, TypeError unless bytes"),
      helper("PyUnicodeEncodeError_GetObject", code(encodeErrorGetObject),
             "CPython 3.11 Objects/exceptions.c get_unicode: .object, TypeError unless str"),
      helper("PyUnicodeTranslateError_GetObject", code(translateErrorGetObject),
             "CPython 3.11 Objects/exceptions.c get_unicode: .object, TypeError unless str"),
      helper("PyUnicodeDecodeError_GetReason", code(unicodeErrorGetReason),
             "CPython 3.11 Objects/exceptions.c get_unicode: .reason, TypeError unless str"),
      helper("PyUnicodeEncodeError_GetReason", code(unicodeErrorGetReason),
             "CPython 3.11 Objects/exceptions.c get_unicode: .reason, TypeError unless str"),
      helper("PyUnicodeTranslateError_GetReason", code(unicodeErrorGetReason),
             "CPython 3.11 Objects/exceptions.c get_unicode: .reason, TypeError unless str"),
      helper("PyUnicodeDecodeError_GetStart", code(decodeErrorGetStart),
             "CPython 3.11 Objects/exceptions.c: .start clamped to [0, len(object) - 1]"),
      helper("PyUnicodeEncodeError_GetStart", code(encodeErrorGetStart),
             "CPython 3.11 Objects/exceptions.c: .start clamped to [0, len(object) - 1]"),
      helper("PyUnicodeTranslateError_GetStart", code(encodeErrorGetStart),
             "CPython 3.11 Objects/exceptions.c: .start clamped to [0, len(object) - 1]"),
      helper("PyUnicodeDecodeError_GetEnd", code(decodeErrorGetEnd),
             "CPython 3.11 Objects/exceptions.c: .end clamped to [1, len(object)]"),
      helper("PyUnicodeEncodeError_GetEnd", code(encodeErrorGetEnd),
             "CPython 3.11 Objects/exceptions.c: .end clamped to [1, len(object)]"),
      helper("PyUnicodeTranslateError_GetEnd", code(encodeErrorGetEnd),
             "CPython 3.11 Objects/exceptions.c: .end clamped to [1, len(object)]"),
      helper("PyUnicodeDecodeError_SetStart", code(unicodeErrorSetStart),
             "CPython 3.11 Objects/exceptions.c: .start = start; 0"),
      helper("PyUnicodeEncodeError_SetStart", code(unicodeErrorSetStart),
             "CPython 3.11 Objects/exceptions.c: .start = start; 0"),
      helper("PyUnicodeTranslateError_SetStart", code(unicodeErrorSetStart),
             "CPython 3.11 Objects/exceptions.c: .start = start; 0"),
      helper("PyUnicodeDecodeError_SetEnd", code(unicodeErrorSetEnd),
             "CPython 3.11 Objects/exceptions.c: .end = end; 0"),
      helper("PyUnicodeEncodeError_SetEnd", code(unicodeErrorSetEnd),
             "CPython 3.11 Objects/exceptions.c: .end = end; 0"),
      helper("PyUnicodeTranslateError_SetEnd", code(unicodeErrorSetEnd),
             "CPython 3.11 Objects/exceptions.c: .end = end; 0"),
      helper("PyUnicodeDecodeError_SetReason", code(unicodeErrorSetReason),
             "CPython 3.11 Objects/exceptions.c: .reason = PyUnicode_FromString(reason)"),
      helper("PyUnicodeEncodeError_SetReason", code(unicodeErrorSetReason),
             "CPython 3.11 Objects/exceptions.c: .reason = PyUnicode_FromString(reason)"),
      helper("PyUnicodeTranslateError_SetReason", code(unicodeErrorSetReason),
             "CPython 3.11 Objects/exceptions.c: .reason = PyUnicode_FromString(reason)"),

      // Codecs (Python/codecs.c; codecs.* call the same C functions in CPython).
      helper("PyCodec_Register", code(codecRegister), "CPython 3.11 Python/codecs.c: codecs.register(f)"),
      helper("PyCodec_KnownEncoding", code(codecKnownEncoding),
             "CPython 3.11 Python/codecs.c: 1 when codecs.lookup succeeds, else 0 (error cleared)"),
      helper("PyCodec_LookupError", code(codecLookupError),
             "CPython 3.11 Python/codecs.c: codecs.lookup_error(name), NULL meaning 'strict'"),
      helper("PyCodec_RegisterError", code(codecRegisterError),
             "CPython 3.11 Python/codecs.c: codecs.register_error(name, error)"),
      helper("PyCodec_StrictErrors", code(codecStrictErrors), "CPython 3.11 Python/codecs.c: codecs.strict_errors"),
      helper("PyCodec_IgnoreErrors", code(codecIgnoreErrors), "CPython 3.11 Python/codecs.c: codecs.ignore_errors"),
      helper("PyCodec_ReplaceErrors", code(codecReplaceErrors),
             "CPython 3.11 Python/codecs.c: codecs.replace_errors"),
      helper("PyCodec_XMLCharRefReplaceErrors", code(codecXmlCharRefReplaceErrors),
             "CPython 3.11 Python/codecs.c: codecs.xmlcharrefreplace_errors"),
      helper("PyCodec_BackslashReplaceErrors", code(codecBackslashReplaceErrors),
             "CPython 3.11 Python/codecs.c: codecs.backslashreplace_errors"),
      helper("PyCodec_NameReplaceErrors", code(codecNameReplaceErrors),
             "CPython 3.11 Python/codecs.c: codecs.namereplace_errors"),
      helper("PyCodec_StreamReader", code(codecStreamReader),
             "CPython 3.11 Python/codecs.c codec_getstreamcodec: codecs.lookup(e)[2](stream[, errors])"),
      helper("PyCodec_StreamWriter", code(codecStreamWriter),
             "CPython 3.11 Python/codecs.c codec_getstreamcodec: codecs.lookup(e)[3](stream[, errors])"),

      // str (Objects/unicodeobject.c).
      helper("PyUnicode_Partition", code(unicodePartition),
             "CPython 3.11 Objects/unicodeobject.c: ensure_unicode both, then str.partition"),
      helper("PyUnicode_RPartition", code(unicodeRPartition),
             "CPython 3.11 Objects/unicodeobject.c: ensure_unicode both, then str.rpartition"),
      helper("PyUnicode_RSplit", code(unicodeRSplit),
             "CPython 3.11 Objects/unicodeobject.c: ensure_unicode, then str.rsplit(sep or None, maxsplit)"),
      helper("PyUnicode_RichCompare", code(unicodeRichCompare),
             "CPython 3.11 Objects/unicodeobject.c: NotImplemented unless both str, else str's comparison"),
      helper("PyUnicode_Translate", code(unicodeTranslate),
             "CPython 3.11 Objects/unicodeobject.c _PyUnicode_TranslateCharmap: mapping lookups, None runs "
             "to the error handler"),
      helper("PyUnicode_IsIdentifier", code(unicodeIsIdentifier),
             "CPython 3.11 Objects/unicodeobject.c: str.isidentifier as 1 or 0"),
      helper("PyUnicode_DecodeUTF8Stateful", code(decodeUtf8Stateful),
             "CPython 3.11 Objects/unicodeobject.c: codecs.utf_8_decode(data, errors, final=consumed is NULL)"),
      helper("PyUnicode_DecodeUTF16Stateful", code(decodeUtf16Stateful),
             "CPython 3.11 Objects/unicodeobject.c: codecs.utf_16_ex_decode; *byteorder in and out"),
      helper("PyUnicode_DecodeUTF32Stateful", code(decodeUtf32Stateful),
             "CPython 3.11 Objects/unicodeobject.c: codecs.utf_32_ex_decode; *byteorder in and out"),
      helper("PyUnicode_DecodeUTF7", code(decodeUtf7), "CPython 3.11 Objects/unicodeobject.c: codecs.utf_7_decode"),
      helper("PyUnicode_DecodeUTF7Stateful", code(decodeUtf7Stateful),
             "CPython 3.11 Objects/unicodeobject.c: codecs.utf_7_decode(data, errors, final=consumed is NULL)"),
      helper("PyUnicode_DecodeUnicodeEscape", code(decodeUnicodeEscape),
             "CPython 3.11 Objects/unicodeobject.c: codecs.unicode_escape_decode"),
      helper("PyUnicode_DecodeRawUnicodeEscape", code(decodeRawUnicodeEscape),
             "CPython 3.11 Objects/unicodeobject.c: codecs.raw_unicode_escape_decode"),
      helper("PyUnicode_DecodeCharmap", code(decodeCharmap),
             "CPython 3.11 Objects/unicodeobject.c: codecs.charmap_decode; NULL mapping is Latin-1"),
      helper("PyUnicode_AsRawUnicodeEscapeString", code(asRawUnicodeEscapeString),
             "CPython 3.11 Objects/unicodeobject.c: PyErr_BadArgument unless str, else "
             "codecs.raw_unicode_escape_encode"),
      helper("PyUnicode_AsCharmapString", code(asCharmapString),
             "CPython 3.11 Objects/unicodeobject.c: PyErr_BadArgument unless str and a mapping, else "
             "codecs.charmap_encode"),
      helper("PyUnicode_BuildEncodingMap", code(buildEncodingMap),
             "CPython 3.11 Objects/unicodeobject.c: PyErr_BadArgument unless str, else codecs.charmap_build"),

      helper("PyUnicode_InternImmortal", code(unicodeInternImmortal),
             "CPython 3.11 Objects/unicodeobject.c: DeprecationWarning, PyUnicode_InternInPlace, one "
             "reference kept for good"),
      helper("PyUnicode_AsDecodedObject", code(asDecodedObject),
             "CPython 3.11 Objects/unicodeobject.c: DeprecationWarning, then codecs.decode(str, encoding, errors)"),
      helper("PyUnicode_AsDecodedUnicode", code(asDecodedUnicode),
             "CPython 3.11 Objects/unicodeobject.c: DeprecationWarning, codecs.decode, TypeError unless str"),
      helper("PyUnicode_AsEncodedUnicode", code(asEncodedUnicode),
             "CPython 3.11 Objects/unicodeobject.c: DeprecationWarning, codecs.encode, TypeError unless str"),

      // bytes (Objects/bytesobject.c).
      helper("PyBytes_Repr", code(bytesRepr),
             "CPython 3.11 Objects/bytesobject.c: repr(bytes); smartquotes 0 always quotes with '"),
      helper("PyBytes_DecodeEscape", code(bytesDecodeEscape),
             "CPython 3.11 Objects/bytesobject.c: codecs.escape_decode(data, errors); the last two ignored"),

      // sys (Python/sysmodule.c, after initialisation).
      helper("PySys_AddWarnOption", code(sysAddWarnOption),
             "CPython 3.11 Python/sysmodule.c: append to sys.warnoptions (a new list if not a list)"),
      helper("PySys_AddWarnOptionUnicode", code(sysAddWarnOptionUnicode),
             "CPython 3.11 Python/sysmodule.c: append to sys.warnoptions (a new list if not a list)"),
      helper("PySys_HasWarnOptions", code(sysHasWarnOptions),
             "CPython 3.11 Python/sysmodule.c: sys.warnoptions is a non-empty list"),
      helper("PySys_ResetWarnOptions", code(sysResetWarnOptions),
             "CPython 3.11 Python/sysmodule.c: empty sys.warnoptions when it is a list"),
      helper("PySys_AddXOption", code(sysAddXOption),
             "CPython 3.11 Python/sysmodule.c: sys._xoptions[name] = value, or True without '='"),
      helper("PySys_GetXOptions", code(sysGetXOptions),
             "CPython 3.11 Python/sysmodule.c: sys._xoptions (a new dict if not a dict), borrowed"),

      // gc (Modules/gcmodule.c).
      helper("PyGC_Enable", code(gcEnable), "CPython 3.11 Modules/gcmodule.c: gc.enable(); the previous state"),
      helper("PyGC_Disable", code(gcDisable), "CPython 3.11 Modules/gcmodule.c: gc.disable(); the previous state"),
      helper("PyGC_IsEnabled", code(gcIsEnabled), "CPython 3.11 Modules/gcmodule.c: gc.isenabled()"),
      helper("PyGC_Collect", code(gcCollect),
             "CPython 3.11 Modules/gcmodule.c: 0 when disabled, else gc.collect() keeping a pending exception"),

      // import (Python/import.c).
      helper("PyImport_GetMagicNumber", code(importGetMagicNumber),
             "CPython 3.11 Python/import.c: importlib._bootstrap_external._RAW_MAGIC_NUMBER"),
      helper("PyImport_GetMagicTag", code(importGetMagicTag),
             "CPython 3.11 Python/import.c: sys.implementation.cache_tag"),
      helper("PyImport_GetImporter", code(importGetImporter),
             "CPython 3.11 Python/import.c get_path_importer: sys.path_importer_cache, then sys.path_hooks"),
      helper("PyImport_ExecCodeModuleObject", code(importExecCodeModuleObject),
             "CPython 3.11 Python/import.c: sys.modules[name] (created), _fix_up_module, exec; removed on error"),
      helper("PyImport_ExecCodeModuleWithPathnames", code(importExecCodeModuleWithPathnames),
             "CPython 3.11 Python/import.c: paths decoded, source path from _get_sourcefile, then "
             "PyImport_ExecCodeModuleObject"),
      helper("PyImport_AddModuleObject", code(importAddModuleObject),
             "CPython 3.11 Python/import.c import_add_module: sys.modules[name], created if absent; borrowed"),

      // Modules and types (Objects/moduleobject.c, Objects/typeobject.c).
      helper("PyModule_GetNameObject", code(moduleGetNameObject),
             "CPython 3.11 Objects/moduleobject.c: the module dict's __name__ str, else SystemError"),
      helper("PyModule_GetFilenameObject", code(moduleGetFilenameObject),
             "CPython 3.11 Objects/moduleobject.c: the module dict's __file__ str, else SystemError"),
      helper("PyModule_GetFilename", code(moduleGetFilename),
             "CPython 3.11 Objects/moduleobject.c: UTF-8 of PyModule_GetFilenameObject"),
      helper("PyModule_AddObjectRef", code(moduleAddObjectRef),
             "CPython 3.11 Objects/moduleobject.c: TypeError unless a module, SystemError for NULL, else "
             "dict[name] = value"),
      helper("PyModule_SetDocString", code(moduleSetDocString),
             "CPython 3.11 Objects/moduleobject.c: module.__doc__ = PyUnicode_FromString(doc)"),
      helper("PyType_GetName", code(typeGetName), "CPython 3.11 Objects/typeobject.c type_name: type.__name__"),
      helper("PyType_GetQualName", code(typeGetQualName),
             "CPython 3.11 Objects/typeobject.c type_qualname: type.__qualname__"),

      // Numbers (Objects/floatobject.c, Objects/longobject.c).
      helper("PyFloat_GetInfo", code(floatGetInfo), "CPython 3.11 Objects/floatobject.c: sys.float_info"),
      helper("PyLong_GetInfo", code(longGetInfo), "CPython 3.11 Objects/longobject.c: sys.int_info"),

      // Protocols (Objects/abstract.c, Objects/dictobject.c).
      helper("PySequence_Count", code(sequenceCount),
             "CPython 3.11 Objects/abstract.c _PySequence_IterSearch: items equal to value"),
      helper("PyDict_MergeFromSeq2", code(dictMergeFromSeq2),
             "CPython 3.11 Objects/dictobject.c: each 2-sequence as key and value, SetItem or SetDefault"),
      helper("PyObject_GetAIter", code(objectGetAIter),
             "CPython 3.11 Objects/abstract.c: type(o).__aiter__(o), which must have __anext__"),
      helper("PyAIter_Check", code(aiterCheck), "CPython 3.11 Objects/abstract.c: type(o) has __anext__"),
      helper("PyIter_Send", code(iterSend),
             "CPython 3.11 Objects/abstract.c: next() for None, else .send(); StopIteration's value is a "
             "return"),
      helper("PyBuffer_SizeFromFormat", code(bufferSizeFromFormat),
             "CPython 3.11 Objects/abstract.c: struct.calcsize(format)"),

      // Errors, frames, functions.
      helper("PyErr_SetImportError", code(errSetImportError),
             "CPython 3.11 Python/errors.c: raise ImportError(msg, name=name, path=path); NULL"),
      helper("PyErr_SetImportErrorSubclass", code(errSetImportErrorSubclass),
             "CPython 3.11 Python/errors.c: raise exception(msg, name=name, path=path); NULL"),
      helper("_PyErr_BadInternalCall", code(badInternalCallAt),
             "CPython 3.11 Python/errors.c: SystemError '<file>:<line>: bad argument to internal function'"),
      helper("PyEval_GetFuncDesc", code(evalGetFuncDesc),
             "CPython 3.11 Python/ceval.c: \"()\" for methods and functions, \" object\" otherwise"),
      helper("PyFrame_GetCode", code(frameGetCode), "CPython 3.11 Objects/frameobject.c: frame.f_code"),
      helper("PyFrame_GetLineNumber", code(frameGetLineNumber),
             "CPython 3.11 Objects/frameobject.c: frame.f_lineno"),
      helper("PyCFunction_GetSelf", code(cFunctionGetSelf),
             "CPython 3.11 Objects/methodobject.c: __self__ of a builtin function, None as NULL; borrowed"),

      helper("PyErr_ProgramText", code(errProgramText),
             "CPython 3.11 Python/errors.c err_programtext: the line's last fgets chunk, NULL without error"),
      helper("PyErr_ResourceWarning", code(errResourceWarning),
             "CPython 3.11 Python/errors.c: warnings.warn(PyUnicode_FromFormatV(...), ResourceWarning, "
             "stack_level, source)"),
      helper("PyEval_GetFuncName", code(evalGetFuncName),
             "CPython 3.11 Python/ceval.c: the function's __name__, else its type's tp_name"),
      helper("PyExceptionClass_Name", code(exceptionClassName),
             "CPython 3.11 Include/pyerrors.h: the class's tp_name"),
      helper("PyObject_CheckBuffer", code(objectCheckBuffer),
             "CPython 3.11 Objects/abstract.c: the type exports buffers (memoryview(o) raises no TypeError)"),
      helper("PyThread_GetInfo", code(threadGetInfo), "CPython 3.11 Python/thread.c: sys.thread_info"),
      helper("PyThread_get_stacksize", code(threadGetStacksize),
             "CPython 3.11 Python/thread_pthread.h: the interpreter's stack size, _thread.stack_size()"),
      helper("PyThread_set_stacksize", code(threadSetStacksize),
             "CPython 3.11 Python/thread_pthread.h: _thread.stack_size(size); -1 when invalid"),

      // Version and path strings, kept by the process.
      helper("Py_GetBuildInfo", code(getBuildInfo),
             "CPython 3.11 Modules/getbuildinfo.c: the parenthesised part of sys.version"),
      helper("Py_GetCompiler", code(getCompiler), "CPython 3.11 Python/getcompiler.c: the end of sys.version"),
      helper("Py_GetPlatform", code(getPlatform), "CPython 3.11 Python/getplatform.c: sys.platform"),
      helper("Py_GetCopyright", code(getCopyright), "CPython 3.11 Python/getcopyright.c: sys.copyright"),
      helper("Py_GetPrefix", code(getPrefix), "CPython 3.11 Python/pathconfig.c: sys.prefix as wchar_t"),
      helper("Py_GetExecPrefix", code(getExecPrefix),
             "CPython 3.11 Python/pathconfig.c: sys.exec_prefix as wchar_t"),
      helper("Py_GetProgramFullPath", code(getProgramFullPath),
             "CPython 3.11 Python/pathconfig.c: sys.executable as wchar_t"),

      // Type objects CPython exports and PyPy does not, reached from Python.
      type("_PyWeakref_RefType", "import _weakref\nresult = _weakref.ref",
           "CPython 3.11 Objects/weakrefobject.c: weakref.ref"),
      type("_PyWeakref_ProxyType", "import _weakref\nresult = _weakref.ProxyType",
           "CPython 3.11 Objects/weakrefobject.c: weakref.ProxyType"),
      type("_PyWeakref_CallableProxyType", "import _weakref\nresult = _weakref.CallableProxyType",
           "CPython 3.11 Objects/weakrefobject.c: weakref.CallableProxyType"),
      type("Py_GenericAliasType", "result = type(list[int])",
           "CPython 3.11 Objects/genericaliasobject.c: types.GenericAlias"),
  };
}

}  // namespace pysym::substitutes
