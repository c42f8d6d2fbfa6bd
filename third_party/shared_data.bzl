"""The workplace's shared name lists (../shared/data beside the checkout).

Tests and coverage reports read them in place. The rule links whatever is
there; when the directory is absent, the filegroups are empty and the tests
that need a list report themselves skipped, naming the missing file.
"""

_LISTS = {
    "numba_capi_names": "numba-capi-names.txt",
    "stable_abi": "cpython-3.11-stable-abi.txt",
}

def _shared_data_impl(ctx):
    workspace = ctx.path(Label("@//:WORKSPACE")).dirname
    data = workspace.dirname.get_child("shared").get_child("data")
    build = ['package(default_visibility = ["//visibility:public"])\n']
    for target, file in _LISTS.items():
        source = data.get_child(file)
        if source.exists:
            ctx.symlink(source, file)
            build.append('filegroup(name = "%s", srcs = ["%s"])\n' % (target, file))
        else:
            build.append('filegroup(name = "%s", srcs = [])  # %s is absent\n' % (target, source))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", "\n".join(build))

shared_data = repository_rule(
    implementation = _shared_data_impl,
    local = True,
)
