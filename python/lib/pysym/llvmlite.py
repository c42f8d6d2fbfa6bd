"""pysym for llvmlite: code that llvmlite compiles links in whichever
interpreter runs it, CPython or PyPy (docs/llvmlite.md).

llvmlite links generated code against the process's symbols under exactly
the names the code uses. PyPy exports its C API renamed (PyPyLong_FromLong),
and no interpreter exports the C API's macros (PyExceptionInstance_Check).
pysym resolves both; this module hands its answers to llvmlite:

    install(binding=None, *, convention="abi", names=None) -> Installed
        for MCJIT (llvmlite.binding.add_symbol, Numba's path);
    imports_for(module_or_ir) -> [(name, address), ...]
        for ORC (JITLibraryBuilder.import_symbol).

Neither imports llvmlite unless it is asked to, and neither needs a
pysym.Engine: the code is compiled and linked by llvmlite's own LLVM.
"""

import builtins
import sys

import pysym
from pysym import _pysym

CONVENTIONS = ("abi", "numba")

# The statuses in the order pysym tries them, for summaries.
STATUSES = ("registered", "exact", "alias", "substitute", "system", "missing")


class Installed:
    """What install() registered.

    addresses   {name: address} given to the binding's add_symbol;
    statuses    {name: status} for each of them (pysym.Resolution.status);
    counts      {status: number of names registered with it};
    unresolved  {name: why} for the names that resolve to nothing here;
    objects     the names registered as objects (convention="numba"), which
                pysym.remove_symbol undoes for pysym's own engines;
    convention  "abi" or "numba".
    """

    __slots__ = ("convention", "addresses", "statuses", "counts", "unresolved", "objects")

    def __init__(self, convention, addresses, statuses, unresolved, objects):
        self.convention = convention
        self.addresses = addresses
        self.statuses = statuses
        self.unresolved = unresolved
        self.objects = objects
        counts = dict.fromkeys(STATUSES, 0)
        for status in statuses.values():
            counts[status] += 1
        self.counts = {status: n for status, n in counts.items() if n}

    def __eq__(self, other):
        if not isinstance(other, Installed):
            return NotImplemented
        return all(getattr(self, field) == getattr(other, field) for field in self.__slots__)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __repr__(self):
        counts = ", ".join("%s=%d" % item for item in self.counts.items())
        return "<pysym.llvmlite.Installed convention=%r: %d names (%s), %d unresolved>" % (
            self.convention, len(self.addresses), counts, len(self.unresolved))


def install(binding=None, *, convention="abi", names=None):
    """Registers with `binding.add_symbol(name, address)` every C-API name
    pysym resolves in this interpreter, so that llvmlite's MCJIT links code
    that uses CPython's names here. Returns an Installed summary.

    binding      llvmlite.binding (the default), or any object with a
                 callable add_symbol(name, address); anything else is a
                 TypeError.
    convention   "abi": each name is what C code compiled against the
                 interpreter's headers expects (PyExc_ValueError is the
                 PyObject * cell, as in C). "numba": as Numba's generated
                 code expects, _Py_NoneStruct and PyExc_<name> for every
                 built-in exception class are the objects themselves; they
                 are registered with pysym.add_object_symbol(override=True),
                 so pysym's own engines in this process see them so too.
    names        an iterable of names to register instead of all of them.

    The names are those of _pysym._api_table(): what the interpreter exports,
    under its own names and under CPython's (on PyPy, PyLong_FromLong at
    PyPyLong_FromLong's address), and pysym's substitutes. A name that
    resolves to nothing is not registered; `unresolved` says why. Calling
    install again registers the same addresses and returns an equal summary.
    """
    if convention not in CONVENTIONS:
        raise ValueError("convention must be one of %s, not %r" % (", ".join(map(repr, CONVENTIONS)),
                                                                   convention))
    wanted = _names_argument(names)
    add_symbol = _add_symbol_of(binding)

    objects = []
    if convention == "numba":
        for name, obj in _numba_objects().items():
            if wanted is None or name in wanted:
                pysym.add_object_symbol(name, obj, override=True)
                objects.append(name)

    if wanted is None:
        answers = _whole_api()
        if objects:  # Numba's names beyond the interpreter's, such as PyExc_EncodingWarning
            listed = {name for name, _, _ in answers}
            answers += _pysym._api_symbols([name for name in objects if name not in listed])
    else:
        answers = _pysym._api_symbols(wanted)

    addresses, statuses, missing = {}, {}, []
    for name, status, address in answers:
        if address is None:
            missing.append(name)
            continue
        add_symbol(name, address)
        addresses[name] = address
        statuses[name] = status
    unresolved = {r.name: _why(r) for r in pysym.report(missing)}
    return Installed(convention, addresses, statuses, unresolved, objects)


