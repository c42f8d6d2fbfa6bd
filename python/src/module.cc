// Placeholder until the module is wired to //resolver and //jitlink.
#include <Python.h>
static PyModuleDef Def = {PyModuleDef_HEAD_INIT, "pysym", nullptr, -1, nullptr, nullptr, nullptr, nullptr, nullptr};
extern "C" __attribute__((visibility("default"))) PyObject *PyInit_pysym() { return PyModule_Create(&Def); }
