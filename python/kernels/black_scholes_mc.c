/* Monte Carlo prices of European call options under the Black-Scholes
 * model: a compute-bound kernel, whose time is spent in arithmetic rather
 * than in the C API, for comparing interpreters on equal terms. */
#include <math.h>
#include <stdint.h>

#include "pysym_kernel.h"

/* xorshift64*: a small deterministic generator, seeded per option so that
 * every interpreter computes bit-identical prices. */
static uint64_t next_random(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

/* A uniform double in (0, 1). */
static double uniform(uint64_t *state) {
  return ((double)(next_random(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* The discounted mean payoff over `paths` simulated prices at expiry, using
 * antithetic pairs of standard normals from the Box-Muller transform. */
static double simulate(double S, double K, double T, double r, double v, long paths,
                       uint64_t seed) {
  uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  double drift = (r - 0.5 * v * v) * T, spread = v * sqrt(T), total = 0.0;
  for (long i = 0; i < paths; i += 2) {
    double z = sqrt(-2.0 * log(uniform(&state))) * cos(6.283185307179586 * uniform(&state));
    double up = S * exp(drift + spread * z) - K, down = S * exp(drift - spread * z) - K;
    total += (up > 0.0 ? up : 0.0) + (down > 0.0 ? down : 0.0);
  }
  return exp(-r * T) * total / (double)(paths + (paths & 1));
}

/* black_scholes_mc(spots, strikes, years, rate, volatility, paths) -> list
 * of prices, as black_scholes() but estimated from `paths` (>= 2) simulated
 * paths per option. Raises as black_scholes() does, and ValueError for
 * fewer than 2 paths. */
PyObject *black_scholes_mc(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 6,
                        "black_scholes_mc(spots, strikes, years, rate, volatility, paths) "
                        "takes exactly 6 positional arguments"))
    return NULL;
  PyObject *spots = PyTuple_GetItem(args, 0);
  PyObject *strikes = PyTuple_GetItem(args, 1);
  PyObject *years = PyTuple_GetItem(args, 2);
  if (!pysym_is_list(spots) || !pysym_is_list(strikes) || !pysym_is_list(years)) {
    PyErr_SetString(PyExc_TypeError, "black_scholes_mc: spots, strikes and years must be lists");
    return NULL;
  }
  double rate = PyFloat_AsDouble(PyTuple_GetItem(args, 3));
  if (rate == -1.0 && PyErr_Occurred()) return NULL;
  double volatility = PyFloat_AsDouble(PyTuple_GetItem(args, 4));
  if (volatility == -1.0 && PyErr_Occurred()) return NULL;
  long paths = PyLong_AsLong(PyTuple_GetItem(args, 5));
  if (paths == -1 && PyErr_Occurred()) return NULL;
  if (paths < 2) {
    PyErr_SetString(PyExc_ValueError, "black_scholes_mc: paths must be at least 2");
    return NULL;
  }
  Py_ssize_t n = PyList_Size(spots);
  if (PyList_Size(strikes) != n || PyList_Size(years) != n) {
    PyErr_SetString(PyExc_ValueError, "black_scholes_mc: spots, strikes and years differ in length");
    return NULL;
  }
  PyObject *prices = PyList_New(n);
  if (prices == NULL) return NULL;
  for (Py_ssize_t i = 0; i < n; ++i) {
    double S = PyFloat_AsDouble(PyList_GetItem(spots, i));
    double K = PyFloat_AsDouble(PyList_GetItem(strikes, i));
    double T = PyFloat_AsDouble(PyList_GetItem(years, i));
    if ((S == -1.0 || K == -1.0 || T == -1.0) && PyErr_Occurred()) {
      Py_DecRef(prices);
      return NULL;
    }
    double price = simulate(S, K, T, rate, volatility, paths, (uint64_t)i);
    PyObject *item = PyFloat_FromDouble(price);
    if (item == NULL || PyList_SetItem(prices, i, item) < 0) {
      Py_DecRef(prices);
      return NULL;
    }
  }
  return prices;
}
