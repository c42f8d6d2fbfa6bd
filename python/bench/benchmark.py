"""Measures, in the interpreter running it, what pysym costs at run time:
  - the per-call overhead of a make_function callable (the `identity`
    kernel) against the same C function compiled ahead of time into a builtin
    (llvm_baseline.identity, same calling convention) and against a plain
    builtin call of one argument (`abs`);
  - the run time of the closed-form Black-Scholes kernel on N options, over
    lists (black_scholes: its time is mostly the C API's, making and reading
    float objects) and over array('d') buffers (black_scholes_array: no
    object per option), and its cost for one option (the fixed cost of a
    call: four buffers got and released);
  - what the C API costs per item, with the kernels of float_objects.c:
    making and dropping a float, making a list of floats, reading one;
  - the run time of the Monte Carlo Black-Scholes kernel on 64 options with
    --paths paths each (compute-bound: its time is mostly arithmetic).
Times are CPU time of this thread (time.thread_time), not wall time: the
machines this runs on are shared, and CPU time does not count the time other
processes hold the core. Each figure is the median of repeated runs, with the
minimum beside it. Prints one JSON object; run_benchmarks.py runs this in each
interpreter.

Usage (with pysym and llvm_baseline on sys.path): <interpreter> benchmark.py <kernels dir> [--options N] [--paths N] [--linker L]
"""

import array
import json
import os
import sys
import time
import timeit

import llvm_baseline
import pysym


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def per_call_ns(statement, namespace, number=200_000, repeats=15):
    # Warm up first: PyPy's JIT compiles the timing loop.
    timeit.repeat(statement, globals=namespace, number=number, repeat=3, timer=time.thread_time)
    runs = timeit.repeat(statement, globals=namespace, number=number, repeat=repeats,
                         timer=time.thread_time)
    return median(runs) / number * 1e9


def median_ms(run, warmups=5, repeats=31):
    for _ in range(warmups):
        run()
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        run()
        times.append(time.thread_time() - start)
    return median(times) * 1e3, min(times) * 1e3


def main(argv):
    kernels = argv[1]
    options = int(argv[argv.index("--options") + 1]) if "--options" in argv else 20_000
    paths = int(argv[argv.index("--paths") + 1]) if "--paths" in argv else 2_000
    linker = argv[argv.index("--linker") + 1] if "--linker" in argv else None
    engine = pysym.Engine() if linker is None else pysym.Engine(linker=linker)
    for name in ("identity", "black_scholes", "black_scholes_array", "black_scholes_mc"):
        with open(os.path.join(kernels, name + ".ll")) as f:
            engine.add_ir(f.read())
    # float_objects.ll is built beside llvm_baseline (//python/bench).
    with open(os.path.join(os.path.dirname(llvm_baseline.__file__), "float_objects.ll")) as f:
        engine.add_ir(f.read())
    identity = engine.make_function("identity")
    black_scholes = engine.make_function("black_scholes")
    black_scholes_array = engine.make_function("black_scholes_array")
    black_scholes_mc = engine.make_function("black_scholes_mc")
    make_floats = engine.make_function("make_floats")
    fill_list = engine.make_function("fill_list")
    read_list = engine.make_function("read_list")

    x = 1.5
    namespace = {"identity": identity, "aot_identity": llvm_baseline.identity, "abs": abs, "x": x}
    compiled_ns = per_call_ns("identity(x)", namespace)
    aot_ns = per_call_ns("aot_identity(x)", namespace)
    builtin_ns = per_call_ns("abs(x)", namespace)

    spots = [80.0 + (i % 41) for i in range(options)]
    strikes = [100.0] * options
    years = [0.25 + (i % 8) * 0.25 for i in range(options)]
    closed_form_ms = median_ms(lambda: black_scholes(spots, strikes, years, 0.03, 0.2))
    buffers = [array.array("d", values) for values in (spots, strikes, years, [0.0] * options)]
    array_ms = median_ms(lambda: black_scholes_array(*buffers[:3], 0.03, 0.2, buffers[3]))
    # What a call costs beyond its options: four buffers got and released.
    one = [array.array("d", [100.0]) for _ in range(4)]
    array_one_ns = per_call_ns("f(s, k, t, 0.03, 0.2, p)", dict(
        f=black_scholes_array, s=one[0], k=one[1], t=one[2], p=one[3]), number=20_000)
    mc_options = 64
    monte_carlo_ms = median_ms(lambda: black_scholes_mc(
        spots[:mc_options], strikes[:mc_options], years[:mc_options], 0.03, 0.2, paths))
    per_item_ns = {
        "make_float_ns": median_ms(lambda: make_floats(options))[0] / options * 1e6,
        "fill_list_ns": median_ms(lambda: fill_list(options))[0] / options * 1e6,
        "read_list_ns": median_ms(lambda: read_list(spots))[0] / options * 1e6,
    }
    info = pysym.interpreter()
    print(json.dumps({
        "interpreter": "%s %s%s" % (info["implementation"], info["version"],
                                    " (debug)" if info["debug"] else ""),
        "executable": sys.executable,
        "compiled_call_ns": compiled_ns,
        "aot_call_ns": aot_ns,
        "builtin_call_ns": builtin_ns,
        "options": options,
        "black_scholes_ms": closed_form_ms[0],
        "black_scholes_min_ms": closed_form_ms[1],
        "black_scholes_array_ms": array_ms[0],
        "black_scholes_array_min_ms": array_ms[1],
        "black_scholes_array_one_ns": array_one_ns,
        "mc_options": mc_options,
        "mc_paths": paths,
        "black_scholes_mc_ms": monte_carlo_ms[0],
        "black_scholes_mc_min_ms": monte_carlo_ms[1],
        **per_item_ns,
    }))


if __name__ == "__main__":
    main(sys.argv)
