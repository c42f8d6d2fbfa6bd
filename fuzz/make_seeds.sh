#!/usr/bin/env bash
# Writes the fuzz targets' seed corpora under OUT/<target>/, from files on
# this machine: small real ELF files (crt objects, libc's stub libraries),
# the IR kernels in tests/kernels and fuzz/testdata (and, with --ir DIR,
# the .ll files in DIR, e.g. the built python/kernels), their bitcode
# (llvm-as-14) and objects (llc-14, for each linker's code model), and C-API
# names exported by the interpreters. Nothing here is committed: libFuzzer
# mutates from these. Missing inputs are skipped with a note.
#
# Usage: fuzz/make_seeds.sh OUT [--ir DIR]...
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 ]]; then
  echo "usage: $0 OUT [--ir DIR]..." >&2
  exit 2
fi
out=$1
shift
ir_dirs=(tests/kernels fuzz/testdata)
while [[ $# -gt 0 ]]; do
  case $1 in
    --ir) ir_dirs+=("$2"); shift 2 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
  esac
done

for target in elf_file engine_ir engine_bitcode engine_object resolver name_list; do
  mkdir -p "$out/$target"
done

copy_if_present() {  # TARGET FILE...
  local target=$1
  shift
  for file in "$@"; do
    if [[ -f $file ]]; then
      cp "$file" "$out/$target/"
    else
      echo "make_seeds: $file is absent, not a seed" >&2
    fi
  done
}

# ELF: relocatable objects, shared libraries with GNU versions, an
# executable; each a few KB.
copy_if_present elf_file \
  /usr/lib/x86_64-linux-gnu/crt1.o /usr/lib/x86_64-linux-gnu/crti.o \
  /usr/lib/x86_64-linux-gnu/crtn.o /usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o \
  /usr/lib/gcc/x86_64-linux-gnu/12/crtend.o /lib/x86_64-linux-gnu/libdl.so.2 \
  /lib/x86_64-linux-gnu/librt.so.1 /lib/x86_64-linux-gnu/libutil.so.1
copy_if_present engine_object /usr/lib/x86_64-linux-gnu/crti.o /usr/lib/x86_64-linux-gnu/crtn.o

# IR kernels, as text, bitcode and objects. RuntimeDyld accepts only the
# large code model with static relocations; JITLink also the small PIC one.
for dir in "${ir_dirs[@]}"; do
  for ll in "$dir"/*.ll; do
    [[ -f $ll ]] || continue
    name=$(basename "$ll" .ll)
    cp "$ll" "$out/engine_ir/$name.ll"
    llvm-as-14 "$ll" -o "$out/engine_bitcode/$name.bc"
    llc-14 -O2 -filetype=obj -mtriple=x86_64-pc-linux-gnu --code-model=large \
      --relocation-model=static "$ll" -o "$out/engine_object/$name.large.o"
    llc-14 -O2 -filetype=obj -mtriple=x86_64-pc-linux-gnu --relocation-model=pic \
      "$ll" -o "$out/engine_object/$name.pic.o"
  done
done
cp "$out"/engine_object/kernel.large.o "$out/elf_file/" 2>/dev/null || true

# Names: what the interpreters export (CPython's and PyPy's spellings),
# what only a substitute provides, libc names, and a list in each format
# readNameList reads.
names() {  # FILE COUNT
  [[ -f $1 ]] || { echo "make_seeds: $1 is absent, no names from it" >&2; return 0; }
  nm -D --defined-only "$1" | awk '$3 ~ /^_?Py/ {print $3}' | sed 's/@.*//' | sort -u |
    awk -v n="$2" 'NR % 17 == 1 && c < n {print; c++}'
}
{
  names /usr/bin/python3.11 24
  names /usr/lib/x86_64-linux-gnu/libpypy3.9-c.so 24
  printf '%s\n' PyLong_FromLong _Py_NoneStruct PyExc_TypeError _Py_c_pow PyTuple_Pack \
    _PyDict_NewPresized Py_IncRef PyModule_AddType memcpy sin
} > "$out/names.txt"
i=0
while read -r name; do
  printf '%s' "$name" > "$out/resolver/name$((i++))"
done < "$out/names.txt"
{
  echo "# kinds in both spellings, comments, blank lines"
  awk 'NR % 3 == 0 {print "F " $0; next} NR % 3 == 1 {print "data " $0; next} {print}' \
    "$out/names.txt"
  echo
} > "$out/name_list/mixed.txt"
head -5 "$out/names.txt" > "$out/name_list/bare.txt"
printf 'D _Py_NoneStruct  # the object itself\nfunction PyLong_FromLong\n' \
  > "$out/name_list/comments.txt"
rm "$out/names.txt"

for target in elf_file engine_ir engine_bitcode engine_object resolver name_list; do
  echo "make_seeds: $target: $(ls "$out/$target" | wc -l) seeds"
done
