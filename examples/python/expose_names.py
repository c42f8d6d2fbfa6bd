"""Getting started for llvmlite and Numba users: one call, then CPython's
names link in this interpreter, whatever it is (docs/llvmlite.md, expose()).

Run it with pysym importable:  python examples/python/expose_names.py
It prints one line per check and exits 1 if any fails.
"""

import ctypes
import sys

import pysym

# Once, early: from here on, dlsym finds CPython's names in this process.
exposed = pysym.expose()
print("exposed:", exposed)

failures = 0


def check(what, ok):
    global failures
    failures += not ok
    print("%-60s %s" % (what, "ok" if ok else "FAILED"))


# 1. Code that never heard of pysym looks names up with dlsym, as ctypes
#    does here, and finds what pysym resolved (on PyPy, PyPyLong_FromLong
#    under CPython's name; _Py_c_pow from pysym's substitutes).
process = ctypes.CDLL(None)
for name in ("PyLong_FromLong", "_Py_NoneStruct", "PyExc_TypeError", "_Py_c_pow"):
    found = ctypes.cast(getattr(process, name), ctypes.c_void_p).value
    check("dlsym(%s) is pysym's answer" % name, found == pysym.resolve(name).address)

# 2. llvmlite, where it is installed: a kernel that calls PyOS_snprintf
#    (PyPyOS_snprintf on PyPy) and Py_IS_NAN (a macro in CPython, so no
#    interpreter exports it; pysym supplies it), compiled and linked by
#    llvmlite's own MCJIT. It takes and returns C values and needs no GIL,
#    so ctypes calls it in any interpreter.
try:
    import llvmlite.binding as llvm
except ImportError as error:
    print("llvmlite part skipped: llvmlite is not importable here (%s)" % error)
else:
    llvm.initialize()
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    module = llvm.parse_assembly(r"""
@format = private unnamed_addr constant [5 x i8] c"%.2f\00"
declare i32 @Py_IS_NAN(double)
declare i32 @PyOS_snprintf(i8*, i64, i8*, ...)
define i32 @format_number(double %x, i8* %text, i64 %size) {
  %nan = call i32 @Py_IS_NAN(double %x)
  %is_nan = icmp ne i32 %nan, 0
  br i1 %is_nan, label %refuse, label %format
refuse:
  ret i32 -1
format:
  %f = getelementptr [5 x i8], [5 x i8]* @format, i64 0, i64 0
  %n = call i32 (i8*, i64, i8*, ...) @PyOS_snprintf(i8* %text, i64 %size, i8* %f, double %x)
  ret i32 %n
}
""")
    machine = llvm.Target.from_default_triple().create_target_machine()
    engine = llvm.create_mcjit_compiler(module, machine)
    engine.finalize_object()
    kernel = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_double, ctypes.c_char_p, ctypes.c_int64)(
        engine.get_function_address("format_number"))
    text = ctypes.create_string_buffer(32)
    check("llvmlite kernel formats 3.14159 with PyOS_snprintf",
          kernel(3.14159, text, len(text)) == 4 and text.value == b"3.14")
    check("llvmlite kernel refuses NaN through Py_IS_NAN", kernel(float("nan"), text, 32) == -1)

sys.exit(1 if failures else 0)
