#!/usr/bin/env bash
# Runs pysym's unittest suite in one interpreter, as a Bazel test.
# Usage: run_unittest.sh <display name> <interpreter path or command>
# The extension modules and the kernels' IR come from the runfiles; the
# interpreter picks its own module by extension suffix. An interpreter that is
# not installed is reported skipped by name (exit 0): not every machine has
# every interpreter, and pyenv's are optional.
set -euo pipefail
name="$1"
interpreter="$2"

if ! command -v "$interpreter" >/dev/null 2>&1; then
  echo "SKIPPED: $name ($interpreter) is not installed on this machine"
  exit 0
fi

runfiles="${TEST_SRCDIR:-$0.runfiles}/${TEST_WORKSPACE:-pysym}"
export PYTHONPATH="$runfiles/python"
export PYSYM_KERNELS="$runfiles/python/kernels"
# Keep interpreter caches out of the runfiles tree.
export PYTHONDONTWRITEBYTECODE=1
cd "$runfiles/python/tests"
echo "pysym tests in $name: $("$interpreter" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
exec "$interpreter" -m unittest discover --start-directory . --pattern '*_test.py' --verbose
