"""Measures, in the interpreter running it, what pysym costs at run time:
  - the per-call overhead of a make_function callable (the `identity`
    kernel) against a plain builtin call of one argument (`abs`);
  - the run time of the Black-Scholes kernel on lists of N options.
Prints one JSON object. bench_all.py runs it in each interpreter.

Usage: <interpreter> benchmark.py <kernels dir> [--options N] [--linker L]
"""

import json
import os
import sys
import time
import timeit

import pysym


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def per_call_ns(statement, namespace, number=200_000, repeats=15):
    # Warm up first: PyPy's JIT compiles the timing loop.
    timeit.repeat(statement, globals=namespace, number=number, repeat=3)
    runs = timeit.repeat(statement, globals=namespace, number=number, repeat=repeats)
    return median(runs) / number * 1e9


def main(argv):
    kernels = argv[1]
    options = int(argv[argv.index("--options") + 1]) if "--options" in argv else 20_000
    linker = argv[argv.index("--linker") + 1] if "--linker" in argv else None
    engine = pysym.Engine() if linker is None else pysym.Engine(linker=linker)
    for name in ("identity", "black_scholes"):
        with open(os.path.join(kernels, name + ".ll")) as f:
            engine.add_ir(f.read())
    identity = engine.make_function("identity")
    black_scholes = engine.make_function("black_scholes")

    x = 1.5
    namespace = {"identity": identity, "abs": abs, "x": x}
    compiled_ns = per_call_ns("identity(x)", namespace)
    builtin_ns = per_call_ns("abs(x)", namespace)

    spots = [80.0 + (i % 41) for i in range(options)]
    strikes = [100.0] * options
    years = [0.25 + (i % 8) * 0.25 for i in range(options)]
    for _ in range(5):  # warm-up
        black_scholes(spots, strikes, years, 0.03, 0.2)
    runs = []
    for _ in range(31):
        start = time.perf_counter()
        black_scholes(spots, strikes, years, 0.03, 0.2)
        runs.append(time.perf_counter() - start)
    info = pysym.interpreter()
    print(json.dumps({
        "interpreter": "%s %s%s" % (info["implementation"], info["version"],
                                    " (debug)" if info["debug"] else ""),
        "executable": sys.executable,
        "compiled_call_ns": compiled_ns,
        "builtin_call_ns": builtin_ns,
        "options": options,
        "black_scholes_ms": median(runs) * 1e3,
    }))


if __name__ == "__main__":
    main(sys.argv)
