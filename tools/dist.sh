#!/usr/bin/env bash
# Builds pysym's wheels, offline, and copies them into OUTDIR: one wheel per
# interpreter this machine has (CPython 3.11, PyPy 3.9, each pyenv CPython
# 3.8+), tagged by the interpreter itself. They are the outputs of
# //python/packaging:wheels, made from //python:modules; docs/build.md
# ("## Wheels") says what is in them and what they need at run time.
#
# Usage: tools/dist.sh OUTDIR [bazel build options...]
# Environment:
#   BAZEL_STARTUP_OPTS   bazel startup options, e.g. --output_base=DIR
# Prints the path of each wheel written.
set -euo pipefail
if [[ $# -lt 1 || $1 == -* ]]; then
  echo "usage: tools/dist.sh OUTDIR [bazel build options...]" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift
cd "$(dirname "$0")/.."
./tools/setup.sh

read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
bazel() { command bazel "${startup[@]}" "$@"; }

bazel build --symlink_prefix=/ "$@" //python/packaging:wheels
wheels="$(bazel info "$@" bazel-bin 2>/dev/null)/python/packaging/wheels"
for wheel in "$wheels"/*.whl; do
  install -m 644 "$wheel" "$out/"
  echo "$out/$(basename "$wheel")"
done
