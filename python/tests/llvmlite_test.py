"""pysym.llvmlite: install() and imports_for().

Two kinds of tests:
  - against a binding that records add_symbol calls (RecordingBinding), in
    every interpreter, pyenv's CPythons included;
  - against the real llvmlite, Debian's python3-llvmlite 0.39.1 (LLVM 14,
    MCJIT), wherever it is importable: /usr/bin/python3.11, python3.11d and
    pypy3, whose sys.path includes /usr/lib/python3/dist-packages (llvmlite
    is pure Python over ctypes, so PyPy loads it too). Skipped by name
    elsewhere.
"""

import builtins
import ctypes
import json
import math
import os
import random
import subprocess
import sys
import types
import unittest

import pysym
import pysym.llvmlite
from link_queries_test import exported_address, interpreter_library, interpreter_name
from llvmlite_support import add_to, as_callable, mcjit_engine
from support import IS_PYPY

try:
    import llvmlite.binding as llvm
    LLVMLITE_MISSING = None
except ImportError as error:
    llvm = None
    LLVMLITE_MISSING = "llvmlite is not importable in %s (%s)" % (sys.executable, error)

HERE = os.path.dirname(os.path.abspath(__file__))


class RecordingBinding:
    """Stands in for llvmlite.binding: records each add_symbol call."""

    def __init__(self):
        self.symbols = {}
        self.calls = 0

    def add_symbol(self, name, address):
        self.calls += 1
        self.symbols[name] = address


def forget_objects(installed):
    """Undoes convention="numba" for pysym's own engines (other tests in this
    process link PyExc_* as the interpreter's cells)."""
    for name in installed.objects:
        pysym.remove_symbol(name)


def builtin_exception_classes():
    return {"PyExc_" + value.__name__: value for value in vars(builtins).values()
            if isinstance(value, type) and issubclass(value, BaseException)}


