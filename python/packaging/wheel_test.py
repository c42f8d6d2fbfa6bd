#!/usr/bin/python3.11
"""pysym's wheels (//python/packaging:wheels, what ./tools/dist.sh ships):
their structure, and the package installed from them.

Usage: wheel_test.py INTERPRETER...   (the interpreters the wheels are for)

StructureTest reads every wheel: its name and tag, which must be one that
its interpreter installs (packaging.tags, asked of that interpreter), RECORD
against every member's sha256 and size, METADATA, WHEEL, the licence, the
extension modules' suffixes, and the runtime libraries the description
names against the extension's DT_NEEDED. InstalledTest installs, with `pip
install --no-index`, into a fresh venv of /usr/bin/python3.11 and of pypy3,
and from a directory outside any source tree imports pysym, resolves a name,
runs an Engine kernel, runs `python -m pysym dump interpreter`, and checks
the start-up hook (pysym-expose.pth) with PYSYM_EXPOSE set and unset.
"""

import base64
import csv
import email.parser
import hashlib
import io
import json
import os
import sys
import unittest
import zipfile

from packaging.specifiers import SpecifierSet
from packaging.utils import parse_wheel_filename

from venvs import clean_environment, run, site_packages, venv_with_pysym

RUNFILES = os.path.join(os.environ.get("TEST_SRCDIR", os.path.dirname(__file__) + "/.."),
                        os.environ.get("TEST_WORKSPACE", "pysym"))
WHEELS = os.path.join(RUNFILES, "python", "packaging", "wheels")
SCRATCH = os.environ.get("TEST_TMPDIR", "/tmp")
INTERPRETERS = sys.argv[1:]

# A name that no interpreter exports and pysym.expose() defines by default
# (a substitute on CPython, where it is only a macro, and on PyPy).
EXPOSED_PROBE = "Py_IS_NAN"

# The smallest Engine kernel: a wrapper (self, args, kwargs) returning 42.
KERNEL = r"""
declare i8* @PyLong_FromLong(i64)
define i8* @answer(i8* %self, i8* %args, i8* %kwargs) {
  %r = call i8* @PyLong_FromLong(i64 42)
  ret i8* %r
}
"""

# Libraries every glibc system has; the description need not name them.
GLIBC = {"libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2"}


def read_runfile(path):
    with open(os.path.join(RUNFILES, path), "rb") as f:
        return f.read()


VERSION = read_runfile("VERSION").decode().strip()


def interpreter_tags(interpreter):
    """(every tag the interpreter installs, its EXT_SUFFIX), asked of it."""
    import packaging
    code = ("import json, sys, sysconfig; sys.path.append(sys.argv[1]); "
            "from packaging import tags; "
            "print(json.dumps([[str(t) for t in tags.sys_tags()], "
            "sysconfig.get_config_var('EXT_SUFFIX')]))")
    tags, suffix = json.loads(run([interpreter, "-I", "-S", "-c", code,
                                   os.path.dirname(os.path.dirname(packaging.__file__))]))
    return set(tags), suffix


def dt_needed(data):
    """The DT_NEEDED entries of a shared object (readelf)."""
    path = os.path.join(SCRATCH, "needed.so")
    with open(path, "wb") as f:
        f.write(data)
    return {line.split("[", 1)[1].rstrip("]") for line in
            run(["readelf", "-d", "--wide", path]).splitlines() if "(NEEDED)" in line}


def wheel_paths():
    return sorted(os.path.join(WHEELS, name) for name in os.listdir(WHEELS))


