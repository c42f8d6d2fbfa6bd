"""The package pysym around its extension pysym._pysym, and the extension's
private functions for other linkers: _api_table(), _api_symbols(names) and
_undefined_symbols(ir) (python/src/link_queries.cc; the last is the engine
extension's, python/src/ir_queries.cc)."""

import array
import ctypes
import os
import unittest

import pysym
from pysym import _engine, _pysym
from support import IS_PYPY


def interpreter_library():
    """The interpreter image as the dynamic loader sees it, for reference
    addresses independent of pysym: libpypy by path on PyPy (ctypes.CDLL of
    a loaded library returns it), the process's global scope for CPython,
    whose static executable cannot be dlopen()ed by path."""
    image = pysym.interpreter()["image"]
    return ctypes.CDLL(image) if ".so" in os.path.basename(image) else ctypes.CDLL(None)


def exported_address(name, data=False):
    """The address the interpreter image exports for `name`."""
    library = interpreter_library()
    if data:
        return ctypes.addressof(ctypes.c_char.in_dll(library, name))
    return ctypes.cast(getattr(library, name), ctypes.c_void_p).value


def interpreter_name(cpython_name):
    """What this interpreter exports for a CPython name (cpyext's renaming)."""
    if not IS_PYPY:
        return cpython_name
    if cpython_name.startswith("_Py"):
        return "_PyPy" + cpython_name[3:]
    return "PyPy" + cpython_name[2:]


def api_table():
    """_pysym._api_table() as {name: (status, address)}."""
    text, codes, packed, status_names = _pysym._api_table()
    addresses = array.array("Q")
    addresses.frombytes(packed)
    names = text.split("\n")
    assert len(names) == len(codes) == len(addresses), (len(names), len(codes), len(addresses))
    return {name: (status_names[code], address)
            for name, code, address in zip(names, codes, addresses)}


# What docs/python-jit-authors.md and docs/llvmlite.md document as pysym's.
PUBLIC_API = ("CompileError", "CompiledCode", "Engine", "Exposed", "LinkError", "ModuleHandle",
              "Resolution", "add_object_symbol", "add_symbol", "address_of_symbol", "expose",
              "interpreter", "remove_symbol", "report", "resolve")


class PackageTest(unittest.TestCase):
    def test_pysym_is_a_package_around_its_extension(self):
        self.assertTrue(pysym.__file__.endswith("__init__.py"), pysym.__file__)
        self.assertEqual(pysym._pysym.__name__, "pysym._pysym")
        self.assertIn("_pysym", os.path.basename(pysym._pysym.__file__))

    def test_all_is_the_public_api(self):
        self.assertEqual(sorted(pysym.__all__), sorted(PUBLIC_API))
        for name in pysym.__all__:
            self.assertTrue(hasattr(pysym, name), name)
        star = {}
        exec("from pysym import *", star)
        self.assertEqual(set(star) - {"__builtins__"}, set(PUBLIC_API))

    def test_every_public_name_of_the_extension_is_the_packages(self):
        public = [name for name in vars(_pysym) if not name.startswith("_")]
        self.assertTrue(public)
        for name in public:
            self.assertIn(name, pysym.__all__)
            self.assertIs(getattr(pysym, name), getattr(_pysym, name), name)

    def test_private_helpers_of_the_extension_stay_private(self):
        private = [name for name in vars(_pysym)
                   if name.startswith("_") and not name.startswith("__")]
        self.assertIn("_api_table", private)
        for name in private:
            self.assertFalse(hasattr(pysym, name), name)

    def test_types_still_say_they_are_pysyms(self):
        self.assertEqual(pysym.LinkError.__module__, "pysym")
        self.assertEqual(pysym.Engine.__module__, "pysym")
        self.assertEqual(pysym.Resolution.__module__, "pysym")


