// `pysym-dump interpreter`: an interpreter on disk, analysed without running it.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_INTERPRETER_H
#define PYSYM_TOOLS_PYSYM_DUMP_INTERPRETER_H

#include "tools/pysym_dump_command.h"

namespace pysym::dump {

/// Analyses an interpreter (a path, or a name looked up on PATH skipping
/// non-ELF files such as pyenv's shims: see findInterpreterFile) with
/// OfflineInterpreter: its executable and the libraries it needs. Reports
/// the implementation, version, debug build, ABI facts, the files read and
/// the needed libraries that were not found, and counts of the exported
/// Python API. `--symbols` lists each exported API symbol with its file
/// value, kind, version and the CPython names that reach it by alias
/// (PyPyLong_FromLong <- PyLong_FromLong). `--missing` lists the names a
/// reference interpreter exports (`--reference`, default
/// /usr/bin/python3.11), as CPython names, that this one cannot resolve, with
/// why. Fails, naming the argument, when it is not found, not ELF, or not a
/// Python interpreter. Exits 0 otherwise, even when names are missing.
Command interpreterCommand();

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_INTERPRETER_H
