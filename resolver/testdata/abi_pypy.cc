// PyPy 3.9's object layout, from PyPy's own headers only.
#include <Python.h>

#include "pysym/resolver/testdata/header_abi.h"
#include "resolver/testdata/header_abi_layout.inc"

#ifndef PYPY_VERSION
#error "@pypy39//:headers did not provide PyPy's Python.h"
#endif

pysym::testing::HeaderAbi pysym::testing::pypyHeaderAbi() {
  return layoutOfIncludedHeaders("/usr/include/pypy3.9");
}
