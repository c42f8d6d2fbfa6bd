// The helpers every part uses, run first in the helpers' namespace (python_helpers.h).
//
// Each function states the CPython 3.11 C function it follows; messages are
// CPython's. Plain Python 3.9 (PyPy 7.3.11) and later: nothing newer.
namespace pysym::substitutes::helpers {

extern const char CommonSource[];
const char CommonSource[] = R"PYSYM(
import codecs, gc, sys

_ModuleType = type(sys)
_FunctionType = type(lambda: None)
_MethodType = type((lambda: None).__get__(0))
_BuiltinFunctionType = type(len)


def _tp_name(t):
    # tp_name: "module.Name" for static types outside builtins, else __name__.
    m = type.__dict__['__module__'].__get__(t)
    heap = type.__dict__['__flags__'].__get__(t) & (1 << 9)
    if heap or m == 'builtins':
        return type.__dict__['__name__'].__get__(t)
    return '%s.%s' % (m, type.__dict__['__name__'].__get__(t))


def _special(o, name):
    # Whether type(o) defines `name` (a type slot), looked up along the MRO.
    return any(name in k.__dict__ for k in type(o).__mro__)


def strip_tracebacks(exc):
    # python_helpers.cc: no helper frame stays reachable from an exception.
    pending, seen = [exc], []
    while pending:
        e = pending.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        e.__traceback__ = None
        pending += [e.__cause__, e.__context__]


def null_error():  # Objects/abstract.c null_error
    raise SystemError('null argument to internal routine')


def bad_argument():  # Python/errors.c PyErr_BadArgument
    raise TypeError('bad argument type for built-in operation')


def bad_internal_call_at(filename, lineno):  # Python/errors.c _PyErr_BadInternalCall
    raise SystemError('%s:%d: bad argument to internal function' % (filename, lineno))
)PYSYM";

}  // namespace pysym::substitutes::helpers
