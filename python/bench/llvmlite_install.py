"""Measures what pysym.llvmlite.install() costs (docs/performance.md,
## llvmlite), in fresh processes of each interpreter, with the real llvmlite
where it is importable and with a binding that only records add_symbol.

Each process times its first install(), which also makes pysym's resolver
and creates the data substitutes (PyPy), then 15 more; the table gives
medians over the processes of the first call and of each process's median
later call, in CPU time (time.thread_time) and wall time.

Usage: llvmlite_install.py --modules DIR [--processes N] [INTERPRETER...]
  --modules  the directory holding the package pysym (bazel-bin/python)
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.abspath(__file__)


class RecordingBinding:
    def __init__(self):
        self.symbols = {}

    def add_symbol(self, name, address):
        self.symbols[name] = address


def timed(function):
    cpu, wall = time.thread_time(), time.perf_counter()
    result = function()
    return result, (time.thread_time() - cpu) * 1e3, (time.perf_counter() - wall) * 1e3


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def measure_here(binding_kind):
    """One process's figures, as a JSON-able dict."""
    if binding_kind == "llvmlite":
        try:
            import llvmlite.binding as binding
        except ImportError as error:
            return {"skipped": str(error)}
    else:
        binding = None
    import pysym
    import pysym.llvmlite

    def install():
        return pysym.llvmlite.install(binding if binding is not None else RecordingBinding())

    installed, first_cpu, first_wall = timed(install)
    later = [timed(install)[1:] for _ in range(15)]
    info = pysym.interpreter()
    return {
        "interpreter": "%s %s%s" % (info["implementation"], info["version"],
                                    " (debug)" if info["debug"] else ""),
        "names": len(installed.addresses),
        "first_cpu": first_cpu, "first_wall": first_wall,
        "later_cpu": median([c for c, _ in later]), "later_wall": median([w for _, w in later]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", required=True)
    parser.add_argument("--processes", type=int, default=11)
    parser.add_argument("interpreters", nargs="*", default=["/usr/bin/python3.11", "/usr/bin/pypy3"])
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=args.modules, PYTHONDONTWRITEBYTECODE="1")
    print("| interpreter | binding | names | first call, CPU / wall (ms) | later calls, CPU / wall (ms) |")
    print("|---|---|---:|---:|---:|")
    for interpreter in args.interpreters:
        for kind in ("llvmlite", "recording"):
            runs = []
            for _ in range(args.processes):
                out = subprocess.run([interpreter, HERE, "--measure", kind], env=env, check=True,
                                     stdout=subprocess.PIPE, universal_newlines=True).stdout
                runs.append(json.loads(out))
            if "skipped" in runs[0]:
                print("| %s | %s | skipped: %s | | |" % (interpreter, kind, runs[0]["skipped"]))
                continue
            figure = {key: median([r[key] for r in runs])
                      for key in ("first_cpu", "first_wall", "later_cpu", "later_wall")}
            print("| %s | %s | %d | %.1f / %.1f | %.1f / %.1f |" % (
                runs[0]["interpreter"], "llvmlite 0.39.1" if kind == "llvmlite" else "recording fake",
                runs[0]["names"], figure["first_cpu"], figure["first_wall"],
                figure["later_cpu"], figure["later_wall"]))
            sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure_here(sys.argv[2])))
    else:
        main()
