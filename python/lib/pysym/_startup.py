"""Start-up exposure: what the wheel's pysym-expose.pth runs when the
interpreter starts with PYSYM_EXPOSE=1 (docs/python-jit-authors.md,
"Installing the wheel"), as coverage.py does with COVERAGE_PROCESS_START.

The .pth line reads the environment and, only when PYSYM_EXPOSE is 1,
imports this module and calls expose_at_startup(), so that code which never
imports pysym (ctypes, llvmlite, extension modules) finds CPython's names
with dlsym from the first line of the program. Unset, pysym is not imported.
"""

import sys

import pysym


def expose_at_startup():
    """pysym.expose() with the default names. A failure is reported on one
    line of stderr and start-up goes on, as site does with a failing .pth
    line, but without a traceback; the program's own pysym.expose() call
    would raise it again."""
    try:
        pysym.expose()
    except OSError as error:
        sys.stderr.write("pysym: PYSYM_EXPOSE=1, but exposing CPython's names at start-up "
                         "failed: %s\n" % error)
