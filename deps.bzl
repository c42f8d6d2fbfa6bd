"""The repositories pysym's libraries need, for pysym's WORKSPACE and any other.

In another workspace (examples/bazel_consumer; docs/build.md, "## Bazel"):

    local_repository(name = "pysym", path = "/path/to/pysym")
    load("@pysym//:deps.bzl", "pysym_dependencies")
    pysym_dependencies()

then depend on @pysym//jitlink:python_symbol_generator, @pysym//jitlink:engine,
@pysym//resolver and the other public targets, and build with C++17. Each
repository is a Debian package on the machine, never a download: @llvm (and
@llvm<version> for --config=llvm<version>) from llvm-config-<version>,
@libelf, and @boost (Boost.DLL, for pysym-dump). A repository the workspace
declared already, by the same name, is left as it is.
"""

load("//third_party:system_library.bzl", "system_library")
load("//third_party/llvm:llvm.bzl", "llvm_repositories")

def pysym_dependencies():
    """Declares the repositories pysym's libraries and pysym-dump build from."""
    existing = native.existing_rules()
    if "llvm" not in existing:
        llvm_repositories()
    if "libelf" not in existing:
        system_library(
            name = "libelf",
            package = "libelf-dev",
            target = "libelf",
            headers = ["/usr/include/libelf.h", "/usr/include/gelf.h"],
            linkopts = ["-lelf"],
        )
    if "boost" not in existing:
        system_library(
            name = "boost",
            package = "libboost-dev",
            target = "boost",
            headers = ["/usr/include/boost"],
            defines = ["BOOST_DLL_USE_STD_FS"],
            linkopts = ["-ldl"],
        )
