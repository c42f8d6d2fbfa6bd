#!/usr/bin/env bash
# Runs examples/embed_expose.cc (libpython loaded RTLD_LOCAL): ctypes must
# fail to import before pysym exposes libpython's names, and work after.
set -euo pipefail
out=$("$1")
printf '%s\n' "$out"
grep -q '^before exposeToProcess: ImportError: .*undefined symbol' <<< "$out"
grep -q '^exposeToProcess: [1-9][0-9]* names added' <<< "$out"
grep -qx 'after exposeToProcess: ctypes.c_int(7).value = 7' <<< "$out"
