"""Misuse from Python never crashes the interpreter: objects made by calling
pysym's types directly, re-initialisation, and random input."""

import os
import random
import unittest

import pysym
from support import kernel_ir


class DirectInstancesTest(unittest.TestCase):
    def test_types_called_directly_make_inert_objects(self):
        # Types without a constructor of their own may still be instantiated
        # through object.__new__ on some versions; such objects must be safe.
        for cls in (pysym.Resolution, pysym.ModuleHandle, pysym.CompiledCode):
            try:
                obj = cls()
            except TypeError:
                continue  # not instantiable: also fine
            repr(obj)
            del obj

    def test_empty_resolution_reads_as_none(self):
        try:
            r = pysym.Resolution()
        except TypeError:
            self.skipTest("pysym.Resolution is not instantiable here")
        self.assertIsNone(r.name)
        self.assertIsNone(r.address)

    def test_an_empty_handle_is_refused(self):
        try:
            handle = pysym.ModuleHandle()
        except TypeError:
            self.skipTest("pysym.ModuleHandle is not instantiable here")
        engine = pysym.Engine()
        with self.assertRaises(ValueError):
            engine.remove(handle)
        with self.assertRaises(ValueError):
            engine.lookup("identity", module=handle)

    def test_engine_cannot_be_initialised_twice(self):
        engine = pysym.Engine()
        with self.assertRaises(RuntimeError):
            engine.__init__()
        self.assertEqual(engine.linker, "rtdyld")

    def test_exceptions_are_classes_with_the_documented_bases(self):
        self.assertTrue(issubclass(pysym.LinkError, Exception))
        self.assertTrue(issubclass(pysym.CompileError, ValueError))
        error = pysym.LinkError("message")  # made from Python: no .missing
        self.assertEqual(str(error), "message")


class RandomInputTest(unittest.TestCase):
    def test_mutated_ir_never_crashes(self):
        # Lines dropped, duplicated or cut short: each add either works or
        # raises CompileError (or LinkError at lookup), nothing else.
        rng = random.Random(1234)
        lines = kernel_ir("iterable_sum").splitlines()
        engine = pysym.Engine()
        for _ in range(150):
            mutated = list(lines)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(mutated))
                choice = rng.random()
                if choice < 0.4:
                    del mutated[i]
                elif choice < 0.7:
                    mutated.insert(i, mutated[rng.randrange(len(mutated))])
                else:
                    mutated[i] = mutated[i][:rng.randrange(len(mutated[i]) + 1)]
            try:
                handle = engine.add_ir("\n".join(mutated))
            except pysym.CompileError:
                continue
            try:
                engine.lookup("iterable_sum", module=handle)
            except (pysym.LinkError, KeyError):
                pass
            engine.remove(handle)

    def test_random_bytes_never_crash(self):
        rng = random.Random(99)
        engine = pysym.Engine()
        for size in (1, 4, 16, 64, 256, 4096, 65536):
            data = bytes(rng.randrange(256) for _ in range(size))
            for add in (engine.add_bitcode, engine.add_object):
                with self.assertRaises(pysym.CompileError):
                    add(data)
                with self.assertRaises(pysym.CompileError):
                    add(b"\x7fELF\x02\x01\x01\x00" + data)
                with self.assertRaises(pysym.CompileError):
                    add(b"BC\xc0\xde" + data)

    def test_random_text_never_crashes(self):
        rng = random.Random(7)
        engine = pysym.Engine()
        for size in (1, 10, 1000, 100_000):
            text = "".join(chr(rng.randrange(1, 0x250)) for _ in range(size))
            with self.assertRaises(pysym.CompileError):
                engine.add_ir(text)


if __name__ == "__main__":
    unittest.main()
