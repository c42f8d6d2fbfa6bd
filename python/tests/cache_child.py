"""Run by cache_interpreters_test.py in a fresh interpreter: compiles (or
loads from the cache) the example kernels with one Engine on a cache
directory, calls each, and prints one JSON object: each kernel's result and
the engine's cache_info().

Usage: <interpreter> cache_child.py <kernels dir> <cache dir>
"""

import array
import json
import os
import sys

import pysym


def doubles(values):
    return array.array("d", values)


# Each kernel with the arguments it is called with: the same in every
# interpreter, so the results must be identical.
EXAMPLES = [
    ("black_scholes", lambda: ([90.0, 100.0, 110.0], [100.0] * 3, [0.5, 1.0, 2.0], 0.03, 0.2)),
    ("black_scholes_array", lambda: (doubles([90.0, 100.0, 110.0]), doubles([100.0] * 3),
                                     doubles([0.5, 1.0, 2.0]), 0.03, 0.2, doubles([0.0] * 3))),
    ("black_scholes_mc", lambda: ([90.0, 110.0], [100.0, 100.0], [0.5, 2.0], 0.03, 0.2, 1000)),
    ("geometric_mean", lambda: ([1.0, 2.0, 4.0, 8.0],)),
    ("complex_power", lambda: (1 + 2j, 0.5 + 0.25j)),
    ("iterable_sum", lambda: (frozenset([0.5, 1.5, 2.0]),)),
]


def main(kernels_dir, cache_dir):
    engine = pysym.Engine(cache_dir=cache_dir)
    results = {}
    for kernel, args_maker in EXAMPLES:
        with open(os.path.join(kernels_dir, kernel + ".ll")) as f:
            engine.add_ir(f.read(), kernel)
        args = args_maker()
        value = engine.make_function(kernel)(*args)
        if kernel == "black_scholes_array":
            value = list(args[-1])  # it writes the prices into its last argument
        results[kernel] = repr(value)
    print(json.dumps({"results": results, "cache": engine.cache_info()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
