"""The workplace's shared name lists (../shared/data beside the checkout).

Tests and coverage reports read them in place: from ../shared/data beside the
checkout, else from $PYSYM_SHARED_DATA, else from /work/shared/data. When none
has a list, its filegroup holds an empty placeholder named absent-<file>, and
the tests that need it report themselves skipped, naming the missing file
(tests/shared_data.h).
"""

_LISTS = {
    "numba_capi_names": "numba-capi-names.txt",
    "stable_abi": "cpython-3.11-stable-abi.txt",
}

def _candidates(ctx):
    workspace = ctx.path(Label("@//:WORKSPACE")).dirname
    dirs = [workspace.dirname.get_child("shared").get_child("data")]
    if ctx.os.environ.get("PYSYM_SHARED_DATA"):
        dirs.append(ctx.path(ctx.os.environ["PYSYM_SHARED_DATA"]))
    dirs.append(ctx.path("/work/shared/data"))
    return dirs

def _shared_data_impl(ctx):
    build = ['package(default_visibility = ["//visibility:public"])\n']
    for target, file in _LISTS.items():
        found = None
        for directory in _candidates(ctx):
            if directory.get_child(file).exists:
                found = directory.get_child(file)
                break
        if found:
            ctx.symlink(found, file)
            build.append('filegroup(name = "%s", srcs = ["%s"])\n' % (target, file))
        else:
            ctx.file("absent-" + file, "")
            build.append('filegroup(name = "%s", srcs = ["absent-%s"])\n' % (target, file))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", "\n".join(build))

shared_data = repository_rule(
    implementation = _shared_data_impl,
    environ = ["PYSYM_SHARED_DATA"],
    local = True,
)