class ApiTableTest(unittest.TestCase):
    def test_lists_each_name_once_with_what_address_of_symbol_answers(self):
        table = api_table()
        self.assertEqual(len(table), len(_pysym._api_table()[0].split("\n")), "a name repeats")
        self.assertGreater(len(table), 1500)
        for name, (status, address) in table.items():
            self.assertEqual(address or None, pysym.address_of_symbol(name), name)
            self.assertIn(status, ("exact", "alias", "substitute", "missing"), name)

    def test_cpythons_names_at_the_interpreters_addresses(self):
        table = api_table()
        for name in ("PyLong_FromLong", "PyTuple_Pack", "Py_IncRef", "PyErr_SetString"):
            self.assertEqual(table[name], ("alias" if IS_PYPY else "exact",
                                           exported_address(interpreter_name(name))), name)
        for name in ("_Py_NoneStruct", "PyExc_ValueError"):
            self.assertEqual(table[name][1], exported_address(interpreter_name(name), data=True))
        # The interpreter's own spellings are names too.
        self.assertEqual("PyPyLong_FromLong" in table, IS_PYPY)

    def test_substitutes_are_listed(self):
        table = api_table()
        for name in ("Py_IS_NAN", "PyExceptionInstance_Check"):
            self.assertEqual(table[name][0], "substitute", name)
        self.assertEqual(table["_Py_c_pow"][0], "substitute" if IS_PYPY else "exact")

    def test_missing_only_where_a_substitute_cannot_be_made(self):
        for name, (status, _) in api_table().items():
            if status == "missing":
                self.assertIn("could not be created", " ".join(pysym.resolve(name).tried), name)

    def test_registrations_show_but_are_not_listed_by_themselves(self):
        pysym.add_symbol("test.link_queries", 0x1234)
        try:
            self.assertNotIn("test.link_queries", api_table())
        finally:
            pysym.remove_symbol("test.link_queries")


class ApiSymbolsTest(unittest.TestCase):
    def test_answers_each_name_in_order(self):
        names = ["PyLong_FromLong", "PyNoSuch_Function", "erfc", "", "a\0b"]
        answers = _pysym._api_symbols(iter(names))
        self.assertEqual([a[0] for a in answers], names)
        self.assertEqual([a[1] for a in answers],
                         [pysym.resolve(n).status for n in names])
        self.assertEqual([a[2] for a in answers], [pysym.address_of_symbol(n) for n in names])
        self.assertIsNone(answers[1][2])

    def test_bad_arguments(self):
        for bad in ("PyLong_FromLong", 42, None, [b"PyLong_FromLong"], ["ok", 3]):
            with self.assertRaises(TypeError, msg=repr(bad)):
                _pysym._api_symbols(bad)
        with self.assertRaises(TypeError):
            _pysym._api_symbols()


KERNEL = """
%struct._object = type opaque
@PyExc_ValueError = external global %struct._object*
@_Py_NoneStruct = external global %struct._object
@maybe = extern_weak global i8
@"odd name" = external global i8
@defined = global i32 0
declare %struct._object* @PyLong_FromLong(i64)
declare i32 @Py_IS_NAN(double)
declare void @unused(i32)
declare void @llvm.memset.p0i8.i64(i8*, i8, i64, i1)
define i64 @kernel(i8* %buffer) {
  call void @llvm.memset.p0i8.i64(i8* %buffer, i8 0, i64 8, i1 false)
  %exc = load %struct._object*, %struct._object** @PyExc_ValueError
  %none = bitcast %struct._object* @_Py_NoneStruct to i8*
  %a = call %struct._object* @PyLong_FromLong(i64 1)
  %b = call i32 @Py_IS_NAN(double 0.0)
  %w = ptrtoint i8* @maybe to i64
  %o = ptrtoint i8* @"odd name" to i64
  %d = load i32, i32* @defined
  ret i64 %w
}
"""


class UndefinedSymbolsTest(unittest.TestCase):
    def test_lists_the_declarations_the_module_uses(self):
        self.assertEqual(_engine._undefined_symbols(KERNEL), [
            ("PyExc_ValueError", False), ("PyLong_FromLong", False), ("Py_IS_NAN", False),
            ("_Py_NoneStruct", False), ("maybe", True), ("odd name", False)])

    def test_a_module_without_declarations_has_none(self):
        self.assertEqual(_engine._undefined_symbols("define i32 @f() {\n  ret i32 0\n}\n"), [])
        self.assertEqual(_engine._undefined_symbols(""), [])

    def test_ir_that_does_not_parse_is_a_compile_error_naming_the_place(self):
        with self.assertRaisesRegex(pysym.CompileError, "mine.*2:"):
            _engine._undefined_symbols("define i32 @f() {\n  ret i32 %nope\n}\n", "mine")
        for bad in ("define", "\0", "declare void @f(\0)", "garbage " * 1000):
            with self.assertRaises(pysym.CompileError, msg=repr(bad[:20])):
                _engine._undefined_symbols(bad)

    def test_bad_arguments(self):
        for bad in (None, b"declare void @f()", 42):
            with self.assertRaises(TypeError, msg=repr(bad)):
                _engine._undefined_symbols(bad)
        with self.assertRaises(ValueError):  # UnicodeEncodeError
            _engine._undefined_symbols("\ud800")


if __name__ == "__main__":
    unittest.main()
