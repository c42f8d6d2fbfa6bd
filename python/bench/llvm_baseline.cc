// A module that does nothing but link libLLVM, as pysym does: the baseline
// for measuring what importing pysym costs beyond loading LLVM. Its one
// function, identity, is python/kernels/identity.c compiled ahead of time
// into a builtin, the baseline for what a call through pysym costs.
#include <Python.h>

#include "llvm-c/Core.h"

namespace {

// The same body as the identity kernel, with the same calling convention.
PyObject *identity(PyObject *, PyObject *Args, PyObject *Kwargs) {
  if ((Kwargs && PyDict_Size(Kwargs) != 0) || PyTuple_Size(Args) != 1) {
    PyErr_SetString(PyExc_TypeError, "identity(x) takes exactly 1 argument");
    return nullptr;
  }
  PyObject *X = PyTuple_GetItem(Args, 0);
  Py_IncRef(X);
  return X;
}

PyMethodDef Functions[] = {
    {"identity", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(identity)),
     METH_VARARGS | METH_KEYWORDS, "identity(x) -> x, compiled ahead of time."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef Definition = {PyModuleDef_HEAD_INIT, "llvm_baseline", nullptr, -1, Functions,
                          nullptr, nullptr, nullptr, nullptr};
// Referencing an LLVM function keeps libLLVM a DT_NEEDED dependency even with
// --as-needed.
void *volatile KeepLLVM = reinterpret_cast<void *>(&LLVMContextCreate);
}  // namespace

extern "C" __attribute__((visibility("default"))) PyObject *PyInit_llvm_baseline() {
  return PyModule_Create(&Definition);
}
