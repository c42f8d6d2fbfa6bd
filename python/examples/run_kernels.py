"""Runs the example kernels in the interpreter running this script and
prints one JSON object per kernel: its result, how its symbols resolved,
its link time and its run time (wall and CPU time of this thread). main_job.py
runs this in each interpreter.

Usage: <interpreter> run_kernels.py <kernels dir> [--linker rtdyld|jitlink]
                                   [--cache-dir DIR]
(with the directory holding pysym's extension modules on sys.path).
--cache-dir: also link each kernel once with Engine(cache_dir=DIR) and
report that time and whether the object came from the cache (a second run
on the same directory shows warm link times).
"""

import array
import json
import os
import re
import sys
import time

import pysym

REPEATS = 25

# Enough options for milliseconds of work: the size at which main_job.py
# compares PyPy with CPython.
MANY_OPTIONS = 50_000


def many_options(sequence):
    """(spots, strikes, years) of MANY_OPTIONS options, as `sequence`s of floats."""
    return (sequence([80.0 + (i % 41) for i in range(MANY_OPTIONS)]),
            sequence([100.0] * MANY_OPTIONS),
            sequence([0.25 + (i % 8) * 0.25 for i in range(MANY_OPTIONS)]))


def doubles(values):
    return array.array("d", values)


# Each kernel with the arguments it is called with. The same in every
# interpreter, so their results must be identical.
EXAMPLES = [
    ("black_scholes", lambda: ([90.0, 100.0, 110.0], [100.0, 100.0, 100.0], [0.5, 1.0, 2.0],
                               0.03, 0.2)),
    ("black_scholes_array", lambda: (doubles([90.0, 100.0, 110.0]), doubles([100.0] * 3),
                                     doubles([0.5, 1.0, 2.0]), 0.03, 0.2, doubles([0.0] * 3))),
    ("black_scholes", lambda: many_options(list) + (0.03, 0.2)),
    ("black_scholes_array", lambda: many_options(doubles) + (0.03, 0.2,
                                                             doubles([0.0]) * MANY_OPTIONS)),
    ("black_scholes_mc", lambda: ([90.0, 100.0, 110.0], [100.0, 100.0, 100.0], [0.5, 1.0, 2.0],
                                  0.03, 0.2, 10_000)),
    ("geometric_mean", lambda: ([1.0, 2.0, 4.0, 8.0],)),
    ("geometric_mean", lambda: ([1.0, -2.0],)),  # raises ValueError
    ("complex_power", lambda: (1 + 2j, 0.5 + 0.25j)),
    ("iterable_sum", lambda: ((x * x for x in range(1000)),)),
    ("iterable_sum", lambda: (frozenset([0.5, 1.5, 2.0]),)),
]

# Names an LLVM IR module references but does not define: its `declare`d
# functions and its external globals (intrinsics excluded: LLVM defines them).
DECLARED = re.compile(r"^declare [^@]*@([\w.$]+)\(", re.M)
EXTERNAL = re.compile(r"^@([\w.$]+) = external ", re.M)


def referenced_names(ir):
    names = DECLARED.findall(ir) + EXTERNAL.findall(ir)
    return sorted(n for n in set(names) if not n.startswith("llvm."))


def describe_one(argument):
    if hasattr(argument, "gi_code"):
        return "<generator>"
    if isinstance(argument, (list, array.array)) and len(argument) > 8:
        return "<%s of %d>" % ("list" if isinstance(argument, list) else "array('d')",
                               len(argument))
    return repr(argument)


def describe(args_maker):
    """How the example's arguments read, e.g. for a generator."""
    return ", ".join(describe_one(a) for a in args_maker())


def call(function, args_maker):
    """(result text, wall seconds, CPU seconds of this thread) of the call alone."""
    args = args_maker()
    start, start_cpu = time.perf_counter(), time.thread_time()
    try:
        value = function(*args)
    except Exception as e:  # the ValueError example ends here, by design
        value = e
    wall, cpu = time.perf_counter() - start, time.thread_time() - start_cpu
    if isinstance(value, Exception):
        return "%s: %s" % (type(value).__name__, value), wall, cpu
    return repr(value), wall, cpu


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def main(argv):
    kernels_dir = argv[1]
    linker = argv[argv.index("--linker") + 1] if "--linker" in argv else None
    cache_dir = argv[argv.index("--cache-dir") + 1] if "--cache-dir" in argv else None
    options = {} if linker is None else {"linker": linker}
    info = pysym.interpreter()
    for kernel, args_maker in EXAMPLES:
        with open(os.path.join(kernels_dir, kernel + ".ll")) as f:
            ir = f.read()
        counts = {}
        for r in pysym.report(referenced_names(ir)):
            counts[r.status] = counts.get(r.status, 0) + 1
        # Link time: a fresh engine each time, from IR text to a callable
        # (compiling, resolving and linking happen when the symbol is made).
        link_times = []
        for _ in range(5):
            start = time.perf_counter()
            engine = pysym.Engine(**options)
            engine.add_ir(ir)
            function = engine.make_function(kernel)
            link_times.append(time.perf_counter() - start)
        cached = None
        if cache_dir is not None:
            start = time.perf_counter()
            cached_engine = pysym.Engine(cache_dir=cache_dir, **options)
            cached_engine.add_ir(ir)
            cached_engine.make_function(kernel)
            cached = {"link_ms": (time.perf_counter() - start) * 1e3,
                      "hit": cached_engine.cache_info()["hits"] == 1}
        result = call(function, args_maker)[0]
        runs = [call(function, args_maker) for _ in range(REPEATS)]
        print(json.dumps({
            "interpreter": "%s %s%s" % (info["implementation"], info["version"],
                                        " (debug)" if info["debug"] else ""),
            "executable": sys.executable,
            "linker": engine.linker,
            "kernel": kernel,
            "arguments": describe(args_maker),
            "result": result,
            "symbols": counts,
            "link_ms": median(link_times) * 1e3,
            "cached": cached,
            "run_us": median([wall for _, wall, _ in runs]) * 1e6,
            "run_cpu_us": median([cpu for _, _, cpu in runs]) * 1e6,
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv)
