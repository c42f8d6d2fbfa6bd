"""Compiles a C kernel to LLVM IR text with the host's clang-14.

The IR must be LLVM 14's (what //third_party/llvm links), so the clang is
pinned to the same major version. Flags, and why:
  -O2 -fno-discard-value-names  optimised, but readable IR with named values;
  -fPIC                         external globals and functions are reached
                                through the GOT/PLT: the JIT places code far
                                from the interpreter, beyond a 32-bit offset;
  --target=x86_64-pc-linux-gnu  the triple pysym's engine runs; the function
                                attributes clang adds for it (target-cpu
                                x86-64, baseline SSE2 features) are accepted
                                by the engine on any x86-64 host.
"""

def kernel_ir(name, src, hdrs = [], **kwargs):
    """Declares `<name>.ll`, the LLVM IR of `src`; `hdrs` may live in other
    packages (each one's directory is on the include path). Other arguments
    (testonly, tags, visibility) go to the genrule."""
    includes = " ".join(["-I$$(dirname $(location %s))" % h for h in [src] + hdrs])
    native.genrule(
        name = name + "_ir",
        srcs = [src] + hdrs,
        outs = [name + ".ll"],
        cmd = ("clang-14 -S -emit-llvm -O2 -fno-discard-value-names -fPIC " +
               "--target=x86_64-pc-linux-gnu -std=c11 -Wall -Wextra -Werror " +
               "-Wno-unused-parameter {includes} " +
               "$(location {src}) -o $@").format(src = src, includes = includes),
        message = "Compiling kernel %s to LLVM IR" % name,
        **kwargs
    )
