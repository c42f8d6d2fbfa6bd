"""pysym.Engine: adding IR, bitcode and objects, lookup, make_function,
remove, and the errors each raises. Every test runs with both linkers."""

import gc
import os
import subprocess
import sys
import unittest

import pysym
from support import IS_PYPY, LINKERS, RETURN_REGISTERED_IR, kernel_ir

# A wrapper that references a name nothing defines.
MISSING_IR = """
%struct._object = type opaque
declare %struct._object* @PyNoSuch_Function(i64)
define %struct._object* @calls_missing(%struct._object* %s, %struct._object* %a, %struct._object* %k) {
  %r = call %struct._object* @PyNoSuch_Function(i64 1)
  ret %struct._object* %r
}
"""

# A wrapper returning None, by CPython's name for it.
NONE_IR = """
%struct._object = type opaque
@_Py_NoneStruct = external global %struct._object
declare void @Py_IncRef(%struct._object*)
define %struct._object* @{name}(%struct._object* %s, %struct._object* %a, %struct._object* %k) {{
  call void @Py_IncRef(%struct._object* @_Py_NoneStruct)
  ret %struct._object* @_Py_NoneStruct
}}
"""


def collect_until(done, attempts=20):
    """Collects garbage until done() is true: PyPy frees C-level objects
    only when its GC runs, sometimes over several collections."""
    for _ in range(attempts):
        gc.collect()
        if done():
            return
    raise AssertionError("still not done after %d collections" % attempts)


def removed(engine, handle):
    try:
        engine.remove(handle)
        return True
    except RuntimeError:
        return False


class EngineTestCase(unittest.TestCase):
    linker = None  # set by subclasses

    def engine(self, **options):
        return pysym.Engine(linker=self.linker, **options)


class ConstructionTest(unittest.TestCase):
    def test_defaults(self):
        engine = pysym.Engine()
        self.assertEqual((engine.linker, engine.opt_level, engine.module_count), ("rtdyld", 2, 0))
        self.assertIn("rtdyld", repr(engine))

    def test_accepts_both_linkers_and_every_level(self):
        for linker in LINKERS:
            for level in range(4):
                engine = pysym.Engine(opt_level=level, linker=linker)
                self.assertEqual((engine.linker, engine.opt_level), (linker, level))

    def test_bad_options(self):
        for bad in ({"opt_level": 4}, {"opt_level": -1}, {"linker": "mcjit"}, {"linker": ""}):
            with self.assertRaises(ValueError, msg=bad):
                pysym.Engine(**bad)
        for bad in ({"opt_level": "2"}, {"linker": 1}, {"opt_level": 2.0}, {"bogus": 1}):
            with self.assertRaises(TypeError, msg=bad):
                pysym.Engine(**bad)

    def test_uninitialised_engine_raises_instead_of_crashing(self):
        engine = pysym.Engine.__new__(pysym.Engine)
        with self.assertRaises(RuntimeError):
            engine.add_ir("")
        with self.assertRaises(RuntimeError):
            engine.lookup("x")
        self.assertIn("not initialised", repr(engine))


