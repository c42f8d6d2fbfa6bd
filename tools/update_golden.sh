#!/usr/bin/env bash
# Rewrites tests/golden/<interpreter>.json from this machine's interpreters:
# `pysym-dump interpreter PATH --symbols --json`, addresses masked and pyenv's
# root written as $PYENV_ROOT (the comparison the golden test makes, run in
# update mode). Review the diff before committing it.
# Bazel startup options (e.g. --output_base=...) can be given in
# BAZEL_STARTUP_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
bazel "${startup[@]}" build //tools:pysym_dump_golden_test
bin=$(bazel "${startup[@]}" info bazel-bin 2>/dev/null)/tools/pysym_dump_golden_test
# The test finds pysym-dump and tests/golden relative to its runfiles tree.
cd "$bin.runfiles/pysym"
PYSYM_DUMP=tools/pysym-dump PYSYM_UPDATE_GOLDEN="$root/tests/golden" "$bin"
git -C "$root" status --short -- tests/golden
