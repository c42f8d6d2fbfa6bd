// What the engine extension (pysym._engine) holds of the core extension's:
// its CoreApi (core_api.h), imported once by module init.
#ifndef PYSYM_PYTHON_SRC_ENGINE_STATE_H
#define PYSYM_PYTHON_SRC_ENGINE_STATE_H

#include "python/src/python.h"

#include "python/src/core_api.h"

namespace pysym::python {

/// Imports pysym._pysym's CoreApi into `Core`. Returns false with
/// ImportError set, saying why, when the capsule is missing or was built
/// with another layout (the two extensions come from different builds).
bool importCoreApi();

/// The core's API, set by importCoreApi before anything else of the engine
/// runs; never null afterwards.
extern const CoreApi *Core;

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_STATE_H
