// `pysym-dump coverage`: how many of a set of C-API names resolve on an interpreter.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_COVERAGE_H
#define PYSYM_TOOLS_PYSYM_DUMP_COVERAGE_H

#include "tools/pysym_dump_command.h"

namespace pysym::dump {

/// Counts, by resolution status, how many names resolve on `--to B` (an
/// interpreter analysed offline). The names are either `--from A`'s exported
/// API as CPython names (a PyPy A's PyPyX counts as PyX), or a name list
/// (`--names FILE`, read with readNameList); exactly one of the two is
/// required. `--list` adds every name with its status and target. Exits 0
/// whatever the counts are; fails on an unreadable list or interpreter.
Command coverageCommand();

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_COVERAGE_H
