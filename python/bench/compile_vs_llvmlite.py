"""Measures what compiling and linking a kernel costs with pysym against
llvmlite on the same IR (docs/performance.md, ## jitlink): for each example
kernel, in each interpreter where llvmlite imports, IR text to a callable
address at O2,
  - pysym: a fresh pysym.Engine() (LLJIT, RuntimeDyld), add_ir, and the
    lookup that compiles and links (make_function);
  - llvmlite: parse_assembly and verify, the legacy O2 module pipeline
    (PassManagerBuilder), a fresh MCJIT (create_mcjit_compiler),
    finalize_object and get_function_address,
both with the same LLVM (Debian's llvmlite shares pysym's libLLVM-14).
pysym.llvmlite.install() runs once first, untimed, so that MCJIT finds the
C-API names on PyPy too. Rounds alternate the two, so the machine's load
falls on both alike; figures are medians over --rounds of the thread's CPU
time and wall time, and the ratio pysym/llvmlite is measured in the same
run.

Usage: compile_vs_llvmlite.py --modules DIR --kernels DIR [--rounds N] [INTERPRETER...]
  --modules  the directory holding the package pysym (bazel-bin/python)
  --kernels  the directory holding the kernels' .ll files (bazel-bin/python/kernels)
"""

import json
import os
import sys
import time

from engine_cache import KERNELS, kernel_bench_args, median, run_children


def timed(link):
    """(thread CPU seconds, wall seconds) of link(); its result is dropped after."""
    cpu, wall = time.thread_time(), time.perf_counter()
    keep = link()
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    del keep
    return cpu, wall


def pysym_link(pysym, ir, kernel):
    engine = pysym.Engine(opt_level=2)
    engine.add_ir(ir, kernel)
    return engine, engine.make_function(kernel)


def llvmlite_link(llvm, ir, kernel):
    module = llvm.parse_assembly(ir)
    module.verify()
    builder = llvm.create_pass_manager_builder()
    builder.opt_level = 2
    passes = llvm.create_module_pass_manager()
    builder.populate(passes)
    passes.run(module)
    machine = llvm.Target.from_default_triple().create_target_machine(opt=2)
    engine = llvm.create_mcjit_compiler(module, machine)
    engine.finalize_object()
    if not engine.get_function_address(kernel):
        raise SystemExit("%s: llvmlite linked no address" % kernel)
    return engine


def measure_here(kernels_dir, rounds):
    """Run in the measured interpreter: one JSON line per kernel, or a skip line."""
    try:
        import llvmlite.binding as llvm
    except ImportError as e:
        print(json.dumps({"skipped": "llvmlite does not import: %s" % e}))
        return
    import pysym
    import pysym.llvmlite
    llvm.initialize()
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    pysym.llvmlite.install(llvm)
    for kernel in KERNELS:
        with open(os.path.join(kernels_dir, kernel + ".ll")) as f:
            ir = f.read()
        pysym_link(pysym, ir, kernel)  # warm-up: first-use costs of each path
        llvmlite_link(llvm, ir, kernel)
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(timed(lambda: pysym_link(pysym, ir, kernel)))
            theirs.append(timed(lambda: llvmlite_link(llvm, ir, kernel)))
        print(json.dumps({"kernel": kernel,
                          "pysym_cpu_ms": median([c for c, _ in ours]) * 1e3,
                          "pysym_wall_ms": median([w for _, w in ours]) * 1e3,
                          "llvmlite_cpu_ms": median([c for c, _ in theirs]) * 1e3,
                          "llvmlite_wall_ms": median([w for _, w in theirs]) * 1e3}), flush=True)


def main():
    args = kernel_bench_args(__doc__)
    if args.child:
        measure_here(args.kernels, args.rounds)
        return 0
    print("| interpreter | kernel | pysym CPU / wall (ms) | llvmlite CPU / wall (ms) | pysym/llvmlite, CPU |")
    print("|---|---|---:|---:|---:|")
    for interpreter, out in run_children(__file__, args):
        if out is None:
            print("| %s | skipped: not installed | | | |" % interpreter)
            continue
        ratios = []
        for line in out.splitlines():
            r = json.loads(line)
            if "skipped" in r:
                print("| %s | skipped: %s | | | |" % (interpreter, r["skipped"]))
                continue
            ratios.append(r["pysym_cpu_ms"] / r["llvmlite_cpu_ms"])
            print("| %s | %s | %.2f / %.2f | %.2f / %.2f | %.2f |" % (
                interpreter, r["kernel"], r["pysym_cpu_ms"], r["pysym_wall_ms"],
                r["llvmlite_cpu_ms"], r["llvmlite_wall_ms"], ratios[-1]))
        if ratios:
            print("| %s | median | | | %.2f |" % (interpreter, median(ratios)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
