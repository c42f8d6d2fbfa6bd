#!/usr/bin/env bash
# run_matrix.sh itself: a wrong expectation makes its cell and the exit status
# fail, absent builds are skipped by name, a runner that dies fails what it
# did not judge, and the embedding host judges like the module runner.
# Runs on python3.11 and Debian's libpython3.11; skipped by name without them.
set -uo pipefail

runfiles="${TEST_SRCDIR:-$0.runfiles}/${TEST_WORKSPACE:-pysym}"
driver="$runfiles/tests/matrix/run_matrix.sh"
interpreter=/usr/bin/python3.11
library=/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0
for needed in "$interpreter" "$library"; do
  if [[ ! -e "$needed" ]]; then
    echo "SKIPPED: $needed is absent on this machine"
    exit 0
  fi
done

work="${TEST_TMPDIR:-$(mktemp -d)}/driver_test"
rm -rf "$work" && mkdir -p "$work/kernels"
cp "$runfiles/tests/kernels/objects.ll" "$work/kernels/"
cat >"$work/kernels/aborts.ll" <<'EOF'
target triple = "x86_64-unknown-linux-gnu"
declare void @abort()
define i8* @aborts(i8* %self, i8* %args, i8* %kwargs) {
entry:
  call void @abort()
  unreachable
}
EOF
cat >"$work/judged" <<'EOF'
[right]
kernel: objects
entry: build_objects
args: (2, 0.5)
expect: (2, 0.5, [0, 1], {'answer': 2}, None, True, False)

[wrong]
kernel: objects
entry: build_objects
args: (2, 0.5)
expect: (2, 0.5, [0, 1], {'answer': 3}, None, True, False)
EOF
cat >"$work/dies" <<'EOF'
[right]
kernel: objects
entry: build_objects
args: (1, 0.5)
expect: (1, 0.5, [0], {'answer': 1}, None, True, False)

[dies]
kernel: aborts
entry: aborts
expect: None

[after]
kernel: objects
entry: build_objects
args: (1, 0.5)
expect: (1, 0.5, [0], {'answer': 1}, None, True, False)
EOF

failures=0
# check <name> <expected exit status> <manifest> <fragments...> -- <columns...>
check() {
  local name="$1" want="$2" manifest="$3"
  shift 3
  local fragments=()
  while [[ "$1" != "--" ]]; do fragments+=("$1"); shift; done
  shift
  local output status
  output="$("$driver" --manifest "$manifest" --kernels "$work/kernels" \
    --checker tests/matrix --modules python --host tests/matrix/embedded_host -- "$@" 2>&1)"
  status=$?
  local problems=()
  [[ "$status" == "$want" ]] || problems+=("exit status $status, expected $want")
  for fragment in "${fragments[@]}"; do
    grep -qF -- "$fragment" <<<"$output" || problems+=("no '$fragment' in the output")
  done
  if [[ ${#problems[@]} -eq 0 ]]; then
    echo "PASS: $name"
  else
    failures=$((failures + 1))
    echo "FAIL: $name"
    printf '  %s\n' "${problems[@]}"
    sed 's/^/  | /' <<<"$output"
  fi
}

check "a wrong expectation fails its cell and the test" 1 "$work/judged" \
  "| right | pass |" "| wrong | fail |" "| (expose) | pass |" "| (runner exit) | pass |" \
  "wrong in py3.11 [rtdyld]: returned" "wrong in py3.11 [jitlink]: returned" \
  "Cells: 3 pass, 1 fail, 0 skip" \
  -- "py3.11|module|$interpreter"

check "the embedding host judges the same way" 1 "$work/judged" \
  "| right | pass |" "| wrong | fail |" "| (expose) | pass |" "C++ host embedding $library" \
  -- "embed|embed-cpython|$library"

check "absent builds are skipped by name, never passed" 0 "$work/judged" \
  "| right | skip | skip | skip |" \
  "ghost: SKIPPED: ghost: interpreter /nonexistent/python9 is not installed on this machine" \
  "phantom: SKIPPED: phantom: library /nonexistent/libpython9*.so is absent on this machine" \
  "never: SKIPPED: never: no such build here" "Cells: 0 pass, 0 fail, 12 skip" \
  -- "ghost|module|/nonexistent/python9" "phantom|embed-cpython|/nonexistent/libpython9*.so" \
  "never|absent|no such build here"

check "a runner that dies fails the case it died in and every later one" 1 "$work/dies" \
  "| right | pass |" "| dies | fail |" "| after | fail |" "| (expose) | fail |" \
  "| (runner exit) | fail |" "(expose) in py3.11: no verdict recorded" \
  "the runner died during dies [rtdyld]" "py3.11: the runner exited with status 134" \
  "--- last lines of py3.11's output ---" \
  -- "py3.11|module|$interpreter"

check "a bad command line is refused" 2 "$work/judged" "unknown kind 'sideways'" \
  -- "odd|sideways|/bin/true"

exit $((failures > 0))
