#!/usr/bin/env bash
# Runs every pysym test: installs what is missing, then `bazel test //...`.
# Extra arguments go to bazel test (e.g. a target pattern or --config).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh
status=0
bazel test //... "$@" || status=$?
# Leave no Bazel server behind (CI machines are reused).
bazel shutdown
exit $status
