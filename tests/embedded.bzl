"""embedded_cc_test: one cc_test per interpreter that a test embeds."""

load("//bazel:copts.bzl", "PYSYM_TEST_COPTS")

def embedded_cc_test(name, srcs, deps = [], interpreters = ["cpython", "pypy"], size = "small", copts = [], env = {}, **kwargs):
    """Generates <name>_<interpreter> for each interpreter, and a test_suite <name> of them.

    A process can embed only one interpreter, so each gets its own target. The
    choice reaches the test through PYSYM_EMBEDDED_PYTHON, which
    //tests:embedded_python's processInterpreter() reads.

    Args:
      name: the test_suite's name, and the prefix of each cc_test's.
      srcs: the test's sources.
      deps: its dependencies; //tests:embedded_python is added.
      interpreters: any of "cpython" and "pypy".
      size: each cc_test's size.
      copts: extra compiler options, after PYSYM_TEST_COPTS.
      env: extra environment variables for each cc_test.
      **kwargs: passed to each cc_test (tags, data, ...).
    """
    tests = []
    for interpreter in interpreters:
        if interpreter not in ["cpython", "pypy"]:
            fail("embedded_cc_test %s: unknown interpreter %r (cpython, pypy)" % (name, interpreter))
        test_name = "%s_%s" % (name, interpreter)
        native.cc_test(
            name = test_name,
            srcs = srcs,
            deps = deps + ["//tests:embedded_python"],
            size = size,
            copts = PYSYM_TEST_COPTS + copts,
            env = dict(env, PYSYM_EMBEDDED_PYTHON = interpreter),
            **kwargs
        )
        tests.append(":" + test_name)
    native.test_suite(name = name, tests = tests)
