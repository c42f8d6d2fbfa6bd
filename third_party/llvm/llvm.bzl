"""The LLVM repositories, configured from `llvm-config-<version>`, and the
select() that picks one per build.

The LLVM versions are named in one place, third_party/llvm/versions.bzl.
llvm_repository asks a version's llvm-config for its include and library
directories and its preprocessor definitions, and links the shared libLLVM.
It keeps LLVM's -D flags but not its -std or -fno-exceptions: pysym chooses
those in bazel/copts.bzl (without exceptions, as LLVM, except in the few
targets that catch them). Sources compile unchanged against every version:
what each LLVM spells differently goes through //third_party/llvm:compat
(ADT) or jitlink/orc_compat.h (ORC, IR reading), never through renaming
macros or generated headers.
"""

load("//third_party/llvm:versions.bzl", "LLVM_OTHER_VERSIONS", "LLVM_VERSION")

def _run(ctx, config, flag):
    result = ctx.execute([config, flag])
    if result.return_code != 0:
        fail("%s %s failed: %s" % (config, flag, result.stderr))
    return result.stdout.strip()

def _missing_message(version):
    return ("llvm-config-%s not found: install the Debian package llvm-%s-dev " +
            "(./tools/setup.sh does)") % (version, version)

# An optional LLVM that is not installed: the repository still loads, and
# only a build that uses its target fails, at analysis, with the reason.
_MISSING_BZL = '''
def _missing_impl(ctx):
    fail({message})

missing_llvm = rule(implementation = _missing_impl)
'''

def _llvm_repository_impl(ctx):
    tool = "llvm-config-%s" % ctx.attr.version
    config = ctx.which(tool)
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    if not config:
        if ctx.attr.required:
            fail(_missing_message(ctx.attr.version))
        ctx.file("missing.bzl", _MISSING_BZL.format(message = repr(_missing_message(ctx.attr.version))))
        ctx.file("BUILD", """
load(":missing.bzl", "missing_llvm")

missing_llvm(
    name = "llvm",
    visibility = ["//visibility:public"],
)
""")
        return
    includedir = _run(ctx, config, "--includedir")
    libdir = _run(ctx, config, "--libdir")
    defines = [f[2:] for f in _run(ctx, config, "--cppflags").split(" ") if f.startswith("-D")]
    ctx.symlink(includedir, "include")
    includes = ["include"]
    # What a build outside Bazel needs to use this LLVM as pysym does, for
    # the pkg-config and CMake files of the installed library (//install).
    ctx.file("llvm_config.env", "".join(["%s=%s\n" % item for item in [
        ("LLVM_VERSION_MAJOR", ctx.attr.version),
        ("LLVM_INCLUDEDIR", includedir),
        ("LLVM_LIBDIR", libdir),
        ("LLVM_CMAKEDIR", _run(ctx, config, "--cmakedir")),
        ("LLVM_DEFINES", " ".join(["-D" + d for d in defines])),
    ]]))
    ctx.file("BUILD", """
exports_files(["llvm_config.env"])

cc_library(
    name = "llvm",
    hdrs = glob(["include/llvm/**", "include/llvm-c/**"]),
    includes = {includes},
    defines = {defines},
    linkopts = ["-L{libdir}", "-Wl,-rpath,{libdir}", "-lLLVM-{version}"],
    visibility = ["//visibility:public"],
)
""".format(includes = repr(includes), defines = repr(defines), libdir = libdir,
           version = ctx.attr.version))

llvm_repository = repository_rule(
    implementation = _llvm_repository_impl,
    attrs = {
        "version": attr.string(mandatory = True),
        "required": attr.bool(
            default = True,
            doc = "fail when llvm-config-<version> is absent (else only builds that use it fail)",
        ),
    },
    local = True,
)

def llvm_repositories():
    """Declares @llvm (the default LLVM) and @llvm<version> for each other one."""
    llvm_repository(name = "llvm", version = LLVM_VERSION)
    for version in LLVM_OTHER_VERSIONS:
        llvm_repository(
            name = "llvm" + version,
            version = version,
            required = False,
        )

def llvm_alias(name, visibility):
    """In third_party/llvm/BUILD: the alias `name` to this build's LLVM.

    Also declares one config_setting llvm_<version> per other LLVM, which
    llvm_select uses. Only the chosen repository is fetched.
    """
    for version in LLVM_OTHER_VERSIONS:
        native.config_setting(
            name = "llvm_" + version,
            define_values = {"llvm": version},
            visibility = ["//:__subpackages__"],
        )
    repositories = {version: "@llvm%s//:llvm" % version for version in LLVM_OTHER_VERSIONS}
    repositories[LLVM_VERSION] = "@llvm//:llvm"
    native.alias(name = name, actual = llvm_select(repositories), visibility = visibility)

def llvm_select(by_version):
    """A select() over this build's LLVM.

    Args:
      by_version: a dict from every LLVM version (LLVM_VERSION and each of
        LLVM_OTHER_VERSIONS) to the value for builds against it.

    Example:
      srcs = llvm_select({"14": ["orc_compat_llvm14.cc"], "19": ["orc_compat_llvm19.cc"]})
    """
    wanted = sorted([LLVM_VERSION] + LLVM_OTHER_VERSIONS)
    if sorted(by_version.keys()) != wanted:
        fail("llvm_select needs a value for each LLVM version %s, got %s" %
             (wanted, sorted(by_version.keys())))
    branches = {"//conditions:default": by_version[LLVM_VERSION]}
    for version in LLVM_OTHER_VERSIONS:
        branches["//third_party/llvm:llvm_" + version] = by_version[version]
    return select(branches)

def llvm_compatible_with(versions):
    """A target_compatible_with value: the target exists only on these LLVM versions.

    On the others it is incompatible, so `bazel test //...` skips it (and
    naming it explicitly fails).

    Example:
      target_compatible_with = llvm_compatible_with(["19"])
    """
    return llvm_select({
        version: [] if version in versions else ["//third_party/llvm:other_llvm"]
        for version in [LLVM_VERSION] + LLVM_OTHER_VERSIONS
    })

# Typed-pointer IR (i8*) as this build's LLVM spells it with opaque pointers
# (ptr): through LLVM 14's bitcode, which every later LLVM reads and
# upgrades, so the conversion is LLVM's own and not a textual rewrite.
_OPAQUE_DIS = {
    "14": "llvm-dis-14 -opaque-pointers",
    "19": "llvm-dis-19",
}

# A pointer type left in the output ("i8*", "%T*", "{ i64 }*", "void ()*").
_TYPED_POINTER = "(i[0-9]+|[]})\"]|%[-a-zA-Z$$._0-9]+)\\*"

def opaque_pointer_ir(name, srcs, out_dir = "opaque", **kwargs):
    """Declares <out_dir>/<src> for each typed-pointer .ll in srcs, and a filegroup `name` of them.

    The build fails if an output still spells a typed pointer.
    """
    outs = []
    for src in srcs:
        out = out_dir + "/" + src
        native.genrule(
            name = name + "_" + src.replace("/", "_").replace(".", "_"),
            srcs = [src],
            outs = [out],
            cmd = llvm_select({
                version: ("llvm-as-14 $< -o - | {dis} -o $@ && " +
                          "if grep -nE '{typed}' $@; then " +
                          "echo \"$@: typed pointers left\" >&2; exit 1; fi").format(
                    dis = dis,
                    typed = _TYPED_POINTER,
                )
                for version, dis in _OPAQUE_DIS.items()
            }),
            message = "Spelling %s with opaque pointers" % src,
        )
        outs.append(out)
    native.filegroup(name = name, srcs = outs, **kwargs)
