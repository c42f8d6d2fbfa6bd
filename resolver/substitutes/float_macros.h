// CPython's floating-point classification macros (Py_IS_NAN, Py_IS_INFINITY, Py_IS_FINITE) as functions.
//
// CPython 3.11's pymath.h defines them as C99's isnan, isinf and isfinite;
// no interpreter exports them, but code generators that treat every C-API
// name as a callable symbol still reference them.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_FLOAT_MACROS_H
#define PYSYM_RESOLVER_SUBSTITUTES_FLOAT_MACROS_H

namespace pysym::substitutes {

/// Py_IS_NAN(x): 1 for any nan (either sign, any payload), else 0.
int isNan(double X);
/// Py_IS_INFINITY(x): 1 for +inf or -inf, else 0. (C's isinf may return -1
/// for -inf under glibc; a caller tests for non-zero either way.)
int isInfinity(double X);
/// Py_IS_FINITE(x): 1 unless x is an infinity or a nan.
int isFinite(double X);

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_FLOAT_MACROS_H
