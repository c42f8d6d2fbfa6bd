"""python -m pysym dump: pysym-dump's reports from inside the running interpreter."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import pysym

KERNELS = os.environ.get("PYSYM_KERNELS", "")


def dump(*args):
    """Runs `python -m pysym dump ARGS` in this interpreter; (status, out, err)."""
    done = subprocess.run([sys.executable, "-m", "pysym", "dump"] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return done.returncode, done.stdout, done.stderr


def temporary(text, suffix):
    f = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False)
    f.write(text)
    f.close()
    return f.name


class InterpreterReport(unittest.TestCase):
    def test_json_reports_this_interpreter_and_counts_its_api(self):
        status, out, err = dump("interpreter", "--json", "--symbols")
        self.assertEqual(status, 0, err)
        report = json.loads(out)
        self.assertEqual(report["schema"], "pysym-dump-in-process/1")
        self.assertEqual(report["source"], "in-process")
        self.assertEqual(report["interpreter"], pysym.interpreter())
        by_name = {s["name"]: s["status"] for s in report["symbols"]}
        self.assertEqual(by_name["PyLong_FromLong"], pysym.resolve("PyLong_FromLong").status)
        self.assertEqual(sum(report["counts"].values()), len(report["symbols"]))

    def test_table_names_the_implementation(self):
        status, out, _ = dump("interpreter")
        self.assertEqual(status, 0)
        self.assertIn(pysym.interpreter()["implementation"], out)


class CheckReport(unittest.TestCase):
    def test_a_kernel_that_links_exits_zero(self):
        kernel = temporary("declare i8* @PyLong_FromLong(i64)\n"
                           "define i8* @f() {\n  %r = call i8* @PyLong_FromLong(i64 1)\n  ret i8* %r\n}\n", ".ll")
        status, out, err = dump("check", kernel, "--json")
        self.assertEqual(status, 0, err)
        symbols = json.loads(out)["symbols"]
        self.assertEqual([s["name"] for s in symbols], ["PyLong_FromLong"])
        self.assertEqual(symbols[0]["status"], pysym.resolve("PyLong_FromLong").status)

    def test_a_missing_symbol_exits_one_and_is_named(self):
        kernel = temporary("declare void @PyNoSuch_Thing()\n"
                           "define void @f() {\n  call void @PyNoSuch_Thing()\n  ret void\n}\n", ".ll")
        status, out, _ = dump("check", kernel)
        self.assertEqual(status, 1)
        self.assertIn("PyNoSuch_Thing", out)
        self.assertIn("missing", out)

    def test_bad_input_exits_two_with_one_line(self):
        garbage = temporary("this is not IR\n", ".ll")
        for args in (["check", garbage], ["check", "/no/such/kernel.ll"], ["check"], ["nonsense"],
                     ["coverage"], ["coverage", "--names", "/no/such/list"], ["interpreter", "--bogus"]):
            status, out, err = dump(*args)
            self.assertEqual(status, 2, args)
            self.assertEqual(out, "", args)
            self.assertEqual(len(err.strip().splitlines()), 1, (args, err))
            self.assertTrue(err.startswith("pysym dump: "), err)


class CoverageReport(unittest.TestCase):
    def test_counts_a_name_list_by_status(self):
        names = temporary("F PyLong_FromLong\nD _Py_NoneStruct\nPyNoSuch_Thing\n# comment\ncos\n", ".txt")
        status, out, err = dump("coverage", "--names", names, "--list", "--json")
        self.assertEqual(status, 0, err)
        report = json.loads(out)
        self.assertEqual(report["total"], 4)
        self.assertEqual(sum(report["counts"].values()), 4)
        statuses = {r["name"]: r["status"] for r in report["resolutions"]}
        self.assertEqual(statuses["PyNoSuch_Thing"], "missing")
        self.assertEqual(statuses["cos"], "system")
        self.assertEqual(statuses["PyLong_FromLong"], pysym.resolve("PyLong_FromLong").status)


if __name__ == "__main__":
    unittest.main()