class StructureTest(unittest.TestCase):
    def test_one_wheel_per_interpreter_with_a_tag_it_installs(self):
        wheels = {}
        for path in wheel_paths():
            tags = parse_wheel_filename(os.path.basename(path))[3]
            self.assertEqual(len(tags), 1, path)
            wheels[str(next(iter(tags)))] = path
        self.assertEqual(len(wheels), len(wheel_paths()), "two wheels with one tag")
        claimed = set()
        for interpreter in INTERPRETERS:
            supported, suffix = interpreter_tags(interpreter)
            mine = [tag for tag in wheels if tag in supported]
            self.assertEqual(len(mine), 1, (interpreter, mine))
            claimed.add(mine[0])
            with zipfile.ZipFile(wheels[mine[0]]) as wheel:
                modules = [n for n in wheel.namelist() if n.endswith(".so")]
            self.assertTrue(modules, mine[0])
            for module in modules:
                self.assertTrue(module.startswith("pysym/") and module.endswith(suffix),
                                (interpreter, module, suffix))
        self.assertEqual(claimed, set(wheels), "a wheel no interpreter installs")
        self.assertIn("cp311-cp311-linux_x86_64", wheels)
        self.assertIn("pp39-pypy39_pp73-linux_x86_64", wheels)

    def test_record_lists_every_member_with_its_sha256_and_size(self):
        for path in wheel_paths():
            with self.subTest(os.path.basename(path)), zipfile.ZipFile(path) as wheel:
                record_name = "pysym-%s.dist-info/RECORD" % VERSION
                rows = list(csv.reader(io.StringIO(wheel.read(record_name).decode())))
                listed = [row[0] for row in rows]
                self.assertEqual(sorted(listed), sorted(wheel.namelist()))
                self.assertEqual(len(set(listed)), len(listed), "a member listed twice")
                for name, digest, size in rows:
                    if name == record_name:
                        self.assertEqual((digest, size), ("", ""))
                        continue
                    data = wheel.read(name)
                    expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
                    self.assertEqual(digest, "sha256=" + expected.decode().rstrip("="), name)
                    self.assertEqual(int(size), len(data), name)

    def test_metadata_wheel_and_licence(self):
        for path in wheel_paths():
            name, version, build, tags = parse_wheel_filename(os.path.basename(path))
            with self.subTest(os.path.basename(path)), zipfile.ZipFile(path) as wheel:
                self.assertEqual((name, str(version), build), ("pysym", VERSION, ()))
                dist_info = "pysym-%s.dist-info/" % VERSION
                metadata = email.parser.Parser().parsestr(wheel.read(dist_info + "METADATA").decode())
                self.assertEqual(metadata["Metadata-Version"], "2.1")
                self.assertEqual((metadata["Name"], metadata["Version"]), ("pysym", VERSION))
                self.assertTrue(metadata["Summary"])
                self.assertEqual(metadata["License"], "Apache-2.0 WITH LLVM-exception")
                self.assertTrue(SpecifierSet(metadata["Requires-Python"]).contains("3.8"))
                self.assertFalse(SpecifierSet(metadata["Requires-Python"]).contains("3.7"))
                wheel_file = email.parser.Parser().parsestr(wheel.read(dist_info + "WHEEL").decode())
                self.assertEqual(wheel_file["Wheel-Version"], "1.0")
                self.assertEqual(wheel_file["Root-Is-Purelib"], "false")
                self.assertEqual(wheel_file.get_all("Tag"), [str(t) for t in tags])
                self.assertEqual(wheel.read(dist_info + "LICENSE"), read_runfile("LICENSE"))
                self.assertIn("pysym-expose.pth", wheel.namelist())
                for member in ("__init__.py", "__main__.py", "_startup.py", "_version.py"):
                    self.assertIn("pysym/" + member, wheel.namelist())

    def test_description_names_every_library_the_extension_needs(self):
        for path in wheel_paths():
            with self.subTest(os.path.basename(path)), zipfile.ZipFile(path) as wheel:
                metadata = email.parser.Parser().parsestr(
                    wheel.read("pysym-%s.dist-info/METADATA" % VERSION).decode())
                description = metadata.get_payload()
                for module in (n for n in wheel.namelist() if n.endswith(".so")):
                    needed = dt_needed(wheel.read(module))
                    # The engine extension links LLVM; the core extension,
                    # which `import pysym` loads, must not.
                    links_llvm = any(n.startswith("libLLVM-") for n in needed)
                    self.assertEqual(links_llvm, "/_engine." in "/" + module, (module, needed))
                    for library in needed - GLIBC:
                        self.assertIn(library, description, module)


