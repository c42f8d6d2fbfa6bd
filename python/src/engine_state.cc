#include "python/src/engine_state.h"

namespace pysym::python {

const CoreApi *Core = nullptr;

bool importCoreApi() {
  auto *Api = static_cast<const CoreApi *>(PyCapsule_Import(CoreApiCapsule, 0));
  if (!Api) {
    // Keep the cause (the core's own import failure, or a missing capsule).
    PyObject *Type, *Value, *Traceback;
    PyErr_Fetch(&Type, &Value, &Traceback);
    PyErr_NormalizeException(&Type, &Value, &Traceback);
    OwnedRef Cause(Value), Kind(Type), Trace(Traceback);
    PyErr_Format(PyExc_ImportError, "pysym._engine needs the core extension's %s: %S",
                 CoreApiCapsule, Cause ? Cause.get() : Py_None);
    return false;
  }
  const CoreApi Expected;
  if (Api->Size != Expected.Size || Api->ResolutionSize != Expected.ResolutionSize ||
      Api->AnswerSize != Expected.AnswerSize) {
    PyErr_Format(PyExc_ImportError,
                 "pysym._engine and pysym._pysym come from different builds (the core's API "
                 "has sizes %zu/%zu/%zu, the engine expects %zu/%zu/%zu): reinstall pysym",
                 Api->Size, Api->ResolutionSize, Api->AnswerSize, Expected.Size,
                 Expected.ResolutionSize, Expected.AnswerSize);
    return false;
  }
  Core = Api;
  return true;
}

}  // namespace pysym::python
