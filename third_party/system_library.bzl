"""A repository rule that wraps a Debian -dev package as a cc_library.

Each dependency is a Debian package (tools/setup.sh installs them), never a
download. The rule checks that the package's files are present and names the
package to install when they are not, so a missing package fails with a
one-line reason instead of a compiler error.
"""

def _system_library_impl(ctx):
    wanted = list(ctx.attr.headers)
    if ctx.attr.header_root:
        wanted.append(ctx.attr.header_root)
    for path in wanted:
        if not ctx.path(path).exists:
            fail("%s is missing: install the Debian package %s (./tools/setup.sh does)" %
                 (path, ctx.attr.package))

    # Headers named one by one keep the rest of /usr/include out of the sandbox.
    for path in ctx.attr.headers:
        ctx.symlink(ctx.path(path), "include/" + ctx.path(path).basename)
    includes = ["include"]
    if ctx.attr.header_root:
        ctx.symlink(ctx.path(ctx.attr.header_root), "root")
        includes.append("root")

    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", """
cc_library(
    name = "{name}",
    hdrs = glob(["include/**", "root/**"]),
    includes = {includes},
    linkopts = {linkopts},
    defines = {defines},
    visibility = ["//visibility:public"],
)
""".format(
        name = ctx.attr.target,
        includes = repr(includes),
        linkopts = repr(ctx.attr.linkopts),
        defines = repr(ctx.attr.defines),
    ))

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "package": attr.string(mandatory = True, doc = "the Debian package that provides it"),
        "target": attr.string(mandatory = True, doc = "the name of the cc_library"),
        "headers": attr.string_list(doc = "header files or directories, included by their base name"),
        "header_root": attr.string(doc = "a directory whose contents are included directly"),
        "linkopts": attr.string_list(),
        "defines": attr.string_list(),
    },
    local = True,
)
