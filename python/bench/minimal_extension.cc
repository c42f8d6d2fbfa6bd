// An extension module with nothing in it: the reference for what importing
// any C extension costs an interpreter (on PyPy, starting cpyext), against
// which import_cost.py shows what importing pysym adds.
#include <Python.h>

namespace {
PyModuleDef Definition = {PyModuleDef_HEAD_INIT, "minimal_extension", nullptr, -1, nullptr,
                          nullptr, nullptr, nullptr, nullptr};
}  // namespace

extern "C" __attribute__((visibility("default"))) PyObject *PyInit_minimal_extension() {
  return PyModule_Create(&Definition);
}
