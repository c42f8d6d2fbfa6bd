#!/usr/bin/env bash
# The main job: installs what is missing, builds pysym's extension modules
# and the example kernels, then runs the kernels in pypy3 and python3.11
# and prints one table of results, symbol resolutions and timings.
#
# Usage: ./tools/main_job.sh [--all] [--linker rtdyld|jitlink] [INTERPRETER...]
#   --all   also python3.11d and every pyenv CPython 3.8+ present
#   INTERPRETER...  run these instead (names on PATH or paths)
# Environment: BAZEL_STARTUP_OPTS, startup options for bazel (for example
# --output_base=DIR); BAZEL, the bazel to run (default: bazel).
set -euo pipefail
cd "$(dirname "$0")/.."

./tools/setup.sh

bazel=(${BAZEL:-bazel} ${BAZEL_STARTUP_OPTS:-})
# Build quietly; on failure, show what bazel said.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "${bazel[@]}" build --symlink_prefix=/ //python:modules //python/kernels >"$log" 2>&1; then
  cat "$log" >&2
  echo "main_job: the build failed" >&2
  exit 1
fi
bin=$("${bazel[@]}" info bazel-bin 2>/dev/null)

exec /usr/bin/python3.11 python/examples/main_job.py \
  --modules "$bin/python" --kernels "$bin/python/kernels" "$@"
