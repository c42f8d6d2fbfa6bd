"""matrix_check: reading the manifest, and judging outcomes, with plain Python callables
standing in for linked kernels (the judgement is the same whatever was called)."""

import io
import os
import shutil
import sys
import tempfile
import unittest

import matrix_check

HERE = os.path.dirname(os.path.abspath(__file__))
REAL_MANIFEST = os.environ.get("PYSYM_MATRIX_MANIFEST") or os.path.join(
    HERE, os.pardir, "kernels", "MANIFEST")


class Workspace(object):
    """A temporary directory with a manifest and a results file."""

    def __init__(self, manifest_text):
        self.directory = tempfile.mkdtemp()
        self.manifest = os.path.join(self.directory, "MANIFEST")
        self.results = os.path.join(self.directory, "results.tsv")
        with io.open(self.manifest, "w", encoding="utf-8") as f:
            f.write(manifest_text)

    def matrix(self):
        return matrix_check.Matrix(self.manifest, self.directory, self.results, "test", "unit test")

    def records(self):
        with io.open(self.results, encoding="utf-8") as f:
            return [line.rstrip("\n").split("\t") for line in f]

    def verdicts(self):
        return [(r[1], r[2], r[3], r[4]) for r in self.records() if r[0] == "result"]

    def close(self):
        shutil.rmtree(self.directory)


def judged(manifest_text, judge):
    """Runs judge(matrix) and returns the verdict records."""
    workspace = Workspace(manifest_text)
    try:
        matrix = workspace.matrix()
        judge(matrix)
        matrix.finish()
        return workspace.verdicts()
    finally:
        workspace.close()


CASE = """
[c]
kernel: k
entry: f
args: (2, 3)
expect: 5
resolves: status('exact', 'PyLong_FromLong')
"""


class ReadManifestTest(unittest.TestCase):
    def read(self, text):
        workspace = Workspace(text)
        try:
            return matrix_check.read_manifest(workspace.manifest)
        finally:
            workspace.close()

    def test_reads_fields_continuations_and_registrations(self):
        cases = self.read("# comment\n[one]\nkernel: k\nentry: f\nexpect: (1,\n    2)\n"
                          "register_function: a = PyNumber_Negative\n"
                          "register_object: b = ('x', 1)\n\n[two]\nkernel: k\nentry: g\n"
                          "expect: None\n")
        self.assertEqual([c.name for c in cases], ["one", "two"])
        self.assertEqual(cases[0].fields["expect"], (5, "(1, 2)"))
        self.assertEqual(cases[0].functions, [("a", "PyNumber_Negative")])
        self.assertEqual(cases[0].objects, [("b", "('x', 1)")])
        self.assertEqual((cases[1].kernel, cases[1].entry), ("k", "g"))

    def test_refuses_malformed_manifests_naming_the_line(self):
        bad = {
            "kernel: k\n": "before the first [case]",
            "[a]\nkernel: k\nentry: f\n": "case [a] has no expect",
            "[a]\nkernel: k\nentry: f\nexpect: 1\nexpected: 2\n": ":5: unknown key",
            "[a]\nkernel: k\nentry: f\nexpect: 1\nexpect: 2\n": ":5: expect given twice",
            "[a]\nkernel: k\nentry: f\nexpect: 1\n[a]\nkernel: k\nentry: f\nexpect: 1\n":
                "case [a] is defined twice",
            "[a b]\n": "bad case header",
            "[a]\nkernel: k'\nentry: f\nexpect: 1\n": "is not a plain name",
            "[a]\nkernel: k\nentry: f\nexpect: 1\nregister_object: x\n": "wants `name = value`",
            "[a]\nkernel: k\nentry: f\nexpect: 1\nregister_function: x = 1 + 1\n":
                "is not a symbol name",
            "  continued\n": "continuation line with nothing to continue",
        }
        for text, message in bad.items():
            with self.assertRaises(matrix_check.ManifestError) as raised:
                self.read(text)
            self.assertIn(message, str(raised.exception), text)

    def test_the_real_manifest_reads_and_every_expression_evaluates_here(self):
        workspace = Workspace("")
        try:
            matrix = matrix_check.Matrix(REAL_MANIFEST, workspace.directory, workspace.results,
                                         "test", "unit test")
            self.assertGreater(len(matrix.cases), 0)
            for case in matrix.cases:
                for key in ("args", "kwargs", "expect", "stdout", "stderr"):
                    matrix.evaluate(case.name, key)
                matrix.expected_statuses(case.name)
                for name, _ in case.objects:
                    matrix.registered_object(case.name, name)
            plan = matrix.plan()
            self.assertEqual(plan.count("case\t"), len(matrix.cases))
            matrix.finish()
        finally:
            workspace.close()


