#include "python/src/state.h"

#include <memory>

#include "python/src/core_boundary.h"

namespace pysym::python {

PyObject *LinkErrorType = nullptr;
PyObject *CompileErrorType = nullptr;

Resolver *processResolver() {
  // Guarded by the GIL, which every caller holds. Never freed: kernels may
  // hold addresses it handed out until the process exits.
  static Resolver *Instance = nullptr;
  if (Instance)
    return Instance;
  auto Made = Resolver::forCurrentProcess();
  if (!Made) {
    raiseCoreError(Made.takeError(), PyExc_RuntimeError);
    return nullptr;
  }
  Instance = Made->release();
  return Instance;
}

}  // namespace pysym::python
