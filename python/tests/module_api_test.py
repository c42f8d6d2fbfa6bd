"""pysym's module functions: interpreter(), resolve(), report(),
add_symbol(), address_of_symbol(), add_object_symbol(), remove_symbol()."""

import ctypes
import gc
import platform
import sys
import unittest
import weakref

import pysym
from support import IS_PYPY


class InterpreterTest(unittest.TestCase):
    def test_identifies_this_interpreter(self):
        info = pysym.interpreter()
        self.assertEqual(info["implementation"], sys.implementation.name)
        self.assertEqual(info["version"], platform.python_version())
        self.assertEqual(info["debug"], hasattr(sys, "gettotalrefcount"))
        self.assertTrue(info["image"].startswith("/"), info["image"])

    def test_abi_facts_match_the_running_interpreter(self):
        abi = pysym.interpreter()["abi"]
        self.assertEqual(set(abi), {"pointer_size", "ssize_t_size", "refcnt_offset",
                                    "type_offset", "object_size"})
        self.assertEqual(abi["pointer_size"], ctypes.sizeof(ctypes.c_void_p))
        self.assertEqual(abi["ssize_t_size"], ctypes.sizeof(ctypes.c_ssize_t))
        self.assertEqual(abi["object_size"], abi["type_offset"] + abi["pointer_size"])
        self.assertEqual(abi["type_offset"], 16 if IS_PYPY else 8)

    def test_type_offset_finds_the_type_of_a_real_object(self):
        # Read ob_type of a live object at its real C address, which
        # add_object_symbol registers (on PyPy id() is not an address).
        abi = pysym.interpreter()["abi"]
        obj = [1, 2, 3]
        pysym.add_object_symbol("test.abi.object", obj)
        pysym.add_object_symbol("test.abi.type", list)
        try:
            address = pysym.address_of_symbol("test.abi.object")
            type_address = pysym.address_of_symbol("test.abi.type")
            seen = ctypes.c_void_p.from_address(address + abi["type_offset"]).value
            self.assertEqual(seen, type_address)
            refcount = ctypes.c_ssize_t.from_address(address + abi["refcnt_offset"]).value
            self.assertGreaterEqual(refcount, 1)
        finally:
            pysym.remove_symbol("test.abi.object")
            pysym.remove_symbol("test.abi.type")


class ResolveTest(unittest.TestCase):
    def test_function_resolves_under_this_interpreters_name(self):
        r = pysym.resolve("PyLong_FromLong")
        self.assertIsInstance(r, pysym.Resolution)
        self.assertTrue(r.found)
        self.assertEqual(r.name, "PyLong_FromLong")
        self.assertEqual(r.kind, "function")
        self.assertIsInstance(r.address, int)
        self.assertNotEqual(r.address, 0)
        if IS_PYPY:
            self.assertEqual((r.status, r.target), ("alias", "PyPyLong_FromLong"))
        else:
            self.assertEqual((r.status, r.target), ("exact", "PyLong_FromLong"))
        self.assertEqual(r.image, pysym.interpreter()["image"])

    def test_none_resolves_to_the_none_object(self):
        r = pysym.resolve("_Py_NoneStruct")
        self.assertEqual(r.kind, "data")
        pysym.add_object_symbol("test.none", None)
        try:
            self.assertEqual(r.address, pysym.address_of_symbol("test.none"))
        finally:
            pysym.remove_symbol("test.none")

    def test_libm_resolves_as_system(self):
        r = pysym.resolve("erfc")
        self.assertEqual(r.status, "system")
        self.assertIn("libm", r.image)

    def test_miss_is_a_resolution_not_an_error(self):
        r = pysym.resolve("PyNoSuch_Function")
        self.assertEqual(r.status, "missing")
        self.assertFalse(r.found)
        self.assertIsNone(r.address)
        self.assertIsInstance(r.tried, tuple)
        self.assertGreater(len(r.tried), 0)
        self.assertIn("PyNoSuch_Function", repr(r))

    def test_repr_names_status_target_and_hex_address(self):
        r = pysym.resolve("PyLong_FromLong")
        text = repr(r)
        self.assertTrue(text.startswith("pysym.Resolution(name='PyLong_FromLong'"), text)
        self.assertIn("status='%s'" % r.status, text)
        self.assertIn("address=%s" % hex(r.address), text)

    def test_attributes_are_read_only(self):
        r = pysym.resolve("PyLong_FromLong")
        for field in ("name", "status", "address", "target", "image", "kind", "tried"):
            with self.assertRaises(AttributeError, msg=field):
                setattr(r, field, None)

    def test_odd_names_miss_without_crashing(self):
        for name in ("", "\0", "Py\0Long_FromLong", "x" * 10_000_000, "ü" * 1000, " "):
            r = pysym.resolve(name)
            self.assertEqual(r.status, "missing", name[:20])

    def test_wrong_types_raise_type_error(self):
        for bad in (None, 1, b"PyLong_FromLong", ["PyLong_FromLong"], object()):
            with self.assertRaises(TypeError, msg=repr(bad)):
                pysym.resolve(bad)
        with self.assertRaises(TypeError):
            pysym.resolve()
        with self.assertRaises(TypeError):
            pysym.resolve("a", "b")

    def test_unencodable_name_raises_value_error(self):
        with self.assertRaises(ValueError):  # UnicodeEncodeError
            pysym.resolve("\ud800")


