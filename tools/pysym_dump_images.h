// `pysym-dump images`: the images loaded in this process, as pysym sees them.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_IMAGES_H
#define PYSYM_TOOLS_PYSYM_DUMP_IMAGES_H

#include "tools/pysym_dump_command.h"

namespace pysym::dump {

/// Lists the images loaded in pysym-dump's own process, in the loader's
/// order: path, load bias, role (main program, vDSO, loaded by --load, or a
/// library), the defined dynamic symbols by type, and whether
/// dlsym(RTLD_DEFAULT) sees the image. `--load LIB` (repeatable) first
/// dlopens LIB with RTLD_NOW | RTLD_LOCAL, as an embedding host loads
/// libpypy, so the table shows what RTLD_DEFAULT misses. Fails, naming LIB
/// and the loader's reason, when LIB does not load; and, after printing the
/// table, when an image's dynamic section is inconsistent.
Command imagesCommand();

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_IMAGES_H
