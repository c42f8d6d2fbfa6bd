// pysym.Engine's object cache on the Python side: the cache_dir argument
// and cache_info().
#ifndef PYSYM_PYTHON_SRC_ENGINE_CACHE_H
#define PYSYM_PYTHON_SRC_ENGINE_CACHE_H

#include <string>

#include "pysym/jitlink/engine.h"
#include "python/src/python.h"

namespace pysym::python {

/// The directory `Path` names (str, bytes or os.PathLike) into
/// `Directory`. Fails with TypeError (set) for anything else.
bool cacheDirectoryOf(PyObject *Path, std::string &Directory);

/// A new dict: directory (str or None), enabled (bool), unavailable (the
/// reason the directory is not used, or None), hits, misses, ignored,
/// last_ignored ("<reason>: <detail>" or None), stores, store_failures,
/// last_store_failure (str or None), compiles (modules this engine
/// compiled). Null with an error set on failure.
PyObject *cacheStatusDict(const EngineCacheStatus &Status);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_CACHE_H
