#!/usr/bin/env bash
# Runs matrix_check_test.py, the judge's unit tests, in one interpreter.
# Usage: matrix_check_test.sh <interpreter>; skipped by name when it is absent.
set -euo pipefail
interpreter="$1"
if [[ ! -x "$interpreter" ]]; then
  echo "SKIPPED: $interpreter is not installed on this machine"
  exit 0
fi
runfiles="${TEST_SRCDIR:-$0.runfiles}/${TEST_WORKSPACE:-pysym}"
export PYSYM_MATRIX_MANIFEST="$runfiles/tests/kernels/MANIFEST"
cd "$runfiles/tests/matrix"
exec "$interpreter" -B -W error::ResourceWarning -m unittest --verbose matrix_check_test
