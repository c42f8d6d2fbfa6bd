#!/usr/bin/env bash
# Prints the markdown of docs/coverage.md, measured on this machine with
# `pysym-dump coverage --json --list`:
#   tools/coverage_tables.sh > docs/coverage.md      every table
#   tools/coverage_tables.sh numba|stable-abi|renames one table
# pysym-dump is $PYSYM_DUMP, or built with Bazel (startup options such as
# --output_base=... in $BAZEL_STARTUP_OPTS). The name lists are the
# repository's, in data/ (data/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
section=${1:-all}
case $section in all|numba|stable-abi|renames) ;; *)
  echo "coverage_tables.sh: unknown table '$section' (numba, stable-abi, renames or all)" >&2; exit 2;;
esac

numba=data/numba-capi-names.txt
abi=data/cpython-3.11-stable-abi.txt
abi_reasons=data/cpython-3.11-stable-abi-unresolved.txt
for list in "$numba" "$abi" "$abi_reasons"; do
  [ -r "$list" ] || { echo "coverage_tables.sh: cannot read $list" >&2; exit 2; }
done

if [ -z "${PYSYM_DUMP:-}" ]; then
  read -r -a startup <<< "${BAZEL_STARTUP_OPTS:-}"
  bazel "${startup[@]}" build //tools:pysym-dump >&2
  PYSYM_DUMP=$(bazel "${startup[@]}" info bazel-bin 2>/dev/null)/tools/pysym-dump
fi
export PYSYM_DUMP

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
# pyenv's CPython 3 executables, oldest first: versions/X.Y.Z/bin/pythonX.Y
pyenv_pythons=()
for dir in $(ls -d "$pyenv_root"/versions/3.* 2>/dev/null | sort -V); do
  version=$(basename "$dir")
  exe=$dir/bin/python${version%.*}
  [ -x "$exe" ] && pyenv_pythons+=("$exe")
done
pyenv_exe() {  # the pyenv executable for minor version $1 (e.g. 3.11), or ""
  for exe in "${pyenv_pythons[@]}"; do
    case $exe in */bin/python$1) echo "$exe"; return;; esac
  done
}

interpreters=()
for exe in /usr/bin/pypy3 /usr/bin/python3.11 /usr/bin/python3.11d "${pyenv_pythons[@]}"; do
  [ -x "$exe" ] && interpreters+=("$exe")
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# All formatting is Python's; pysym-dump does the measuring.
format() { /usr/bin/python3 - "$@" <<'PY'
import json, re, sys, collections
kind, args = sys.argv[1], sys.argv[2:]
STATUSES = ["exact", "alias", "substitute", "system", "missing"]

def load(path):
    with open(path) as f:
        return json.load(f)

def family(name):
    m = re.match(r"(_?Py[A-Za-z0-9]*_)", name)
    return (m.group(1) + "*") if m else name

def label(doc):
    to = doc["to"]
    name = to["path"].replace(args[0], "$(pyenv root)") if args[0] else to["path"]
    impl = {"pypy": "PyPy", "cpython": "CPython"}[to["implementation"]]
    return f"`{name}` ({impl} {to['version']}{', debug' if to['debug'] else ''})"

def by_family(names):
    groups = collections.defaultdict(list)
    for n in names:
        groups[family(n)].append(n)
    rows = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out = ["| family | missing | names |", "|---|---:|---|"]
    for fam, members in rows:
        shown = ", ".join(f"`{m}`" for m in members)
        out.append(f"| `{fam}` | {len(members)} | {shown} |")
    return "\n".join(out)

if kind == "numba":
    docs = [load(p) for p in args[1:]]
    print("| interpreter | " + " | ".join(STATUSES) + " | kind mismatches |")
    print("|---|" + "---:|" * len(STATUSES) + "---|")
    for d in docs:
        c = d["counts"]
        mism = ", ".join(f"`{n}`" for n in d["kind_mismatches"]) or "-"
        print(f"| {label(d)} | " + " | ".join(str(c[s]) for s in STATUSES) + f" | {mism} |")
    missing = collections.defaultdict(list)
    for d in docs:
        for n in d["names"]:
            if n["status"] == "missing":
                missing[n["name"]].append(label(d))
    if missing:
        print("\nMissing names, and where:\n")
        for name, where in sorted(missing.items()):
            print(f"- `{name}`: {len(where)} of {len(docs)} interpreters")
    subs = sorted({n["name"] for d in docs for n in d["names"] if n["status"] == "substitute"})
    if subs:
        print("\nSupplied by pysym's substitutes somewhere: " + ", ".join(f"`{s}`" for s in subs) + ".")

elif kind == "stable-abi":
    sys.path.insert(0, "tools")
    import stable_abi_reasons
    d = load(args[1])
    c = d["counts"]
    summary = stable_abi_reasons.summarise(d, stable_abi_reasons.read(args[2]))
    print(f"On {label(d)}, {d['total']} names:\n")
    print("| status | names | share |")
    print("|---|---:|---:|")
    for s in STATUSES:
        print(f"| {s} | {c[s]} | {100.0 * c[s] / d['total']:.1f}% |")
    print(f"\n**Linux: {summary['resolved']} of {summary['linux']} names resolve ({summary['share']:.1f}%)**; "
          f"the other {summary['windows']} names exist on Windows only. "
          "`//tools:stable_abi_coverage_test` pins the Linux count.")
    subs = [n["name"] for n in d["names"] if n["status"] == "substitute"]
    if subs:
        print(f"\n<details><summary>The {len(subs)} substitutes</summary>\n")
        print(", ".join(f"`{s}`" for s in subs) + ".")
        print("\n</details>")
    missing = summary["missing"]
    print(f"\nThe {len(missing)} missing names, by reason (`data/cpython-3.11-stable-abi-unresolved.txt`):\n")
    print("| reason | missing | names |")
    print("|---|---:|---|")
    groups = collections.defaultdict(list)
    for name, (reason, note) in missing.items():
        groups[reason].append(f"`{name}`" + (f" ({note})" if note else ""))
    for reason in list(stable_abi_reasons.REASONS) + [""]:
        if groups.get(reason):
            what = stable_abi_reasons.REASONS.get(reason, "no reason given (the test fails)")
            print(f"| {what} | {len(groups[reason])} | {', '.join(sorted(groups[reason]))} |")

elif kind == "renames":
    d = load(args[1])
    gone = [n for n in d["names"] if n["status"] != "exact"]
    counts = collections.Counter(n["status"] for n in gone)
    print(f"{d['total']} API names `{d['source']['path'].replace(args[0], '$(pyenv root)')}` exports; "
          f"{len(gone)} of them {label(d)} does not export under the same name:\n")
    print("| what pysym does | names |")
    print("|---|---:|")
    for s, what in [("alias", "alias: the rename table maps it to the new name"),
                    ("substitute", "substitute: pysym defines it"),
                    ("system", "system: another library defines it"),
                    ("missing", "missing")]:
        print(f"| {what} | {counts.get(s, 0)} |")
    aliases = [n for n in gone if n["status"] == "alias"]
    if aliases:
        print("\nRenamed (resolved by alias):\n")
        print("| 3.11 name | 3.13 name |")
        print("|---|---|")
        for n in aliases:
            print(f"| `{n['name']}` | `{n['target']}` |")
    subs = [n for n in gone if n["status"] == "substitute"]
    if subs:
        print("\nSubstituted: " + ", ".join(f"`{n['name']}`" for n in subs) + ".")
    missing = [n["name"] for n in gone if n["status"] == "missing"]
    print(f"\n<details><summary>The {len(missing)} missing names, by family</summary>\n")
    print(by_family(missing))
    print("\n</details>")
PY
}

