"""`python -m pysym dump ...` (pysym-dump's reports, docs/pysym-dump.md) and
`python -m pysym expose ...` (pysym.expose()'s report, docs/llvmlite.md)."""

import sys


def _main(argv):
    if argv and argv[0] == "expose":
        from pysym.exposure import main
    elif argv and argv[0] == "dump":
        from pysym.dump import main
    else:
        sys.stderr.write("pysym: usage: python -m pysym {dump|expose} ... "
                         "(docs/pysym-dump.md, docs/llvmlite.md)\n")
        return 2
    return main(argv)


sys.exit(_main(sys.argv[1:]))
