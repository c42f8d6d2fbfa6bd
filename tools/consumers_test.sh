#!/usr/bin/env bash
# Uses pysym from outside this repository, the three ways docs/build.md
# describes, and runs examples/lljit_pypy.cc (an ORC LLJIT calling
# PyLong_FromLong inside an embedded PyPy) built each way:
#   install    tools/install.sh into a temporary prefix, then moved elsewhere
#              (the tree must not depend on where it was installed); checks
#              its layout, pysym-dump --version, and that each installed
#              header compiles on its own with pkg-config's flags (the
#              core's with pysym-core's, which name no LLVM);
#   pkg-config the program compiled with $(pkg-config --cflags --libs pysym),
#              and examples/embed_expose.cc (an embedding host calling
#              exposeToProcess) with pysym-core's flags alone;
#   cmake      examples/cmake_consumer, configured with find_package, and
#              examples/cmake_core_consumer (embed_expose.cc) with the core
#              component alone, which must not find LLVM;
#   bazel      examples/bazel_consumer, a workspace of its own that uses pysym
#              through local_repository, built by a Bazel server with its own
#              output base.
# Run by the CI's hardening stage (tools/ci_hardening.sh). Ends with the time
# of each step; exit status 0 when every step passed.
#
# The tree is installed from the fastbuild outputs (install.sh's -c opt
# overridden): the README's test command has built them already, as
# //install:tree is part of //..., so the step compiles nothing, and what it
# checks (layout, exports, relocation, the consumers) does not depend on the
# optimisation level.
#
# Environment:
#   BAZEL_STARTUP_OPTS   bazel startup options for this workspace (install.sh)
#   BAZEL_BUILD_OPTS     bazel build options for both workspaces, e.g.
#                        --disk_cache=DIR (the nested workspace compiles
#                        pysym's sources once more: its paths differ, so only
#                        its own earlier runs' cache entries serve it)
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd)
version=$(cat VERSION)
read -r -a build_options <<< "${BAZEL_BUILD_OPTS:-}"

work=$(mktemp -d "${TMPDIR:-/tmp}/pysym-consumers.XXXXXX")
prefix=$work/prefix
consumer_output_base=$work/bazel_consumer_output
consumer_bazel() {
  (cd examples/bazel_consumer && command bazel --output_base="$consumer_output_base" "$@")
}

timings=()
report() {
  if [ -d "$consumer_output_base" ]; then
    consumer_bazel shutdown || true
    chmod -R u+w "$consumer_output_base"
  fi
  rm -rf "$work"
  printf '%s\n' "consumers: time per step" "${timings[@]}" >&2
}
trap report EXIT
step() {  # NAME COMMAND...
  local name=$1 start=$SECONDS
  shift
  echo "== consumers: $name ($(date -u +%H:%M:%S), load $(cut -d" " -f1-3 /proc/loadavg))" >&2
  "$@"
  timings+=("$(printf '%-12s %5ds' "$name" $((SECONDS - start)))")
}

# The program prints what the kernel returned; it exits 0 only for 42.
run_program() {  # BINARY
  local out
  out=$("$1")
  printf '%s\n' "$out"
  grep -qx 'roundtrip(42) = 42' <<< "$out"
  grep -q '^PyLong_FromLong: PyLong_FromLong -> PyPyLong_FromLong' <<< "$out"
}

install_tree() {
  BAZEL_BUILD_OPTS="${BAZEL_BUILD_OPTS:-} -c fastbuild" ./tools/install.sh --prefix "$work/staging"
  mv "$work/staging" "$prefix"
  for f in lib/libpysym.so.0 lib/libpysym_core.so.0 lib/pkgconfig/pysym.pc \
      lib/pkgconfig/pysym-core.pc lib/cmake/pysym/pysymConfig.cmake \
      lib/cmake/pysym/pysymConfigVersion.cmake include/pysym/version.h \
      include/pysym/jitlink/python_symbol_generator.h include/pysym/resolver/resolver.h; do
    [ -f "$prefix/$f" ] || { echo "install: $f is missing" >&2; return 1; }
  done
  [ "$(readlink "$prefix/lib/libpysym.so")" = libpysym.so.0 ]
  [ "$(readlink "$prefix/lib/libpysym_core.so")" = libpysym_core.so.0 ]
  "$prefix/bin/pysym-dump" --version | grep -qF "$version"
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  [ "$(pkg-config --modversion pysym)" = "$version" ]
  # Each header compiles on its own: the installed set is closed. The core's
  # (all but jitlink's) with pysym-core's flags, which name no LLVM.
  compile_headers "$(pkg-config --cflags pysym)" -path 'pysym/jitlink/*'
  compile_headers "$(pkg-config --cflags pysym-core)" -not -path 'pysym/jitlink/*'
}

compile_headers() {  # CFLAGS FIND-TESTS...
  local cflags=$1
  shift
  (cd "$prefix/include" && find pysym -name '*.h' "$@" | sort) |
    xargs -P 2 -I{} sh -c "echo '#include \"{}\"' | g++ -std=c++17 -fsyntax-only -x c++ - $cflags"
}

pkg_config_consumer() {
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  # shellcheck disable=SC2046  # pkg-config's output is a list of flags
  g++ -std=c++17 -o "$work/lljit_pypy_pkg_config" examples/lljit_pypy.cc \
    $(pkg-config --cflags --libs pysym) -ldl -Wl,-rpath,"$(pkg-config --variable=libdir pysym)"
  run_program "$work/lljit_pypy_pkg_config"
  # The embedding host of examples/embed_expose.cc needs only the core.
  # shellcheck disable=SC2046
  g++ -std=c++17 -o "$work/embed_expose" examples/embed_expose.cc \
    $(pkg-config --cflags --libs pysym-core) -ldl -Wl,-rpath,"$(pkg-config --variable=libdir pysym-core)"
  local out
  out=$("$work/embed_expose")
  printf '%s\n' "$out"
  grep -qx 'after exposeToProcess: ctypes.c_int(7).value = 7' <<< "$out"
}

cmake_consumer() {
  cmake -S examples/cmake_consumer -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release > "$work/cmake.log" || { cat "$work/cmake.log" >&2; return 1; }
  grep -F "pysym $version in $prefix/lib/cmake/pysym" "$work/cmake.log"
  cmake --build "$work/cmake" -j 2
  run_program "$work/cmake/lljit_pypy"
  # The core alone, without LLVM's package: the embedding host.
  cmake -S examples/cmake_core_consumer -B "$work/cmake_core" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release > "$work/cmake_core.log" || { cat "$work/cmake_core.log" >&2; return 1; }
  if grep -i llvm "$work/cmake_core/CMakeCache.txt"; then
    echo "cmake: the core-only project found LLVM" >&2
    return 1
  fi
  cmake --build "$work/cmake_core" -j 2
  local out
  out=$("$work/cmake_core/embed_expose")
  printf '%s\n' "$out"
  grep -qx 'after exposeToProcess: ctypes.c_int(7).value = 7' <<< "$out"
}

bazel_consumer() {
  consumer_bazel build --symlink_prefix=/ "${build_options[@]}" //:lljit_pypy
  run_program "$(consumer_bazel info "${build_options[@]}" bazel-bin)/lljit_pypy"
}

step install install_tree
step pkg-config pkg_config_consumer
step cmake cmake_consumer
step bazel bazel_consumer
echo "consumers: all steps passed (pysym $version, checkout $checkout)" >&2
