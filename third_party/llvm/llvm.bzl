"""The LLVM repository, configured from `llvm-config-<version>`.

The LLVM version is chosen in one place, third_party/llvm/versions.bzl. This
rule asks that version's llvm-config for its include and library directories
and its preprocessor definitions, and links the shared libLLVM. It keeps
LLVM's -D flags but not its -std or -fno-exceptions: pysym chooses those in
bazel/copts.bzl (C++17 with exceptions, for Boost.DLL).
"""

def _run(ctx, config, flag):
    result = ctx.execute([config, flag])
    if result.return_code != 0:
        fail("%s %s failed: %s" % (config, flag, result.stderr))
    return result.stdout.strip()

def _llvm_repository_impl(ctx):
    tool = "llvm-config-%s" % ctx.attr.version
    config = ctx.which(tool)
    if not config:
        fail("%s not found: install the Debian package llvm-%s-dev (./tools/setup.sh does)" %
             (tool, ctx.attr.version))
    includedir = _run(ctx, config, "--includedir")
    libdir = _run(ctx, config, "--libdir")
    defines = [f[2:] for f in _run(ctx, config, "--cppflags").split(" ") if f.startswith("-D")]
    ctx.symlink(includedir, "include")
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", """
cc_library(
    name = "llvm",
    hdrs = glob(["include/llvm/**", "include/llvm-c/**"]),
    includes = ["include"],
    defines = {defines},
    linkopts = ["-L{libdir}", "-Wl,-rpath,{libdir}", "-lLLVM-{version}"],
    visibility = ["//visibility:public"],
)
""".format(defines = repr(defines), libdir = libdir, version = ctx.attr.version))

llvm_repository = repository_rule(
    implementation = _llvm_repository_impl,
    attrs = {"version": attr.string(mandatory = True)},
    local = True,
)
