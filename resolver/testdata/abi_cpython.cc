// CPython 3.11's object layout, from its release headers only.
#include <Python.h>

#include "pysym/resolver/testdata/header_abi.h"
#include "resolver/testdata/header_abi_layout.inc"

#ifdef Py_DEBUG
#error "@python311//:headers are CPython's release headers; Py_DEBUG must not be set"
#endif

pysym::testing::HeaderAbi pysym::testing::cpythonHeaderAbi() {
  return layoutOfIncludedHeaders("/usr/include/python3.11");
}
