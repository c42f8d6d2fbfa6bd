#include "python/src/engine_type.h"
namespace pysym::python {
bool addEngineTypes(PyObject *Module) { return true; }
}
