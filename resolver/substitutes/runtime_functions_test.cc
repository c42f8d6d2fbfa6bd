// The runtime substitutes against CPython 3.11's own functions (CPython process) and Python-level expectations (both).
#include <cstdarg>

#include "pysym/resolver/substitutes/fidelity_testing.h"

namespace pysym::substitutes {
namespace {

using testing::Case;
using testing::PyObjectPtr;
using testing::Reference;
using Size = testing::Size;

using ObjectOfObject = PyObjectPtr(PyObjectPtr);
using TextOfObject = const char *(PyObjectPtr);

class RuntimeFunctionsTest : public testing::FidelityTest {
protected:
  void restore(const char *Source) { ASSERT_FALSE(bool(Python->run(Source))) << Source; }
};

TEST_F(RuntimeFunctionsTest, WarnOptionsAndXOptions) {
  restore("saved_warnoptions = sys.warnoptions\nsaved_xoptions = sys._xoptions");
  check<void(const wchar_t *)>(
      "PySys_AddWarnOption",
      {{"(W('error::pysym'),)", "None", "sys.warnoptions == ['error::pysym']", "sys.warnoptions = []"},
       {"(W('\\u20ac'),)", "None", "sys.warnoptions == ['a', '\\u20ac']", "sys.warnoptions = ['a']"},
       {"(W('x'),)", "None", "sys.warnoptions == ['x']", "sys.warnoptions = ('not', 'a list')"}});
  check<void(PyObjectPtr)>("PySys_AddWarnOptionUnicode",
                           {{"('ignore',)", "None", "sys.warnoptions == ['ignore']", "sys.warnoptions = []"},
                            {"(NULL,)", "None", "sys.warnoptions == []", "sys.warnoptions = []"}});
  check<int()>("PySys_HasWarnOptions", {{"()", "0", "", "sys.warnoptions = []"},
                                        {"()", "1", "", "sys.warnoptions = ['x']"},
                                        {"()", "0", "", "sys.warnoptions = ('x',)"},
                                        {"()", "0", "", "sys.__dict__.pop('warnoptions', None)"}});
  check<void()>("PySys_ResetWarnOptions", {{"()", "None", "sys.warnoptions == []", "sys.warnoptions = ['a', 'b']"},
                                           {"()", "None", "sys.warnoptions == 'keep'", "sys.warnoptions = 'keep'"}});
  check<void(const wchar_t *)>(
      "PySys_AddXOption", {{"(W('pysym=1'),)", "None", "sys._xoptions == {'pysym': '1'}", "sys._xoptions = {}"},
                           {"(W('flag'),)", "None", "sys._xoptions == {'a': 2, 'flag': True}", "sys._xoptions = {'a': 2}"},
                           {"(W('k=v=w'),)", "None", "sys._xoptions == {'k': 'v=w'}", "sys._xoptions = 3"}});
  check<PyObjectPtr()>("PySys_GetXOptions", {{"()", "{'a': 1}", "got is sys._xoptions", "sys._xoptions = {'a': 1}"},
                                             {"()", "{}", "got is sys._xoptions", "sys._xoptions = None"}},
                       Reference::Borrowed);
  restore("sys.warnoptions = saved_warnoptions\nsys._xoptions = saved_xoptions");
}

TEST_F(RuntimeFunctionsTest, GarbageCollector) {
  check<int()>("PyGC_Disable", {{"()", "1", "not gc.isenabled()", "gc.enable()"},
                                {"()", "0", "not gc.isenabled()", "gc.disable()"}});
  check<int()>("PyGC_Enable", {{"()", "0", "gc.isenabled()", "gc.disable()"}, {"()", "1", "gc.isenabled()", "gc.enable()"}});
  check<int()>("PyGC_IsEnabled", {{"()", "1", "gc.isenabled()", "gc.enable()"},
                                  {"()", "0", "not gc.isenabled()", "gc.disable()"}});
  check<Size()>("PyGC_Collect", {{"()", "0", "not gc.isenabled()", "gc.disable()\nc = [1]\nc.append(c)\ndel c"},
                                 {"()", "*", "got >= 0 and gc.isenabled()", "gc.enable()\nc = [1]\nc.append(c)\ndel c"}});
  restore("gc.enable()");
}

TEST_F(RuntimeFunctionsTest, Import) {
  check<long()>("PyImport_GetMagicNumber",
                {{"()", "int.from_bytes(__import__('importlib.util').util.MAGIC_NUMBER, 'little')"}});
  check<const char *()>("PyImport_GetMagicTag", {{"()", "sys.implementation.cache_tag.encode()"}});
  restore("import os\nhere = os.path.dirname(os.__file__)\nsaved_hooks = sys.path_hooks");
  check<ObjectOfObject>(
      "PyImport_GetImporter",
      {{"('/pysym-nowhere',)", "None", "sys.path_importer_cache['/pysym-nowhere'] is None",
        "sys.path_importer_cache.pop('/pysym-nowhere', None)"},
       {"(here,)", "*", "sys.path_importer_cache[here] is got", "sys.path_importer_cache.pop(here, None)"},
       {"('pysym-cached',)", "42", "", "sys.path_importer_cache['pysym-cached'] = 42"},
       {"('pysym-x',)", "NULL", "", "sys.__dict__.pop('path_hooks', None)"}});
  restore("sys.path_hooks = saved_hooks");
  check<ObjectOfObject>("PyImport_AddModuleObject",
                        {{"('pysym_fresh',)", "*", "sys.modules['pysym_fresh'] is got and type(got) is types.ModuleType",
                          "sys.modules.pop('pysym_fresh', None)"},
                         {"('sys',)", "sys"},
                         {"('pysym_odd',)", "*", "type(sys.modules['pysym_odd']) is types.ModuleType",
                          "sys.modules['pysym_odd'] = 5"}},
                        Reference::Borrowed);
  check<PyObjectPtr(const char *, PyObjectPtr, PyObjectPtr, PyObjectPtr, int)>(
      "PyImport_ImportModuleLevel",
      {{"(b'codecs', None, None, None, 0)", "codecs"},
       {"(b'pysym_no_such_module', NULL, NULL, NULL, 0)", "!ModuleNotFoundError: No module named 'pysym_no_such_module'"},
       {"(b'\\xff', NULL, NULL, NULL, 0)", "!UnicodeDecodeError"}});
}

TEST_F(RuntimeFunctionsTest, ExecCodeModule) {
  restore("exec_code = compile('x = 42', 'pysym_exec_mod.py', 'exec')\n"
          "failing_code = compile('1 / 0', 'pysym_exec_mod.py', 'exec')\n"
          "vanishing_code = compile('import sys\\ndel sys.modules[__name__]', 'v.py', 'exec')\n"
          "import importlib._bootstrap_external\n"
          "source_of = importlib._bootstrap_external._get_sourcefile\n");
  const char *Fresh = "sys.modules.pop('pysym_exec_mod', None)";
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, PyObjectPtr, PyObjectPtr)>(
      "PyImport_ExecCodeModuleObject",
      {{"('pysym_exec_mod', exec_code, NULL, NULL)", "*",
        "got.x == 42 and sys.modules['pysym_exec_mod'] is got and got.__file__ == 'pysym_exec_mod.py' "
        "and '__builtins__' in got.__dict__",
        Fresh},
       {"('pysym_exec_mod', exec_code, '/a/m.py', '/a/__pycache__/m.pyc')", "*",
        "got.__file__ == '/a/m.py' and got.__cached__ == '/a/__pycache__/m.pyc'", Fresh},
       {"('pysym_exec_mod', failing_code, NULL, NULL)", "!ZeroDivisionError", "'pysym_exec_mod' not in sys.modules",
        Fresh},
       {"('pysym_exec_mod', vanishing_code, NULL, NULL)",
        "!ImportError: Loaded module 'pysym_exec_mod' not found in sys.modules", "", Fresh}});
  check<PyObjectPtr(const char *, PyObjectPtr, const char *, const char *)>(
      "PyImport_ExecCodeModuleWithPathnames",
      {{"(b'pysym_exec_mod', exec_code, b'/a/m.py', None)", "*", "got.x == 42 and got.__file__ == '/a/m.py'", Fresh},
       {"(b'pysym_exec_mod', exec_code, None, b'/a/__pycache__/m.cpython-311.pyc')", "*",
        "got.__cached__ == '/a/__pycache__/m.cpython-311.pyc' and "
        "got.__file__ == source_of('/a/__pycache__/m.cpython-311.pyc')",
        Fresh},
       {"(b'pysym_exec_mod', exec_code, None, None)", "*", "got.__file__ == 'pysym_exec_mod.py'", Fresh},
       {"(b'pysym_exec_mod', failing_code, None, None)", "!ZeroDivisionError", "'pysym_exec_mod' not in sys.modules",
        Fresh}});
}

TEST_F(RuntimeFunctionsTest, InternImmortalKeepsOneReferenceOnce) {
  using InternImmortal = void(PyObjectPtr *);
  auto *Ours = testing::substituteFunction<InternImmortal>(*Substitutes, "PyUnicode_InternImmortal");
  ASSERT_NE(Ours, nullptr);
  auto *Theirs = onCPython() ? reinterpret_cast<InternImmortal *>(Python->symbol("PyUnicode_InternImmortal")) : nullptr;
  restore("import warnings\nwarnings.simplefilter('error', DeprecationWarning)");
  std::vector<std::intptr_t> Deltas[2];
  for (int Which : {0, 1}) {
    InternImmortal *Function = Which ? Ours : Theirs;
    if (!Function)
      continue;
    std::string Text = Which ? "pysym_immortal_ours" : "pysym_immortal_theirs";
    testing::Owned Fresh = testing::evaluate(*Python, "''.join(['" + Text + "'])");
    ASSERT_TRUE(bool(Fresh));
    {
      auto Gil = Python->holdGil();
      ASSERT_TRUE(bool(Gil));
      PyObjectPtr String = Fresh.get();
      api().IncRef(String);  // the reference PyUnicode_InternInPlace may replace
      std::intptr_t Before = api().refCount(String);
      Function(&String);  // the warning, an error here, is written as unraisable
      EXPECT_EQ(api().ErrOccurred(), nullptr);
      Deltas[Which].push_back(api().refCount(String) - Before);
      Function(&String);
      EXPECT_EQ(api().ErrOccurred(), nullptr);
      Deltas[Which].push_back(api().refCount(String) - Before);
      if (onCPython())  // PyPy may hand back another object for the interned string
        EXPECT_EQ(String, Fresh.get()) << "a new string is interned in place";
      api().SetAttrString(api().Main, "immortal", String);
      api().DecRef(String);
    }
    EXPECT_EQ(testing::truth(*Python, "sys.intern('" + Text + "') is immortal"), 1);
  }
  if (Theirs)
    EXPECT_EQ(Deltas[1], Deltas[0]) << "reference counts after the first and second call, against CPython's";
  restore("warnings.resetwarnings()\ndel immortal");
}

TEST_F(RuntimeFunctionsTest, ModulesAndTypes) {
  restore("nameless = types.ModuleType('m')\nnameless.__dict__['__name__'] = 5\n"
          "class Outer:\n    class Inner:\n        pass\n");
  check<ObjectOfObject>("PyModule_GetNameObject", {{"(sys,)", "'sys'"},
                                                   {"(nameless,)", "!SystemError: nameless module"},
                                                   {"(3,)", "!TypeError: bad argument type for built-in operation"}});
  check<ObjectOfObject>("PyModule_GetFilenameObject", {{"(codecs,)", "codecs.__file__"},
                                                       {"(sys,)", "!SystemError: module filename missing"},
                                                       {"('x',)", "!TypeError: bad argument type for built-in operation"}});
  check<TextOfObject>("PyModule_GetFilename",
                      {{"(codecs,)", "codecs.__file__.encode()"}, {"(sys,)", "!SystemError: module filename missing"}});
  check<int(PyObjectPtr, const char *, PyObjectPtr)>(
      "PyModule_AddObjectRef",
      {{"(m, b'x', 42.5)", "0", "m.x == 42.5", "m = types.ModuleType('m')"},
       {"(3, b'x', 1)", "!TypeError: PyModule_AddObjectRef() first argument must be a module"},
       {"(m, b'x', NULL)",
        "!SystemError: PyModule_AddObjectRef() must be called with an exception raised if value is NULL"}});
  check<int(PyObjectPtr, const char *)>("PyModule_SetDocString",
                                        {{"(m, b'doc')", "0", "m.__doc__ == 'doc'", "m = types.ModuleType('m')"},
                                         {"(m, b'\\xff')", "!UnicodeDecodeError"}});
  check<ObjectOfObject>("PyType_GetName", {{"(int,)", "'int'"},
                                           {"(codecs.CodecInfo,)", "'CodecInfo'"},
                                           {"(types.SimpleNamespace,)", "'SimpleNamespace'"},
                                           {"(Outer.Inner,)", "'Inner'"}});
  check<ObjectOfObject>("PyType_GetQualName", {{"(int,)", "'int'"},
                                               {"(Outer.Inner,)", "'Outer.Inner'"},
                                               {"(types.SimpleNamespace,)", "'SimpleNamespace'"}});
}

TEST_F(RuntimeFunctionsTest, NumbersAndThreads) {
  check<PyObjectPtr()>("PyFloat_GetInfo", {{"()", "sys.float_info"}});
  check<PyObjectPtr()>("PyLong_GetInfo", {{"()", "sys.int_info"}});
  check<PyObjectPtr()>("PyThread_GetInfo", {{"()", "sys.thread_info"}});
  // _thread.stack_size() without an argument also resets the size to 0.
  check<std::size_t()>("PyThread_get_stacksize",
                       {{"()", "1 << 20", "__import__('_thread').stack_size() == 1 << 20",
                         "__import__('_thread').stack_size(1 << 20)"},
                        {"()", "0", "", "__import__('_thread').stack_size(0)"}});
  check<int(std::size_t)>("PyThread_set_stacksize",
                          {{"(1 << 20,)", "0", "__import__('_thread').stack_size() == 1 << 20"},
                           {"(5,)", "-1", "__import__('_thread').stack_size() == 0"},
                           {"(0,)", "0", "__import__('_thread').stack_size() == 0"}});
}

TEST_F(RuntimeFunctionsTest, Protocols) {
  restore("nan = float('nan')\n"
          "class AI:\n    def __aiter__(self):\n        return self\n"
          "    async def __anext__(self):\n        raise StopAsyncIteration\n"
          "class BadAI:\n    def __aiter__(self):\n        return 1\n"
          "def gen():\n    x = yield 1\n    return x * 2\n");
  check<Size(PyObjectPtr, PyObjectPtr)>(
      "PySequence_Count", {{"([1, 2, 1], 1)", "2"},
                           {"((), 1)", "0"},
                           {"('abab', 'a')", "2"},
                           {"([nan, nan], nan)", "2"},
                           {"(5, 1)", "!TypeError: argument of type 'int' is not iterable"},
                           {"(NULL, 1)", "!SystemError: null argument to internal routine"}});
  check<int(PyObjectPtr, PyObjectPtr, int)>(
      "PyDict_MergeFromSeq2",
      {{"(d, [('a', 2), ['b', 3]], 1)", "0", "d == {'a': 2, 'b': 3}", "d = {'a': 1}"},
       {"(d, [('a', 2), 'bc'], 0)", "0", "d == {'a': 1, 'b': 'c'}", "d = {'a': 1}"},
       {"(d, [('a', 1, 2)], 1)", "!ValueError: dictionary update sequence element #0 has length 3; 2 is required"},
       {"(d, [('a', 1), 1], 1)", "!TypeError: cannot convert dictionary update sequence element #1 to a sequence",
        "d == {'a': 1}", "d = {}"},
       {"(d, 5, 1)", "!TypeError"}});
  check<ObjectOfObject>("PyObject_GetAIter",
                        {{"(AI(),)", "*", "got is args[0]"},
                         {"(BadAI(),)", "!TypeError: aiter() returned not an async iterator of type 'int'"},
                         {"(1,)", "!TypeError: 'int' object is not an async iterable"}});
  check<int(PyObjectPtr)>("PyObject_CheckBuffer", {{"(b'x',)", "1"},
                                                   {"(bytearray(),)", "1"},
                                                   {"(memoryview(b'ab')[::2],)", "1"},
                                                   {"(1,)", "0"},
                                                   {"('text',)", "0"}});
  check<Size(const char *)>("PyBuffer_SizeFromFormat", {{"(b'i',)", "4"}, {"(b'<qh',)", "10"}, {"(b'3s',)", "3"}});
  check<Size(const char *)>("PyBuffer_SizeFromFormat", {{"(b'y',)", "!error"}}, Reference::New,
                            /*CompareMessages=*/false);
  check<int(PyObjectPtr)>("PyAIter_Check", {{"(AI(),)", "1"}, {"(1,)", "0"}, {"(BadAI(),)", "0"}});
  check<int(PyObjectPtr, PyObjectPtr, PyObjectPtr *)>(
      "PyIter_Send", {{"(g, None, NULL)", "1", "outs == [1]", "g = gen()"},
                      {"(g, 21, NULL)", "0", "outs == [42]", "g = gen()\nnext(g)"},
                      {"(iter([5]), None, NULL)", "1", "outs == [5]"},
                      {"(iter([]), None, NULL)", "0", "outs == [None]"},
                      {"(g, 5, NULL)", "!TypeError: can't send non-None value to a just-started generator",
                       "outs == [NULL]", "g = gen()"},
                      {"(3, 1, NULL)", "!AttributeError"}});
}

TEST_F(RuntimeFunctionsTest, ErrorsFramesAndFunctions) {
  restore("class MyError(Exception):\n    pass\nframe = sys._getframe()\n");
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, PyObjectPtr)>(
      "PyErr_SetImportError", {{"('no', 'mod', '/p')", "!ImportError: no", "(got.name, got.path) == ('mod', '/p')"},
                               {"(NULL, 'mod', NULL)", "!TypeError: expected a message argument"}});
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, PyObjectPtr, PyObjectPtr)>(
      "PyErr_SetImportErrorSubclass",
      {{"(ModuleNotFoundError, 'm', NULL, NULL)", "!ModuleNotFoundError: m", "got.name is None and got.path is None"},
       {"(ValueError, 'm', NULL, NULL)", "!TypeError: expected a subclass of ImportError"},
       {"(3, 'm', NULL, NULL)", "!TypeError"}});
  check<void(const char *, int)>("_PyErr_BadInternalCall",
                                 {{"(b'f.c', 12)", "!SystemError: f.c:12: bad argument to internal function"}});
  check<TextOfObject>("PyEval_GetFuncDesc", {{"(len,)", "b'()'"},
                                             {"(lambda: 0,)", "b'()'"},
                                             {"([].append,)", "b'()'"},
                                             {"(int,)", "b' object'"},
                                             // PyPy binds (1).__add__ as a method
                                             {"((1).__add__,)", "b' object' if sys.implementation.name == "
                                                                "'cpython' else b'()'"}});
  check<TextOfObject>("PyEval_GetFuncName", {{"(len,)", "b'len'"},
                                             {"(lambda: 0,)", "b'<lambda>'"},
                                             {"(3,)", "b'int'"},
                                             {"(types.SimpleNamespace(),)",
                                              "(types.SimpleNamespace.__module__ + '.SimpleNamespace').encode() "
                                              "if sys.implementation.name == 'cpython' else b'SimpleNamespace'"},
                                             {"(MyError().with_traceback,)", "b'with_traceback'"}});
  check<TextOfObject>("PyExceptionClass_Name",
                      {{"(ValueError,)", "b'ValueError'"}, {"(MyError,)", "b'MyError'"}});
  check<ObjectOfObject>("PyFrame_GetCode", {{"(frame,)", "frame.f_code"}});
  check<int(PyObjectPtr)>("PyFrame_GetLineNumber", {{"(frame,)", "frame.f_lineno"}});
  check<ObjectOfObject>("PyCFunction_GetSelf", {{"(len,)", "NULL if len.__self__ is None else len.__self__"}},
                        Reference::Borrowed);
  if (onCPython())  // PyPy's [].append is a method object, not a builtin function
    check<ObjectOfObject>("PyCFunction_GetSelf", {{"([].append,)", "args[0].__self__"}}, Reference::Borrowed);
  check<ObjectOfObject>("PyCFunction_GetSelf", {{"(lambda: 0,)", "!SystemError"}}, Reference::Borrowed,
                        /*CompareMessages=*/false);
}

