"""pysym's version, kept only in //:VERSION, written into generated files."""

def version_file(name, out, template, env_files = [], **kwargs):
    """A genrule writing `out` from `template` with the version of //:VERSION.

    The template's @VERSION@ becomes the whole version ("0.1.0"), and
    @MAJOR@, @MINOR@ and @PATCH@ its three numbers. The build fails, naming
    the file, when VERSION is not one line MAJOR.MINOR.PATCH.

    Each of `env_files` holds lines NAME=VALUE (e.g. //third_party/llvm:llvm_config_env);
    @NAME@ becomes VALUE.
    """
    substitutions = [
        "while IFS== read -r key value; do sed_args+=(-e \"s|@$$key@|$$value|g\"); done < $(location %s);" % f
        for f in env_files
    ]
    native.genrule(
        name = name,
        srcs = ["//:VERSION", template] + env_files,
        outs = [out],
        cmd = " ".join([
            "v=$$(cat $(location //:VERSION));",
            "if ! printf '%s\\n' \"$$v\" | grep -Eqx '[0-9]+[.][0-9]+[.][0-9]+'",
            "|| [ $$(wc -l < $(location //:VERSION)) -ne 1 ]; then",
            "echo \"VERSION: expected one line MAJOR.MINOR.PATCH, got '$$v'\" >&2; exit 1; fi;",
            "IFS=. read -r major minor patch <<< \"$$v\";",
            "sed_args=();",
        ] + substitutions + [
            "sed \"$${sed_args[@]}\" -e \"s/@VERSION@/$$v/g\" -e \"s/@MAJOR@/$$major/g\"",
            "-e \"s/@MINOR@/$$minor/g\" -e \"s/@PATCH@/$$patch/g\"",
            "$(location %s) > $@" % template,
        ]),
        **kwargs
    )
