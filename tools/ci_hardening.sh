#!/usr/bin/env bash
# CI's hardening stage, run by .ci/run after the README's test command: the
# C++ tests under ASan+UBSan, the concurrency tests under TSan, every test
# again against LLVM 19, the fuzz smoke run (fuzz/run.sh smoke: a fixed
# number of runs of each target from a fixed seed, about a minute each), and
# the consumers test (tools/consumers_test.sh: the installed library used
# with pkg-config and CMake, and pysym used from another Bazel workspace).
# What each step covers, what it leaves out and why, and how long it takes:
# docs/hardening.md.
#
# Environment:
#   BAZEL_STARTUP_OPTS   bazel startup options, e.g. --output_base=DIR
# Every step runs even when an earlier one fails. Exit status: 0 when all
# passed, 1 otherwise. A fuzz crash prints the input (base64) and the command
# that replays it. Ends with a table of the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh

read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
bazel() { command bazel "${startup[@]}" "$@"; }

# The tests with threads racing on purpose (docs/hardening.md), and of
# them only the threaded cases (--test_filter): TSan is the slowest
# sanitizer and finds nothing in single-threaded code.
concurrency_filter='*Thread*:*Concurrent*'
concurrency_tests=(
  //jitlink:engine_concurrency_test
  //jitlink:python_symbol_generator_test
  //resolver:exposure_test
  //resolver:resolver_test
  //resolver/substitutes:substitute_set_test
  //symtab:symbol_index_test
)

failed=()
timings=()
step() {  # NAME COMMAND...
  local name=$1 start=$SECONDS result=passed
  shift
  echo "== hardening: $name ($(date -u +%H:%M:%S), load $(cut -d" " -f1-3 /proc/loadavg))" >&2
  "$@" || { result=FAILED; failed+=("$name"); }
  timings+=("$(printf '%-34s %5ds  %s' "$name" $((SECONDS - start)) "$result")")
}

step "asan+ubsan: C++ tests" bazel test --config=asan_ubsan //...
step "tsan: concurrency tests" bazel test --config=tsan --test_filter="$concurrency_filter" \
  "${concurrency_tests[@]}"

step "llvm19: all tests" bazel test --config=llvm19 //...
step "fuzz: smoke" fuzz/run.sh smoke
# pysym used from outside: installed, then built with pkg-config, CMake and
# another Bazel workspace (its own output base, so its own server).
step "consumers: install and build" tools/consumers_test.sh

# Leave no Bazel server behind (CI machines are reused).
bazel shutdown
printf '%s\n' "hardening: time per step" "${timings[@]}" >&2
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "hardening: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "hardening: all steps passed" >&2
