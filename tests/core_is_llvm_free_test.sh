#!/usr/bin/env bash
# Fails when a production target of symtab/ or resolver/ depends on LLVM,
# directly or transitively. $1: the labels of their transitive deps (the
# genquery //tests:core_transitive_deps). LLVM reaches a target only through
# //third_party/llvm or an @llvm* repository.
set -euo pipefail
deps=$1
# The query must have seen the core: an empty list proves nothing.
for expected in //symtab:symbol_index //symtab:absolute_object //resolver:resolver \
                //resolver:exposure //resolver/substitutes:substitutes //support:error \
                //resolver:interpreter_image; do
  if ! grep -qx -- "$expected" "$deps"; then
    echo "FAIL: $expected is not among the queried deps; the query does not cover the core" >&2
    exit 1
  fi
done
if llvm=$(grep -E '^(//third_party/llvm[:/]|//third_party/llvm$|@llvm)' "$deps"); then
  echo "FAIL: the core depends on LLVM through:" >&2
  echo "$llvm" >&2
  echo "(bazel query 'somepath(//resolver:exposure, //third_party/llvm)' shows a path)" >&2
  exit 1
fi
echo "PASS: $(wc -l < "$deps") targets in the core's transitive deps, none of them LLVM"
