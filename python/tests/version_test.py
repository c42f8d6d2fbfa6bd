"""pysym's version: the generated pysym._version holds the one in VERSION."""

import os
import unittest

import pysym
from pysym import _version

# VERSION at the top of the repository: run_unittest.sh runs in python/tests
# of the runfiles, and //python:version_py writes pysym/_version.py from it.
VERSION_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                            "VERSION")


class Version(unittest.TestCase):
    def test_version_is_the_one_in_the_version_file(self):
        with open(VERSION_FILE) as f:
            self.assertEqual(_version.__version__, f.read().strip())

    def test_the_package_reports_it(self):
        self.assertEqual(pysym.__version__, _version.__version__)

    def test_version_is_major_minor_patch(self):
        self.assertRegex(_version.__version__, r"\A[0-9]+\.[0-9]+\.[0-9]+\Z")


if __name__ == "__main__":
    unittest.main()
