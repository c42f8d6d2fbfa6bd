#!/usr/bin/env bash
# Runs the regression matrix: every case of tests/kernels/MANIFEST in every
# column, then prints the table case x column -> pass, fail or skip.
#
# Usage: run_matrix.sh --manifest F --kernels D --checker D --modules D --host B -- COLUMN...
# Paths may be relative to the runfiles root. Each COLUMN is label|kind|location:
#   module         location is an interpreter, which imports the pysym module
#                  from --modules and runs module_runner.py;
#   embed-cpython, embed-pypy
#                  location is a shared library, which --host (embedded_host)
#                  loads RTLD_LOCAL; a `*` in it picks the newest match;
#   absent         location says why this column cannot run here.
# A column whose interpreter or library is missing is skipped by name. Exit
# status 1 when any cell fails, 0 otherwise, 2 for a bad command line.
set -uo pipefail

die() { echo "run_matrix.sh: $*" >&2; exit 2; }

manifest="" kernels="" checker="" modules="" host=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --manifest) manifest="${2:-}"; shift 2 ;;
    --kernels) kernels="${2:-}"; shift 2 ;;
    --checker) checker="${2:-}"; shift 2 ;;
    --modules) modules="${2:-}"; shift 2 ;;
    --host) host="${2:-}"; shift 2 ;;
    --) shift; break ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ -n "$manifest" && -n "$kernels" && -n "$checker" && -n "$modules" && -n "$host" ]] ||
  die "--manifest, --kernels, --checker, --modules and --host are all required"