class ReportTest(unittest.TestCase):
    def test_reports_each_name_in_order(self):
        names = ["PyLong_FromLong", "PyNoSuch_Function", "PyExc_TypeError"]
        report = pysym.report(iter(names))
        self.assertIsInstance(report, list)
        self.assertEqual([r.name for r in report], names)
        self.assertEqual([r.found for r in report], [True, False, True])

    def test_rejects_a_single_string_and_non_iterables(self):
        with self.assertRaises(TypeError):
            pysym.report("PyLong_FromLong")
        with self.assertRaises(TypeError):
            pysym.report(42)
        with self.assertRaises(TypeError):
            pysym.report(["PyLong_FromLong", 3])

    def test_passes_on_the_iterators_exception(self):
        def names():
            yield "PyLong_FromLong"
            raise KeyError("from the iterator")
        with self.assertRaises(KeyError):
            pysym.report(names())


class AddSymbolTest(unittest.TestCase):
    def tearDown(self):
        for name in ("test.symbol", "test.object"):
            pysym.remove_symbol(name)

    def test_registered_address_is_what_address_of_symbol_returns(self):
        self.assertIsNone(pysym.address_of_symbol("test.symbol"))
        pysym.add_symbol("test.symbol", 0x1234)
        self.assertEqual(pysym.address_of_symbol("test.symbol"), 0x1234)
        r = pysym.resolve("test.symbol")
        self.assertEqual((r.status, r.address), ("registered", 0x1234))

    def test_registering_again_replaces_like_llvmlite(self):
        pysym.add_symbol("test.symbol", 0x1234)
        pysym.add_symbol("test.symbol", 0x5678)
        self.assertEqual(pysym.address_of_symbol("test.symbol"), 0x5678)

    def test_replaces_the_interpreters_own_export_only_when_asked(self):
        original = pysym.address_of_symbol("PyLong_FromDouble")
        with self.assertRaisesRegex(ValueError, "the interpreter .* exports it"):
            pysym.add_symbol("PyLong_FromDouble", 0x1000)
        self.assertEqual(pysym.address_of_symbol("PyLong_FromDouble"), original)
        pysym.add_symbol("PyLong_FromDouble", 0x1000, override=True)
        try:
            self.assertEqual(pysym.address_of_symbol("PyLong_FromDouble"), 0x1000)
        finally:
            self.assertTrue(pysym.remove_symbol("PyLong_FromDouble"))
        self.assertEqual(pysym.address_of_symbol("PyLong_FromDouble"), original)

    def test_remove_says_whether_there_was_one(self):
        self.assertFalse(pysym.remove_symbol("test.symbol"))
        pysym.add_symbol("test.symbol", 1)
        self.assertTrue(pysym.remove_symbol("test.symbol"))
        self.assertIsNone(pysym.address_of_symbol("test.symbol"))

    def test_address_of_symbol_sees_interpreter_names(self):
        self.assertEqual(pysym.address_of_symbol("PyLong_FromLong"),
                         pysym.resolve("PyLong_FromLong").address)
        self.assertIsNone(pysym.address_of_symbol("PyNoSuch_Function"))

    def test_bad_arguments(self):
        for address in (0, -1, 2 ** 64, 2 ** 200):
            with self.assertRaises(ValueError, msg=address):
                pysym.add_symbol("test.symbol", address)
        for address in ("1", 1.5, None):
            with self.assertRaises(TypeError, msg=address):
                pysym.add_symbol("test.symbol", address)
        with self.assertRaises(ValueError):
            pysym.add_symbol("", 1)
        with self.assertRaises(ValueError):
            pysym.add_symbol("a\0b", 1)
        with self.assertRaises(TypeError):
            pysym.add_symbol(b"test.symbol", 1)
        with self.assertRaises(TypeError):
            pysym.add_symbol("test.symbol")
        with self.assertRaises(TypeError):
            pysym.address_of_symbol(None)
        self.assertIsNone(pysym.address_of_symbol("x" * 1_000_000))

    def test_keyword_arguments(self):
        pysym.add_symbol(name="test.symbol", address=7)
        self.assertEqual(pysym.address_of_symbol("test.symbol"), 7)


class AddObjectSymbolTest(unittest.TestCase):
    def tearDown(self):
        pysym.remove_symbol("test.object")

    def test_keeps_a_reference_until_removed(self):
        class Thing:
            pass
        thing = Thing()
        alive = weakref.ref(thing)
        pysym.add_object_symbol("test.object", thing)
        del thing
        for _ in range(3):
            gc.collect()
        self.assertIsNotNone(alive(), "the registration must keep the object alive")
        self.assertTrue(pysym.remove_symbol("test.object"))
        for _ in range(10):
            gc.collect()
            if alive() is None:
                break
        self.assertIsNone(alive(), "removing the registration must release the object")

    def test_registers_the_object_address_not_id_on_cpython(self):
        obj = object()
        pysym.add_object_symbol("test.object", obj)
        r = pysym.resolve("test.object")
        self.assertEqual((r.status, r.kind), ("registered", "data"))
        if not IS_PYPY:
            self.assertEqual(r.address, id(obj))

    def test_refuses_an_interpreter_name_unless_overridden(self):
        name = "PyPyExc_ValueError" if IS_PYPY else "PyExc_ValueError"
        with self.assertRaises(ValueError):
            pysym.add_object_symbol(name, ValueError)
        pysym.add_object_symbol(name, ValueError, override=True)
        try:
            self.assertEqual(pysym.resolve(name).status, "registered")
        finally:
            pysym.remove_symbol(name)
        self.assertNotEqual(pysym.resolve(name).status, "registered")

    def test_bad_arguments(self):
        with self.assertRaises(TypeError):
            pysym.add_object_symbol("test.object")
        with self.assertRaises(TypeError):
            pysym.add_object_symbol(1, None)
        with self.assertRaises(ValueError):
            pysym.add_object_symbol("", None)
        with self.assertRaises(TypeError):
            pysym.add_object_symbol("test.object", None, True)  # override is keyword-only


if __name__ == "__main__":
    unittest.main()
