"""The fresh-interpreter side of expose_test.py: exposure is permanent and
process-wide, so each check runs in a new interpreter (this script, run with
sys.executable) and prints one JSON object.

Usage: <interpreter> expose_support.py MODE [ARG]
  report          expose(["Py_IS_NAN"]), expose(), expose() again, and a named
                  request; each report, with what dlsym and pysym say of
                  every exposed name and how many exposed objects are mapped
  bad_arguments   bad calls, then whether dlsym finds a name the default set
                  exposes, then a valid call
  names           what ctypes.CDLL(None) finds before and after expose():
                  Py_GetVersion, _Py_NoneStruct, the PyExc_TypeError cell
  llvmlite WHEN   an llvmlite MCJIT module using Py_GetVersion,
                  PyLong_FromLong and _Py_NoneStruct, linked with expose()
                  first (WHEN=after) or without it (WHEN=before); never
                  pysym.llvmlite.install()
"""

import ctypes
import json
import sys

import pysym

# Default-set names, in every interpreter: a substitute (CPython has it only
# as a macro), and on PyPy an alias.
PROBE = "Py_IS_NAN"

# A named request: an alias on PyPy (CPython exports it: already defined),
# a substitute, a name outside the Python API, one nothing has, and PyPy's
# own export (already defined there, missing on CPython). One repeats.
NAMED = ["PyLong_FromLong", "Py_IS_NAN", "memcpy", "PyNoSuch_Function", "PyLong_FromLong",
         "PyPyLong_FromLong"]

# PyPy's ctypes closes a library when its CDLL object is collected: every
# one made here is kept until the process ends.
_LIBRARIES = []


def process():
    """ctypes.CDLL(None), the process's global scope as dlsym sees it."""
    library = ctypes.CDLL(None)
    _LIBRARIES.append(library)
    return library


def dlsym(name):
    """The address dlsym(RTLD_DEFAULT, name) gives, or None."""
    try:
        return ctypes.addressof(ctypes.c_char.in_dll(process(), name))
    except ValueError:  # ctypes' "symbol not found"
        return None


def exposed_objects():
    """How many distinct objects pysym.expose() loaded are mapped."""
    with open("/proc/self/maps") as maps:
        return len({line.split(None, 5)[5].strip() for line in maps
                    if "pysym-exposed-" in line and len(line.split(None, 5)) == 6})


def describe(report):
    return {"class": "%s.%s" % (type(report).__module__, type(report).__name__),
            "repr": repr(report), "exposed": report.exposed, "skipped": report.skipped,
            "statuses": report.statuses, "counts": report.counts, "added": report.added,
            "source": report.source, "fallback_reason": report.fallback_reason,
            "soname": report.soname, "seconds": report.seconds,
            "address_types": sorted({type(a).__name__ for a in report.exposed.values()}),
            "objects_mapped": exposed_objects()}


def report_mode():
    one = describe(pysym.expose([PROBE]))
    default = pysym.expose()
    first = describe(default)
    second = describe(pysym.expose())
    named = describe(pysym.expose(NAMED))
    names = list(default.exposed)
    return {"one": one, "first": first, "second": second, "named": named,
            "dlsym": {name: dlsym(name) for name in names},
            "pysym": {name: pysym.address_of_symbol(name) for name in names},
            "resolve": {name: pysym.resolve(name).status for name in names}}


def generator_that_fails():
    yield PROBE
    raise RuntimeError("the iterable failed")


def bad_arguments_mode():
    calls = {"one str": PROBE, "an int": 42, "an int element": [1], "bytes": PROBE.encode(),
             "a NUL": ["a\0b"], "empty": [""], "valid then empty": [PROBE, ""],
             "valid then None": [PROBE, None], "a failing iterable": generator_that_fails(),
             "a lone surrogate": ["Py_\udc80"]}
    outcomes = {}
    for label, argument in calls.items():
        try:
            pysym.expose(argument)
            outcomes[label] = "no error"
        except Exception as error:  # the test compares the class
            outcomes[label] = type(error).__name__
    before = dlsym(PROBE)
    report = pysym.expose([PROBE])
    return {"outcomes": outcomes, "before": before, "statuses": report.statuses,
            "after": dlsym(PROBE), "pysym": pysym.address_of_symbol(PROBE)}


