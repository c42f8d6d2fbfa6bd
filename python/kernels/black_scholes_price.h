/* The closed-form Black-Scholes price of one European call option, shared by
 * the kernels that price over lists and over buffers, so both compute the
 * same bits. */
#ifndef BLACK_SCHOLES_PRICE_H
#define BLACK_SCHOLES_PRICE_H

#include <math.h>

/* The standard normal distribution function, Phi(x) = erfc(-x / sqrt(2)) / 2. */
static inline double normal_cdf(double x) { return 0.5 * erfc(-x * 0.70710678118654752440); }

/* The price of one call option: spot S, strike K, years to expiry T, the
 * risk-free rate r and the volatility v (both per year). */
static inline double call_price(double S, double K, double T, double r, double v) {
  double root = v * sqrt(T);
  double d1 = (log(S / K) + (r + 0.5 * v * v) * T) / root;
  double d2 = d1 - root;
  return S * normal_cdf(d1) - K * exp(-r * T) * normal_cdf(d2);
}

#endif /* BLACK_SCHOLES_PRICE_H */
