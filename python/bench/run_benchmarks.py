"""Runs pysym's Python benchmarks in several interpreters and prints the
Markdown tables for docs/performance.md (## python).

Measures, in fresh processes:
  - import time of pysym against llvm_baseline, a module that only links
    libLLVM: --imports runs of each, interleaved, wall time; minimum and
    median (the minimum is the least disturbed by other processes);
  - per-call time, the Black-Scholes kernels and the C API's cost per float
    object (benchmark.py: CPU time), in
    --rounds fresh processes per interpreter, interleaved across
    interpreters; each figure is the median of the rounds' medians, with the
    minimum of their minimums for the kernels (CPU time still grows when the
    other hyperthread of a shared core is busy, so the minimum is the figure
    least disturbed by other work on the machine).

Usage: run_benchmarks.py --modules DIR --baseline DIR --kernels DIR
                         [--options N] [--paths N] [--imports N] [INTERPRETER...]
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Wall and CPU time of the import, in one process.
IMPORT = ("import time; w = time.perf_counter(); c = time.process_time(); import {0}; "
          "print(time.perf_counter() - w, time.process_time() - c)")


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def import_times(interpreter, paths, runs):
    """{module: (min wall ms, median wall ms, median CPU ms)} for pysym and
    llvm_baseline."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONDONTWRITEBYTECODE="1")
    wall = {"pysym": [], "llvm_baseline": []}
    cpu = {"pysym": [], "llvm_baseline": []}
    for _ in range(runs):
        for module in wall:
            out = subprocess.run([interpreter, "-c", IMPORT.format(module)], env=env, check=True,
                                 stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
            wall[module].append(float(out[0]) * 1e3)
            cpu[module].append(float(out[1]) * 1e3)
    return {m: (min(wall[m]), median(wall[m]), median(cpu[m])) for m in wall}


def combine(records):
    """One record from several rounds of benchmark.py."""
    out = dict(records[0])
    for key in records[0]:
        if key.endswith("_min_ms"):
            out[key] = min(r[key] for r in records)
        elif key.endswith("_ns") or key.endswith("_ms"):
            out[key] = median([r[key] for r in records])
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--kernels", required=True)
    parser.add_argument("--options", type=int, default=50_000)
    parser.add_argument("--paths", type=int, default=2_000)
    parser.add_argument("--imports", type=int, default=41)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("interpreters", nargs="*",
                        default=["/usr/bin/pypy3", "/usr/bin/python3.11", "/usr/bin/python3.11d"])
    args = parser.parse_args()
    paths = [args.modules, args.baseline]

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONDONTWRITEBYTECODE="1")
    rounds = {i: [] for i in args.interpreters}
    for _ in range(args.rounds):
        for interpreter in args.interpreters:
            out = subprocess.run([interpreter, os.path.join(HERE, "benchmark.py"), args.kernels,
                                  "--options", str(args.options), "--paths", str(args.paths)],
                                 env=env, check=True, stdout=subprocess.PIPE,
                                 universal_newlines=True).stdout
            rounds[interpreter].append(json.loads(out))
            print(out.strip(), file=sys.stderr)
    rows = []
    for interpreter in args.interpreters:
        record = combine(rounds[interpreter])
        record["imports"] = import_times(interpreter, paths, args.imports)
        rows.append(record)
        print(json.dumps(record), file=sys.stderr)

    print("Import time, ms, %d fresh processes each (wall: min / median; CPU: median):\n"
          % args.imports)
    print("| interpreter | import pysym | import LLVM-only module | pysym beyond LLVM, "
          "wall min | pysym beyond LLVM, CPU median |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        p, b = r["imports"]["pysym"], r["imports"]["llvm_baseline"]
        print("| %s | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f |" % (
            r["interpreter"], p[0], p[1], b[0], b[1], p[0] - b[0], p[2] - b[2]))
    print("\nPer call, ns (CPU time; median over %d processes of the median of 15 x 200,000 "
          "calls):\n" % args.rounds)
    print("| interpreter | make_function callable | same C ahead of time | overhead | abs(x) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %.0f | %.0f | %+.0f | %.0f |" % (
            r["interpreter"], r["compiled_call_ns"], r["aot_call_ns"],
            r["compiled_call_ns"] - r["aot_call_ns"], r["builtin_call_ns"]))
    cpython = next((r for r in rows if r["interpreter"].startswith("cpython") and
                    "debug" not in r["interpreter"]), None)
    print("\nBlack-Scholes, ms per call (CPU time; median over %d processes of 31-run "
          "medians / minimum of all runs), and ratios to CPython 3.11 (median, min):\n"
          % args.rounds)
    print("| interpreter | closed form, lists, %d options | ratio | closed form, array('d'), "
          "%d options | ratio | Monte Carlo, %d options x %d paths | ratio |"
          % (args.options, args.options, rows[0]["mc_options"], args.paths))
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        def ratio(key):
            if not cpython:
                return "n/a"
            return "%.2f, %.2f" % (r[key + "_ms"] / cpython[key + "_ms"],
                                   r[key + "_min_ms"] / cpython[key + "_min_ms"])
        print("| %s |" % r["interpreter"] + "".join(
            " %.2f / %.2f | %s |" % (r[key + "_ms"], r[key + "_min_ms"], ratio(key))
            for key in ("black_scholes", "black_scholes_array", "black_scholes_mc")))
    print("\nblack_scholes_array on one option, ns per call (the fixed cost of a call: four "
          "buffers got and released; median over %d processes):\n" % args.rounds)
    print("| interpreter | ns per call | ratio |")
    print("|---|---:|---:|")
    for r in rows:
        one = r["black_scholes_array_one_ns"]
        print("| %s | %.0f | %s |" % (r["interpreter"], one, "%.1f" % (
            one / cpython["black_scholes_array_one_ns"]) if cpython else "n/a"))
    print("\nThe C API per item, ns (CPU time; float_objects.c over %d items; median over %d "
          "processes of 31-run medians), and ratios to CPython 3.11:\n" % (args.options, args.rounds))
    print("| interpreter | make and drop a float | ratio | fill a new list with floats | ratio "
          "| read a float from a list | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s |" % r["interpreter"] + "".join(
            " %.1f | %s |" % (r[key], "%.1f" % (r[key] / cpython[key]) if cpython else "n/a")
            for key in ("make_float_ns", "fill_list_ns", "read_list_ns")))

if __name__ == "__main__":
    main()