class LinkerTests:
    """Mixed into one TestCase per linker below."""

    def test_lookup_compiles_and_returns_an_address(self):
        engine = self.engine()
        handle = engine.add_ir(kernel_ir("identity"), name="identity kernel")
        self.assertIsInstance(handle, pysym.ModuleHandle)
        self.assertEqual((handle.kind, handle.name), ("ir", "identity kernel"))
        address = engine.lookup("identity")
        self.assertIsInstance(address, int)
        self.assertNotEqual(address, 0)
        self.assertEqual(engine.lookup("identity", module=handle), address)

    def test_make_function_calls_the_compiled_wrapper(self):
        engine = self.engine()
        engine.add_ir(kernel_ir("identity"))
        identity = engine.make_function("identity", name="ident", doc="Returns its argument.")
        marker = object()
        self.assertIs(identity(marker), marker)
        self.assertEqual(identity.__name__, "ident")
        self.assertEqual(identity.__doc__, "Returns its argument.")
        if not IS_PYPY:  # PyPy's builtin functions do not expose __self__
            self.assertIsInstance(identity.__self__, pysym.CompiledCode)
        self.assertEqual(engine.make_function("identity").__name__, "identity")

    def test_calls_with_wrong_arguments_raise_type_error(self):
        engine = self.engine()
        engine.add_ir(kernel_ir("identity"))
        identity = engine.make_function("identity")
        with self.assertRaises(TypeError):
            identity()
        with self.assertRaises(TypeError):
            identity(1, 2)
        with self.assertRaises(TypeError):
            identity(1, x=2)
        with self.assertRaises(TypeError):
            identity(x=1)
        self.assertEqual(identity(5), 5)

    def test_none_and_exceptions_by_cpython_names(self):
        engine = self.engine()
        engine.add_ir(NONE_IR.format(name="returns_none"))
        self.assertIsNone(engine.make_function("returns_none")())

    def test_add_object_symbol_registers_the_real_object_address(self):
        obj = ["the", "registered", "object"]
        pysym.add_object_symbol("test.engine.object", obj)
        try:
            engine = self.engine()
            engine.add_ir(RETURN_REGISTERED_IR.format(name='"test.engine.object"',
                                                      function="get_registered"))
            self.assertIs(engine.make_function("get_registered")(), obj)
        finally:
            pysym.remove_symbol("test.engine.object")

    def test_missing_symbol_is_a_link_error_with_resolutions(self):
        engine = self.engine()
        engine.add_ir(MISSING_IR)
        with self.assertRaises(pysym.LinkError) as raised:
            engine.lookup("calls_missing")
        missing = raised.exception.missing
        self.assertEqual([r.name for r in missing], ["PyNoSuch_Function"])
        self.assertEqual(missing[0].status, "missing")
        self.assertGreater(len(missing[0].tried), 0)
        self.assertIn("PyNoSuch_Function", str(raised.exception))
        with self.assertRaises(pysym.LinkError):
            engine.make_function("calls_missing")

    def test_undefined_name_is_a_key_error(self):
        engine = self.engine()
        with self.assertRaises(KeyError):
            engine.lookup("identity")
        handle = engine.add_ir(kernel_ir("identity"))
        with self.assertRaises(KeyError):
            engine.lookup("nothing_defines_this")
        with self.assertRaises(KeyError):
            engine.lookup("nothing_defines_this", module=handle)
        with self.assertRaises(KeyError):
            engine.make_function("nothing_defines_this")

    def test_a_name_in_two_modules_needs_a_handle(self):
        engine = self.engine()
        first = engine.add_ir(NONE_IR.format(name="twice"))
        second = engine.add_ir(NONE_IR.format(name="twice"))
        with self.assertRaises(ValueError):
            engine.lookup("twice")
        self.assertNotEqual(engine.lookup("twice", module=first),
                            engine.lookup("twice", module=second))
        self.assertIsNone(engine.make_function("twice", module=second)())

    def test_one_definition_rule_names_answer_from_the_oldest_module(self):
        # Numba repeats linkonce_odr/weak_odr helpers (NRT_incref) in every
        # module; they are interchangeable, so no handle is needed.
        for linkage in ("linkonce_odr", "weak_odr"):
            with self.subTest(linkage=linkage):
                engine = self.engine()
                ir = NONE_IR.format(name="shared").replace(
                    "define %struct._object* @shared", "define " + linkage + " %struct._object* @shared")
                first = engine.add_ir(ir)
                second = engine.add_ir(ir)
                self.assertEqual(engine.lookup("shared"), engine.lookup("shared", module=first))
                shared = engine.make_function("shared")
                self.assertIsNone(shared())
                with self.assertRaises(RuntimeError):
                    engine.remove(first)  # the callable pins the oldest module
                engine.remove(second)
                del shared
                collect_until(lambda: removed(engine, first))
                with self.assertRaises(KeyError):
                    engine.lookup("shared")

    def test_a_plain_definition_beside_an_odr_one_needs_a_handle(self):
        engine = self.engine()
        engine.add_ir(NONE_IR.format(name="twice").replace(
            "define %struct._object* @twice", "define linkonce_odr %struct._object* @twice"))
        engine.add_ir(NONE_IR.format(name="twice"))
        with self.assertRaises(ValueError):
            engine.lookup("twice")

    def test_remove_then_lookup_and_remove_again(self):
        engine = self.engine()
        handle = engine.add_ir(kernel_ir("identity"))
        engine.lookup("identity")
        self.assertEqual(engine.module_count, 1)
        engine.remove(handle)
        self.assertEqual(engine.module_count, 0)
        with self.assertRaises(KeyError):
            engine.lookup("identity")
        with self.assertRaises(ValueError):
            engine.lookup("identity", module=handle)
        with self.assertRaises(ValueError):
            engine.remove(handle)
        # The name is free again.
        engine.add_ir(kernel_ir("identity"))
        self.assertEqual(engine.make_function("identity")(3), 3)

    def test_remove_is_refused_while_a_function_lives(self):
        engine = self.engine()
        handle = engine.add_ir(kernel_ir("identity"))
        identity = engine.make_function("identity")
        with self.assertRaises(RuntimeError):
            engine.remove(handle)
        self.assertEqual(identity(7), 7, "a refused remove must leave the code in place")
        del identity
        collect_until(lambda: removed(engine, handle))

    def test_function_keeps_its_engine_alive(self):
        engine = self.engine()
        engine.add_ir(kernel_ir("identity"))
        identity = engine.make_function("identity")
        del engine
        for _ in range(3):
            gc.collect()
        self.assertEqual(identity("still here"), "still here")

    def test_handles_of_another_engine_are_refused(self):
        one, other = self.engine(), self.engine()
        handle = one.add_ir(kernel_ir("identity"))
        with self.assertRaises(ValueError):
            other.remove(handle)
        with self.assertRaises(ValueError):
            other.lookup("identity", module=handle)
        for bad in (None, 1, "handle", object()):
            with self.assertRaises(TypeError, msg=repr(bad)):
                one.remove(bad)

    def test_bad_ir_is_a_compile_error(self):
        engine = self.engine()
        for text in ("this is not IR", "define i32 @f() { ret i64 0 }",
                     "define void @f() { unreachable", "\0" * 100, "x" * 20_000_000,
                     "define void @f() {\n  %x = add i32 %x, 1\n  ret void\n}",
                     'target triple = "aarch64-unknown-linux-gnu"\ndefine void @f() { ret void }',
                     kernel_ir("identity").replace("define", "define define", 1)):
            with self.assertRaises(pysym.CompileError, msg=text[:30]):
                engine.add_ir(text)
        self.assertEqual(engine.module_count, 0)
        self.assertTrue(issubclass(pysym.CompileError, ValueError))

    def test_bad_argument_types(self):
        engine = self.engine()
        for bad in (None, 1, b"define void @f() { ret void }", ["x"]):
            with self.assertRaises(TypeError, msg=repr(bad)):
                engine.add_ir(bad)
        for bad in ("text", None, 1):
            with self.assertRaises(TypeError, msg=repr(bad)):
                engine.add_bitcode(bad)
            with self.assertRaises(TypeError, msg=repr(bad)):
                engine.add_object(bad)
        with self.assertRaises(TypeError):
            engine.add_ir(kernel_ir("identity"), name=3)
        with self.assertRaises(TypeError):
            engine.lookup(None)
        with self.assertRaises(TypeError):
            engine.make_function("identity", name=1)
        with self.assertRaises(TypeError):
            engine.make_function("identity", doc=b"doc")
        engine.add_ir(kernel_ir("identity"))
        with self.assertRaises(ValueError):
            engine.make_function("identity", name="a\0b")

    def test_garbage_bitcode_and_objects_are_compile_errors(self):
        engine = self.engine()
        garbage = [b"", b"\0", b"BC\xc0\xde" + b"\xff" * 64, os.urandom(4096),
                   b"\x7fELF" + os.urandom(60), b"\x7fELF\x02\x01\x01" + b"\0" * 57]
        for data in garbage:
            with self.assertRaises(pysym.CompileError, msg=data[:8]):
                engine.add_bitcode(data)
            with self.assertRaises(pysym.CompileError, msg=data[:8]):
                engine.add_object(bytearray(data))

    def test_bitcode_and_object_from_clang(self):
        # The same kernel as bitcode and as an object file, made by clang-14.
        clang = "/usr/bin/clang-14"
        if not os.path.exists(clang):
            self.skipTest("clang-14 is not installed")
        source = os.path.join(os.path.dirname(__file__), "..", "kernels", "identity.c")
        if not os.path.exists(source):
            self.skipTest("kernels/identity.c is not in the runfiles")
        # Each linker's code model (see jitlink/engine.h): RuntimeDyld needs
        # 64-bit absolute addresses, JITLink builds a GOT for PIC.
        models = {"rtdyld": ["-mcmodel=large", "-fno-pic"], "jitlink": ["-fPIC"]}
        flags = models[self.linker] + ["-O2", "-c", "-I", os.path.dirname(source), source,
                                       "-o", "-"]
        bitcode = subprocess.run([clang, "-emit-llvm"] + flags, stdout=subprocess.PIPE,
                                 check=True).stdout
        obj = subprocess.run([clang] + flags, stdout=subprocess.PIPE, check=True).stdout
        engine = self.engine()
        self.assertEqual(engine.add_bitcode(bitcode).kind, "bitcode")
        self.assertEqual(engine.make_function("identity")(11), 11)
        other = self.engine()
        self.assertEqual(other.add_object(memoryview(obj)).kind, "object")
        self.assertEqual(other.make_function("identity")(12), 12)

    def test_many_calls_leave_refcounts_balanced(self):
        engine = self.engine()
        engine.add_ir(kernel_ir("identity"))
        identity = engine.make_function("identity")
        marker = object()
        if IS_PYPY:
            for _ in range(100_000):
                identity(marker)
            return
        before = sys.getrefcount(marker)
        for _ in range(100_000):
            identity(marker)
        self.assertEqual(sys.getrefcount(marker), before)


class RuntimeDyldTest(LinkerTests, EngineTestCase):
    linker = "rtdyld"


class JITLinkTest(LinkerTests, EngineTestCase):
    linker = "jitlink"


if __name__ == "__main__":
    unittest.main()
