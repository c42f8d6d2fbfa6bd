"""Measures what the object cache saves (docs/performance.md, ## object
cache): for each example kernel, in each interpreter, the cold link (a fresh
pysym.Engine() without a cache: IR text to callable, compiling) against the
warm one (a fresh Engine(cache_dir=...) whose directory holds the kernel's
entry: IR text to callable, loading the object). Rounds alternate cold and
warm, so the machine's load falls on both alike; figures are medians over
--rounds, and the ratio warm/cold is measured in the same run.

Usage: engine_cache.py --modules DIR --kernels DIR [--rounds N] [INTERPRETER...]
  --modules  the directory holding the package pysym (bazel-bin/python)
  --kernels  the directory holding the kernels' .ll files (bazel-bin/python/kernels)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = ["black_scholes", "black_scholes_array", "black_scholes_mc", "geometric_mean",
           "complex_power", "iterable_sum", "identity"]


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def link_seconds(pysym, ir, kernel, cache_dir):
    start = time.perf_counter()
    engine = pysym.Engine() if cache_dir is None else pysym.Engine(cache_dir=cache_dir)
    engine.add_ir(ir, kernel)
    engine.make_function(kernel)
    elapsed = time.perf_counter() - start
    return elapsed, engine.cache_info()


def measure_here(kernels_dir, rounds):
    """Run in the measured interpreter: one JSON line per kernel."""
    import pysym
    cache_dir = tempfile.mkdtemp(prefix="pysym-cache-bench-")
    try:
        for kernel in KERNELS:
            with open(os.path.join(kernels_dir, kernel + ".ll")) as f:
                ir = f.read()
            link_seconds(pysym, ir, kernel, cache_dir)  # stores the entry
            cold, warm = [], []
            for _ in range(rounds):
                cold.append(link_seconds(pysym, ir, kernel, None)[0])
                seconds, info = link_seconds(pysym, ir, kernel, cache_dir)
                if info["hits"] != 1 or info["compiles"] != 0:
                    raise SystemExit("%s: the warm link did not hit the cache: %r" % (kernel, info))
                warm.append(seconds)
            print(json.dumps({"kernel": kernel, "cold_ms": median(cold) * 1e3,
                              "warm_ms": median(warm) * 1e3}), flush=True)
    finally:
        shutil.rmtree(cache_dir, True)


def kernel_bench_args(doc):
    """The command line of the per-kernel benchmarks (this one and
    compile_vs_llvmlite.py): --modules, --kernels, --rounds, interpreters."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--modules", required=True)
    parser.add_argument("--kernels", required=True)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("interpreters", nargs="*")
    return parser.parse_args()


def run_children(script, args):
    """Runs `script --child` with args in each interpreter (python3.11 and
    pypy3 by default), with pysym and this directory on its path. Yields
    (interpreter, its stdout), the stdout None when the interpreter is not
    installed; raises RuntimeError when a child fails."""
    for interpreter in args.interpreters or ["/usr/bin/python3.11", "/usr/bin/pypy3"]:
        if not shutil.which(interpreter):
            yield interpreter, None
            continue
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([os.path.abspath(args.modules), HERE]))
        done = subprocess.run([interpreter, os.path.abspath(script), "--child", "--modules",
                               args.modules, "--kernels", os.path.abspath(args.kernels),
                               "--rounds", str(args.rounds)],
                              env=env, stdout=subprocess.PIPE, universal_newlines=True)
        if done.returncode != 0:
            raise RuntimeError("%s failed in %s (exit status %d)" % (script, interpreter, done.returncode))
        yield interpreter, done.stdout


def main():
    args = kernel_bench_args(__doc__)
    if args.child:
        measure_here(args.kernels, args.rounds)
        return 0
    for interpreter, out in run_children(__file__, args):
        if out is None:
            print("skipped %s: not installed" % interpreter)
            continue
        print("%s (medians of %d rounds)" % (interpreter, args.rounds))
        print("  %-20s %9s %9s %10s" % ("kernel", "cold ms", "warm ms", "warm/cold"))
        ratios = []
        for line in out.splitlines():
            r = json.loads(line)
            ratios.append(r["warm_ms"] / r["cold_ms"])
            print("  %-20s %9.2f %9.2f %10.3f" % (r["kernel"], r["cold_ms"], r["warm_ms"], ratios[-1]))
        print("  median warm/cold: %.3f" % median(ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
