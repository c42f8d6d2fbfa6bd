#!/usr/bin/env bash
# Installs pysym's C++ library under a prefix, built offline with Bazel
# (-c opt) from this checkout (docs/build.md, "## Installing the C++ library"):
#   PREFIX/lib/libpysym.so.0, libpysym_core.so.0 and their .so links
#   PREFIX/include/pysym/<package>/<file>.h
#   PREFIX/lib/pkgconfig/pysym.pc, pysym-core.pc
#   PREFIX/lib/cmake/pysym/pysymConfig.cmake, pysymConfigVersion.cmake
#   PREFIX/bin/pysym-dump
# The tree is relocatable: nothing in it names PREFIX.
#
# Usage: tools/install.sh --prefix DIR
# Environment:
#   BAZEL_STARTUP_OPTS   bazel startup options, e.g. --output_base=DIR
#   BAZEL_BUILD_OPTS     further bazel build options, e.g. --disk_cache=DIR;
#                        they come after -c opt, so "-c fastbuild" installs
#                        the outputs `bazel test //...` built
set -euo pipefail

usage() {
  echo "usage: $0 --prefix DIR" >&2
  exit 2
}
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    *) usage ;;
  esac
done
[ -n "$prefix" ] || usage
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

cd "$(dirname "$0")/.."
read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
read -r -a options <<< "${BAZEL_BUILD_OPTS:-}"
bazel() { command bazel "${startup[@]}" "$@"; }

# No convenience symlinks: bazel-bin may belong to another output base.
bazel build -c opt --symlink_prefix=/ "${options[@]}" //install:tree
tree="$(bazel info -c opt "${options[@]}" bazel-bin)/install/pysym-install.tar"
tar -C "$prefix" --no-same-owner -xf "$tree"
echo "install.sh: installed pysym $(cat VERSION) under $prefix" >&2