TEST_F(RuntimeFunctionsTest, ProgramText) {
  restore("import os\n"
          "program = os.path.join(os.environ.get('TEST_TMPDIR', '/tmp'), 'pysym_program_text.py')\n"
          "with open(program, 'wb') as f:\n"
          "    f.write(b'one\\ntwo\\r\\nthree\\rfour\\n' + b'x' * 2500 + b'\\n\\xff\\xfe\\nlast')\n");
  check<PyObjectPtr(const char *, int)>("PyErr_ProgramText",
                                        {{"(program.encode(), 1)", "'one\\n'"},
                                         {"(program.encode(), 2)", "'two\\n'"},
                                         {"(program.encode(), 3)", "'three\\n'"},
                                         {"(program.encode(), 5)", "'x' * 502 + '\\n'"},
                                         {"(program.encode(), 6)", "NULL"},
                                         {"(program.encode(), 7)", "'last'"},
                                         {"(program.encode(), 8)", "NULL"},
                                         {"(program.encode(), 0)", "NULL"},
                                         {"(b'/pysym/no/such/file', 1)", "NULL"},
                                         {"(None, 1)", "NULL"}});
}

// PyErr_ResourceWarning is variadic: each is called through a fixed wrapper.
using ResourceWarningFn = int(PyObjectPtr, Size, const char *, ...);
ResourceWarningFn *WarningTargets[2];
template <int Which> int warnWithCount(PyObjectPtr Source, Size Level, const char *Format) {
  return WarningTargets[Which](Source, Level, Format, 7);
}

