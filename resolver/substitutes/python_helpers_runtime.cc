// The Python half of runtime_functions.h: sys, gc, import, modules, types, protocols, errors, version strings.
//
// Runs after python_helpers_source.cc in the same namespace; each function
// names the CPython 3.11 C code it follows, with CPython's messages.
namespace pysym::substitutes::helpers {

extern const char RuntimeSource[];
const char RuntimeSource[] = R"PYSYM(
# Python/sysmodule.c: get_warnoptions, get_xoptions
def _sys_list(name):
    value = sys.__dict__.get(name)
    if not isinstance(value, list):
        value = []
        setattr(sys, name, value)
    return value


def sys_add_warn_option(option):
    _sys_list('warnoptions').append(option)


def sys_has_warn_options():
    value = sys.__dict__.get('warnoptions')
    return isinstance(value, list) and len(value) > 0


def sys_reset_warn_options():
    value = sys.__dict__.get('warnoptions')
    if isinstance(value, list):
        del value[:]


def sys_get_xoptions():
    value = sys.__dict__.get('_xoptions')
    if not isinstance(value, dict):
        value = {}
        sys._xoptions = value
    return value


def sys_add_xoption(option):
    name, equals, value = option.partition('=')
    sys_get_xoptions()[name] = value if equals else True


# Modules/gcmodule.c
def gc_set_enabled(enable):
    was = gc.isenabled()
    if enable is not None:
        gc.enable() if enable else gc.disable()
    return was


def gc_collect():
    if not gc.isenabled():
        return 0
    found = gc.collect()
    return 0 if found is None else found  # PyPy's gc.collect() returns None


# Python/import.c
def import_magic_number():
    import importlib._bootstrap_external
    return importlib._bootstrap_external._RAW_MAGIC_NUMBER


def import_magic_tag():
    return sys.implementation.cache_tag.encode()


def import_get_importer(path):
    # (found, importer): without sys.path_importer_cache or sys.path_hooks
    # CPython's returns NULL and sets no exception.
    cache = sys.__dict__.get('path_importer_cache')
    hooks = sys.__dict__.get('path_hooks')
    if cache is None or hooks is None:
        return (False, None)
    try:
        return (True, cache[path])
    except KeyError:
        pass
    cache[path] = None  # no recursion through the hooks
    for hook in hooks:
        try:
            importer = hook(path)
        except ImportError:
            continue
        cache[path] = importer
        return (True, importer)
    return (True, None)


def import_add_module(name):
    modules = sys.modules
    module = modules.get(name)
    if isinstance(module, _ModuleType):
        return module
    module = _ModuleType(name)
    modules[name] = module
    return module


# Objects/moduleobject.c
def module_dict_str(module, key, missing):
    if not isinstance(module, _ModuleType):
        bad_argument()
    value = module.__dict__.get(key)
    if not isinstance(value, str):
        raise SystemError(missing)
    return value


def module_add_object_ref(module, name, value, value_missing):
    if not isinstance(module, _ModuleType):
        raise TypeError('PyModule_AddObjectRef() first argument must be a module')
    if value_missing:
        raise SystemError('PyModule_AddObjectRef() must be called with an exception raised if value is NULL')
    module.__dict__[name] = value


# Objects/typeobject.c: type_name, type_qualname
def type_attr(t, name):
    return type.__dict__[name].__get__(t)


# Objects/floatobject.c, Objects/longobject.c
def float_info():
    return sys.float_info


def long_info():
    return sys.int_info


# Objects/abstract.c _PySequence_IterSearch (count)
def sequence_count(seq, obj):
    try:
        it = iter(seq)
    except TypeError:
        raise TypeError("argument of type '%.200s' is not iterable" % _tp_name(type(seq))) from None
    n = 0
    for item in it:
        if item is obj or item == obj:
            n += 1
    return n


# Objects/dictobject.c PyDict_MergeFromSeq2
def dict_merge_from_seq2(d, seq2, override):
    if not isinstance(d, dict):
        raise SystemError('bad argument to internal function')
    for i, item in enumerate(seq2):
        try:
            fast = item if type(item) in (list, tuple) else list(item)
        except TypeError:
            raise TypeError('cannot convert dictionary update sequence element #%d to a sequence'
                            % i) from None
        if len(fast) != 2:
            raise ValueError('dictionary update sequence element #%d has length %d; 2 is required'
                             % (i, len(fast)))
        key, value = fast
        if override:
            dict.__setitem__(d, key, value)
        else:
            dict.setdefault(d, key, value)


# Objects/abstract.c PyBuffer_SizeFromFormat
def buffer_size_from_format(format):
    import struct
    return struct.calcsize(format)


# Python/ceval.c PyEval_GetFuncDesc: "()" for these, " object" otherwise
def eval_func_has_call_parens(f):
    return type(f) in (_MethodType, _FunctionType) or isinstance(f, _BuiltinFunctionType)


# Python/errors.c _PyErr_SetImportErrorSubclassWithNameFrom: the error to raise
def import_error(exception, msg, msg_missing, name, path):
    if exception is None:
        exception = ImportError
    if not issubclass(exception, ImportError):
        raise TypeError('expected a subclass of ImportError')
    if msg_missing:
        raise TypeError('expected a message argument')
    return exception(msg, name=name, path=path)


# Objects/frameobject.c
def frame_attr(frame, name):
    return getattr(frame, name)


# Objects/methodobject.c PyCFunction_GetSelf
def cfunction_self(f):
    if not isinstance(f, _BuiltinFunctionType):
        raise SystemError('bad argument to internal function')
    return f.__self__


# Objects/abstract.c PyObject_GetAIter, PyAIter_Check; Objects/abstract.c PyIter_Send
def aiter_check(o):
    return _special(o, '__anext__')


def object_get_aiter(o):
    if not _special(o, '__aiter__'):
        raise TypeError("'%.200s' object is not an async iterable" % _tp_name(type(o)))
    it = type(o).__aiter__(o)
    if not aiter_check(it):
        raise TypeError("aiter() returned not an async iterator of type '%.100s'"
                        % _tp_name(type(it)))
    return it


def iter_send(it, arg):
    try:
        if arg is None and _special(it, '__next__'):
            return (1, next(it))
        return (1, it.send(arg))
    except StopIteration as stop:
        return (0, stop.value)


# Python/getversion.c, getcompiler.c, getplatform.c, getcopyright.c; Python/pathconfig.c
def _version_parts():
    build, _, compiler = sys.version.partition(' (')[2].partition(')')
    return build, compiler.strip()


def build_info():
    return _version_parts()[0].encode()


def compiler():
    return _version_parts()[1].encode()


def platform():
    return sys.platform.encode()


def copyright():
    return sys.copyright.encode()


def _wide(text):
    return text.encode('utf-32-le' if sys.byteorder == 'little' else 'utf-32-be', 'surrogatepass')


def prefix():
    return _wide(sys.prefix)


def exec_prefix():
    return _wide(sys.exec_prefix)


def program_full_path():
    return _wide(sys.executable)


# Python/errors.c err_programtext: the line (its last 999-byte chunk) or None
def program_text(filename, lineno):
    import os
    if lineno <= 0:
        return None
    try:
        with open(os.fsdecode(filename), 'rb') as f:
            data = f.read()
    except (OSError, ValueError):
        return None
    lines = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n').splitlines(True)
    if lineno > len(lines):
        return None
    line = lines[lineno - 1]
    line = line[999 * ((len(line) - 1) // 999):].split(b'\0')[0]
    try:
        return line.decode('utf-8')
    except UnicodeDecodeError:
        return None


# Python/errors.c PyErr_ResourceWarning
def resource_warning(message, source, stack_level):
    _warn(message, ResourceWarning, stack_level, source)


# Names handed out as const char *: kept for the process, like CPython's.
_kept_names = {}


def _kept(name):
    return _kept_names.setdefault(name, name)


# Python/ceval.c PyEval_GetFuncName
def eval_func_name(f):
    if type(f) is _MethodType:
        return eval_func_name(f.__func__)
    if type(f) is _FunctionType or isinstance(f, _BuiltinFunctionType):
        return _kept(f.__name__)
    return _kept(_tp_name(type(f)))


# Include/pyerrors.h PyExceptionClass_Name: tp_name
def exception_class_name(t):
    if not isinstance(t, type):
        raise SystemError('bad argument to internal function')
    return _kept(_tp_name(t))


# Objects/abstract.c PyObject_CheckBuffer: whether the type has a buffer slot
def object_check_buffer(o):
    try:
        memoryview(o).release()
    except TypeError:
        return False
    except Exception:
        return True  # the slot exists; the export itself failed
    return True


# Python/import.c PyImport_ExecCodeModuleObject (module_dict_for_exec, exec_code_in_module)
def import_exec_code_module(name, co, pathname, cpathname):
    import builtins
    import importlib._bootstrap_external
    module = import_add_module(name)
    d = module.__dict__
    if '__builtins__' not in d:
        d['__builtins__'] = builtins
    if pathname is None:
        pathname = co.co_filename
    importlib._bootstrap_external._fix_up_module(d, name, pathname, cpathname)
    try:
        eval(co, d, d)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    try:
        return sys.modules[name]
    except KeyError:
        raise ImportError('Loaded module %r not found in sys.modules' % (name,)) from None


# Python/import.c PyImport_ExecCodeModuleWithPathnames: the paths decoded as
# the file system's, the source path derived from the cached one when absent
def import_exec_code_module_with_pathnames(name, co, pathname, cpathname):
    import os
    import importlib._bootstrap_external
    if cpathname is not None:
        cpathname = os.fsdecode(cpathname)
    if pathname is not None:
        pathname = os.fsdecode(pathname)
    elif cpathname is not None:
        try:
            pathname = importlib._bootstrap_external._get_sourcefile(cpathname)
        except Exception:
            pathname = None
    return import_exec_code_module(name, co, pathname, cpathname)


# Objects/unicodeobject.c PyUnicode_InternImmortal: the deprecation warning,
# and one reference kept for the process
_immortal = set()


def intern_immortal_warning():
    _warn('PyUnicode_InternImmortal() is deprecated; use PyUnicode_InternInPlace() instead',
          DeprecationWarning, 1)


def make_immortal(s):
    _immortal.add(s)


# Python/pystate.c PyInterpreterState_GetDict: PyPy's one interpreter's dict
_interpreter_dict = {}


def interpreter_dict():
    return _interpreter_dict


# Python/thread.c, Python/thread_pthread.h
def thread_info():
    return sys.thread_info


def thread_stack_size(size):
    import _thread
    if size is None:  # the query also sets the size to 0: put it back
        size = _thread.stack_size()
        if size:
            _thread.stack_size(size)
        return size
    try:
        _thread.stack_size(size)
    except ValueError:
        return -1
    except _thread.error:
        return -2
    return 0
)PYSYM";

}  // namespace pysym::substitutes::helpers
