"""Builds a Python extension module once per interpreter ABI.

    python_extension(
        name = "_pysym",            # the module name: PyInit__pysym
        directory = "pysym",        # optional: the package the module belongs to
        abi = "cpython311",         # a key of PYTHON_ABIS, or...
        srcs = [...], deps = [...],
    )
    python_extension(name = "llvm_baseline", abi = "custom",
                     ext_suffix = ".cpython-312-x86_64-linux-gnu.so",
                     python_headers = "@pyenv_python_3_12_1//:headers", ...)

declares the shared object `[<directory>/]<name><ext_suffix>`, e.g.
`pysym/_pysym.cpython-311-x86_64-linux-gnu.so` (the module pysym._pysym when
the package's __init__.py sits beside it), a cc_binary(linkshared = 1) that:
  - compiles `srcs` against that interpreter's headers only;
  - is NOT linked against libpython or libpypy: the C API's symbols are left
    undefined and bound by the dynamic loader to the interpreter that imports
    the module (an executable such as /usr/bin/python3.11 exports them itself);
  - exports nothing but PyInit_<name>: sources are compiled with
    -fvisibility=hidden, and a version script localises everything else,
    including the static C++ libraries linked in, so two modules (or the
    interpreter) never bind to each other's copies.

Extension suffixes are what `sysconfig.get_config_var('EXT_SUFFIX')` says for
each interpreter. Bazel runs offline without asking the interpreters, so the
known suffixes are written here; pyenv's are derived from their versions by
//third_party:pyenv_pythons.bzl.
"""

load("@pyenv_pythons//:pythons.bzl", "PYENV_PYTHONS")
load("//bazel:copts.bzl", "PYSYM_EXCEPTIONS_COPTS")

# The interpreters Debian provides, with their headers and suffixes.
# python3.11d (suffix .cpython-311d-...) also imports release modules named
# .cpython-311-..., since 3.8 debug builds share the release ABI.
PYTHON_ABIS = {
    "cpython311": struct(
        ext_suffix = ".cpython-311-x86_64-linux-gnu.so",
        python_headers = "@python311//:headers",
    ),
    "pypy39": struct(
        ext_suffix = ".pypy39-pp73-x86_64-linux-gnu.so",
        python_headers = "@pypy39//:headers",
    ),
}

def python_extension(
        name,
        srcs,
        deps = [],
        abi = None,
        ext_suffix = None,
        python_headers = None,
        directory = "",
        copts = [],
        **kwargs):
    """Declares `[<directory>/]<name><ext_suffix>`; returns that target's name."""
    if abi != None:
        if abi not in PYTHON_ABIS:
            fail("unknown abi %r: one of %s, or pass ext_suffix and python_headers" %
                 (abi, sorted(PYTHON_ABIS.keys())))
        ext_suffix = PYTHON_ABIS[abi].ext_suffix
        python_headers = PYTHON_ABIS[abi].python_headers
    if not ext_suffix or not python_headers:
        fail("python_extension %s: pass abi, or both ext_suffix and python_headers" % name)

    target = (directory + "/" if directory else "") + name + ext_suffix
    version_script = target + ".lds"
    native.genrule(
        name = target + "_version_script",
        outs = [version_script],
        cmd = "echo '{ global: PyInit_%s; local: *; };' > $@" % name,
    )
    native.cc_binary(
        name = target,
        srcs = srcs,
        deps = deps + [python_headers],
        # boundary.h catches what C++ throws (bad_alloc) before it reaches
        # the interpreter.
        copts = PYSYM_EXCEPTIONS_COPTS + ["-fvisibility=hidden", "-fvisibility-inlines-hidden"] + copts,
        linkshared = 1,
        additional_linker_inputs = [version_script],
        linkopts = ["-Wl,--version-script=$(location %s)" % version_script],
        **kwargs
    )
    return target

def python_extension_everywhere(name, srcs, deps = [], **kwargs):
    """Declares module `name` for every interpreter ABI on this machine.

    That is CPython 3.11 and PyPy 3.9 (PYTHON_ABIS), and one per pyenv minor
    version other than 3.11, whose module the system headers build (pyenv's
    3.11.x loads it). When pyenv has several patch releases of one minor
    version, the newest one's headers are used. Returns the targets' names.
    """
    targets = [
        python_extension(name = name, abi = abi, srcs = srcs, deps = deps, **kwargs)
        for abi in sorted(PYTHON_ABIS.keys())
    ]
    newest_by_minor = {p["minor"]: p for p in PYENV_PYTHONS}
    for minor, python in sorted(newest_by_minor.items()):
        if minor == "3.11":
            continue
        targets.append(python_extension(
            name = name,
            ext_suffix = python["ext_suffix"],
            python_headers = "@%s//:headers" % python["repository"],
            srcs = srcs,
            deps = deps,
            **kwargs
        ))
    return targets