TEST_F(RuntimeFunctionsTest, ResourceWarning) {
  WarningTargets[0] = testing::substituteFunction<ResourceWarningFn>(*Substitutes, "PyErr_ResourceWarning");
  WarningTargets[1] = onCPython() ? reinterpret_cast<ResourceWarningFn *>(Python->symbol("PyErr_ResourceWarning"))
                                  : nullptr;
  ASSERT_NE(WarningTargets[0], nullptr);
  restore("import warnings\nwarnings.simplefilter('error', ResourceWarning)");
  const std::vector<Case> Cases = {{"(None, 1, b'%d leaked')", "!ResourceWarning: 7 leaked"},
                                   {"(frame, 0, b'x%dy')", "!ResourceWarning: x7y"}};
  restore("frame = sys._getframe()");
  checkFunctions<int(PyObjectPtr, Size, const char *)>("PyErr_ResourceWarning", &warnWithCount<0>,
                                                       WarningTargets[1] ? &warnWithCount<1> : nullptr, Cases);
  restore("warnings.simplefilter('ignore', ResourceWarning)");
  checkFunctions<int(PyObjectPtr, Size, const char *)>("PyErr_ResourceWarning", &warnWithCount<0>,
                                                       WarningTargets[1] ? &warnWithCount<1> : nullptr,
                                                       {{"(None, 1, b'%d quiet')", "0"}});
  restore("warnings.resetwarnings()");
}

TEST_F(RuntimeFunctionsTest, VersionAndPathStrings) {
  check<const char *()>("Py_GetBuildInfo", {{"()", "sys.version.split('(', 1)[1].split(')', 1)[0].encode()"}});
  check<const char *()>("Py_GetCompiler", {{"()", "sys.version.split(')', 1)[1].strip().encode()"}});
  check<const char *()>("Py_GetPlatform", {{"()", "sys.platform.encode()"}});
  check<const char *()>("Py_GetCopyright", {{"()", "sys.copyright.encode()"}});
  check<wchar_t *()>("Py_GetPrefix", {{"()", "sys.prefix"}});
  check<wchar_t *()>("Py_GetExecPrefix", {{"()", "sys.exec_prefix"}});
  check<wchar_t *()>("Py_GetProgramFullPath", {{"()", "sys.executable"}});
}

}  // namespace
}  // namespace pysym::substitutes
