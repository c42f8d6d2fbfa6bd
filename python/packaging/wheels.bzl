"""python_wheels: pysym's wheels, one per interpreter, built from a package
filegroup (//python:modules) by build_wheels.py.

    python_wheels(name = "wheels", modules = "//python:modules",
                  interpreters = ["/usr/bin/python3.11", ...])

declares the directory `<name>/` holding one `pysym-<version>-<tag>.whl`
per distinct tag of the interpreters. Each file of `modules` goes into the
wheel under its path below the filegroup's package (python/pysym/x.py is
pysym/x.py), extension modules only into the wheel of the interpreter whose
suffix they carry, so the wheels follow the target's outputs. The tags are
the interpreters' own answers, so the action runs them: it depends on the
machine's interpreters as the extensions depend on their headers.
"""

def _python_wheels_impl(ctx):
    out = ctx.actions.declare_directory(ctx.label.name)
    prefix = ctx.attr.modules.label.package + "/"
    args = ctx.actions.args()
    args.add(ctx.file._builder)
    args.add("--out", out.path)
    args.add("--metadata", ctx.file.metadata)
    args.add("--version-file", ctx.file.version)
    args.add("--llvm-version", ctx.attr.llvm_version)
    args.add("--license", ctx.file.license)
    args.add("--pth", ctx.file.pth)
    args.add("--tag-script", ctx.file._tag_script)
    args.add_all(ctx.attr.interpreters, before_each = "--interpreter")
    for f in ctx.files.modules:
        if not f.short_path.startswith(prefix):
            fail("%s is not below %s" % (f.short_path, prefix))
        args.add("--file", "%s=%s" % (f.short_path[len(prefix):], f.path))
    ctx.actions.run(
        executable = "/usr/bin/python3",
        arguments = [args],
        inputs = ctx.files.modules + [
            ctx.file._builder,
            ctx.file._tag_script,
            ctx.file.metadata,
            ctx.file.version,
            ctx.file.license,
            ctx.file.pth,
        ],
        outputs = [out],
        env = {"SOURCE_DATE_EPOCH": "315532800"},
        mnemonic = "PythonWheels",
        progress_message = "Building pysym's wheels for %d interpreters" % len(ctx.attr.interpreters),
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

python_wheels = rule(
    implementation = _python_wheels_impl,
    attrs = {
        "modules": attr.label(mandatory = True, doc = "the package's files"),
        "interpreters": attr.string_list(mandatory = True),
        "metadata": attr.label(allow_single_file = True, mandatory = True),
        "version": attr.label(allow_single_file = True, mandatory = True),
        "llvm_version": attr.string(mandatory = True),
        "license": attr.label(allow_single_file = True, mandatory = True),
        "pth": attr.label(allow_single_file = [".pth"], mandatory = True),
        "_builder": attr.label(allow_single_file = True, default = "build_wheels.py"),
        "_tag_script": attr.label(allow_single_file = True, default = "interpreter_tag.py"),
    },
)