class InstalledTest:
    """The wheel installed into a fresh venv of INTERPRETER, run from a
    directory that holds nothing of pysym."""

    INTERPRETER = None

    @classmethod
    def setUpClass(cls):
        name = os.path.basename(cls.INTERPRETER)
        cls.venv = os.path.join(SCRATCH, "venv-" + name)
        cls.elsewhere = os.path.join(SCRATCH, "elsewhere-" + name)
        os.makedirs(cls.elsewhere)
        cls.env = clean_environment()
        cls.python = venv_with_pysym(cls.INTERPRETER, cls.venv, WHEELS, cls.env, cls.elsewhere)

    def python_says(self, code, **extra_env):
        """Runs `python -c code` in the venv, from elsewhere; its stdout."""
        return run([self.python, "-c", code], env=dict(self.env, **extra_env),
                   cwd=self.elsewhere)

    def test_imports_the_installed_package(self):
        said = json.loads(self.python_says(
            "import json, pysym; print(json.dumps([pysym.__file__, pysym.__version__]))"))
        self.assertTrue(said[0].startswith(os.path.join(self.venv, "lib")), said[0])
        self.assertEqual(said[1], VERSION)

    def test_resolves_a_name(self):
        said = json.loads(self.python_says(
            "import json, pysym; r = pysym.resolve('PyLong_FromLong');"
            "print(json.dumps([r.found, r.status, r.image == pysym.interpreter()['image']]))"))
        self.assertEqual(said, [True, self.STATUS, True])

    def test_runs_an_engine_kernel(self):
        said = self.python_says(
            "import pysym, sys; e = pysym.Engine(); e.add_ir(sys.argv[1]);"
            "print(e.make_function('answer')())".replace("sys.argv[1]", repr(KERNEL)))
        self.assertEqual(said.strip(), "42")

    def test_dump_interpreter(self):
        said = run([self.python, "-m", "pysym", "dump", "interpreter"], env=self.env,
                   cwd=self.elsewhere)
        self.assertRegex(said, r"(?m)^implementation +%s$" % self.IMPLEMENTATION)

    def probe(self, **extra_env):
        """[pysym imported?, dlsym finds EXPOSED_PROBE?] in a fresh process."""
        return json.loads(self.python_says(
            "import ctypes, json, sys\n"
            "try:\n    found = bool(ctypes.CDLL(None)[%r])\n"
            "except AttributeError:\n    found = False\n"
            "print(json.dumps(['pysym' in sys.modules, found]))" % EXPOSED_PROBE, **extra_env))

    def test_start_up_hook_is_installed(self):
        site = site_packages(self.python, self.env)
        self.assertTrue(os.path.isfile(os.path.join(site, "pysym-expose.pth")))

    def test_start_up_hook_unset_imports_nothing(self):
        self.assertEqual(self.probe(), [False, False])
        self.assertEqual(self.probe(PYSYM_EXPOSE="0"), [False, False])

    def test_start_up_hook_set_exposes_before_the_program_runs(self):
        self.assertEqual(self.probe(PYSYM_EXPOSE="1"), [True, True])


class CPython311Test(InstalledTest, unittest.TestCase):
    INTERPRETER = "/usr/bin/python3.11"
    STATUS = "exact"
    IMPLEMENTATION = "cpython"


class PyPy3Test(InstalledTest, unittest.TestCase):
    INTERPRETER = "/usr/bin/pypy3"
    STATUS = "alias"
    IMPLEMENTATION = "pypy"


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