class InstallTest(unittest.TestCase):
    def test_registers_every_api_name_at_pysyms_address(self):
        binding = RecordingBinding()
        installed = pysym.llvmlite.install(binding)
        self.assertEqual(binding.symbols, installed.addresses)
        self.assertEqual(binding.calls, len(installed.addresses))
        self.assertGreater(len(installed.addresses), 1500)
        for name, address in installed.addresses.items():
            self.assertEqual(address, pysym.address_of_symbol(name), name)
            self.assertEqual(installed.statuses[name], pysym.resolve(name).status, name)
        self.assertEqual(sum(installed.counts.values()), len(installed.addresses))
        self.assertEqual(installed.convention, "abi")
        self.assertEqual(installed.objects, [])

    def test_cpythons_names_get_the_interpreters_exports(self):
        # On PyPy: PyLong_FromLong at PyPyLong_FromLong's address, read
        # through the dynamic loader from libpypy, not from pysym.
        binding = RecordingBinding()
        installed = pysym.llvmlite.install(binding)
        for name in ("PyLong_FromLong", "PyTuple_Pack", "Py_IncRef", "PyErr_SetString",
                     "PyObject_GetIter", "PyFloat_AsDouble"):
            self.assertEqual(binding.symbols[name], exported_address(interpreter_name(name)), name)
            self.assertEqual(installed.statuses[name], "alias" if IS_PYPY else "exact", name)
        for name in ("_Py_NoneStruct", "PyExc_ValueError", "PyExc_TypeError"):
            self.assertEqual(binding.symbols[name],
                             exported_address(interpreter_name(name), data=True), name)
        if IS_PYPY:
            self.assertGreater(installed.counts["alias"], 800)
            self.assertEqual(binding.symbols["PyPyLong_FromLong"], binding.symbols["PyLong_FromLong"])

    def test_substitutes_are_registered(self):
        binding = RecordingBinding()
        installed = pysym.llvmlite.install(binding)
        substitutes = ["Py_IS_NAN", "Py_IS_INFINITY", "PyExceptionInstance_Check"]
        if IS_PYPY:
            substitutes += ["_Py_c_pow", "PyObject_GC_UnTrack"]
        for name in substitutes:
            self.assertEqual(installed.statuses[name], "substitute", name)
            self.assertEqual(binding.symbols[name], pysym.address_of_symbol(name), name)

    def test_what_cannot_be_registered_is_reported_with_the_reason(self):
        installed = pysym.llvmlite.install(RecordingBinding())
        for name, why in installed.unresolved.items():
            self.assertIn("could not be created", why, name)
            self.assertNotIn(name, installed.addresses)
        if IS_PYPY:  # classes PyPy 3.9 lacks, which the 3.11 catalogue lists
            self.assertIn("PyExc_EncodingWarning", installed.unresolved)

    def test_names_restricts_the_registration(self):
        binding = RecordingBinding()
        names = ["PyLong_FromLong", "Py_IS_NAN", "PyNoSuch_Function", "no_such_symbol_anywhere",
                 "erfc", "PyLong_FromLong"]
        installed = pysym.llvmlite.install(binding, names=iter(names))
        self.assertEqual(sorted(binding.symbols), ["PyLong_FromLong", "Py_IS_NAN", "erfc"])
        self.assertEqual(installed.statuses["erfc"], "system")
        self.assertEqual(sorted(installed.unresolved), ["PyNoSuch_Function", "no_such_symbol_anywhere"])
        self.assertIn(interpreter_name("PyNoSuch_Function"), installed.unresolved["PyNoSuch_Function"])
        self.assertEqual(pysym.llvmlite.install(RecordingBinding(), names=[]).addresses, {})

    def test_installing_twice_is_harmless(self):
        first, second = RecordingBinding(), RecordingBinding()
        installed = pysym.llvmlite.install(first)
        again = pysym.llvmlite.install(second)
        self.assertEqual(installed, again)
        self.assertEqual(first.symbols, second.symbols)
        self.assertIn("convention='abi'", repr(installed))

    def test_numba_convention_registers_the_objects_themselves(self):
        # The reference is the interpreter's own cell, read without pysym:
        # it holds the class, which Numba's convention gives as the address.
        classes = {name: ctypes.c_void_p.in_dll(interpreter_library(), interpreter_name(name)).value
                   for name in ("PyExc_ValueError", "PyExc_KeyError", "PyExc_StopIteration")}
        none = exported_address(interpreter_name("_Py_NoneStruct"), data=True)
        binding = RecordingBinding()
        installed = pysym.llvmlite.install(binding, convention="numba")
        try:
            for name, address in classes.items():
                self.assertEqual(binding.symbols[name], address, name)
                self.assertEqual(installed.statuses[name], "registered", name)
            self.assertEqual(binding.symbols["_Py_NoneStruct"], none)
            if not IS_PYPY:  # where id() is the address, as Numba assumes
                self.assertEqual(binding.symbols["PyExc_ValueError"], id(ValueError))
            expected = set(builtin_exception_classes()) | {"_Py_NoneStruct"}
            self.assertEqual(set(installed.objects), expected)
            self.assertTrue(expected <= set(binding.symbols))
            # Only what neither the interpreter nor its builtins have stays
            # unresolved (PyPy 3.9: 3.11's PyExc_EncodingWarning).
            for name, why in installed.unresolved.items():
                self.assertNotIn(name, expected)
                self.assertIn("could not be created", why, name)
            self.assertEqual(pysym.llvmlite.install(RecordingBinding(), convention="numba"), installed)
        finally:
            forget_objects(installed)
        self.assertNotEqual(pysym.resolve("PyExc_ValueError").status, "registered")

    def test_numba_convention_with_names_registers_only_those(self):
        binding = RecordingBinding()
        installed = pysym.llvmlite.install(binding, convention="numba",
                                           names=["PyExc_KeyError", "PyLong_FromLong"])
        try:
            self.assertEqual(installed.objects, ["PyExc_KeyError"])
            self.assertEqual(sorted(binding.symbols), ["PyExc_KeyError", "PyLong_FromLong"])
            self.assertNotEqual(pysym.resolve("PyExc_ValueError").status, "registered")
        finally:
            forget_objects(installed)


class InstallRefusesBadInputTest(unittest.TestCase):
    def test_something_that_is_not_a_binding(self):
        for bad in (object(), 42, "llvmlite.binding", types.SimpleNamespace(add_symbol=None),
                    types.SimpleNamespace(add_symbol="not callable")):
            with self.assertRaisesRegex(TypeError, "add_symbol", msg=repr(bad)):
                pysym.llvmlite.install(bad)

    def test_bad_convention_and_names_register_nothing(self):
        binding = RecordingBinding()
        with self.assertRaisesRegex(ValueError, "'abi', 'numba'"):
            pysym.llvmlite.install(binding, convention="c")
        for bad in ("PyLong_FromLong", b"PyLong_FromLong", 42, ["PyLong_FromLong", 3]):
            with self.assertRaises(TypeError, msg=repr(bad)):
                pysym.llvmlite.install(binding, names=bad)
        with self.assertRaises(TypeError):
            pysym.llvmlite.install(binding, "abi")  # convention is keyword-only
        self.assertEqual(binding.calls, 0)

    def test_a_binding_that_fails_passes_its_error_on(self):
        class Failing:
            def add_symbol(self, name, address):
                raise RuntimeError("refused " + name)
        with self.assertRaisesRegex(RuntimeError, "refused"):
            pysym.llvmlite.install(Failing())
        self.assertEqual(pysym.resolve("PyLong_FromLong").found, True)

    @unittest.skipUnless(llvm is None, "llvmlite is importable here, so install() uses it")
    def test_without_llvmlite_the_default_binding_says_what_to_pass(self):
        with self.assertRaisesRegex(ImportError, "binding="):
            pysym.llvmlite.install()


