"""Rules that make pysym's installed tree (tools/install.sh, docs/build.md)."""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _same_repository(label, other):
    return label.workspace_name == other.workspace_name

def _shared_library_contents_impl(ctx):
    whole = {dep.label: True for dep in ctx.attr.deps}
    exported_elsewhere = {dep.label: True for dep in ctx.attr.exclude}
    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(ctx = ctx, cc_toolchain = cc_toolchain)

    # The libraries of `deps` themselves are linked whole: nothing would pull
    # their objects into a shared library otherwise. The pysym libraries they
    # use stay archives, so that only the objects they call are linked (and
    # hidden by the version script); those of `exclude` are left out, since
    # the shared library that exports them is linked instead. What other
    # repositories supply (LLVM, libelf: link flags) stays as it is, so the
    # library still names each shared library it calls.
    inputs = []
    for dep in ctx.attr.deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            owner = linker_input.owner
            if owner in exported_elsewhere and _same_repository(owner, ctx.label):
                continue
            if owner not in whole:
                inputs.append(linker_input)
                continue
            inputs.append(cc_common.create_linker_input(
                owner = owner,
                libraries = depset([cc_common.create_library_to_link(
                    actions = ctx.actions,
                    feature_configuration = features,
                    cc_toolchain = cc_toolchain,
                    static_library = library.static_library,
                    pic_static_library = library.pic_static_library,
                    alwayslink = True,
                ) for library in linker_input.libraries]),
                user_link_flags = depset(linker_input.user_link_flags),
            ))
    compilation = cc_common.merge_cc_infos(cc_infos = [dep[CcInfo] for dep in ctx.attr.deps])
    return [CcInfo(
        compilation_context = compilation.compilation_context,
        linking_context = cc_common.create_linking_context(
            linker_inputs = depset(inputs, order = "topological"),
        ),
    )]

shared_library_contents = rule(
    implementation = _shared_library_contents_impl,
    doc = """What a cc_binary(linkshared) made of `deps` contains: their own code
whole, the pysym code they call, and not the code of `exclude`.

A shared library that depends on this and links the shared library that
exports `exclude` calls that library's API rather than holding a second
copy of it. pysym internals both use (an ELF vocabulary, say) are in each,
hidden.
""",
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
        "exclude": attr.label_list(providers = [CcInfo]),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)

def _header_destination(header):
    """Where an installed header goes below include/: what consumers #include."""
    marker = "/_virtual_includes/"
    if marker in header.path:
        # include_prefix: the path after _virtual_includes/<target>/.
        return header.path.split(marker, 1)[1].split("/", 1)[1]
    if header.short_path.startswith("pysym/"):
        return header.short_path
    return "pysym/" + header.short_path

def _install_tree_impl(ctx):
    """Writes the tree as a tar file: each entry a file copied to its place."""
    entries = []
    inputs = []
    for target in ctx.attr.headers:
        headers = target[CcInfo].compilation_context.direct_public_headers
        # With include_prefix, a target lists each header twice: as written
        # and as the prefixed link consumers include.
        prefixed = [h for h in headers if "/_virtual_includes/" in h.path]
        for header in prefixed or headers:
            entries.append((header, "include/" + _header_destination(header)))
    for target, destination in ctx.attr.files.items():
        for f in target.files.to_list():
            entries.append((f, destination + f.basename if destination.endswith("/") else destination))
    seen = {}
    commands = ["set -eu", 'root="$(mktemp -d)"', 'trap \'rm -rf "$root"\' EXIT']
    for source, destination in entries:
        if destination in seen:
            fail("install tree: two files for %s: %s and %s" % (destination, seen[destination].path, source.path))
        seen[destination] = source
        inputs.append(source)
        mode = "755" if destination.startswith("bin/") or ".so" in destination else "644"
        commands.append('install -D -m %s "%s" "$root/%s"' % (mode, source.path, destination))
    for link, target in ctx.attr.symlinks.items():
        commands.append('ln -s "%s" "$root/%s"' % (target, link))
    commands.append('tar -C "$root" --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 -cf "%s" .' % ctx.outputs.out.path)
    ctx.actions.run_shell(
        inputs = inputs,
        outputs = [ctx.outputs.out],
        command = "\n".join(commands),
        mnemonic = "PysymInstallTree",
        progress_message = "Making pysym's install tree %s" % ctx.outputs.out.short_path,
    )

install_tree = rule(
    implementation = _install_tree_impl,
    doc = """A tar of the installed tree, relative to the prefix.

`headers`' own public headers go to include/pysym/<package>/<file>.h (their
include_prefix path, else "pysym/" and their path in the repository, except
for files already under pysym/); each of `files` to its destination (a path
relative to the prefix, or a directory ending in "/"). Two files for one
destination fail the build.
""",
    attrs = {
        "headers": attr.label_list(providers = [CcInfo]),
        "files": attr.label_keyed_string_dict(allow_files = True),
        "symlinks": attr.string_dict(doc = "link (relative to the prefix) -> what it points to"),
        "out": attr.output(mandatory = True),
    },
)
