#!/usr/bin/python3.11
"""Tests check_doc_references.py: on a small workspace written here, then on this checkout."""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import check_doc_references as check  # noqa: E402


def write(root, path, text=""):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(textwrap.dedent(text))


class SmallWorkspace(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        write(self.root, "WORKSPACE")
        write(self.root, "lib/BUILD", """\
            load("//tests:embedded.bzl", "embedded_cc_test")
            cc_library(
                name = "lib",
            )
            embedded_cc_test(
                name = "embedded_test",
            )
            [sh_test(
                name = "matrix_%s_test" % column,
            ) for column in COLUMNS]
            [sh_test(
                name = name + "_test",
            ) for name in INTERPRETERS]
            """)
        write(self.root, "lib/lib.h")
        write(self.root, "lib/kernels/a.ll")
        write(self.root, "docs/guide.md")

    def problems(self, readme):
        write(self.root, "README.md", readme)
        return check.problems(self.root)

    def test_existing_paths_labels_and_links_pass(self):
        self.assertEqual(self.problems("""\
            `lib/lib.h`, `lib/kernels/*.ll`, `WORKSPACE`, `lib/` and lib/lib.h in prose.
            `//lib`, `//lib:lib`, `//lib:lib.h`, `//lib/...`, `//...`, `//lib:all`.
            `//lib:embedded_test_pypy`, `//lib:matrix_pypy3.9_test`, `//lib:python3_11_test`.
            [the guide](docs/guide.md#top), [elsewhere](https://example.org/x/y.h).
            `pysym/version.h` is not a path of this repository; nor are /usr/lib/x.so or `$(pyenv root)/x`.
            ```
            bazel test //lib:lib
            ```
            """), [])

    def test_each_missing_thing_is_named_with_doc_and_line(self):
        self.assertEqual(self.problems("""\
            `lib/missing.h`
            see lib/gone.cc in prose
            `lib/kernels/*.bc`
            `//lib:nothing` and `//nopkg:x`
            [gone](docs/gone.md)
            ```
            bazel test //lib:also_nothing
            ```
            """), [
            "README.md:1: no file or directory lib/missing.h",
            "README.md:2: no file or directory lib/gone.cc",
            "README.md:3: no file or directory lib/kernels/*.bc",
            "README.md:4: label //lib:nothing: no target nothing in lib/BUILD",
            "README.md:4: label //nopkg:x: no package //nopkg (no nopkg/BUILD)",
            "README.md:5: link target docs/gone.md does not exist",
            "README.md:7: label //lib:also_nothing: no target also_nothing in lib/BUILD",
        ])

    def test_docs_are_checked_too_with_links_relative_to_them(self):
        write(self.root, "docs/guide.md", "[readme](../README.md), [self](guide.md), [x](x.md)\n")
        self.assertEqual(self.problems(""), ["docs/guide.md:1: link target x.md does not exist"])


class ThisCheckout(unittest.TestCase):
    def test_every_reference_in_readme_and_docs_exists(self):
        root = check.workspace()
        self.assertTrue(os.path.isdir(os.path.join(root, "docs")), root)
        found = check.problems(root)
        self.assertEqual(found, [], "\n" + "\n".join(found))


if __name__ == "__main__":
    sys.argv[1:] = []
    unittest.main(verbosity=2)
