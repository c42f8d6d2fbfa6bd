#!/usr/bin/env bash
# Builds the libFuzzer targets (--config=fuzz) and runs each from seeds made
# on this machine (fuzz/make_seeds.sh) plus the committed regression inputs,
# either for SECONDS each (exploring: docs/hardening.md has the ten-minute
# figures) or as the smoke run CI makes (tools/ci_hardening.sh).
#
# Usage: fuzz/run.sh SECONDS|smoke [TARGET[:INTERPRETER]]...
#   TARGET is elf_file, engine_ir, engine_bitcode, engine_object, name_list
#   or resolver; the resolver runs inside an embedded interpreter, cpython
#   (default) or pypy. With no TARGET, all six, and the resolver for half
#   SECONDS in each interpreter.
#   smoke: a fixed number of runs per target from a fixed random seed, about
#   a minute each on a 2-core machine. Nearly the same inputs every time
#   (LLVM's pointer-keyed maps vary coverage a little between processes), so
#   CI fails when a change breaks what passed before, not because one run's
#   mutations happened on an old weakness; finding those is the timed runs'
#   job.
# Environment:
#   BAZEL_STARTUP_OPTS   bazel startup options, e.g. --output_base=DIR
#   PYSYM_FUZZ_WORK      keep seeds, corpora, logs and crash inputs here
#                        (default: a temporary directory, removed at exit)
# Prints one line per run: "fuzz: TARGET: N runs in S s, A new inputs, crashes K".
# Exit status: 0 when no run crashed, 1 when one did (its log tail, and each
# crash input in base64 with the command that replays it, go to stderr),
# 2 on bad arguments or a failed build.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 SECONDS|smoke [TARGET[:INTERPRETER]]..." >&2; exit 2; }
[[ $# -ge 1 ]] || usage
smoke=false
if [[ $1 == smoke ]]; then
  smoke=true
  seconds=300  # a cap only: smoke runs end after their number of runs
elif [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]]; then
  seconds=$1
else
  usage
fi
shift
runs=("$@")
if [[ ${#runs[@]} -eq 0 ]]; then
  runs=(elf_file engine_ir engine_bitcode engine_object name_list resolver:cpython:half
        resolver:pypy:half)
fi

# Smoke runs per target: about 60 s each (30 s for each resolver half) at
# the rates of the ten-minute runs in docs/hardening.md.
smoke_runs() {  # TARGET INTERPRETER
  case $1:${2:-cpython} in
    elf_file:*) echo 600000 ;;
    engine_ir:*) echo 2500 ;;
    engine_bitcode:*) echo 420 ;;
    engine_object:*) echo 6000 ;;
    name_list:*) echo 20000 ;;
    resolver:cpython) echo 40000 ;;
    resolver:pypy) echo 80000 ;;
  esac
}

read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
bazel() { command bazel "${startup[@]}" "$@"; }
if [[ -n ${PYSYM_FUZZ_WORK:-} ]]; then
  work=$PYSYM_FUZZ_WORK
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/pysym-fuzz.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

bazel build --config=fuzz --symlink_prefix=/ //fuzz:all || exit 2
fuzz_bin="$(bazel info --config=fuzz bazel-bin)/fuzz"
[[ -d $work/seeds ]] || fuzz/make_seeds.sh "$work/seeds" >&2 || exit 2

run_one() {  # TARGET INTERPRETER SECONDS
  local target=$1 interpreter=$2 seconds=$3
  local run="$work/$target${interpreter:+-$interpreter}"
  mkdir -p "$run/corpus" "$run/artifacts"
  local sources=("$work/seeds/$target")
  [[ -d fuzz/regressions/$target ]] && sources+=("fuzz/regressions/$target")
  local options=(-max_total_time="$seconds" -timeout=30 -print_final_stats=1
                 -artifact_prefix="$run/artifacts/")
  if $smoke; then
    options+=(-seed=1 -runs="$(smoke_runs "$target" "$interpreter")")
  fi
  case $target in
    engine_ir) options+=(-dict=fuzz/dictionaries/llvm_ir.dict) ;;
    resolver) options+=(-dict=fuzz/dictionaries/c_api_names.dict -max_len=256) ;;
    name_list) options+=(-dict=fuzz/dictionaries/c_api_names.dict) ;;
  esac
  local status=0 start=$SECONDS
  PYSYM_EMBEDDED_PYTHON=${interpreter:-cpython} \
    "$fuzz_bin/${target}_fuzzer" "${options[@]}" "$run/corpus" "${sources[@]}" \
    > "$run/log" 2>&1 || status=$?
  local executed added artifacts crashes=0 contained=0
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -n 1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$run/log" | tail -n 1)
  artifacts=$(find "$run/artifacts" -type f | wc -l)
  # libFuzzer's malloc limit also watches the process the engine forks to
  # read bitcode (jitlink/ir_reader.cc), and saves an input whose huge
  # allocation ended that child as "oom-". The child's end is the engine's
  # to contain, and the run goes on: only the fuzzer's own failure is a crash.
  if [[ $status -ne 0 ]]; then crashes=$((artifacts > 0 ? artifacts : 1)); else contained=$artifacts; fi
  local note=""
  if [[ $contained -gt 0 ]]; then
    note=" ($contained more ended only the bitcode reader's child"
    [[ -n ${PYSYM_FUZZ_WORK:-} ]] && note+="; kept in $run/artifacts"
    note+=")"
  fi
  echo "fuzz: $target${interpreter:+ ($interpreter)}: ${executed:-?} runs in" \
       "$((SECONDS - start)) s, ${added:-?} new inputs, crashes $crashes$note"
  [[ $status -eq 0 ]] && return 0
  tail -n 60 "$run/log" >&2
  for input in "$run"/artifacts/*; do
    [[ -f $input ]] || continue
    echo "fuzz input $(basename "$input") (base64; replay with:" \
         "bazel run //fuzz:${target}_fuzzer -- FILE):" >&2
    base64 -w 0 "$input" >&2
    echo >&2
  done
  return 1
}

failed=0
for spec in "${runs[@]}"; do
  IFS=: read -r target interpreter share <<< "$spec"
  case $target in
    elf_file | engine_ir | engine_bitcode | engine_object | name_list | resolver) ;;
    *) echo "$0: unknown target $target" >&2; exit 2 ;;
  esac
  case ${interpreter:-} in
    '' | cpython | pypy) ;;
    *) echo "$0: unknown interpreter $interpreter (cpython or pypy)" >&2; exit 2 ;;
  esac
  run_seconds=$seconds
  if [[ ${share:-} == half ]] && ! $smoke; then run_seconds=$(( (seconds + 1) / 2 )); fi
  run_one "$target" "${interpreter:-}" "$run_seconds" || failed=1
done
exit $failed
