#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages pysym needs that this machine
# lacks, and only those. Idempotent; prints nothing when all are present.
set -euo pipefail

packages=(
  bazel-bootstrap bazel-rules-java
  llvm-14-dev clang-14 libclang-rt-14-dev llvm-19-dev
  libelf-dev libboost-dev libgtest-dev libbenchmark-dev
  pypy3 pypy3-dev
  python3.11-dev python3.11-dbg libpython3.11 python3-llvmlite
  python3-wheel python3-packaging python3-pip python3.11-venv pypy3-venv
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only when a package is not known to apt yet.
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq >/dev/null
fi
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
