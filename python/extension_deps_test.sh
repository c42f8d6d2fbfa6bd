#!/usr/bin/env bash
# Checks what each of pysym's two extensions links, from `bazel query`
# results (genquery): the core extension nothing of jitlink/ and nothing of
# LLVM (which reaches a target only through //third_party/llvm or an @llvm*
# repository), so that `import pysym` never maps libLLVM; the engine extension
# nothing of the resolver's implementation or symtab/, so that the
# resolver's code and process-wide state exist once, in the core (the engine
# asks it through resolver/name_source.h).
# Usage: extension_deps_test.sh <core deps file> <engine deps file>
set -euo pipefail
core="$1"
engine="$2"
status=0

forbid() {  # forbid <deps file> <what> <extended regex of labels>
  local found
  found=$(grep -E "$3" "$1" || true)
  if [ -n "$found" ]; then
    echo "FAIL: the $2 depends on:"
    echo "$found"
    status=1
  fi
}

# Both lists must be real: each extension has its entry point among its deps.
grep -qx '//python:src/module.cc' "$core" || { echo "FAIL: $core lists no core sources"; exit 1; }
grep -qx '//python:src/engine_module.cc' "$engine" || { echo "FAIL: $engine lists no engine sources"; exit 1; }

forbid "$core" "core extension" '^//jitlink[:/]'
forbid "$core" "core extension" '^(//third_party/llvm([:/]|$)|@llvm)'
# The engine's list must show LLVM, or the pattern above proves nothing.
grep -qE '^(//third_party/llvm([:/]|$)|@llvm)' "$engine" || { echo "FAIL: $engine lists no LLVM"; exit 1; }
# symtab's stateless vocabulary (elf_vocabulary, used by jitlink's object
# checks) is allowed; its readers and indexes are the resolver's.
forbid "$engine" "engine extension" '^//(resolver(:resolver|:interpreter_image|:exposure|/substitutes)|symtab:(loaded_images|symbol_index|elf_file|absolute_object))'
forbid "$engine" "engine extension" '^//python:src/(module|state|resolution_type)\.cc$'

if [ "$status" -eq 0 ]; then
  echo "core: $(grep -c '^//' "$core") labels, none of jitlink/ or LLVM; engine: $(grep -c '^//' "$engine") labels, none of the resolver's implementation"
fi
exit "$status"
