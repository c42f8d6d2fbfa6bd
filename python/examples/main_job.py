"""The main job: runs the example kernels in several interpreters and prints,
for each, the result, how the kernel's symbols resolved, link and run time.
Checks that every interpreter computed identical results, and prints the
ratio of PyPy's run time to CPython 3.11's for the examples that take 1 ms or
more on CPython.

Usage: main_job.py --modules DIR --kernels DIR [--all] [--linker L]
                   [--cache-dir DIR | --no-cache] [INTERPRETER...]
  --modules  the directory holding the package pysym (bazel-bin/python)
  --kernels  the directory holding the kernels' .ll files
  --all      also python3.11d and every pyenv CPython with a module built
  --cache-dir  the object cache the "cached ms" column links from (default
             $XDG_CACHE_HOME/pysym, else ~/.cache/pysym): the first run
             stores each kernel's object, later runs show warm link times;
             delete the directory to clear it
  --no-cache   no cached column
  INTERPRETER...  run exactly these instead
Exit status: 0 when every interpreter ran and all results agree, 1 otherwise.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

import llvmlite_kernel

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = ["pypy3", "/usr/bin/python3.11"]


def pyenv_interpreters(modules):
    """pyenv's CPython 3.8+ interpreters for which a module was built."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = []
    for bin_dir in sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin"))):
        version = os.path.basename(os.path.dirname(bin_dir)).split(".")
        if len(version) != 3 or not version[1].isdigit() or int(version[1]) < 8:
            continue
        suffix = ".cpython-3%s-x86_64-linux-gnu.so" % version[1]
        interpreter = os.path.join(bin_dir, "python3." + version[1])
        if os.path.exists(interpreter) and os.path.exists(os.path.join(modules, "pysym", "_pysym" + suffix)):
            found.append(interpreter)
    return sorted(found, key=lambda p: [int(x) for x in p.split("/versions/")[1].split("/")[0].split(".")])


def run_in(interpreter, args):
    """The JSON records run_kernels.py prints in `interpreter`, or an error text."""
    env = dict(os.environ, PYTHONPATH=args.modules, PYTHONDONTWRITEBYTECODE="1")
    command = [interpreter, os.path.join(HERE, "run_kernels.py"), args.kernels]
    if args.linker:
        command += ["--linker", args.linker]
    if args.cache_dir:
        command += ["--cache-dir", args.cache_dir]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
        return None, "%s failed: %s" % (interpreter, tail)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")], None


def shorten(text, width):
    return text if len(text) <= width else text[:width - 1] + "\u2026"


def symbol_counts(counts):
    order = ["registered", "exact", "alias", "substitute", "system", "missing"]
    return ", ".join("%s %d" % (s, counts[s]) for s in order if s in counts)


def pypy_against_cpython(ran, records):
    """Lines comparing PyPy's CPU time with CPython 3.11's, for the examples
    that take at least 1 ms on CPython; none unless both ran."""
    def first(matches):
        return next((i for i in ran if matches(records[i][0]["interpreter"])), None)
    pypy = first(lambda name: name.startswith("pypy"))
    cpython = first(lambda name: name.startswith("cpython 3.11") and "debug" not in name)
    if pypy is None or cpython is None:
        return []
    lines = ["Run time for 1 ms or more of work, PyPy against CPython (CPU time of the "
             "calling thread, medians of the 25 calls):"]
    for p, c in zip(records[pypy], records[cpython]):
        if c["run_cpu_us"] >= 1000:
            lines.append("  %-48s %s %7.2f ms, %s %7.2f ms, PyPy/CPython %.2f" % (
                shorten("%s(%s)" % (p["kernel"], p["arguments"]), 48),
                p["interpreter"], p["run_cpu_us"] / 1e3, c["interpreter"],
                c["run_cpu_us"] / 1e3, p["run_cpu_us"] / c["run_cpu_us"]))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", required=True)
    parser.add_argument("--kernels", required=True)
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--linker", choices=["rtdyld", "jitlink"])
    parser.add_argument("--cache-dir", default=os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pysym"))
    parser.add_argument("--no-cache", dest="cache_dir", action="store_const", const=None)
    parser.add_argument("interpreters", nargs="*")
    args = parser.parse_args()

    wanted = args.interpreters or DEFAULT + (
        ["/usr/bin/python3.11d"] + pyenv_interpreters(args.modules) if args.all else [])
    interpreters, notes = [], []
    for name in wanted:
        path = shutil.which(name)
        if path:
            interpreters.append(path)
        else:
            notes.append("skipped %s: not installed" % name)

    records, failures = {}, []
    for interpreter in interpreters:
        got, error = run_in(interpreter, args)
        if error:
            failures.append(error)
        else:
            records[interpreter] = got

    columns = ["example", "interpreter", "result", "symbols by status", "link ms", "cached ms",
               "run \u00b5s"]
    rows, differing = [], []
    ran = [i for i in interpreters if i in records]
    examples = len(records[ran[0]]) if ran else 0
    for n in range(examples):
        first = records[ran[0]][n]
        results = {i: records[i][n]["result"] for i in ran}
        same = len(set(results.values())) == 1
        if not same:
            differing.append("%s(%s)" % (first["kernel"], first["arguments"]))
        for k, interpreter in enumerate(ran):
            r = records[interpreter][n]
            shown = r["result"] if k == 0 or r["result"] != first["result"] else '"'
            rows.append([
                shorten("%s(%s)" % (r["kernel"], r["arguments"]), 44) if k == 0 else "",
                r["interpreter"],
                shorten(shown, 52),
                symbol_counts(r["symbols"]),
                "%.1f" % r["link_ms"],
                "%.1f %s" % (r["cached"]["link_ms"], "hit" if r["cached"]["hit"] else "stored")
                if r.get("cached") else "-",
                "%.1f" % r["run_us"],
            ])
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    right = {4, 5, 6}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    linker = records[ran[0]][0]["linker"] if ran and examples else (args.linker or "default")
    print("pysym main job: %d examples in %d interpreter(s), linker %s%s" % (
        examples, len(ran), linker, "" if args.linker else " (the default)"))
    print("  result: \" = the same as the line above.  link ms: IR text to callable, compiled "
          "(median).")
    print("  cached ms: the same with Engine(cache_dir=%s), once: 'stored' compiled and "
          "stored the object," % (args.cache_dir or "-"))
    print("  'hit' linked it from the cache (run the job again for warm times).  run: median.")
    print("  symbols by status: exact = the interpreter exports the name; alias = it exports "
          "it under another (PyPy: PyPyX);")
    print("  substitute = pysym supplies it; system = from another library (libm).")
    print()
    print(line(columns))
    print(line(["-" * w for w in widths]))
    for n, row in enumerate(rows):
        if row[0] and n:
            print()
        print(line(row))
    print()
    for interpreter in ran:
        print("  %-24s %s" % (records[interpreter][0]["interpreter"], interpreter))
    comparison = pypy_against_cpython(ran, records)
    if comparison:
        print()
        print("\n".join(comparison))
        print()
    failures += llvmlite_kernel.run(ran, args.modules)  # one line per interpreter with llvmlite
    for note in notes:
        print("note: " + note)
    for failure in failures:
        print("FAILED: " + failure)
    if differing:
        print("DIFFERENT results across interpreters for: " + "; ".join(differing))
    elif len(ran) > 1:
        print("Results identical in all %d interpreters for all %d examples." % (len(ran), examples))
    return 1 if failures or differing or not ran else 0


if __name__ == "__main__":
    sys.exit(main())
