// Every substitute pysym offers, with its semantic source.
//
// Sources cite CPython 3.11.2 (the Debian build the fidelity tests compare
// against) and PyPy 7.3.11's headers in /usr/include/pypy3.9.
#include "pysym/resolver/substitutes/catalogue.h"

#include <string_view>
#include <vector>

#include "pysym/resolver/substitutes/api_functions.h"
#include "pysym/resolver/substitutes/catalogue_coverage.h"
#include "pysym/resolver/substitutes/complex_math.h"
#include "pysym/resolver/substitutes/data_objects.h"
#include "pysym/resolver/substitutes/float_macros.h"
#include "pysym/resolver/substitutes/pypy_header_macros.h"

namespace pysym::substitutes {
namespace {

constexpr std::string_view NeedsDictNew[] = {"PyDict_New"};
constexpr std::string_view NeedsSetUpdate[] = {
    "PyObject_Type", "PyType_IsSubtype", "PySet_Type", "PyErr_Clear",     "PyErr_BadInternalCall",
    "PyObject_GetIter", "PyIter_Next", "PySet_Add",   "Py_DecRef",       "PyErr_Occurred"};
constexpr std::string_view NeedsDump[] = {
    "PyGILState_Ensure", "PyGILState_Release",     "PyErr_Fetch",      "PyErr_Restore",
    "PyErr_Clear",       "PyObject_Type",          "PyObject_GetAttrString", "PyUnicode_AsUTF8",
    "Py_DecRef",         "PyObject_Print"};
constexpr std::string_view NeedsFormat[] = {
    "PyErr_Fetch",      "PyErr_Restore",         "PyErr_Clear",
    "PySys_GetObject",  "PyUnicode_FromFormatV", "PyObject_GetAttrString",
    "PyObject_CallFunctionObjArgs", "Py_DecRef",  "PyUnicode_AsUTF8"};
constexpr std::string_view NeedsInstanceCheck[] = {"PyObject_Type", "PyType_IsSubtype", "PyErr_Clear",
                                                  "Py_DecRef", "PyExc_BaseException"};
constexpr std::string_view NeedsClassCheck[] = {"PyObject_Type", "PyType_IsSubtype", "PyErr_Clear",
                                               "Py_DecRef", "PyExc_BaseException", "PyType_Type"};
constexpr std::string_view NeedsGetHandled[] = {"PyErr_GetExcInfo", "Py_DecRef", "_Py_NoneStruct"};
constexpr std::string_view NeedsSetHandled[] = {"PyErr_SetExcInfo", "PyObject_Type",
                                               "PyException_GetTraceback", "Py_IncRef",
                                               "_Py_NoneStruct"};
constexpr std::string_view NeedsCMethodNew[] = {"PyCMethod_New"};
constexpr std::string_view NeedsObjectSize[] = {"PyObject_Size"};
constexpr std::string_view NeedsCompile[] = {"Py_CompileStringFlags"};

Span<std::string_view> noNeeds() { return {}; }

template <typename Fn> void *code(Fn *Function) { return reinterpret_cast<void *>(Function); }

CatalogueEntry function(std::string_view Name, void *Implementation, std::string_view Source,
                        Span<std::string_view> Needs, std::string_view OnlyFor = "") {
  return {{Name, SymbolKind::Function, Source, Needs, OnlyFor}, Shape::Function, Implementation, ""};
}

CatalogueEntry type(std::string_view Name, std::string_view Recipe, std::string_view Source) {
  return {{Name, SymbolKind::Data, Source, recipeNeeds(), ""}, Shape::TypeObject, nullptr, Recipe};
}

CatalogueEntry exceptionCell(std::string_view Name, std::string_view Recipe, std::string_view Source) {
  return {{Name, SymbolKind::Data, Source, recipeNeeds(), ""}, Shape::ExceptionCell, nullptr, Recipe};
}

std::vector<CatalogueEntry> makeEntries() {
  return {
      // (a) Macros in PyPy's headers, functions in CPython.
      function("PyObject_GC_Track", code(gcTrackNoOp),
               "PyPy include/pypy3.9/object.h:372 defines it as the no-op `do { } while(0)`", noNeeds(),
               "pypy"),
      function("PyObject_GC_UnTrack", code(gcUnTrackNoOp),
               "PyPy include/pypy3.9/object.h:373 defines it as the no-op `do { } while(0)`", noNeeds(),
               "pypy"),
      function("PyCFunction_New", code(cFunctionNew),
               "PyPy include/pypy3.9/methodobject.h:46-47: PyCMethod_New(ml, self, NULL, NULL)",
               NeedsCMethodNew, "pypy"),
      function("PyCFunction_NewEx", code(cFunctionNewEx),
               "PyPy include/pypy3.9/methodobject.h:47: PyCMethod_New(ml, self, module, NULL)",
               NeedsCMethodNew, "pypy"),
      function("PyObject_Length", code(objectLength),
               "PyPy include/pypy3.9/object.h:468 defines it as PyObject_Size", NeedsObjectSize, "pypy"),
      function("Py_CompileString", code(compileString),
               "PyPy include/pypy3.9/pythonrun.h:52: Py_CompileStringFlags(str, filename, start, NULL)",
               NeedsCompile, "pypy"),

      // (b) Functions some interpreters lack, from the mathematics or the public API.
      function("_Py_c_sum", code(complexSum),
               "CPython 3.11 Objects/complexobject.c: componentwise sum", noNeeds()),
      function("_Py_c_diff", code(complexDiff),
               "CPython 3.11 Objects/complexobject.c: componentwise difference", noNeeds()),
      function("_Py_c_neg", code(complexNeg),
               "CPython 3.11 Objects/complexobject.c: componentwise negation", noNeeds()),
      function("_Py_c_prod", code(complexProd),
               "CPython 3.11 Objects/complexobject.c: (ac - bd) + (ad + bc)i", noNeeds()),
      function("_Py_c_quot", code(complexQuot),
               "CPython 3.11 Objects/complexobject.c: Smith's scaled division, EDOM for a zero divisor",
               noNeeds()),
      function("_Py_c_pow", code(complexPow),
               "CPython 3.11 Objects/complexobject.c: polar-form power, EDOM for 0 to a negative or "
               "complex power, libm's errno otherwise",
               noNeeds()),
      function("_Py_c_abs", code(complexAbs),
               "CPython 3.11 Objects/complexobject.c: hypot with C99's infinities, ERANGE on overflow",
               noNeeds()),
      function("_PyDict_NewPresized", code(dictNewPresized),
               "CPython 3.11 Objects/dictobject.c: an empty dict; the size is only a hint, so PyDict_New",
               NeedsDictNew),
      function("_PySet_Update", code(setUpdate),
               "CPython 3.11 Objects/setobject.c: SystemError unless a set, else add each item; 0 or -1",
               NeedsSetUpdate),
      function("_PyObject_Dump", code(objectDump),
               "CPython 3.11 Objects/object.c: address, type, type name and repr on stderr",
               NeedsDump),
      function("PySys_FormatStdout", code(sysFormatStdout),
               "CPython 3.11 Python/sysmodule.c sys_format: PyUnicode_FromFormatV, sys.stdout.write, "
               "C stdout if that fails",
               NeedsFormat),
      function("PySys_FormatStderr", code(sysFormatStderr),
               "CPython 3.11 Python/sysmodule.c sys_format: PyUnicode_FromFormatV, sys.stderr.write, "
               "C stderr if that fails",
               NeedsFormat),
      function("PyExceptionInstance_Check", code(exceptionInstanceCheck),
               "CPython 3.11 Include/pyerrors.h macro: Py_TYPE(x) has Py_TPFLAGS_BASE_EXC_SUBCLASS, "
               "i.e. derives from BaseException",
               NeedsInstanceCheck),
      function("PyExceptionClass_Check", code(exceptionClassCheck),
               "CPython 3.11 Include/pyerrors.h macro: PyType_Check(x) and x derives from BaseException",
               NeedsClassCheck),
      function("PyErr_GetHandledException", code(errGetHandledException),
               "CPython 3.11 Python/errors.c: the handled exception or NULL (also for None), here "
               "through PyErr_GetExcInfo",
               NeedsGetHandled),
      function("PyErr_SetHandledException", code(errSetHandledException),
               "CPython 3.11 Python/errors.c: sets the handled exception, NULL or None clears it; here "
               "through PyErr_SetExcInfo",
               NeedsSetHandled),
      function("Py_IS_NAN", code(isNan), "CPython 3.11 Include/pymath.h macro: isnan(X)", noNeeds()),
      function("Py_IS_INFINITY", code(isInfinity), "CPython 3.11 Include/pymath.h macro: isinf(X)",
               noNeeds()),
      function("Py_IS_FINITE", code(isFinite), "CPython 3.11 Include/pymath.h macro: isfinite(X)",
               noNeeds()),

      // (c) Type objects CPython 3.11 exports and PyPy 7.3.11 does not (under
      // either name), found through the API as the Python-visible type.
      // Made here as the types module makes it, without importing types
      // (about 1 ms of a first install() on PyPy).
      type("PyAsyncGen_Type", "async def agen():\n    yield\nresult = type(agen())",
           "CPython 3.11 Objects/genobject.c: the async generator type (types.AsyncGeneratorType)"),
      type("PyByteArrayIter_Type", "result = type(iter(bytearray()))",
           "CPython 3.11 Objects/bytearrayobject.c: the type of iter(bytearray())"),
      type("PyBytesIter_Type", "result = type(iter(b''))",
           "CPython 3.11 Objects/bytesobject.c: the type of iter(b'')"),
      type("PyCallIter_Type", "result = type(iter(int, 0))",
           "CPython 3.11 Objects/iterobject.c: the type of iter(callable, sentinel)"),
      type("PyCode_Type", "result = type((lambda: None).__code__)",
           "CPython 3.11 Objects/codeobject.c: the code type (types.CodeType)"),
      type("PyContextToken_Type", "import contextvars\nresult = contextvars.Token",
           "CPython 3.11 Python/context.c: contextvars.Token"),
      type("PyContextVar_Type", "import contextvars\nresult = contextvars.ContextVar",
           "CPython 3.11 Python/context.c: contextvars.ContextVar"),
      type("PyContext_Type", "import contextvars\nresult = contextvars.Context",
           "CPython 3.11 Python/context.c: contextvars.Context"),
      // Closed, so that it is not reported as never awaited.
      type("PyCoro_Type", "async def coro():\n    pass\nc = coro()\nresult = type(c)\nc.close()",
           "CPython 3.11 Objects/genobject.c: the coroutine type (types.CoroutineType)"),
      type("PyDictItems_Type", "result = type({}.items())",
           "CPython 3.11 Objects/dictobject.c: the type of {}.items()"),
      type("PyDictIterItem_Type", "result = type(iter({}.items()))",
           "CPython 3.11 Objects/dictobject.c: the type of iter({}.items())"),
      type("PyDictIterKey_Type", "result = type(iter({}))",
           "CPython 3.11 Objects/dictobject.c: the type of iter({})"),
      type("PyDictIterValue_Type", "result = type(iter({}.values()))",
           "CPython 3.11 Objects/dictobject.c: the type of iter({}.values())"),
      type("PyDictRevIterItem_Type", "result = type(reversed({}.items()))",
           "CPython 3.11 Objects/dictobject.c: the type of reversed({}.items())"),
      type("PyDictRevIterKey_Type", "result = type(reversed({}))",
           "CPython 3.11 Objects/dictobject.c: the type of reversed({})"),
      type("PyDictRevIterValue_Type", "result = type(reversed({}.values()))",
           "CPython 3.11 Objects/dictobject.c: the type of reversed({}.values())"),
      type("PyEllipsis_Type", "result = type(Ellipsis)",
           "CPython 3.11 Objects/sliceobject.c: the type of Ellipsis"),
      type("PyEnum_Type", "result = enumerate", "CPython 3.11 Objects/enumobject.c: builtins.enumerate"),
      type("PyFilter_Type", "result = filter", "CPython 3.11 Python/bltinmodule.c: builtins.filter"),
      type("PyFrame_Type", "import sys\nresult = type(sys._getframe())",
           "CPython 3.11 Objects/frameobject.c: the frame type (types.FrameType)"),
      type("PyGen_Type", "result = type((lambda: (yield))())",
           "CPython 3.11 Objects/genobject.c: the generator type (types.GeneratorType)"),
      type("PyListIter_Type", "result = type(iter([]))",
           "CPython 3.11 Objects/listobject.c: the type of iter([])"),
      type("PyListRevIter_Type", "result = type(reversed([]))",
           "CPython 3.11 Objects/listobject.c: the type of reversed([])"),
      type("PyLongRangeIter_Type", "result = type(iter(range(1 << 64)))",
           "CPython 3.11 Objects/rangeobject.c: the type of iter(range(n)) for n beyond a C long"),
      type("PyMap_Type", "result = map", "CPython 3.11 Python/bltinmodule.c: builtins.map"),
      // collections.OrderedDict is _collections.OrderedDict on CPython 3.6 to
      // 3.13 and PyPy; taking it from there skips importing collections
      // (about 8 ms on PyPy) unless something else needs it, as PyPy's
      // _contextvars does.
      type("PyODict_Type", "from _collections import OrderedDict\nresult = OrderedDict",
           "CPython 3.11 Objects/odictobject.c: collections.OrderedDict"),
      type("PyODictItems_Type", "from _collections import OrderedDict\nresult = type(OrderedDict().items())",
           "CPython 3.11 Objects/odictobject.c: the type of OrderedDict().items()"),
      type("PyODictIter_Type", "from _collections import OrderedDict\nresult = type(iter(OrderedDict()))",
           "CPython 3.11 Objects/odictobject.c: the type of iter(OrderedDict())"),
      type("PyODictKeys_Type", "from _collections import OrderedDict\nresult = type(OrderedDict().keys())",
           "CPython 3.11 Objects/odictobject.c: the type of OrderedDict().keys()"),
      type("PyODictValues_Type", "from _collections import OrderedDict\nresult = type(OrderedDict().values())",
           "CPython 3.11 Objects/odictobject.c: the type of OrderedDict().values()"),
      // PyPy's pickle.PickleBuffer is __pypy__'s class: taking it from there
      // skips importing pickle, 9 to 40 ms of a first expose() on PyPy.
      type("PyPickleBuffer_Type",
           "try:\n    from __pypy__ import PickleBuffer\n"
           "except ImportError:\n    from pickle import PickleBuffer\nresult = PickleBuffer",
           "CPython 3.11 Objects/picklebufobject.c: pickle.PickleBuffer"),
      type("PyRangeIter_Type", "result = type(iter(range(0)))",
           "CPython 3.11 Objects/rangeobject.c: the type of iter(range(0))"),
      type("PySeqIter_Type",
           "class Sequence:\n    def __getitem__(self, index):\n        raise IndexError(index)\n"
           "result = type(iter(Sequence()))",
           "CPython 3.11 Objects/iterobject.c: the type of iter() of an object with only __getitem__"),
      type("PySetIter_Type", "result = type(iter(set()))",
           "CPython 3.11 Objects/setobject.c: the type of iter(set())"),
      type("PySuper_Type", "result = super", "CPython 3.11 Objects/typeobject.c: builtins.super"),
      type("PyTupleIter_Type", "result = type(iter(()))",
           "CPython 3.11 Objects/tupleobject.c: the type of iter(())"),
      // A non-ASCII string: CPython 3.11 iterates ASCII ones with a separate type.
      type("PyUnicodeIter_Type", "result = type(iter('\\u0100'))",
           "CPython 3.11 Objects/unicodeobject.c: the type of iter() of a non-ASCII str"),
      type("PyZip_Type", "result = zip", "CPython 3.11 Python/bltinmodule.c: builtins.zip"),
      type("_PyAsyncGenASend_Type",
           "async def agen():\n    yield\na = agen().asend(None)\nresult = type(a)\na.close()",
           "CPython 3.11 Objects/genobject.c: the type of an async generator's asend(None)"),
      type("_PyAsyncGenAThrow_Type",
           // Closed, as the coroutine below is: Python 3.13 warns of an athrow()
           // never awaited.
           "async def agen():\n    yield\na = agen().athrow(GeneratorExit)\nresult = type(a)\n"
           "a.close()",
           "CPython 3.11 Objects/genobject.c: the type of an async generator's athrow()"),
      type("_PyCoroWrapper_Type",
           "async def coro():\n    pass\nc = coro()\nresult = type(c.__await__())\nc.close()",
           "CPython 3.11 Objects/genobject.c: the type of a coroutine's __await__()"),
      type("_PyMethodWrapper_Type", "result = type(object().__str__)",
           "CPython 3.11 Objects/descrobject.c: the type of a slot wrapper bound to an instance"),
      type("_PyNamespace_Type", "import sys\nresult = type(sys.implementation)",
           "CPython 3.11 Objects/namespaceobject.c: types.SimpleNamespace"),

      // Exception cells (PyObject *) CPython 3.11 exports and PyPy 7.3.11 does not.
      exceptionCell("PyExc_EnvironmentError", "result = OSError",
                    "CPython 3.11 Objects/exceptions.c aliases it to OSError; PyPy "
                    "include/pypy3.9/pyerrors.h:17 defines it as PyExc_OSError"),
      exceptionCell("PyExc_IOError", "result = OSError",
                    "CPython 3.11 Objects/exceptions.c aliases it to OSError; PyPy "
                    "include/pypy3.9/pyerrors.h:18 defines it as PyExc_OSError"),
      exceptionCell("PyExc_BaseExceptionGroup", "result = BaseExceptionGroup",
                    "CPython 3.11 Objects/exceptions.c: builtins.BaseExceptionGroup (Python 3.11+)"),
      exceptionCell("PyExc_EncodingWarning", "result = EncodingWarning",
                    "CPython 3.11 Objects/exceptions.c: builtins.EncodingWarning (Python 3.10+)"),
  };
}

}  // namespace

Span<CatalogueEntry> catalogueEntries() {
  static const std::vector<CatalogueEntry> Entries = [] {
    std::vector<CatalogueEntry> All = makeEntries();
    for (CatalogueEntry &Entry : coverageEntries())
      All.push_back(Entry);
    return All;
  }();
  return Entries;
}

Span<Definition> catalogue() {
  static const std::vector<Definition> Definitions = [] {
    std::vector<Definition> Out;
    for (const CatalogueEntry &Entry : catalogueEntries())
      Out.push_back(Entry.Def);
    return Out;
  }();
  return Definitions;
}

}  // namespace pysym::substitutes
