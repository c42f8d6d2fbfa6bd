"""Shared helpers for pysym's unittest suite: where the kernels are, and
facts about the interpreter running the tests."""

import os
import platform
import sys

import pysym

KERNELS_DIR = os.environ.get("PYSYM_KERNELS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, "kernels")

IS_PYPY = platform.python_implementation() == "PyPy"
LINKERS = ("rtdyld", "jitlink")


def kernel_ir(name):
    """The LLVM IR text of the example kernel `name` (python/kernels/<name>.c)."""
    with open(os.path.join(KERNELS_DIR, name + ".ll")) as f:
        return f.read()


def engine_with(kernel, linker=None):
    """An Engine with one example kernel added; returns (engine, handle)."""
    engine = pysym.Engine() if linker is None else pysym.Engine(linker=linker)
    return engine, engine.add_ir(kernel_ir(kernel))


def compiled(kernel, linker=None):
    """The callable for the example kernel `kernel`'s wrapper of that name."""
    engine, _ = engine_with(kernel, linker)
    return engine.make_function(kernel)


# A wrapper that returns the object registered as `my_object`: proves which
# C address add_object_symbol registered, in any interpreter.
RETURN_REGISTERED_IR = """
%struct._object = type opaque
@{name} = external global %struct._object
declare void @Py_IncRef(%struct._object*)
define %struct._object* @{function}(%struct._object* %self, %struct._object* %args,
                                     %struct._object* %kwargs) {{
  call void @Py_IncRef(%struct._object* @{name})
  ret %struct._object* @{name}
}}
"""