[[ $# -gt 0 ]] || die "no columns given"

runfiles="${TEST_SRCDIR:-$0.runfiles}/${TEST_WORKSPACE:-pysym}"
absolute() { if [[ "$1" == /* ]]; then echo "$1"; else echo "$runfiles/$1"; fi; }
manifest="$(absolute "$manifest")" kernels="$(absolute "$kernels")"
checker="$(absolute "$checker")" modules="$(absolute "$modules")" host="$(absolute "$host")"
[[ -f "$manifest" ]] || die "no manifest at $manifest"
work="${TEST_TMPDIR:-$(mktemp -d)}/matrix"
rm -rf "$work" && mkdir -p "$work"
# Each column gets this long (a column takes about 5 s): a hung interpreter
# becomes its column's failure, and the rest of the table still prints.
column_timeout="${PYSYM_MATRIX_COLUMN_TIMEOUT:-120}"

# The newest file matching a pattern with one `*`, or the pattern itself.
newest() {
  local matches
  # shellcheck disable=SC2206  # the glob is meant to expand
  matches=($1)
  if [[ -e "${matches[0]}" ]]; then printf '%s\n' "${matches[@]}" | sort -V | tail -n 1; else echo "$1"; fi
}

labels=()
for spec in "$@"; do
  IFS='|' read -r label kind location <<<"$spec"
  [[ -n "$label" && -n "$kind" && -n "$location" ]] || die "bad column '$spec'"
  labels+=("$label")
  results="$work/$label.tsv" log="$work/$label.log"
  : >"$log"
  skip_reason=""
  start=$SECONDS
  case "$kind" in
    absent)
      skip_reason="$label: $location" ;;
    module)
      if [[ ! -x "$location" ]]; then
        skip_reason="$label: interpreter $location is not installed on this machine"
      else
        PYTHONPATH="$modules:$checker" PYTHONDONTWRITEBYTECODE=1 \
          timeout "$column_timeout" "$location" "$checker/module_runner.py" \
          "$manifest" "$kernels" "$results" "$label" >"$log" 2>&1
        status=$?
      fi ;;
    embed-cpython|embed-pypy)
      location="$(newest "$location")"
      if [[ ! -f "$location" ]]; then
        skip_reason="$label: library $location is absent on this machine"
      else
        timeout "$column_timeout" "$host" --flavor="${kind#embed-}" --library="$location" \
          --column="$label" --manifest="$manifest" --kernels="$kernels" --checker="$checker" \
          --results="$results" >"$log" 2>&1
        status=$?
      fi ;;
    *) die "column '$label': unknown kind '$kind'" ;;
  esac
  if [[ -n "$skip_reason" ]]; then
    printf 'column\t%s\t(not run)\nskip\t%s\n' "$label" "$skip_reason" >"$results"
  else
    [[ -f "$results" ]] || printf 'column\t%s\t(no results written)\n' "$label" >"$results"
    printf 'exit\t%s\t%s\n' "$status" "$((SECONDS - start))" >>"$results"
  fi
done

# One table from the results files: cases in manifest order, columns in the
# order given. A case is pass in a column when both linkers passed, fail when
# either failed or never finished, and skip when the column did not run.
# The (expose) row is each runner's last step: after exposing pysym's
# answers to the process, the loader finds every name a case expects the
# interpreter or a substitute to answer, at the resolver's address.
files=()
for label in "${labels[@]}"; do files+=("$work/$label.tsv"); done
awk -F'\t' -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" '
  FNR == 1 && FILENAME == ARGV[1] { reading_manifest = 1 }
  FNR == 1 && FILENAME != ARGV[1] { reading_manifest = 0; column = ""; columns[++ncolumns] = "" }
  reading_manifest {
    if (match($0, /^\[[A-Za-z0-9_]+\]/)) cases[++ncases] = substr($0, 2, RLENGTH - 2)
    next
  }
  $1 == "column" { column = $2; columns[ncolumns] = $2; what[$2] = $3 }
  $1 == "skip" { skipped[column] = $2 }
  $1 == "start" { started[column, $2, $3] = 1 }
  $1 == "result" {
    finished[column, $2, $3] = $4
    if ($4 == "fail") failures[++nfailures] = $2 " in " column " [" $3 "]: " $5
  }
  $1 == "expose" {
    exposure[column] = $2
    if ($2 == "fail") failures[++nfailures] = "(expose) in " column ": " $3
  }
  $1 == "exit" { exit_status[column] = $2; seconds[column] = $3 }
  function verdict(c, k,   linker, n, outcome) {
    if (k in skipped) return "skip"
    outcome = "pass"
    for (n = 1; n <= 2; n++) {
      linker = n == 1 ? "rtdyld" : "jitlink"
      if (!((k, c, linker) in finished)) {
        if ((k, c, linker) in started) died[k] = c " [" linker "]"
        if (!(k in unjudged)) first_unjudged[k] = c " [" linker "]"
        unjudged[k]++
        outcome = "fail"
      } else if (finished[k, c, linker] != "pass") {
        outcome = "fail"
      }
    }
    return outcome
  }
  END {
    printf "Regression matrix, %s: %d cases x %d columns\n\n", date, ncases, ncolumns
    header = "| case |"; rule = "|---|"
    for (j = 1; j <= ncolumns; j++) { header = header " " columns[j] " |"; rule = rule "---|" }
    print header; print rule
    for (i = 1; i <= ncases; i++) {
      line = "| " cases[i] " |"
      for (j = 1; j <= ncolumns; j++) {
        v = verdict(cases[i], columns[j]); total[v]++
        line = line " " v " |"
      }
      print line
    }
    # A runner that crashes or hangs after its last verdict still fails its column.
    line = "| (expose) |"
    for (j = 1; j <= ncolumns; j++) {
      k = columns[j]
      v = (k in skipped) ? "skip" : ((k in exposure) ? exposure[k] : "fail")
      if (!(k in skipped) && !(k in exposure))
        failures[++nfailures] = "(expose) in " k ": no verdict recorded"
      total[v]++
      line = line " " v " |"
    }
    print line
    line = "| (runner exit) |"
    for (j = 1; j <= ncolumns; j++) {
      k = columns[j]
      v = (k in skipped) ? "skip" : (exit_status[k] == "0" ? "pass" : "fail")
      if (v == "fail") failures[++nfailures] = k ": the runner exited with status " exit_status[k]
      total[v]++
      line = line " " v " |"
    }
    print line
    printf "\nColumns:\n"
    for (j = 1; j <= ncolumns; j++) {
      k = columns[j]
      if (k in skipped) printf "  %s: SKIPPED: %s\n", k, skipped[k]
      else printf "  %s: %s (exit status %s, %s s)\n", k, what[k], exit_status[k], seconds[k]
    }
    # A runner that dies leaves every later case without a verdict: one line per column.
    for (j = 1; j <= ncolumns; j++) {
      k = columns[j]
      if (!(k in unjudged)) continue
      failures[++nfailures] = k ": " unjudged[k] " case runs have no verdict, from " \
        first_unjudged[k] " on; " ((k in died) ? "the runner died during " died[k] : \
        "the runner never reached them") " (exit status " exit_status[k] ")"
    }
    if (nfailures > 0) {
      printf "\nFailures:\n"
      for (i = 1; i <= nfailures; i++) printf "  %s\n", failures[i]
    }
    printf "\nCells: %d pass, %d fail, %d skip\n", total["pass"], total["fail"], total["skip"]
    exit (total["fail"] > 0)
  }
' "$manifest" "${files[@]}"
verdict=$?

# The logs of columns that did not exit cleanly, for whoever reads the failure.
for label in "${labels[@]}"; do
  if grep -q $'^exit\t[^0]' "$work/$label.tsv" 2>/dev/null; then
    echo
    echo "--- last lines of $label's output ---"
    tail -n 30 "$work/$label.log"
  fi
done
exit "$verdict"
