"""Runs the matrix's cases in this interpreter through the pysym extension module.

Usage: <interpreter> module_runner.py MANIFEST KERNELS_DIR RESULTS COLUMN

Each case is linked with each linker: its registrations are made
(pysym.add_symbol, pysym.add_object_symbol), the symbols it checks are
resolved (pysym.resolve), its kernel is added to that linker's pysym.Engine
and its entry wrapped with make_function; matrix_check judges the outcome.
Last, pysym.expose() makes pysym's answers visible to the dynamic loader, and
matrix_check judges what the loader finds (the (expose) row).
Exit status 0 once every case has a recorded verdict, whatever the verdicts;
the matrix driver reads them from RESULTS.
"""

import sys

import matrix_check
import pysym


def run_case(matrix, engines, case, linker):
    registered = []
    try:
        for name, target in case.functions:
            address = pysym.address_of_symbol(target)
            if address is None:
                raise RuntimeError("cannot register %s: %s does not resolve" % (name, target))
            pysym.add_symbol(name, address)
            registered.append(name)
        for name, _ in case.objects:
            pysym.add_object_symbol(name, matrix.registered_object(case.name, name),
                                    override=True)
            registered.append(name)
        statuses = dict((name, pysym.resolve(name).status)
                        for name in matrix.status_names(case.name))
        engine = engines[linker]
        handle = engine.add_ir(matrix.kernel_text(case.name), name=case.kernel)
        try:
            function = engine.make_function(case.entry, module=handle)
        except pysym.LinkError as e:
            missing = [resolution.name for resolution in e.missing]
            matrix.judge_link_failure(case.name, linker, missing, str(e), statuses)
        else:
            matrix.judge_call(case.name, linker, function, statuses)
    finally:
        for name in registered:
            pysym.remove_symbol(name)


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    manifest, kernels, results, column = argv[1:]
    matrix = matrix_check.Matrix(manifest, kernels, results, column, "pysym extension module")
    # One engine per linker for the whole run, as a JIT would keep one.
    engines = dict((linker, pysym.Engine(linker=linker)) for linker in matrix_check.LINKERS)
    for case in matrix.cases:
        for linker in matrix_check.LINKERS:
            matrix.begin(case.name, linker)
            try:
                run_case(matrix, engines, case, linker)
            except Exception as e:
                matrix.record_failure(case.name, linker, "%s: %s" % (type(e).__name__, e))
    # Last, since exposure cannot be undone: pysym's answers for the whole
    # process, then the loader's view of them.
    try:
        pysym.expose()
        matrix.judge_exposure(dict((name, pysym.address_of_symbol(name))
                                   for name in matrix.exposure_names()))
    except Exception as e:
        matrix.record_exposure_failure("%s: %s" % (type(e).__name__, e))
    matrix.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