class JudgeTest(unittest.TestCase):
    def test_a_right_result_passes(self):
        verdicts = judged(CASE, lambda m: m.judge_call("c", "rtdyld", lambda a, b: a + b,
                                                       {"PyLong_FromLong": "exact"}))
        self.assertEqual(verdicts, [("c", "rtdyld", "pass", "")])

    def test_a_wrong_value_or_type_fails(self):
        for wrong in (lambda a, b: a * b, lambda a, b: 5.0):
            verdicts = judged(CASE, lambda m: m.judge_call("c", "jitlink", wrong,
                                                           {"PyLong_FromLong": "exact"}))
            self.assertEqual(verdicts[0][2], "fail")
            self.assertIn("expected 5", verdicts[0][3])

    def test_a_wrong_status_fails_even_when_the_value_is_right(self):
        verdicts = judged(CASE, lambda m: m.judge_call("c", "rtdyld", lambda a, b: a + b,
                                                       {"PyLong_FromLong": "alias"}))
        self.assertEqual(verdicts[0][2], "fail")
        self.assertIn("PyLong_FromLong resolved alias, expected exact", verdicts[0][3])

    def test_an_unexpected_exception_or_link_failure_fails(self):
        def raising(a, b):
            raise KeyError("boom")
        verdicts = judged(CASE, lambda m: m.judge_call("c", "rtdyld", raising,
                                                       {"PyLong_FromLong": "exact"}))
        self.assertIn("raised KeyError('boom')", verdicts[0][3])
        verdicts = judged(CASE, lambda m: m.judge_link_failure(
            "c", "rtdyld", ["PyFoo"], "cannot link: PyFoo", {"PyLong_FromLong": "exact"}))
        self.assertIn("link failed (missing ['PyFoo'])", verdicts[0][3])

    def test_raises_compares_type_and_args(self):
        manifest = "[c]\nkernel: k\nentry: f\nexpect: Raises(ValueError('x'))\n"

        def raiser(exception):
            def f():
                raise exception
            return f
        outcomes = [(ValueError("x"), "pass"), (ValueError("y"), "fail"),
                    (TypeError("x"), "fail")]
        for exception, verdict in outcomes:
            verdicts = judged(manifest, lambda m: m.judge_call("c", "rtdyld", raiser(exception), {}))
            self.assertEqual(verdicts[0][2], verdict, exception)
        verdicts = judged(manifest, lambda m: m.judge_call("c", "rtdyld", lambda: None, {}))
        self.assertIn("returned None, expected Raises(ValueError('x'", verdicts[0][3])

    def test_link_failure_must_name_exactly_the_missing_symbols(self):
        manifest = "[c]\nkernel: k\nentry: f\nexpect: LinkFailure('PyA')\n"
        cases = [(["PyA"], "cannot link: PyA (missing)", "pass", ""),
                 (["PyA", "PyB"], "PyA PyB", "fail", "naming ['PyA', 'PyB']"),
                 (["PyA"], "cannot link", "fail", "does not name ['PyA']")]
        for missing, message, verdict, detail in cases:
            verdicts = judged(manifest, lambda m: m.judge_link_failure("c", "jitlink", missing,
                                                                       message, {}))
            self.assertEqual(verdicts[0][2], verdict, missing)
            self.assertIn(detail, verdicts[0][3])
        verdicts = judged(manifest, lambda m: m.judge_call("c", "jitlink", lambda: 1, {}))
        self.assertIn("linked, but expected LinkFailure('PyA')", verdicts[0][3])

    def test_output_is_captured_and_compared(self):
        manifest = "[c]\nkernel: k\nentry: f\nexpect: None\nstdout: 'out\\n'\n"

        def writes(out, err):
            def f():
                sys.stdout.write(out)
                sys.stderr.write(err)
            return f
        outcomes = [(writes("out\n", ""), "pass"), (writes("out", ""), "fail"),
                    (writes("out\n", "stray"), "fail")]
        for function, verdict in outcomes:
            verdicts = judged(manifest, lambda m: m.judge_call("c", "rtdyld", function, {}))
            self.assertEqual(verdicts[0][2], verdict)

    def test_nan_and_sets_compare_as_values(self):
        manifest = ("[nan]\nkernel: k\nentry: f\nexpect: (float('nan'), 1)\n"
                    "[set]\nkernel: k\nentry: f\nexpect: {1, 2, 3}\n")
        verdicts = judged(manifest, lambda m: (
            m.judge_call("nan", "rtdyld", lambda: (float("nan"), 1), {}),
            m.judge_call("set", "rtdyld", lambda: {3, 2, 1}, {})))
        self.assertEqual([v[2] for v in verdicts], ["pass", "pass"])

    def test_a_broken_expectation_is_a_failure_not_an_exception(self):
        manifest = "[c]\nkernel: k\nentry: f\nexpect: undefined_name\n"
        verdicts = judged(manifest, lambda m: m.judge_call("c", "rtdyld", lambda: 1, {}))
        self.assertEqual(verdicts[0][2], "fail")
        self.assertIn("NameError", verdicts[0][3])

    def test_details_stay_on_one_line(self):
        manifest = "[c]\nkernel: k\nentry: f\nexpect: 'a\\tb\\nc'\n"
        verdicts = judged(manifest, lambda m: m.judge_call("c", "rtdyld", lambda: "x\ty", {}))
        self.assertEqual(len(verdicts[0]), 4)
        self.assertNotIn("\n", verdicts[0][3])


if __name__ == "__main__":
    unittest.main()
