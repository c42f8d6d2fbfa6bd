#!/usr/bin/python3.11
"""Pins the CPython 3.11 stable ABI's Linux coverage on PyPy 7.3.11, so that it cannot fall back.

Runs `pysym-dump coverage --names data/cpython-3.11-stable-abi.txt --to /usr/bin/pypy3 --list --json`
and requires: at least FLOOR Linux names resolve (and so at least 90%), every missing name has a
reason in data/cpython-3.11-stable-abi-unresolved.txt, and no name listed there resolves.
"""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import stable_abi_reasons  # noqa: E402

PYPY = "/usr/bin/pypy3"
# Raise this when substitutes are added; it is the count docs/coverage.md shows.
FLOOR = 783


def runfile(path):
    return os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", "pysym"), path)


class StableAbiOnPyPy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(PYPY, os.X_OK):
            raise unittest.SkipTest(f"{PYPY} is absent")
        out = subprocess.run(
            [os.environ["PYSYM_DUMP"], "coverage", "--names", runfile("data/cpython-3.11-stable-abi.txt"),
             "--to", PYPY, "--list", "--json"],
            check=True, capture_output=True, text=True).stdout
        reasons = stable_abi_reasons.read(runfile("data/cpython-3.11-stable-abi-unresolved.txt"))
        cls.summary = stable_abi_reasons.summarise(json.loads(out), reasons)

    def test_linux_share_stays_at_least_the_floor(self):
        s = self.summary
        self.assertEqual(s["total"], 859)
        self.assertEqual(s["windows"], 13)
        self.assertGreaterEqual(s["resolved"], FLOOR, f"{s['resolved']} of {s['linux']} Linux names resolve")
        self.assertGreaterEqual(s["share"], 90.0)

    def test_every_missing_name_has_a_reason(self):
        self.assertEqual(self.summary["unexplained"], [])

    def test_no_listed_name_resolves(self):
        # A substitute added for a listed name: remove its line (and raise FLOOR).
        self.assertEqual(self.summary["stale"], [])


if __name__ == "__main__":
    unittest.main()
