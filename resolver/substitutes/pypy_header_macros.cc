// What PyPy 7.3.11's headers (/usr/include/pypy3.9) expand these macros to.
#include "pysym/resolver/substitutes/pypy_header_macros.h"

namespace pysym::substitutes {

void gcTrackNoOp(void *) {}

void gcUnTrackNoOp(void *) {}

capi::Object cFunctionNew(void *MethodDef, capi::Object Self) {
  return capi::cMethodNew(MethodDef, Self, nullptr, nullptr);
}

capi::Object cFunctionNewEx(void *MethodDef, capi::Object Self, capi::Object Module) {
  return capi::cMethodNew(MethodDef, Self, Module, nullptr);
}

std::ptrdiff_t objectLength(capi::Object O) { return capi::objectSize(O); }

capi::Object compileString(const char *Source, const char *Filename, int Start) {
  return capi::compileStringFlags(Source, Filename, Start, nullptr);
}

}  // namespace pysym::substitutes
