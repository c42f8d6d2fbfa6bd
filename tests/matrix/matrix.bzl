"""The regression matrix's columns, and one sh_test per column or for all of them.

A column is "label|kind|location" (run_matrix.sh explains the kinds). The
list is fixed, so that a build absent on a machine still has its column,
reported skipped by name:
  - pypy3.9, py3.11, py3.11d: Debian's interpreters, with the pysym module;
  - pyenv3.6 and pyenv3.7: pyenv's shared libpython3.Ym, which has no module
    build, embedded by the C++ host (the newest patch release present);
  - pyenv3.8 to pyenv3.13: pyenv's newest CPython of each minor version that
    the build found (//third_party:pyenv_pythons.bzl), with the pysym module;
  - embed-py3.11, embed-pypy3.9: the C++ host embedding Debian's
    libpython3.11.so.1.0 and libpypy3.9-c.so.
"""

load("@pyenv_pythons//:pythons.bzl", "PYENV_ABSENT_REASON", "PYENV_PYTHONS", "PYENV_ROOT")

_MODULE_MINORS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
_EMBEDDED_ONLY_MINORS = ["3.6", "3.7"]

def matrix_columns():
    """Every column, in table order."""
    columns = [
        "pypy3.9|module|/usr/bin/pypy3",
        "py3.11|module|/usr/bin/python3.11",
        "py3.11d|module|/usr/bin/python3.11d",
    ]
    for minor in _EMBEDDED_ONLY_MINORS:
        if PYENV_ROOT:
            columns.append("pyenv%s|embed-cpython|%s/versions/%s.*/lib/libpython%sm.so.1.0" %
                           (minor, PYENV_ROOT, minor, minor))
        else:
            columns.append("pyenv%s|absent|no pyenv on this machine (%s)" % (minor, PYENV_ABSENT_REASON))
    newest_by_minor = {p["minor"]: p for p in PYENV_PYTHONS}
    for minor in _MODULE_MINORS:
        if minor in newest_by_minor:
            columns.append("pyenv%s|module|%s" % (minor, newest_by_minor[minor]["interpreter"]))
        else:
            columns.append("pyenv%s|absent|no pyenv CPython %s with headers was found when the build was configured (%s)" %
                           (minor, minor, PYENV_ABSENT_REASON or "under %s/versions" % PYENV_ROOT))
    columns += [
        "embed-py3.11|embed-cpython|/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
        "embed-pypy3.9|embed-pypy|/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so",
    ]
    return columns

def column_label(column):
    return column.split("|")[0]

def matrix_test(name, columns, size = "small", tags = []):
    """An sh_test running run_matrix.sh over `columns`."""
    native.sh_test(
        name = name,
        size = size,
        srcs = ["run_matrix.sh"],
        args = [
            "--manifest $(rootpath //tests/kernels:MANIFEST)",
            "--kernels tests/kernels",
            "--checker tests/matrix",
            "--modules python",
            "--host $(rootpath :embedded_host)",
            "--",
        ] + ["'%s'" % column for column in columns],
        data = [
            ":embedded_host",
            "matrix_check.py",
            "module_runner.py",
            "//python:modules",
            "//tests/kernels",
            "//tests/kernels:MANIFEST",
        ],
        tags = tags,
    )
