/* Black-Scholes prices of European call options, over lists of floats.
 * black_scholes_array.c prices over buffers of doubles without making an
 * object per option. */
#include "black_scholes_price.h"
#include "pysym_kernel.h"

/* black_scholes(spots, strikes, years, rate, volatility) -> list of prices.
 * spots, strikes and years are lists of equal length whose items are numbers;
 * rate and volatility are numbers. Raises TypeError for anything else and
 * ValueError for lists of different lengths. */
PyObject *black_scholes(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 5,
                        "black_scholes(spots, strikes, years, rate, volatility) "
                        "takes exactly 5 positional arguments"))
    return NULL;
  PyObject *spots = PyTuple_GetItem(args, 0);
  PyObject *strikes = PyTuple_GetItem(args, 1);
  PyObject *years = PyTuple_GetItem(args, 2);
  if (!pysym_is_list(spots) || !pysym_is_list(strikes) || !pysym_is_list(years)) {
    PyErr_SetString(PyExc_TypeError, "black_scholes: spots, strikes and years must be lists");
    return NULL;
  }
  double rate = PyFloat_AsDouble(PyTuple_GetItem(args, 3));
  if (rate == -1.0 && PyErr_Occurred()) return NULL;
  double volatility = PyFloat_AsDouble(PyTuple_GetItem(args, 4));
  if (volatility == -1.0 && PyErr_Occurred()) return NULL;

  Py_ssize_t n = PyList_Size(spots);
  if (PyList_Size(strikes) != n || PyList_Size(years) != n) {
    PyErr_SetString(PyExc_ValueError, "black_scholes: spots, strikes and years differ in length");
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
    PyObject *price = PyFloat_FromDouble(call_price(S, K, T, rate, volatility));
    if (price == NULL || PyList_SetItem(prices, i, price) < 0) {
      Py_DecRef(prices);
      return NULL;
    }
  }
  return prices;
}
