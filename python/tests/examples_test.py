"""The examples under examples/python run, in this interpreter,
as a user would run them: a fresh process with pysym importable."""

import os
import subprocess
import sys
import unittest

EXAMPLES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                            "examples", "python")


class ExamplesTest(unittest.TestCase):
    def run_example(self, name):
        path = os.path.join(EXAMPLES_DIR, name)
        self.assertTrue(os.path.exists(path), path)
        result = subprocess.run([sys.executable, path], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
        return result.returncode, result.stdout

    def test_expose_names(self):
        status, out = self.run_example("expose_names.py")
        self.assertEqual(status, 0, out)
        self.assertNotIn("FAILED", out)
        # Every name the example looks up with dlsym was checked.
        self.assertEqual(out.count("is pysym's answer"), 4, out)
        try:
            import llvmlite.binding  # noqa: F401
        except ImportError:
            self.assertIn("llvmlite part skipped", out)
        else:
            self.assertIn("llvmlite kernel formats 3.14159 with PyOS_snprintf", out)


if __name__ == "__main__":
    unittest.main()
