"""Measures what starting to use pysym costs, side by side in one run, in
fresh processes of each interpreter (docs/performance.md, ## import cost):
  - the whole process `<interpreter> -c "import pysym"` against the reference
    `<interpreter> -c "pass"`: wall time seen by this script, so the
    difference is what importing pysym adds to a program's start, and the
    process's CPU time (user and system, from getrusage), which the load
    of a shared machine disturbs less; and `-c "import minimal_extension"`,
    an extension module with nothing in it (python/bench/minimal_extension.cc),
    for what importing any C extension costs (on PyPy, starting cpyext);
    and `-c "import contextvars"`, which the data substitutes
    PyContext_Type and its kind need, and which on PyPy is pure Python that
    imports collections;
  - the first `pysym.llvmlite.install()` in a process that has imported
    pysym (timed alone, CPU of the thread and wall): with a binding that
    only records add_symbol and llvmlite not imported, with that binding and
    llvmlite.binding imported beforehand, and with llvmlite.binding itself
    (skipped, by name, where llvmlite does not import);
  - the first `pysym.expose()` in such a process.
Every first call also makes pysym's resolver, as any first use of pysym
does. Rounds are interleaved across interpreters and kinds, so that the
machine's load falls on all of them alike; each figure is the median over
--processes fresh processes (at least 20), and each is printed with its ratio
to the same interpreter's `-c "pass"`, measured in the same run (for a first
call, that ratio only gives the scale: the call is timed inside a process
that has already started).

The package is copied from --modules to a temporary directory and
byte-compiled there by each interpreter first, as pip does when it installs a
wheel: Bazel's outputs are read-only, so importing from them would compile
pysym's Python modules again in every process.

Usage: import_cost.py --modules DIR [--processes N] [INTERPRETER...]
  --modules  the directory holding the package pysym (bazel-bin/python), and
             bench/ with minimal_extension (bazel build //python:modules
             //python/bench:all)
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from llvmlite_install import RecordingBinding, median, timed

HERE = os.path.abspath(__file__)
# Processes timed whole, by this script: (label, -c program).
WHOLE = [("pass", "pass"), ("import minimal_extension", "import minimal_extension"),
         ("import pysym", "import pysym"), ("import contextvars", "import contextvars")]
# First calls timed inside the process (measure_here).
FIRST_CALLS = ["install, recording binding",
               "install, recording binding, llvmlite imported",
               "install, llvmlite.binding",
               "expose"]


def measure_here(kind):
    """One fresh process's first call of `kind`: {"cpu": ms, "wall": ms}, or
    {"skipped": why}."""
    binding = RecordingBinding()
    if "llvmlite" in kind:
        try:
            import llvmlite.binding
        except ImportError as error:
            return {"skipped": "llvmlite does not import: %s" % error}
        if kind == "install, llvmlite.binding":
            binding = llvmlite.binding
    import pysym
    import pysym.llvmlite
    if kind == "expose":
        _, cpu, wall = timed(pysym.expose)
    else:
        _, cpu, wall = timed(lambda: pysym.llvmlite.install(binding))
    return {"cpu": cpu, "wall": wall}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_whole(interpreter, program, env):
    """The process's wall time, and its CPU time (user and system), in ms."""
    start, start_cpu = time.perf_counter(), children_cpu()
    subprocess.run([interpreter, "-c", program], env=env, check=True)
    return {"wall": (time.perf_counter() - start) * 1e3, "cpu": (children_cpu() - start_cpu) * 1e3}


def run_first_call(interpreter, kind, env):
    out = subprocess.run([interpreter, HERE, "--measure", kind], env=env, check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return json.loads(out)


def interpreter_name(interpreter, env):
    return subprocess.run(
        [interpreter, "-c", "import platform; print(platform.python_implementation().lower(), "
                            "platform.python_version())"],
        env=env, check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()


def installed_copy(modules, interpreters, into):
    """Copies the package pysym from `modules` into `into`, with the minimal
    extension beside it, and byte-compiles it with each interpreter; returns
    `into`."""
    bench = os.path.join(modules, "bench")
    for name in os.listdir(bench):
        if name.startswith("minimal_extension.") and name.endswith(".so"):
            shutil.copy(os.path.join(bench, name), into)
    shutil.copytree(os.path.join(modules, "pysym"), os.path.join(into, "pysym"),
                    ignore=shutil.ignore_patterns("*.runfiles", "*.runfiles_manifest",
                                                  "*.params", "*.lds"))
    for interpreter in interpreters:
        subprocess.run([interpreter, "-m", "compileall", "-q", into], check=True,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""))
    return into


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", required=True)
    parser.add_argument("--processes", type=int, default=21)
    parser.add_argument("interpreters", nargs="*", default=["/usr/bin/python3.11", "/usr/bin/pypy3"])
    args = parser.parse_args()
    if args.processes < 20:
        parser.error("--processes must be at least 20")
    with tempfile.TemporaryDirectory(prefix="pysym-import-cost-") as into:
        report(args, installed_copy(args.modules, args.interpreters, into))


def report(args, modules):
    env = dict(os.environ, PYTHONPATH=modules, PYTHONDONTWRITEBYTECODE="1")
    runs = {(i, label): [] for i in args.interpreters for label, _ in WHOLE}
    runs.update({(i, kind): [] for i in args.interpreters for kind in FIRST_CALLS})
    for _ in range(args.processes):
        for interpreter in args.interpreters:
            for label, program in WHOLE:
                runs[interpreter, label].append(run_whole(interpreter, program, env))
            for kind in FIRST_CALLS:
                runs[interpreter, kind].append(run_first_call(interpreter, kind, env))

    print("Medians of %d fresh processes each, interleaved; differences and ratios against "
          "the same interpreter's `-c \"pass\"`, wall / CPU.\n" % args.processes)
    print("| interpreter | measured | wall (ms) | CPU (ms) | beyond `-c \"pass\"`, wall / CPU (ms) "
          "| ratio to `-c \"pass\"`, wall / CPU |")
    print("|---|---|---:|---:|---:|---:|")
    for interpreter in args.interpreters:
        name = interpreter_name(interpreter, env)
        reference = {key: median([r[key] for r in runs[interpreter, "pass"]])
                     for key in ("wall", "cpu")}
        for label in [label for label, _ in WHOLE] + FIRST_CALLS:
            measured = runs[interpreter, label]
            if "skipped" in measured[0]:
                print("| %s | %s | skipped: %s | | | |" % (name, label, measured[0]["skipped"]))
                continue
            wall = median([r["wall"] for r in measured])
            cpu = median([r["cpu"] for r in measured])
            whole = label in dict(WHOLE)
            print("| %s | %s | %.1f | %.1f | %s | %.2f / %.2f |" % (
                name, "`-c \"%s\"`" % label if whole else "first " + label, wall, cpu,
                "%+.1f / %+.1f" % (wall - reference["wall"], cpu - reference["cpu"]) if whole else "",
                wall / reference["wall"], cpu / reference["cpu"]))
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure_here(sys.argv[2])))
    else:
        main()
