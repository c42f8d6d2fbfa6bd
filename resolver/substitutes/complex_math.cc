// Complex arithmetic with CPython 3.11's exact floating-point and errno behaviour.
//
// Built with -ffp-contract=off (see BUILD): a fused multiply-add would round
// differently from CPython's separate multiply and add.
#include "pysym/resolver/substitutes/complex_math.h"

#include <cerrno>
#include <cmath>

namespace pysym::substitutes {

Complex complexSum(Complex A, Complex B) { return {A.Real + B.Real, A.Imag + B.Imag}; }

Complex complexDiff(Complex A, Complex B) { return {A.Real - B.Real, A.Imag - B.Imag}; }

Complex complexNeg(Complex A) { return {-A.Real, -A.Imag}; }

Complex complexProd(Complex A, Complex B) {
  // (a + bi)(c + di) = (ac - bd) + (ad + bc)i
  return {A.Real * B.Real - A.Imag * B.Imag, A.Real * B.Imag + A.Imag * B.Real};
}

Complex complexQuot(Complex A, Complex B) {
  // Scale by the larger divisor part so that neither |c|^2 nor |d|^2 is
  // formed (Smith, CACM Algorithm 116): with r = d/c,
  // (a + bi)/(c + di) = ((a + b r) + (b - a r) i) / (c + d r).
  const double MagnitudeReal = B.Real < 0 ? -B.Real : B.Real;
  const double MagnitudeImag = B.Imag < 0 ? -B.Imag : B.Imag;
  if (MagnitudeReal >= MagnitudeImag) {
    if (MagnitudeReal == 0.0) {
      errno = EDOM;
      return {0.0, 0.0};
    }
    const double Ratio = B.Imag / B.Real;
    const double Scale = B.Real + B.Imag * Ratio;
    return {(A.Real + A.Imag * Ratio) / Scale, (A.Imag - A.Real * Ratio) / Scale};
  }
  if (MagnitudeImag >= MagnitudeReal) {
    // With r = c/d: (a + bi)/(c + di) = ((a r + b) + (b r - a) i) / (c r + d).
    const double Ratio = B.Real / B.Imag;
    const double Scale = B.Real * Ratio + B.Imag;
    return {(A.Real * Ratio + A.Imag) / Scale, (A.Imag * Ratio - A.Real) / Scale};
  }
  // Neither comparison holds only when a divisor part is a nan.
  const double NaN = __builtin_nan("");
  return {NaN, NaN};
}

Complex complexPow(Complex Base, Complex Exponent) {
  if (Exponent.Real == 0.0 && Exponent.Imag == 0.0)
    return {1.0, 0.0};
  if (Base.Real == 0.0 && Base.Imag == 0.0) {
    if (Exponent.Imag != 0.0 || Exponent.Real < 0.0)
      errno = EDOM;
    return {0.0, 0.0};
  }
  // z = r e^{i t}, w = a + b i:
  // z^w = r^a e^{-b t} * e^{i (a t + b ln r)}.
  // The libm calls stay in this order: errno is whatever the last failing one
  // set, as in CPython.
  const double Modulus = std::hypot(Base.Real, Base.Imag);
  double Length = std::pow(Modulus, Exponent.Real);
  const double Argument = std::atan2(Base.Imag, Base.Real);
  double Phase = Argument * Exponent.Real;
  if (Exponent.Imag != 0.0) {
    Length /= std::exp(Argument * Exponent.Imag);
    Phase += Exponent.Imag * std::log(Modulus);
  }
  return {Length * std::cos(Phase), Length * std::sin(Phase)};
}

double complexAbs(Complex Z) {
  if (!std::isfinite(Z.Real) || !std::isfinite(Z.Imag)) {
    // C99 Annex G: an infinite part makes the modulus infinite, nan or not.
    if (std::isinf(Z.Real)) {
      errno = 0;
      return std::fabs(Z.Real);
    }
    if (std::isinf(Z.Imag)) {
      errno = 0;
      return std::fabs(Z.Imag);
    }
    return __builtin_nan("");
  }
  const double Modulus = std::hypot(Z.Real, Z.Imag);
  errno = std::isfinite(Modulus) ? 0 : ERANGE;
  return Modulus;
}

}  // namespace pysym::substitutes
