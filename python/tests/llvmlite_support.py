"""Helpers for the tests that use the real llvmlite (llvmlite_test.py), and,
run as a script, the check that needs a fresh interpreter: an MCJIT module
calling names CPython has only as macros cannot find them before
pysym.llvmlite.install() and runs correctly after. The script prints one
JSON object.

Usage: <interpreter> llvmlite_support.py
"""

import json
import math

import pysym

# ctypes cannot pass or return objects on PyPy (its py_object is not a
# PyObject *), so llvmlite-compiled code with the wrapper signature is
# called through a one-call trampoline that a pysym.Engine links to it.
TRAMPOLINE = """
declare i8* @"{target}"(i8*, i8*, i8*)
define i8* @{name}(i8* %self, i8* %args, i8* %kwargs) {{
  %result = tail call i8* @"{target}"(i8* %self, i8* %args, i8* %kwargs)
  ret i8* %result
}}
"""


def as_callable(address, name):
    """A Python callable for code at `address` with the signature
    PyObject *(PyObject *self, PyObject *args, PyObject *kwargs)."""
    target = "llvmlite." + name
    pysym.add_symbol(target, address)
    try:
        engine = pysym.Engine()
        engine.add_ir(TRAMPOLINE.format(target=target, name=name))
        return engine.make_function(name)  # links now; the callable keeps the engine
    finally:
        pysym.remove_symbol(target)


def mcjit_engine(llvm):
    """An llvmlite MCJIT engine for the host. Making it also adds the
    process's own symbols to llvmlite's search."""
    llvm.initialize()
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    machine = llvm.Target.from_default_triple().create_target_machine()
    return llvm.create_mcjit_compiler(llvm.parse_assembly(""), machine)


def add_to(llvm, engine, ir):
    """Parses, verifies, adds and finalizes `ir` in `engine`."""
    module = llvm.parse_assembly(ir)
    module.verify()
    engine.add_module(module)
    engine.finalize_object()
    return module


MACROS_IR = r"""
declare i8* @PyTuple_GetItem(i8*, i64)
declare i8* @PyBool_FromLong(i64)
declare i32 @PyExceptionInstance_Check(i8*)
declare i32 @Py_IS_NAN(double)

define i8* @is_exception_instance(i8* %self, i8* %args, i8* %kwargs) {
  %object = call i8* @PyTuple_GetItem(i8* %args, i64 0)
  %answer = call i32 @PyExceptionInstance_Check(i8* %object)
  %wide = sext i32 %answer to i64
  %result = call i8* @PyBool_FromLong(i64 %wide)
  ret i8* %result
}

define i32 @is_nan(double %x) {
  %answer = call i32 @Py_IS_NAN(double %x)
  ret i32 %answer
}
"""

MACROS = ("PyExceptionInstance_Check", "Py_IS_NAN")


def main():
    import ctypes

    import llvmlite.binding as llvm

    import pysym.llvmlite

    engine = mcjit_engine(llvm)
    # Only lookups before install(): this MCJIT links an unknown name as
    # null without an error, and calling it would end the process.
    before = {name: llvm.address_of_symbol(name) for name in MACROS}
    # A name the process exports as it is, so the search itself works.
    control = llvm.address_of_symbol("PyPyErr_SetString" if pysym.interpreter()["implementation"]
                                     == "pypy" else "PyErr_SetString")
    installed = pysym.llvmlite.install()
    after = {name: llvm.address_of_symbol(name) for name in MACROS}

    add_to(llvm, engine, MACROS_IR)
    is_exception_instance = as_callable(engine.get_function_address("is_exception_instance"),
                                        "is_exception_instance")
    is_nan = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_double)(engine.get_function_address("is_nan"))
    print(json.dumps({
        "before": before,
        "control_before": control,
        "after": after,
        "pysym": {name: pysym.address_of_symbol(name) for name in MACROS},
        "statuses": {name: installed.statuses.get(name) for name in MACROS},
        "is_exception_instance": [is_exception_instance(obj) for obj in
                                  (ValueError("x"), KeyError(), ValueError, 3)],
        "is_nan": [is_nan(math.nan), is_nan(-math.nan), is_nan(1.5), is_nan(math.inf)],
    }))


if __name__ == "__main__":
    main()