def names_mode():
    watched = ("Py_GetVersion", "PyLong_FromLong", "_Py_NoneStruct", "PyExc_TypeError")
    before = {name: dlsym(name) for name in watched}
    try:
        process().Py_GetVersion
        attribute_before = "found"
    except AttributeError:
        attribute_before = "AttributeError"
    report = pysym.expose()
    get_version = process().Py_GetVersion
    get_version.restype = ctypes.c_char_p
    cell = ctypes.c_void_p.in_dll(process(), "PyExc_TypeError")
    # TypeError's C address, which id() is not on PyPy.
    pysym.add_object_symbol("expose_test.TypeError", TypeError)
    return {"before": before, "attribute_before": attribute_before,
            "version": get_version().decode("utf-8"), "sys_version": sys.version,
            "none": ctypes.addressof(ctypes.c_char.in_dll(process(), "_Py_NoneStruct")),
            "cell": ctypes.addressof(cell), "cell_holds": cell.value,
            "type_error": pysym.address_of_symbol("expose_test.TypeError"),
            "resolved": {name: pysym.resolve(name).address for name in watched},
            "statuses": {name: report.statuses.get(name) for name in watched}}


LLVMLITE_IR = r"""
@_Py_NoneStruct = external global i8
declare i8* @Py_GetVersion()
declare i8* @PyLong_FromLong(i64)

define i64 @none_address() {
  ret i64 ptrtoint (i8* @_Py_NoneStruct to i64)
}
define i64 @version_address() {
  ret i64 ptrtoint (i8* ()* @Py_GetVersion to i64)
}
define i64 @from_long_address() {
  ret i64 ptrtoint (i8* (i64)* @PyLong_FromLong to i64)
}
define i8* @version() {
  %v = call i8* @Py_GetVersion()
  ret i8* %v
}
define i8* @forty_two(i8* %self, i8* %args, i8* %kwargs) {
  %r = call i8* @PyLong_FromLong(i64 42)
  ret i8* %r
}
"""

ADDRESSES = {"_Py_NoneStruct": "none_address", "Py_GetVersion": "version_address",
             "PyLong_FromLong": "from_long_address"}


def llvmlite_mode(when):
    import llvmlite.binding as llvm

    from llvmlite_support import add_to, as_callable, mcjit_engine

    engine = mcjit_engine(llvm)  # made before the exposure: it must see it anyway
    found_before = {name: llvm.address_of_symbol(name) for name in ADDRESSES}
    report = pysym.expose() if when == "after" else None
    add_to(llvm, engine, LLVMLITE_IR)
    # Plain C types only: ctypes cannot return a PyObject * on PyPy.
    linked = {name: ctypes.CFUNCTYPE(ctypes.c_uint64)(engine.get_function_address(function))()
              for name, function in ADDRESSES.items()}
    result = {"found_before": found_before, "linked": linked,
              "resolved": {name: pysym.resolve(name).address for name in ADDRESSES},
              "added": report.added if report else None}
    # Unresolved references link as null in this MCJIT: calling one would
    # end the process, so only what linked is called.
    if all(linked.values()):
        version = ctypes.CFUNCTYPE(ctypes.c_char_p)(engine.get_function_address("version"))
        result["version"] = version().decode("utf-8")
        result["sys_version"] = sys.version
        result["forty_two"] = as_callable(engine.get_function_address("forty_two"), "forty_two")()
    return result


def main(argv):
    modes = {"report": report_mode, "bad_arguments": bad_arguments_mode, "names": names_mode,
             "llvmlite": llvmlite_mode}
    print(json.dumps(modes[argv[0]](*argv[1:])))


if __name__ == "__main__":
    main(sys.argv[1:])
