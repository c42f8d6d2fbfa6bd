// `pysym-dump symbols FILE`: the symbol table of an ELF file on disk.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_SYMBOLS_H
#define PYSYM_TOOLS_PYSYM_DUMP_SYMBOLS_H

#include "tools/pysym_dump_command.h"

namespace pysym::dump {

/// Lists FILE's `.dynsym` (or, with --static, its `.symtab`) with each
/// symbol's value, size, type, binding, visibility, section and GNU version
/// (`name@@V` for the default version, `name@V` for a hidden one), after a
/// header with the file's kind, soname, needed libraries, runpath and symbol
/// counts. --defined keeps defined symbols; --match S keeps names containing
/// S. Fails, naming FILE, when it cannot be read as 64-bit x86-64 ELF.
Command symbolsCommand();

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_SYMBOLS_H
