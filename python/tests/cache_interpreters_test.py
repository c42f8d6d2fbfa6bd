"""The object cache's point: kernels compiled into a cache directory in one
interpreter run from the same entries in another (CPython 3.11 and PyPy,
each way round), with identical results and no compile in the second."""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import unittest

from support import IS_PYPY, KERNELS_DIR

HERE = os.path.dirname(os.path.abspath(__file__))
CPYTHON = "/usr/bin/python3.11"
PYPY = "/usr/bin/pypy3"
IS_CPYTHON_3_11 = platform.python_implementation() == "CPython" and sys.version_info[:2] == (3, 11)


def run_child(interpreter, cache_dir):
    out = subprocess.run([interpreter, os.path.join(HERE, "cache_child.py"), KERNELS_DIR, cache_dir],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                         timeout=300)
    if out.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (interpreter, out.returncode, out.stderr))
    return json.loads(out.stdout)


@unittest.skipUnless(IS_PYPY or IS_CPYTHON_3_11,
                     "crosses CPython 3.11 and PyPy; runs in those two suites only")
class CacheAcrossInterpretersTest(unittest.TestCase):
    def test_objects_compiled_here_run_unchanged_in_the_other_interpreter(self):
        other = CPYTHON if IS_PYPY else PYPY
        if not os.path.exists(other):
            self.skipTest("%s is not installed" % other)
        cache_dir = tempfile.mkdtemp(prefix="pysym-cache-")
        self.addCleanup(shutil.rmtree, cache_dir, True)

        cold = run_child(sys.executable, cache_dir)
        kernels = len(cold["results"])
        self.assertEqual(cold["cache"]["compiles"], kernels, cold)
        self.assertEqual(cold["cache"]["stores"], kernels, cold)
        self.assertEqual(cold["cache"]["hits"], 0, cold)

        warm = run_child(other, cache_dir)
        self.assertEqual(warm["cache"]["hits"], kernels, warm)
        self.assertEqual(warm["cache"]["compiles"], 0, warm)
        self.assertEqual(warm["cache"]["misses"], 0, warm)
        self.assertEqual(warm["cache"]["ignored"], 0, warm)
        self.assertEqual(warm["results"], cold["results"])


if __name__ == "__main__":
    unittest.main()
