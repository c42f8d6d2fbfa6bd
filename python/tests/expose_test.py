"""pysym.expose() and `python -m pysym expose`: CPython's API names defined
process-wide, for dlsym, ctypes and llvmlite (python/src/exposure_function.cc,
python/lib/pysym/exposure.py).

Exposure is permanent and process-wide, so nothing here exposes a name in
the test process: each check runs expose_support.py (or `-m pysym expose`)
in a fresh sys.executable and reads back JSON.
"""

import json
import os
import platform
import subprocess
import sys
import unittest

import pysym
from support import IS_PYPY

try:
    import llvmlite.binding  # noqa: F401  (only whether it imports)
    LLVMLITE_MISSING = None
except ImportError as error:
    LLVMLITE_MISSING = "llvmlite is not importable in %s (%s)" % (sys.executable, error)

HERE = os.path.dirname(os.path.abspath(__file__))
EXPOSED_STATUSES = ("exact", "alias", "substitute")
SKIP_REASONS = ("already_defined", "not_ready", "not_python_api", "missing")
# How the reasons read in the why-strings and in repr.
WORDS = {"already_defined": "already defined", "not_ready": "not ready",
         "not_python_api": "not Python API", "missing": "missing"}


def fresh(*args):
    """Runs expose_support.py ARGS in a new interpreter like this one, with
    the same PYTHONPATH; returns its JSON."""
    done = subprocess.run([sys.executable, os.path.join(HERE, "expose_support.py")] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError("expose_support.py %s exited %d:\n%s" % (" ".join(args), done.returncode,
                                                                     done.stderr))
    return json.loads(done.stdout)


def cli(*args):
    """Runs `python -m pysym ARGS` in a new interpreter; (status, out, err)."""
    done = subprocess.run([sys.executable, "-m", "pysym"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.seen = fresh("report")

    def assertConsistent(self, report):
        self.assertEqual(report["class"], "pysym.Exposed")
        self.assertEqual(report["address_types"], ["int"] if report["exposed"] else [])
        self.assertTrue(all(report["exposed"].values()))
        self.assertFalse(set(report["exposed"]) & set(report["skipped"]))
        self.assertEqual(set(report["statuses"]), set(report["exposed"]) | set(report["skipped"]))
        for name in report["exposed"]:
            self.assertIn(report["statuses"][name], EXPOSED_STATUSES, name)
        for name, why in report["skipped"].items():
            reason = report["statuses"][name]
            self.assertIn(reason, SKIP_REASONS, name)
            self.assertTrue(why.startswith(WORDS[reason] + ": "),
                            (name, why))
        counts = {}
        for status in report["statuses"].values():
            counts[status] = counts.get(status, 0) + 1
        self.assertEqual(report["counts"], counts)
        self.assertLessEqual(report["added"], len(report["exposed"]))
        self.assertGreater(report["seconds"], 0)
        self.assertIn(report["source"], ("none", "memfd", "temporary file"))
        self.assertEqual(report["source"] == "none", report["added"] == 0)
        self.assertEqual(report["soname"] == "", report["added"] == 0)
        self.assertEqual(report["fallback_reason"] != "", report["source"] == "temporary file")
        self.assertTrue(report["repr"].startswith("<pysym.Exposed: %d exposed" % len(report["exposed"])),
                        report["repr"])
        self.assertIn("%d added, %d skipped" % (report["added"], len(report["skipped"])), report["repr"])
        for status, n in counts.items():
            self.assertIn("%d %s" % (n, WORDS.get(status, status)),
                          report["repr"])

    def test_every_report_is_consistent(self):
        for call in ("one", "first", "second", "named"):
            with self.subTest(call=call):
                self.assertConsistent(self.seen[call])

    def test_a_named_request_exposes_exactly_that(self):
        one = self.seen["one"]
        self.assertEqual(list(one["exposed"]), ["Py_IS_NAN"])
        self.assertEqual((one["added"], one["source"]), (1, "memfd"))
        self.assertEqual(one["objects_mapped"], 1)

    def test_the_default_set_is_the_resolvers_answers_and_dlsym_finds_them(self):
        first = self.seen["first"]
        self.assertIn("Py_IS_NAN", first["exposed"])  # an earlier call's, reported again
        self.assertEqual(first["added"], len(first["exposed"]) - 1)
        self.assertEqual(first["objects_mapped"], 2)
        for name, address in first["exposed"].items():
            self.assertEqual(self.seen["dlsym"][name], address, name)
            self.assertEqual(self.seen["pysym"][name], address, name)
            self.assertEqual(self.seen["resolve"][name], first["statuses"][name], name)
        if IS_PYPY:
            self.assertGreater(first["counts"]["alias"], 800)
            self.assertIn("PyLong_FromLong", first["exposed"])
            self.assertIn("_Py_NoneStruct", first["exposed"])  # cpyext started: data too
            self.assertTrue(first["soname"].endswith("-for-libpypy3.9-c.so"), first["soname"])

    def test_on_cpython_the_default_set_exposes_no_exact_name(self):
        if IS_PYPY:
            self.skipTest("PyPy exports its C API renamed: there, most names are aliases")
        first = self.seen["first"]
        self.assertEqual(first["counts"].get("exact", 0), 0)
        self.assertNotIn("PyLong_FromLong", first["exposed"])
        self.assertIn("substitute", first["counts"])

    def test_a_second_call_adds_nothing_and_loads_no_object(self):
        first, second = self.seen["first"], self.seen["second"]
        self.assertEqual(second["added"], 0)
        self.assertEqual((second["source"], second["soname"]), ("none", ""))
        self.assertEqual(second["exposed"], first["exposed"])
        self.assertEqual(second["skipped"], first["skipped"])
        self.assertEqual(second["objects_mapped"], first["objects_mapped"])
        self.assertIn("0 added", second["repr"])

    def test_never_shadows_what_dlsym_already_finds(self):
        named = self.seen["named"]
        # The interpreter's own export of PyLong_FromLong: CPython's name on
        # CPython, PyPyLong_FromLong on PyPy.
        own = "PyPyLong_FromLong" if IS_PYPY else "PyLong_FromLong"
        self.assertEqual(named["statuses"][own], "already_defined")
        self.assertIn("already defined", named["skipped"][own])
        self.assertIn(os.path.basename(pysym.interpreter()["image"]), named["skipped"][own])
        self.assertEqual(named["statuses"]["Py_IS_NAN"], "substitute")
        self.assertEqual(named["statuses"]["memcpy"], "not_python_api")
        self.assertEqual(named["statuses"]["PyNoSuch_Function"], "missing")
        self.assertEqual(list(named["statuses"]),  # request order, repeats once
                         ["PyLong_FromLong", "Py_IS_NAN", "memcpy", "PyNoSuch_Function",
                          "PyPyLong_FromLong"])
        if IS_PYPY:
            self.assertEqual(named["statuses"]["PyLong_FromLong"], "alias")
        else:
            self.assertEqual(named["statuses"]["PyPyLong_FromLong"], "missing")
        self.assertEqual(named["added"], 0)


class BadArgumentsTest(unittest.TestCase):
    def test_bad_arguments_expose_nothing(self):
        seen = fresh("bad_arguments")
        self.assertEqual(seen["outcomes"], {
            "one str": "TypeError", "an int": "TypeError", "an int element": "TypeError",
            "bytes": "TypeError", "a NUL": "ValueError", "empty": "ValueError",
            "valid then empty": "ValueError", "valid then None": "TypeError",
            "a failing iterable": "RuntimeError", "a lone surrogate": "UnicodeEncodeError"})
        # Each list above started with Py_IS_NAN, which dlsym still cannot find.
        self.assertIsNone(seen["before"])
        self.assertEqual(seen["statuses"], {"Py_IS_NAN": "substitute"})
        self.assertEqual(seen["after"], seen["pysym"])
        self.assertIsNotNone(seen["after"])

    def test_the_argument_errors_in_this_process(self):
        # Refused before anything is resolved or loaded: safe to try here.
        for bad, error in (("PyLong_FromLong", TypeError), (42, TypeError), ([1], TypeError),
                           (["a\0b"], ValueError), ([""], ValueError), (b"PyLong_FromLong", TypeError)):
            with self.assertRaises(error, msg=repr(bad)):
                pysym.expose(bad)
        with self.assertRaises(TypeError):
            pysym.expose(names=None, extra=1)

    def test_the_public_names(self):
        self.assertIs(pysym.expose, pysym.exposure.expose)
        self.assertIs(pysym.Exposed, pysym.exposure.Exposed)
        self.assertEqual(pysym.Exposed.__module__, "pysym")
        self.assertIn("iterable of str", pysym.expose.__doc__)


class InterpreterNamesTest(unittest.TestCase):
    def test_ctypes_finds_cpythons_names_after_expose(self):
        seen = fresh("names")
        resolved = seen["resolved"]
        if IS_PYPY:
            self.assertEqual(seen["before"], dict.fromkeys(resolved))
            self.assertEqual(seen["attribute_before"], "AttributeError")
            self.assertEqual(seen["statuses"], dict.fromkeys(resolved, "alias"))
            self.assertIn("[PyPy %d.%d.%d" % sys.pypy_version_info[:3], seen["version"])
        else:  # the executable exports them: nothing to expose, nothing changed
            self.assertEqual(seen["before"], resolved)
            self.assertEqual(seen["statuses"], dict.fromkeys(resolved))
        self.assertTrue(seen["version"].startswith(platform.python_version() + " "), seen["version"])
        self.assertEqual(seen["version"], seen["sys_version"][:len(seen["version"])])
        self.assertEqual(seen["none"], resolved["_Py_NoneStruct"])
        self.assertEqual(seen["cell"], resolved["PyExc_TypeError"])
        self.assertEqual(seen["cell_holds"], seen["type_error"])  # the cell holds TypeError


class WarningsTest(unittest.TestCase):
    def test_creating_every_substitute_warns_of_nothing(self):
        # The data substitutes run small Python recipes (async generators,
        # coroutines); none may leave an object that warns when collected.
        done = subprocess.run(
            [sys.executable, "-X", "dev", "-W", "error", "-c",
             "import gc, pysym; pysym.expose(); gc.collect(); print('done')"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "done"), done.stderr)
        self.assertNotIn("Warning", done.stderr)


class LlvmliteTest(unittest.TestCase):
    def setUp(self):
        if LLVMLITE_MISSING:
            self.skipTest(LLVMLITE_MISSING)

    def test_mcjit_links_cpythons_names_after_expose_without_install(self):
        seen = fresh("llvmlite", "after")
        self.assertEqual(seen["linked"], seen["resolved"])
        self.assertTrue(all(seen["linked"].values()), seen["linked"])
        self.assertEqual(seen["version"], seen["sys_version"][:len(seen["version"])])
        self.assertTrue(seen["version"].startswith(platform.python_version() + " "))
        self.assertEqual(seen["forty_two"], 42)
        if IS_PYPY:
            self.assertGreater(seen["added"], 800)

    def test_before_expose_the_module_links_only_where_the_names_are_exported(self):
        seen = fresh("llvmlite", "before")
        if not IS_PYPY:  # CPython's executable exports the names itself
            self.assertEqual(seen["linked"], seen["resolved"])
            self.assertEqual(seen["forty_two"], 42)
            return
        # llvmlite cannot find them, and its MCJIT links each as null.
        self.assertEqual(seen["found_before"], dict.fromkeys(seen["resolved"]))
        self.assertEqual(seen["linked"], dict.fromkeys(seen["resolved"], 0))
        self.assertNotIn("forty_two", seen)


class CommandLineTest(unittest.TestCase):
    def test_json_report(self):
        status, out, err = cli("expose", "--json")
        self.assertEqual(status, 0, err)
        report = json.loads(out)
        self.assertEqual(report["schema"], "pysym-expose/1")
        self.assertEqual(set(report), {"schema", "counts", "exposed", "statuses", "skipped", "added",
                                       "source", "fallback_reason", "soname", "seconds"})
        self.assertEqual(sum(report["counts"].values()), len(report["exposed"]) + len(report["skipped"]))
        self.assertEqual(report["added"], len(report["exposed"]))
        # Addresses are hex strings; they are the other process's, so only
        # the statuses can be compared with this one's.
        for name, address in report["exposed"].items():
            self.assertTrue(address.startswith("0x") and int(address, 16) > 0, (name, address))
            self.assertEqual(report["statuses"][name], pysym.resolve(name).status, name)

    def test_named_text_report_lists_each_name(self):
        status, out, err = cli("expose", "Py_IS_NAN", "PyNoSuch_Function")
        self.assertEqual(status, 0, err)
        self.assertIn("exposed  1: 1 substitute", out)
        self.assertIn("PyNoSuch_Function  missing: ", out)
        self.assertIn("Py_IS_NAN  substitute  0x", out)

    def test_bad_usage_exits_two_with_one_line(self):
        for args in (["expose", ""], ["expose", "--bogus"], ["nonsense"], []):
            status, out, err = cli(*args)
            self.assertEqual(status, 2, args)
            self.assertEqual(out, "", args)
            self.assertEqual(len(err.strip().splitlines()), 1, (args, err))
            self.assertTrue(err.startswith("pysym"), err)


if __name__ == "__main__":
    unittest.main()
