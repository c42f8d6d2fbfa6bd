/* Black-Scholes prices of European call options over buffers of doubles
 * (array('d'), memoryview, NumPy float64 arrays). The kernel reads and writes
 * the buffers' memory through the buffer protocol, so it makes no Python
 * object per option: unlike black_scholes.c over lists, it costs the same in
 * PyPy, where cpyext makes every object dearly, as in CPython. */
#include "black_scholes_price.h"
#include "pysym_kernel.h"

enum { SPOTS, STRIKES, YEARS, PRICES, BUFFERS };

/* Whether a buffer format describes one native double. These kernels are
 * compiled for x86-64 only, where little-endian ('<') is the native order. */
static int is_double_format(const char *format) {
  if (format == NULL) return 0; /* NULL means unsigned bytes */
  if (format[0] == '@' || format[0] == '=' || format[0] == '<') ++format;
  return format[0] == 'd' && format[1] == '\0';
}

/* Fills `view` with o's memory as a one-dimensional contiguous buffer of
 * doubles, writable if asked. Returns 0, or -1 with an exception set and no
 * buffer held: whatever the object's own PyObject_GetBuffer raises (TypeError
 * for a non-buffer, BufferError for a read-only buffer asked to be writable),
 * TypeError for a buffer of anything but doubles, BufferError for a strided
 * one. The strides are asked for and checked here, rather than contiguity
 * asked of the exporter (PyBUF_ND): PyPy 7.3.11 answers PyBUF_ND for a
 * strided memoryview such as m[::2] with its strided memory, as if it were
 * contiguous. */
static int get_doubles(PyObject *o, int writable, Py_buffer *view) {
  int flags = PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
  if (PyObject_GetBuffer(o, view, flags) < 0) return -1;
  if (view->ndim != 1 || view->itemsize != (Py_ssize_t)sizeof(double) ||
      !is_double_format(view->format)) {
    PyBuffer_Release(view);
    PyErr_SetString(PyExc_TypeError,
                    "black_scholes_array: spots, strikes, years and prices must be "
                    "one-dimensional buffers of doubles (array('d'), format 'd')");
    return -1;
  }
  if (view->strides[0] != (Py_ssize_t)sizeof(double)) {
    PyBuffer_Release(view);
    PyErr_SetString(PyExc_BufferError, "black_scholes_array: a buffer is not contiguous");
    return -1;
  }
  return 0;
}

/* black_scholes_array(spots, strikes, years, rate, volatility, prices) -> prices.
 * spots, strikes and years are buffers of doubles of one length, prices a
 * writable one of the same length, which receives the prices and is returned.
 * prices may be one of the inputs: each option is read before its price is
 * written. rate and volatility are numbers. Raises TypeError for anything
 * else, BufferError for a read-only prices or a strided buffer, and ValueError for buffers of
 * different lengths; prices is unchanged when it raises. */
PyObject *black_scholes_array(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 6,
                        "black_scholes_array(spots, strikes, years, rate, volatility, prices) "
                        "takes exactly 6 positional arguments"))
    return NULL;
  double rate = PyFloat_AsDouble(PyTuple_GetItem(args, 3));
  if (rate == -1.0 && PyErr_Occurred()) return NULL;
  double volatility = PyFloat_AsDouble(PyTuple_GetItem(args, 4));
  if (volatility == -1.0 && PyErr_Occurred()) return NULL;

  static const int argument_of[BUFFERS] = {0, 1, 2, 5};
  Py_buffer views[BUFFERS];
  int held = 0;
  PyObject *result = NULL;
  for (; held < BUFFERS; ++held)
    if (get_doubles(PyTuple_GetItem(args, argument_of[held]), held == PRICES, &views[held]) < 0)
      goto release;
  for (int i = STRIKES; i < BUFFERS; ++i)
    if (views[i].len != views[SPOTS].len) {
      PyErr_SetString(PyExc_ValueError,
                      "black_scholes_array: spots, strikes, years and prices differ in length");
      goto release;
    }

  const double *spots = views[SPOTS].buf, *strikes = views[STRIKES].buf, *years = views[YEARS].buf;
  double *prices = views[PRICES].buf;
  Py_ssize_t n = views[SPOTS].len / (Py_ssize_t)sizeof(double);
  for (Py_ssize_t i = 0; i < n; ++i)
    prices[i] = call_price(spots[i], strikes[i], years[i], rate, volatility);
  result = PyTuple_GetItem(args, argument_of[PRICES]);
  Py_IncRef(result);

release:
  while (held > 0) PyBuffer_Release(&views[--held]);
  return result;
}
