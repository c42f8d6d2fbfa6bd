#!/usr/bin/env bash
# Runs every pysym test: installs what is missing, then `bazel test //...`.
# Extra arguments go to bazel test (e.g. a target pattern or --config).
# BAZEL_STARTUP_OPTS passes startup options (e.g. --output_base=DIR).
# Ends with the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
./tools/setup.sh
setup_seconds=$((SECONDS - start))
read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
status=0
bazel "${startup[@]}" test //... "$@" || status=$?
# Leave no Bazel server behind (CI machines are reused).
bazel "${startup[@]}" shutdown
printf 'test.sh: setup %ds, bazel test %ds\n' "$setup_seconds" \
  $((SECONDS - start - setup_seconds)) >&2
exit $status