IR = """
%struct._object = type opaque
@PyExc_ValueError = external global %struct._object*
@weak_and_absent = extern_weak global i8
declare %struct._object* @PyLong_FromLong(i64)
declare i32 @Py_IS_NAN(double)
declare double @erfc(double)
declare void @never_called()
define i64 @kernel(double %x) {
  %exc = load %struct._object*, %struct._object** @PyExc_ValueError
  %n = call i32 @Py_IS_NAN(double %x)
  %e = call double @erfc(double %x)
  %o = call %struct._object* @PyLong_FromLong(i64 1)
  %w = ptrtoint i8* @weak_and_absent to i64
  ret i64 %w
}
"""


class ImportsForTest(unittest.TestCase):
    def test_every_undefined_symbol_at_pysyms_address(self):
        imports = pysym.llvmlite.imports_for(IR)
        self.assertEqual([name for name, _ in imports],
                         ["PyExc_ValueError", "PyLong_FromLong", "Py_IS_NAN", "erfc"])
        for name, address in imports:
            self.assertEqual(address, pysym.address_of_symbol(name), name)
        self.assertEqual(dict(imports)["PyLong_FromLong"],
                         exported_address(interpreter_name("PyLong_FromLong")))

    def test_names_that_resolve_to_nothing_are_a_link_error(self):
        ir = IR.replace("@erfc", "@PyNoSuch_Function").replace("@never_called", "@nowhere_at_all")
        ir += "define void @g() {\n  call void @nowhere_at_all()\n  ret void\n}\n"
        with self.assertRaises(pysym.LinkError) as caught:
            pysym.llvmlite.imports_for(ir)
        error = caught.exception
        self.assertEqual([r.name for r in error.missing], ["PyNoSuch_Function", "nowhere_at_all"])
        self.assertTrue(all(isinstance(r, pysym.Resolution) and not r.found for r in error.missing))
        self.assertIn("2 symbols not found", str(error))
        self.assertIn("PyNoSuch_Function", str(error))

    def test_ir_that_does_not_parse_is_a_compile_error(self):
        for bad in ("define i32 @f( {", "\0", "declare i8* @f()\n" * 3, "}" * 100):
            with self.assertRaises(pysym.CompileError, msg=repr(bad[:20])):
                pysym.llvmlite.imports_for(bad)

    def test_what_is_neither_ir_nor_a_module_is_a_type_error(self):
        for bad in (None, b"declare void @f()", 42, ["declare void @f()"]):
            with self.assertRaisesRegex(TypeError, "ModuleRef", msg=repr(bad)):
                pysym.llvmlite.imports_for(bad)

    def test_random_text_never_crashes(self):
        rng = random.Random(77)
        lines = IR.splitlines()
        for _ in range(200):
            mutated = list(lines)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(mutated))
                choice = rng.random()
                if choice < 0.3:
                    del mutated[i]
                elif choice < 0.6:
                    mutated[i] = mutated[i][:rng.randrange(len(mutated[i]) + 1)]
                else:
                    mutated.insert(i, "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(8)))
            try:
                pysym.llvmlite.imports_for("\n".join(mutated))
            except (pysym.CompileError, pysym.LinkError):
                pass
        self.assertEqual(pysym.resolve("PyLong_FromLong").found, True)


def skip_without_llvmlite(test):
    return unittest.skipIf(llvm is None, LLVMLITE_MISSING)(test)


NUMBA_STYLE_IR = r"""
@PyExc_ValueError = external global i8
@_Py_NoneStruct = external global i8
@message = private unnamed_addr constant [28 x i8] c"raised by llvmlite's MCJIT\00\00"
declare void @PyErr_SetString(i8*, i8*)
declare void @Py_IncRef(i8*)

define i8* @raise_value_error(i8* %self, i8* %args, i8* %kwargs) {
  call void @PyErr_SetString(i8* @PyExc_ValueError,
      i8* getelementptr ([28 x i8], [28 x i8]* @message, i64 0, i64 0))
  ret i8* null
}

define i8* @return_none(i8* %self, i8* %args, i8* %kwargs) {
  call void @Py_IncRef(i8* @_Py_NoneStruct)
  ret i8* @_Py_NoneStruct
}
"""

FINITE_OR_ZERO_IR = r"""
declare i8* @PyTuple_GetItem(i8*, i64)
declare double @PyFloat_AsDouble(i8*)
declare i8* @PyFloat_FromDouble(double)
declare i32 @Py_IS_FINITE(double)
define i8* @finite_or_zero(i8* %self, i8* %args, i8* %kwargs) {
  %item = call i8* @PyTuple_GetItem(i8* %args, i64 0)
  %x = call double @PyFloat_AsDouble(i8* %item)
  %finite = call i32 @Py_IS_FINITE(double %x)
  %is = icmp ne i32 %finite, 0
  %y = select i1 %is, double %x, double 0.0
  %result = call i8* @PyFloat_FromDouble(double %y)
  ret i8* %result
}
"""


class RealLlvmliteTest(unittest.TestCase):
    @skip_without_llvmlite
    def test_llvmlite_and_pysym_share_one_libllvm(self):
        # Two copies of one LLVM in a process register LLVM's command-line
        # options twice, which aborts ("Option ... registered more than
        # once"). Both link Debian's shared libLLVM-14.so.1: one copy.
        mcjit_engine(llvm)
        pysym.Engine()
        with open("/proc/self/maps") as maps:
            libraries = {os.path.realpath(line.split()[-1]) for line in maps
                         if "libLLVM" in line.rsplit("/", 1)[-1]}
        by_version = {}
        for path in libraries:
            by_version.setdefault(os.path.basename(path).split(".so")[0], []).append(path)
        self.assertTrue(libraries)
        for version, paths in by_version.items():
            self.assertEqual(len(paths), 1, "two copies of %s: %s" % (version, paths))

    @skip_without_llvmlite
    def test_llvmlite_finds_pysyms_address_for_every_registered_name(self):
        mcjit_engine(llvm)  # so that llvmlite's search also covers the process
        installed = pysym.llvmlite.install()
        self.assertGreater(len(installed.addresses), 1500)
        for name, address in installed.addresses.items():
            self.assertEqual(llvm.address_of_symbol(name), address, name)
            self.assertEqual(pysym.address_of_symbol(name), address, name)

    @skip_without_llvmlite
    def test_macros_link_only_after_install(self):
        # A fresh process: nothing registered with llvmlite yet.
        done = subprocess.run([sys.executable, os.path.join(HERE, "llvmlite_support.py")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        seen = json.loads(done.stdout)
        self.assertEqual(seen["before"], {"PyExceptionInstance_Check": None, "Py_IS_NAN": None})
        self.assertIsNotNone(seen["control_before"])
        self.assertEqual(seen["after"], seen["pysym"])
        self.assertTrue(all(seen["after"].values()), seen["after"])
        self.assertEqual(seen["statuses"], {"PyExceptionInstance_Check": "substitute",
                                            "Py_IS_NAN": "substitute"})
        self.assertEqual(seen["is_exception_instance"], [True, True, False, False])
        self.assertEqual(seen["is_nan"], [1, 1, 0, 0])

    @skip_without_llvmlite
    def test_numba_convention_raises_the_class_the_global_is(self):
        engine = mcjit_engine(llvm)
        installed = pysym.llvmlite.install(convention="numba")
        try:
            add_to(llvm, engine, NUMBA_STYLE_IR)
            raise_value_error = as_callable(engine.get_function_address("raise_value_error"),
                                            "raise_value_error")
            with self.assertRaisesRegex(ValueError, "raised by llvmlite's MCJIT"):
                raise_value_error()
            return_none = as_callable(engine.get_function_address("return_none"), "return_none")
            self.assertIsNone(return_none())
            self.assertEqual(llvm.address_of_symbol("PyExc_ValueError"),
                             installed.addresses["PyExc_ValueError"])
            if not IS_PYPY:
                self.assertEqual(llvm.address_of_symbol("PyExc_ValueError"), id(ValueError))
        finally:
            forget_objects(installed)

    @skip_without_llvmlite
    def test_a_kernel_runs_with_real_arguments(self):
        engine = mcjit_engine(llvm)
        pysym.llvmlite.install()
        add_to(llvm, engine, FINITE_OR_ZERO_IR)
        finite_or_zero = as_callable(engine.get_function_address("finite_or_zero"), "finite_or_zero")
        self.assertEqual([finite_or_zero(x) for x in (2.5, math.inf, math.nan, -1e300)],
                         [2.5, 0.0, 0.0, -1e300])

    @skip_without_llvmlite
    def test_imports_for_takes_a_module_ref(self):
        module = llvm.parse_assembly(IR)
        self.assertEqual(pysym.llvmlite.imports_for(module), pysym.llvmlite.imports_for(IR))

    @skip_without_llvmlite
    def test_install_with_the_real_binding_twice_is_harmless(self):
        self.assertEqual(pysym.llvmlite.install(llvm), pysym.llvmlite.install())


if __name__ == "__main__":
    unittest.main()