when=$(date -u +%Y-%m-%d)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

numba_table() {
  local files=()
  local i=0
  for exe in "${interpreters[@]}"; do
    "$PYSYM_DUMP" coverage --names "$numba" --to "$exe" --list --json > "$tmp/numba-$i.json"
    files+=("$tmp/numba-$i.json"); i=$((i + 1))
  done
  echo "## Numba's C-API names on each interpreter"
  echo
  echo "The $(grep -cv '^\s*\(#\|$\)' "$numba") names Numba's code generator references (\`data/numba-capi-names.txt\`), resolved on each interpreter by status. Measured $when at $commit; regenerate with \`tools/coverage_tables.sh numba\`, which runs for each interpreter:"
  echo
  echo '```'
  echo "pysym-dump coverage --names data/numba-capi-names.txt --to INTERPRETER --list --json"
  echo '```'
  echo
  format numba "$pyenv_root" "${files[@]}"
}

stable_abi_table() {
  [ -x /usr/bin/pypy3 ] || { echo "coverage_tables.sh: /usr/bin/pypy3 is absent" >&2; return 2; }
  "$PYSYM_DUMP" coverage --names "$abi" --to /usr/bin/pypy3 --list --json > "$tmp/abi.json"
  echo "## The CPython 3.11 stable ABI on PyPy"
  echo
  echo "Measured $when at $commit; regenerate with \`tools/coverage_tables.sh stable-abi\`, which runs:"
  echo
  echo '```'
  echo "pysym-dump coverage --names data/cpython-3.11-stable-abi.txt --to /usr/bin/pypy3 --list --json"
  echo '```'
  echo
  format stable-abi "" "$tmp/abi.json" "$abi_reasons"
}

renames_table() {
  local from to
  from=$(pyenv_exe 3.11); to=$(pyenv_exe 3.13)
  if [ -z "$from" ] || [ -z "$to" ]; then
    echo "coverage_tables.sh: pyenv's 3.11 or 3.13 is absent under $pyenv_root" >&2; return 2
  fi
  "$PYSYM_DUMP" coverage --from "$from" --to "$to" --list --json > "$tmp/renames.json"
  echo "## From CPython 3.11 to 3.13: renames and removals"
  echo
  echo "Measured $when at $commit; regenerate with \`tools/coverage_tables.sh renames\`, which runs:"
  echo
  echo '```'
  echo "pysym-dump coverage --from \$(pyenv root)/versions/${from#$pyenv_root/versions/} --to \$(pyenv root)/versions/${to#$pyenv_root/versions/} --list --json"
  echo '```'
  echo
  format renames "$pyenv_root" "$tmp/renames.json"
}

case $section in
  numba) numba_table ;;
  stable-abi) stable_abi_table ;;
  renames) renames_table ;;
  all)
    cat <<'HEAD'
# C-API coverage

How many C-API names resolve on each interpreter on the project's machine, and how: `exact` (the name itself), `alias` (the name the interpreter exports for it: PyPy's `PyPyLong_FromLong`, or a CPython rename), `substitute` (pysym's own definition), `system` (another library the interpreter loads), or `missing`. The interpreters are analysed offline (`pysym-dump coverage`, see [pysym-dump.md](pysym-dump.md)), so these counts are what `Resolver` answers before any kernel runs.

This page is generated: `tools/coverage_tables.sh > docs/coverage.md` rewrites all of it, and each table names the command that measures it.

HEAD
    numba_table; echo; stable_abi_table; echo; renames_table ;;
esac
