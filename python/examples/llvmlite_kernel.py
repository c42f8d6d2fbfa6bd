"""The main job's llvmlite line: in each interpreter where llvmlite is
importable, pysym.llvmlite.install() registers pysym's resolutions with
llvmlite, and a small kernel compiled and linked by llvmlite's own MCJIT runs.

The kernel averages the finite values of a float array (Py_IS_FINITE, a
macro in every CPython, which pysym substitutes) and formats the mean with
PyOS_snprintf (PyPyOS_snprintf on PyPy). It takes and returns plain C
values, so ctypes calls it in any interpreter.

Used by main_job.py: run(interpreters, modules) prints one line per
interpreter and returns the failures. Run alone, in one interpreter with
pysym on sys.path, it prints that interpreter's result as JSON.
"""

import json
import os
import subprocess
import sys
import time

KERNEL_IR = r"""
@format = private unnamed_addr constant [5 x i8] c"%.3f\00"
declare i32 @Py_IS_FINITE(double)
declare i32 @PyOS_snprintf(i8*, i64, i8*, ...)

define i64 @finite_mean(double* %values, i64 %count, i8* %text, i64 %size) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %body ]
  %sum = phi double [ 0.0, %entry ], [ %sum.next, %body ]
  %n = phi double [ 0.0, %entry ], [ %n.next, %body ]
  %more = icmp slt i64 %i, %count
  br i1 %more, label %body, label %done
body:
  %slot = getelementptr double, double* %values, i64 %i
  %x = load double, double* %slot
  %finite = call i32 @Py_IS_FINITE(double %x)
  %keep = icmp ne i32 %finite, 0
  %added = fadd double %sum, %x
  %sum.next = select i1 %keep, double %added, double %sum
  %counted = fadd double %n, 1.0
  %n.next = select i1 %keep, double %counted, double %n
  %next = add i64 %i, 1
  br label %loop
done:
  %mean = fdiv double %sum, %n
  %format.start = getelementptr [5 x i8], [5 x i8]* @format, i64 0, i64 0
  %written = call i32 (i8*, i64, i8*, ...) @PyOS_snprintf(i8* %text, i64 %size,
                                                          i8* %format.start, double %mean)
  %result = sext i32 %written to i64
  ret i64 %result
}
"""

VALUES = (1.0, float("nan"), 2.0, float("inf"), 4.5)
KERNEL_NAMES = ("Py_IS_FINITE", "PyOS_snprintf")


def run_here():
    """Compiles and runs the kernel in this interpreter; a JSON-able dict."""
    import ctypes

    try:
        import llvmlite.binding as llvm
    except ImportError as error:
        return {"skipped": "llvmlite is not importable (%s)" % error}
    import pysym
    import pysym.llvmlite

    info = pysym.interpreter()
    started = time.perf_counter()
    installed = pysym.llvmlite.install()
    install_ms = (time.perf_counter() - started) * 1e3

    llvm.initialize()
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    machine = llvm.Target.from_default_triple().create_target_machine()
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), machine)
    module = llvm.parse_assembly(KERNEL_IR)
    module.verify()
    engine.add_module(module)
    engine.finalize_object()
    kernel = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.POINTER(ctypes.c_double), ctypes.c_int64,
                              ctypes.c_char_p, ctypes.c_int64)(engine.get_function_address("finite_mean"))
    values = (ctypes.c_double * len(VALUES))(*VALUES)
    text = ctypes.create_string_buffer(32)
    written = kernel(values, len(VALUES), text, len(text))
    return {
        "interpreter": "%s %s%s" % (info["implementation"], info["version"],
                                    " (debug)" if info["debug"] else ""),
        "result": text.value.decode()[:written],
        "symbols": {name: installed.statuses.get(name, "unresolved") for name in KERNEL_NAMES},
        "registered": len(installed.addresses),
        "counts": installed.counts,
        "install_ms": install_ms,
    }


def run(interpreters, modules):
    """Runs the kernel in each interpreter (pysym from `modules`), prints one
    line for each where llvmlite is importable, and returns the failures."""
    failures = []
    env = dict(os.environ, PYTHONPATH=modules, PYTHONDONTWRITEBYTECODE="1")
    for interpreter in interpreters:
        done = subprocess.run([interpreter, os.path.abspath(__file__)], env=env, timeout=300,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
            failures.append("llvmlite kernel in %s: %s" % (interpreter, tail))
            continue
        r = json.loads(done.stdout)
        if "skipped" in r:
            continue
        expected = "%.3f" % (sum(v for v in VALUES if v - v == 0) / 3)
        if r["result"] != expected:
            failures.append("llvmlite kernel in %s: %s, expected %s" % (interpreter, r["result"],
                                                                        expected))
        print("  llvmlite MCJIT in %s: finite_mean(%s) = %s (%s); install() registered %d names "
              "(%s) in %.1f ms" % (
                  r["interpreter"], ", ".join(map(repr, VALUES)), r["result"],
                  ", ".join("%s %s" % item for item in r["symbols"].items()), r["registered"],
                  ", ".join("%s %d" % item for item in r["counts"].items()), r["install_ms"]))
    return failures


if __name__ == "__main__":
    print(json.dumps(run_here()))
