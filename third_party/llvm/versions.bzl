"""The one place that names the LLVM versions pysym builds against."""

# The LLVM of the default build, in the repository @llvm.
LLVM_VERSION = "14"

# Further LLVMs, each in the repository @llvm<version> and chosen with
# --config=llvm<version> (.bazelrc), which sets --define=llvm=<version>.
# A repository here is only fetched by a build that chooses it, and does not
# need its package installed otherwise.
LLVM_OTHER_VERSIONS = ["19"]
