"""The example kernels of python/kernels/, compiled once to LLVM IR and
linked in this interpreter, with each linker."""

import array
import cmath
import math
import unittest

import pysym
from support import IS_PYPY, LINKERS, compiled


def call_price(S, K, T, r, v):
    """Black-Scholes call price, as black_scholes.c computes it."""
    def phi(x):
        return 0.5 * math.erfc(-x * 0.70710678118654752440)
    root = v * math.sqrt(T)
    d1 = (math.log(S / K) + (r + 0.5 * v * v) * T) / root
    d2 = d1 - root
    return S * phi(d1) - K * math.exp(-r * T) * phi(d2)


def c_pow(a, b):
    """CPython's _Py_c_pow (Objects/complexobject.c), step by step, with the
    same libm calls, so the result should agree to the last bit or so."""
    if b == 0:
        return complex(1.0, 0.0)
    if a == 0:
        raise ZeroDivisionError
    vabs = math.hypot(a.real, a.imag)
    length = math.pow(vabs, b.real)
    at = math.atan2(a.imag, a.real)
    phase = at * b.real
    if b.imag != 0.0:
        length /= math.exp(at * b.imag)
        phase += b.imag * math.log(vabs)
    return complex(length * math.cos(phase), length * math.sin(phase))


class KernelTests:
    linker = None

    def kernel(self, name):
        return compiled(name, self.linker)

    def test_black_scholes_prices_a_list(self):
        black_scholes = self.kernel("black_scholes")
        spots, strikes, years = [90.0, 100.0, 110.0, 100], [100.0] * 4, [0.5, 1.0, 2.0, 1]
        prices = black_scholes(spots, strikes, years, 0.03, 0.2)
        self.assertIsInstance(prices, list)
        self.assertEqual(len(prices), 4)
        for price, S, K, T in zip(prices, spots, strikes, years):
            self.assertAlmostEqual(price, call_price(S, K, T, 0.03, 0.2), delta=1e-9 * K)
        self.assertEqual(black_scholes([], [], [], 0.03, 0.2), [])

    def test_black_scholes_rejects_bad_input(self):
        black_scholes = self.kernel("black_scholes")
        with self.assertRaises(ValueError):
            black_scholes([1.0], [1.0, 2.0], [1.0], 0.0, 0.2)
        with self.assertRaises(TypeError):
            black_scholes((1.0,), [1.0], [1.0], 0.0, 0.2)
        with self.assertRaises(TypeError):
            black_scholes([1.0], ["a"], [1.0], 0.0, 0.2)
        with self.assertRaises(TypeError):
            black_scholes([1.0], [1.0], [1.0], None, 0.2)
        with self.assertRaises(TypeError):
            black_scholes([1.0], [1.0], [1.0], 0.0)

    def black_scholes_inputs(self, count):
        spots = array.array("d", [80.0 + (i % 41) * 1.25 for i in range(count)])
        strikes = array.array("d", [90.0 + (i % 5) * 5 for i in range(count)])
        years = array.array("d", [0.25 + (i % 8) * 0.25 for i in range(count)])
        return spots, strikes, years

    def test_black_scholes_array_prices_buffers_as_the_list_kernel_does(self):
        black_scholes_array = self.kernel("black_scholes_array")
        spots, strikes, years = self.black_scholes_inputs(1000)
        prices = array.array("d", [-1.0]) * 1000
        self.assertIs(black_scholes_array(spots, strikes, years, 0.03, 0.2, prices), prices)
        for price, S, K, T in zip(prices, spots, strikes, years):
            self.assertAlmostEqual(price, call_price(S, K, T, 0.03, 0.2), delta=1e-9 * K)
        # The same C function prices each option in both kernels: the same bits.
        self.assertEqual(list(prices), self.kernel("black_scholes")(
            list(spots), list(strikes), list(years), 0.03, 0.2))

        # memoryviews of other exporters, and prices written over an input.
        raw = bytearray(spots.tobytes())
        as_doubles = memoryview(raw).cast("d")
        self.assertIs(black_scholes_array(as_doubles, memoryview(strikes), years, 0.03, 0.2,
                                          as_doubles), as_doubles)
        self.assertEqual(array.array("d", raw), prices)
        empty = array.array("d")
        self.assertIs(black_scholes_array(empty, empty, empty, 0.03, 0.2, empty), empty)

    def test_black_scholes_array_rejects_bad_buffers_and_releases_them(self):
        black_scholes_array = self.kernel("black_scholes_array")
        spots, strikes, years = self.black_scholes_inputs(4)
        prices = array.array("d", [-1.0] * 4)
        read_only = memoryview(bytes(32)).cast("d")
        bad_calls = [
            (ValueError, "differ in length", (spots, strikes, years[:3], 0.03, 0.2, prices)),
            (ValueError, "differ in length", (spots, strikes, years, 0.03, 0.2, prices[:2])),
            (TypeError, "buffers of doubles", (array.array("f", spots), strikes, years, 0.03, 0.2,
                                               prices)),
            (TypeError, "buffers of doubles", (spots, memoryview(strikes).cast("B"), years,
                                               0.03, 0.2, prices)),
            (TypeError, "buffers of doubles", (spots, strikes, years, 0.03, 0.2,
                                               memoryview(bytearray(32)).cast("d", (2, 2)))),
            (TypeError, "", (list(spots), strikes, years, 0.03, 0.2, prices)),
            (BufferError, "", (spots, strikes, years, 0.03, 0.2, read_only)),
            (BufferError, "not contiguous", (spots, strikes, years, 0.03, 0.2,
                                             memoryview(array.array("d", [0.0] * 8))[::2])),
            (BufferError, "not contiguous", (memoryview(spots)[::-1], strikes, years, 0.03, 0.2,
                                             prices)),
            (TypeError, "", (spots, strikes, years, "rate", 0.2, prices)),
            (TypeError, "6 positional", (spots, strikes, years, 0.03, 0.2)),
        ]
        for error, message, args in bad_calls:
            with self.assertRaisesRegex(error, message):
                black_scholes_array(*args)
        self.assertEqual(list(prices), [-1.0] * 4, "prices are untouched when the kernel raises")
        self.assertEqual(bytes(read_only), bytes(32))
        # Every buffer was released: CPython refuses to release a memoryview,
        # or to resize an array, that still exports one.
        for _, _, args in bad_calls:
            for view in args:
                if isinstance(view, memoryview):
                    view.release()
        for buffer in (spots, strikes, years, prices):
            buffer.append(0.0)
            buffer.pop()

    def test_monte_carlo_agrees_with_the_closed_form(self):
        black_scholes_mc = self.kernel("black_scholes_mc")
        spots, strikes, years = [90.0, 100.0, 110.0], [100.0] * 3, [0.5, 1.0, 2.0]
        prices = black_scholes_mc(spots, strikes, years, 0.03, 0.2, 200_000)
        for price, S, K, T in zip(prices, spots, strikes, years):
            # 200,000 antithetic paths: the standard error is well under 0.1.
            self.assertAlmostEqual(price, call_price(S, K, T, 0.03, 0.2), delta=0.1)
        self.assertEqual(prices, black_scholes_mc(spots, strikes, years, 0.03, 0.2, 200_000),
                         "seeded per option: the same inputs give the same prices")
        with self.assertRaisesRegex(ValueError, "paths"):
            black_scholes_mc(spots, strikes, years, 0.03, 0.2, 1)
        with self.assertRaises(TypeError):
            black_scholes_mc(spots, strikes, years, 0.03, 0.2, "many")

    def test_geometric_mean_and_its_value_errors(self):
        geometric_mean = self.kernel("geometric_mean")
        self.assertAlmostEqual(geometric_mean([1.0, 2.0, 4.0, 8.0]), math.sqrt(8), places=14)
        self.assertAlmostEqual(geometric_mean([3]), 3.0, places=14)
        with self.assertRaisesRegex(ValueError, "empty"):
            geometric_mean([])
        with self.assertRaisesRegex(ValueError, "positive"):
            geometric_mean([1.0, -2.0])
        with self.assertRaisesRegex(ValueError, "positive"):
            geometric_mean([float("nan")])
        with self.assertRaises(TypeError):
            geometric_mean("1234")
        with self.assertRaises(TypeError):
            geometric_mean([1.0, object()])

    def test_complex_power_links_py_c_pow(self):
        complex_power = self.kernel("complex_power")
        for base, exponent in [(1 + 2j, 0.5 + 0.25j), (-3 + 0.5j, 1.5), (2j, -0.75 + 2j),
                               (0.1 - 7j, 3.25), (5, 0.5), (1 + 1j, 0)]:
            got = complex_power(base, exponent)
            self.assertIsInstance(got, complex)
            expected = c_pow(complex(base), complex(exponent))
            self.assertTrue(cmath.isclose(got, expected, rel_tol=1e-15, abs_tol=1e-300),
                            "%r ** %r = %r, expected %r" % (base, exponent, got, expected))
            if not IS_PYPY:
                # CPython's own complex.__pow__ uses the very same _Py_c_pow
                # for non-integral exponents.
                self.assertEqual(got, complex(base) ** complex(exponent))

    def test_complex_power_errors(self):
        complex_power = self.kernel("complex_power")
        with self.assertRaises(ZeroDivisionError):
            complex_power(0j, -1 + 0.5j)
        with self.assertRaises(TypeError):
            complex_power("1", 2)
        with self.assertRaises(TypeError):
            complex_power(1j)

    def test_iterable_sum_takes_any_iterable(self):
        iterable_sum = self.kernel("iterable_sum")
        self.assertEqual(iterable_sum([1, 2, 3]), 6)
        self.assertEqual(iterable_sum(range(1000)), 499500)
        self.assertEqual(iterable_sum(x * x for x in range(1000)), 332833500)
        self.assertEqual(iterable_sum({0.5, 1.5}), 2.0)
        self.assertEqual(iterable_sum({"a": 1, "b": 2}.values()), 3)
        self.assertEqual(iterable_sum(iter([])), 0)
        self.assertEqual(iterable_sum([2 ** 100, 1]), 2 ** 100 + 1)

    def test_iterable_sum_passes_on_errors(self):
        iterable_sum = self.kernel("iterable_sum")
        with self.assertRaises(TypeError):
            iterable_sum(5)
        with self.assertRaises(TypeError):
            iterable_sum([1, "two"])

        def failing():
            yield 1
            raise KeyError("from the generator")
        with self.assertRaises(KeyError):
            iterable_sum(failing())

    def test_symbols_each_kernel_references_resolve(self):
        # Substitutes and aliases included: nothing is missing in any interpreter.
        for name in ("black_scholes", "black_scholes_array", "black_scholes_mc", "complex_power",
                     "geometric_mean", "iterable_sum"):
            self.assertTrue(callable(self.kernel(name)))
        statuses = {r.name: r.status for r in pysym.report(
            ["_Py_c_pow", "PyList_New", "PyObject_GetBuffer", "erfc"])}
        self.assertEqual(statuses["_Py_c_pow"], "substitute" if IS_PYPY else "exact")
        self.assertEqual(statuses["PyList_New"], "alias" if IS_PYPY else "exact")
        self.assertEqual(statuses["PyObject_GetBuffer"], "alias" if IS_PYPY else "exact")
        self.assertEqual(statuses["erfc"], "system")


class RuntimeDyldKernelsTest(KernelTests, unittest.TestCase):
    linker = "rtdyld"


class JITLinkKernelsTest(KernelTests, unittest.TestCase):
    linker = "jitlink"


if __name__ == "__main__":
    unittest.main()
