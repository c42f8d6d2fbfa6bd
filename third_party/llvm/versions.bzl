"""The one place that names the LLVM version pysym builds against."""

LLVM_VERSION = "14"
