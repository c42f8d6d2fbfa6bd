// Reading whole files with POSIX calls, for the core (no LLVM MemoryBuffer).
#ifndef PYSYM_SUPPORT_FILE_H
#define PYSYM_SUPPORT_FILE_H

#include <string>

#include "pysym/support/error.h"

namespace pysym {

/// The bytes of the file at `Path`. Fails with a StringError carrying the
/// errno of the failing call, naming `Path` ("PATH: No such file or
/// directory"), when it cannot be opened or read, or is a directory.
Expected<std::string> readFile(const std::string &Path);

}  // namespace pysym

#endif  // PYSYM_SUPPORT_FILE_H
