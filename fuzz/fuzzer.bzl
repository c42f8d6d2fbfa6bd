"""pysym_fuzzer: one fuzz target, built as a libFuzzer binary or as a replayer."""

load("//bazel:copts.bzl", "PYSYM_COPTS")

def pysym_fuzzer(name, srcs, deps = [], **kwargs):
    """Declares the fuzz target <name> and its entry library <name>_entry.

    Under --config=fuzz (clang-14, .bazelrc) <name> is a libFuzzer binary.
    In every other build it links //fuzz:replay_main instead, which runs the
    same LLVMFuzzerTestOneInput over the files and directories it is given,
    so a crash found by libFuzzer replays in the ordinary gcc build, under
    any sanitizer config. The entry library is what the target's replay test
    links.

    Args:
      name: the binary's name; srcs define LLVMFuzzerTestOneInput.
      srcs: the entry point's sources.
      deps: what they use.
      **kwargs: passed to the binary (tags, data, ...).
    """
    native.cc_library(
        name = name + "_entry",
        testonly = True,
        srcs = srcs,
        copts = PYSYM_COPTS,
        # Nothing refers to LLVMFuzzerTestOneInput by name at link time
        # except the driver, which may come from an archive.
        alwayslink = True,
        deps = deps + ["//fuzz:outcome"],
    )
    native.cc_binary(
        name = name,
        testonly = True,
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = [":" + name + "_entry"] + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["//fuzz:replay_main"],
        }),
        **kwargs
    )
