"""Run as a script in a fresh interpreter by lazy_engine_test.py: uses pysym
one way and prints one JSON object saying what the process loaded.

Usage: <interpreter> lazy_engine_support.py core|engine|broken|broken_core
  core    everything that needs no LLVM: resolve, report, interpreter, the
          registry, expose(), pysym.llvmlite.install(), the exception
          classes (pickled), dir(pysym)
  engine  `from pysym import Engine`, then a kernel compiled, linked and
          called, and a failed link's pysym.LinkError
  broken  pysym.Engine when the engine extension cannot be loaded (the
          caller's package copy has a broken or no pysym._engine): the
          ImportError, and the core still working after it
  broken_core
          pysym.resolve and pysym.expose() when the core extension cannot be
          loaded (the copy has a broken pysym._pysym): `import pysym` works,
          each use is an ImportError naming the core
"""

import json
import os
import pickle
import sys

import pysym

IDENTITY_IR = """
define i8* @identity(i8* %self, i8* %args, i8* %kwargs) {
  %item = call i8* @PyTuple_GetItem(i8* %args, i64 0)
  call void @Py_IncRef(i8* %item)
  ret i8* %item
}
declare i8* @PyTuple_GetItem(i8*, i64)
declare void @Py_IncRef(i8*)
"""

MISSING_IR = """
declare void @PyNoSuch_FunctionAnywhere()
define void @calls_missing() {
  call void @PyNoSuch_FunctionAnywhere()
  ret void
}
"""


class RecordingBinding:
    """An llvmlite.binding stand-in for install(): records add_symbol."""

    def __init__(self):
        self.symbols = {}

    def add_symbol(self, name, address):
        self.symbols[name] = address


def mapped_files():
    """The paths of the files mapped into this process."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(None, 5)
            if len(fields) == 6 and fields[5].startswith("/"):
                paths.add(fields[5].strip())
    return paths


def loaded():
    """What of the extensions and LLVM this process has loaded so far."""
    paths = mapped_files()
    return {
        "core_module": "pysym._pysym" in sys.modules,
        "core_mapped": sorted(p for p in paths if os.path.basename(p).startswith("_pysym.")),
        "engine_module": "pysym._engine" in sys.modules,
        "engine_mapped": sorted(p for p in paths if os.path.basename(p).startswith("_engine.")),
        "llvm_mapped": sorted(p for p in paths if "libLLVM" in os.path.basename(p)),
    }


def use_the_core():
    result = {"after_import": loaded()}
    result["resolve"] = pysym.resolve("PyLong_FromLong").status
    result["report"] = [r.status for r in pysym.report(["Py_IncRef", "PyNoSuch_Function"])]
    result["implementation"] = pysym.interpreter()["implementation"]
    pysym.add_symbol("lazy_engine.test", 0x1234)
    result["registered"] = pysym.address_of_symbol("lazy_engine.test")
    result["removed"] = pysym.remove_symbol("lazy_engine.test")
    pysym.add_object_symbol("lazy_engine.object", result)
    result["object_registered"] = pysym.address_of_symbol("lazy_engine.object") is not None
    pysym.remove_symbol("lazy_engine.object")
    result["exposed"] = len(pysym.expose().statuses) > 0
    binding = RecordingBinding()
    import pysym.llvmlite as llvmlite_integration
    llvmlite_integration.install(binding)
    result["installed"] = len(binding.symbols)
    error = pickle.loads(pickle.dumps(pysym.LinkError("cannot link")))
    result["link_error"] = [type(error) is pysym.LinkError, str(error)]
    result["compile_error"] = issubclass(pysym.CompileError, ValueError)
    result["resolution_type"] = isinstance(pysym.resolve("Py_IncRef"), pysym.Resolution)
    listed = dir(pysym)
    result["dir"] = [name in listed for name in ("Engine", "ModuleHandle", "CompiledCode",
                                                 "resolve", "expose", "Exposed")]
    result["no_such_name"] = hasattr(pysym, "no_such_name")
    result["after_use"] = loaded()
    return result


def use_the_engine():
    result = {"after_import": loaded()}
    from pysym import Engine
    result["after_from_import"] = loaded()
    result["same_class"] = Engine is pysym.Engine and Engine is pysym._engine.Engine
    engine = Engine()
    engine.add_ir(IDENTITY_IR)
    identity = engine.make_function("identity")
    marker = object()
    result["called"] = identity(marker) is marker
    result["isinstance"] = isinstance(engine, pysym.Engine)
    engine.add_ir(MISSING_IR)
    try:
        engine.lookup("calls_missing")
        result["link_error"] = "no error"
    except pysym.LinkError as error:
        result["link_error"] = [m.name for m in error.missing
                                if isinstance(m, pysym.Resolution)]
    try:
        Engine().add_ir("this is not IR")
        result["compile_error"] = "no error"
    except pysym.CompileError:
        result["compile_error"] = "pysym.CompileError"
    result["after_use"] = loaded()
    star = {}
    exec("from pysym import *", star)
    result["star_import"] = [star.get(name) is getattr(pysym, name)
                             for name in ("Engine", "ModuleHandle", "CompiledCode", "resolve",
                                          "LinkError", "Resolution", "expose", "Exposed")]
    return result


def import_failures(name):
    """The ImportError that asking pysym for `name` raises, twice."""
    result = {}
    for attempt in ("first", "second"):
        try:
            getattr(pysym, name)
            result[attempt] = "no error"
        except ImportError as error:
            result[attempt] = {"type": type(error).__name__, "message": str(error),
                               "name": error.name,
                               "cause": type(error.__cause__).__name__}
    return result


def engine_that_fails():
    result = import_failures("Engine")
    result["resolve_after"] = pysym.resolve("PyLong_FromLong").status
    result["module_file"] = pysym.__file__
    return result


def core_that_fails():
    result = import_failures("resolve")
    try:
        pysym.expose()
        result["expose"] = "no error"
    except ImportError as error:
        result["expose"] = error.name
    result["module_file"] = pysym.__file__
    return result


def main():
    what = {"core": use_the_core, "engine": use_the_engine, "broken": engine_that_fails,
            "broken_core": core_that_fails}
    print(json.dumps(what[sys.argv[1]]()))


if __name__ == "__main__":
    main()
