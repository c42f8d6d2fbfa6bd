// CPython's exported complex-arithmetic helpers (_Py_c_*), for interpreters that lack them.
//
// Semantics follow CPython 3.11's Objects/complexobject.c, rewritten from the
// mathematics: results must match CPython's own exports bit for bit, errno
// included, so each function performs the same IEEE operations and the same
// libm calls in the same order (libm's errno side effects are part of the
// contract). complex_math_test compares them against CPython's exports.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_COMPLEX_MATH_H
#define PYSYM_RESOLVER_SUBSTITUTES_COMPLEX_MATH_H

namespace pysym::substitutes {

/// Py_complex: two doubles, passed and returned by value in SSE registers
/// under the x86-64 SysV ABI, exactly as CPython's functions take them.
struct Complex {
  double Real;
  double Imag;
};

/// _Py_c_sum: componentwise A + B. Never touches errno.
Complex complexSum(Complex A, Complex B);
/// _Py_c_diff: componentwise A - B. Never touches errno.
Complex complexDiff(Complex A, Complex B);
/// _Py_c_neg: -A. Never touches errno.
Complex complexNeg(Complex A);
/// _Py_c_prod: the schoolbook product (no special handling of infinities).
Complex complexProd(Complex A, Complex B);
/// _Py_c_quot: A / B by Smith's scaling; sets errno = EDOM and returns 0 for
/// a zero divisor, and returns (nan, nan) when a divisor part is a nan.
Complex complexQuot(Complex A, Complex B);
/// _Py_c_pow: Base ** Exponent in polar form. Exponent 0 gives 1 (even for a
/// zero or nan base); a zero base gives 0, with errno = EDOM when the
/// exponent is negative or has an imaginary part. Otherwise errno is what
/// hypot, pow, atan2, exp, log, cos and sin leave (ERANGE on overflow).
/// Note: CPython's `**` operator takes an exact repeated-squaring path for
/// small integer exponents, but that lives in complex_pow, not in the
/// exported _Py_c_pow, so it is not here either.
Complex complexPow(Complex Base, Complex Exponent);
/// _Py_c_abs: the modulus. An infinite part gives +inf with errno = 0 (even
/// with a nan in the other part); otherwise a nan part gives nan with errno
/// untouched; otherwise hypot, with errno = ERANGE on overflow, else 0.
double complexAbs(Complex Z);

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_COMPLEX_MATH_H
