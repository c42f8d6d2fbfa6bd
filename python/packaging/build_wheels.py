#!/usr/bin/python3
"""Writes pysym's wheels, one per interpreter, from the package files Bazel
built (//python:modules). Run by the //python/packaging:wheels action;
./tools/dist.sh copies its output. docs/build.md, "## Wheels".

Usage: build_wheels.py --out DIR --metadata METADATA.in --version-file VERSION
                       --llvm-version N --license LICENSE --pth FILE
                       --tag-script interpreter_tag.py
                       --interpreter PATH... --file ARCNAME=PATH...

Each interpreter is asked for its wheel tag and extension suffix
(interpreter_tag.py, with Debian's python3-packaging). Its wheel holds every
--file that is not an extension module, and of the extension modules
(*.so) those whose name ends in its suffix: so the files come from the Bazel
target, whatever modules it has. Interpreters that share a tag (pyenv's
3.11 and Debian's) share one wheel. Beside the package go the start-up
hook (--pth) and, in the .dist-info, METADATA (--metadata with @VERSION@ and
@LLVM_VERSION@ filled in), WHEEL, the licence and RECORD, which
wheel.wheelfile (Debian's python3-wheel) writes with sha256 hashes.
Timestamps come from SOURCE_DATE_EPOCH, so a rebuild is byte-identical.
"""

import argparse
import json
import os
import subprocess
import sys
import zipfile

try:
    import packaging
    from wheel.wheelfile import WheelFile, get_zipinfo_datetime
except ImportError as error:
    sys.exit("build_wheels.py: %s: install Debian's python3-packaging and python3-wheel "
             "(./tools/setup.sh does)" % error)

NAME = "pysym"
GENERATOR = "pysym (python/packaging/build_wheels.py)"


class BuildError(Exception):
    """A wheel cannot be built; the message says which and why."""


def interpreter_facts(interpreter, tag_script):
    """{"tag", "ext_suffix", ...} as the interpreter itself reports them."""
    packaging_parent = os.path.dirname(os.path.dirname(packaging.__file__))
    try:
        done = subprocess.run([interpreter, "-I", "-S", tag_script, packaging_parent],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)
    except OSError as error:
        raise BuildError("cannot run %s: %s" % (interpreter, error))
    if done.returncode != 0:
        raise BuildError("%s could not report its wheel tag (exit %d): %s"
                         % (interpreter, done.returncode, done.stderr.strip()))
    return json.loads(done.stdout)


def package_files(files, ext_suffix):
    """[(arcname, path)]: the non-extension files and this suffix's modules."""
    chosen = [(arcname, path) for arcname, path in files
              if not arcname.endswith(".so") or arcname.endswith(ext_suffix)]
    if not any(arcname.endswith(".so") for arcname, _ in chosen):
        raise BuildError("no extension module ending in %s among the package files" % ext_suffix)
    return sorted(chosen)


def wheel_text(tag):
    return ("Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: false\nTag: %s\n"
            % (GENERATOR, tag))


def write_wheel(out_dir, version, tag, members):
    """Writes NAME-version-tag.whl holding members, [(arcname, bytes)],
    and returns its path; wheel.wheelfile adds RECORD on close."""
    path = os.path.join(out_dir, "%s-%s-%s.whl" % (NAME, version, tag))
    with WheelFile(path, "w") as wheel:
        for arcname, data in members:
            info = zipfile.ZipInfo(arcname, date_time=get_zipinfo_datetime())
            info.external_attr = (0o100755 if arcname.endswith(".so") else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parse_file_argument(argument):
    arcname, separator, path = argument.partition("=")
    if not separator or not arcname or arcname.startswith("/") or ".." in arcname.split("/"):
        raise BuildError("--file %r: expected ARCNAME=PATH with a relative ARCNAME" % argument)
    return arcname, path


def build(args):
    version = read(args.version_file).decode().strip()
    metadata = (read(args.metadata).decode().replace("@VERSION@", version)
                .replace("@LLVM_VERSION@", args.llvm_version))
    files = [parse_file_argument(argument) for argument in args.file]
    dist_info = "%s-%s.dist-info/" % (NAME, version)
    built = {}
    for interpreter in args.interpreter:
        facts = interpreter_facts(interpreter, args.tag_script)
        if facts["tag"] in built:
            continue
        members = [(arcname, read(path)) for arcname, path in
                   package_files(files, facts["ext_suffix"])]
        members.append((os.path.basename(args.pth), read(args.pth)))
        members += [(dist_info + "METADATA", metadata.encode()),
                    (dist_info + "WHEEL", wheel_text(facts["tag"]).encode()),
                    (dist_info + "LICENSE", read(args.license))]
        built[facts["tag"]] = write_wheel(args.out, version, facts["tag"], members)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag in ("--out", "--metadata", "--version-file", "--llvm-version", "--license",
                 "--pth", "--tag-script"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--interpreter", action="append", required=True)
    parser.add_argument("--file", action="append", required=True)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    try:
        build(args)
    except BuildError as error:
        sys.stderr.write("build_wheels.py: %s\n" % error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