def imports_for(module_or_ir):
    """The (name, address) pairs to import for every symbol an LLVM module
    leaves undefined, as pysym resolves them here: for llvmlite's ORC,
    `for name, address in imports_for(ir): builder.import_symbol(name, address)`.

    module_or_ir is LLVM IR text (str) or an llvmlite.binding.ModuleRef.
    The symbols are the declarations the module uses, LLVM intrinsics
    aside. An extern_weak declaration that resolves to nothing is left out
    (it links as null). Raises pysym.LinkError, with `.missing` the list of
    pysym.Resolution, when other names resolve to nothing, and
    pysym.CompileError when the IR does not parse.
    """
    text, label = _ir_text(module_or_ir)
    undefined = pysym._load_engine()._undefined_symbols(text, label)
    answers = _pysym._api_symbols([name for name, _ in undefined])
    imports, missing = [], []
    for (name, weak), (_, _, address) in zip(undefined, answers):
        if address is not None:
            imports.append((name, address))
        elif not weak:
            missing.append(name)
    if missing:
        resolutions = pysym.report(missing)
        error = pysym.LinkError("cannot link module '%s': %d symbol%s not found%s" % (
            label, len(missing), "" if len(missing) == 1 else "s",
            "".join("\n  %s: %s" % (r.name, _why(r)) for r in resolutions)))
        error.missing = resolutions
        raise error
    return imports


def _whole_api():
    """[(name, status, address)] for _pysym._api_table(), address None when
    missing."""
    text, codes, packed, status_names = _pysym._api_table()
    # A memoryview reads the packed addresses in place; the array module
    # would cost CPython an import of collections on first use.
    addresses = memoryview(packed).cast("Q")
    names = text.split("\n") if text else []
    return [(name, status_names[code], address or None)
            for name, code, address in zip(names, codes, addresses)]


def _names_argument(names):
    """The set of names asked for, or None for all."""
    if names is None:
        return None
    if isinstance(names, (str, bytes)):
        raise TypeError("names must be an iterable of str, not one %s" % type(names).__name__)
    try:
        wanted = list(names)
    except TypeError:
        raise TypeError("names must be an iterable of str, not %s" % type(names).__name__) from None
    for name in wanted:
        if not isinstance(name, str):
            raise TypeError("names must be str, not %s (%r)" % (type(name).__name__, name))
    return dict.fromkeys(wanted)  # keeps the caller's order, without repeats


def _add_symbol_of(binding):
    """binding.add_symbol, checked; binding defaults to llvmlite.binding."""
    if binding is None:
        try:
            import llvmlite.binding as binding
        except ImportError as error:
            raise ImportError("pysym.llvmlite.install() without a binding uses llvmlite.binding, "
                              "which cannot be imported here (%s); pass binding=, any object "
                              "with add_symbol(name, address)" % error) from error
    add_symbol = getattr(binding, "add_symbol", None)
    if not callable(add_symbol):
        raise TypeError("binding must be llvmlite.binding or an object with a callable "
                        "add_symbol(name, address), not %s" % type(binding).__name__)
    return add_symbol


def _numba_objects():
    """{name: object} as Numba's generated code names them: None as
    _Py_NoneStruct, and each built-in exception class as PyExc_<its name>."""
    objects = {"_Py_NoneStruct": None}
    for value in vars(builtins).values():
        if isinstance(value, type) and issubclass(value, BaseException):
            objects["PyExc_" + value.__name__] = value
    return objects


def _ir_text(module_or_ir):
    """(IR text, label for messages) of a str or an llvmlite ModuleRef."""
    if isinstance(module_or_ir, str):
        return module_or_ir, "ir"
    binding = sys.modules.get("llvmlite.binding")
    module_type = getattr(binding, "ModuleRef", None)
    if module_type is not None and isinstance(module_or_ir, module_type):
        return str(module_or_ir), module_or_ir.name or "ir"
    raise TypeError("imports_for() takes LLVM IR text (str) or an llvmlite.binding.ModuleRef, "
                    "not %s" % type(module_or_ir).__name__)


def _why(resolution):
    """One line on why `resolution` found nothing: its note, or what was
    tried (without the empty registry, which install() never fills)."""
    tried = [attempt for attempt in resolution.tried
             if not attempt.startswith("registered symbols: none")]
    return resolution.note or "; ".join(tried) or "not found"
