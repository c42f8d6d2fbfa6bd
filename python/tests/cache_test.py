"""Engine(cache_dir=...) in one interpreter: a second engine on the same
directory links the stored objects without compiling, cache_info() counts
what happened, and a directory that cannot be written leaves the engine
working uncached with a RuntimeWarning."""

import os
import pathlib
import shutil
import tempfile
import unittest
import warnings

import pysym
from support import LINKERS, kernel_ir


class CacheTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="pysym-cache-")
        self.addCleanup(shutil.rmtree, self.directory, True)

    def identity(self, engine):
        engine.add_ir(kernel_ir("identity"))
        return engine.make_function("identity")

    def test_without_a_directory_there_is_no_cache(self):
        info = pysym.Engine().cache_info()
        self.assertIsNone(info["directory"])
        self.assertFalse(info["enabled"])
        self.assertIsNone(info["unavailable"])

    def test_a_second_engine_links_the_stored_object_without_compiling(self):
        for linker in LINKERS:
            with self.subTest(linker=linker):
                directory = os.path.join(self.directory, linker)
                cold = pysym.Engine(linker=linker, cache_dir=directory)
                marker = object()
                self.assertIs(self.identity(cold)(marker), marker)
                info = cold.cache_info()
                self.assertEqual((info["compiles"], info["misses"], info["stores"], info["hits"]),
                                 (1, 1, 1, 0), info)
                warm = pysym.Engine(linker=linker, cache_dir=pathlib.Path(directory))
                self.assertIs(self.identity(warm)(marker), marker)
                info = warm.cache_info()
                self.assertEqual((info["compiles"], info["misses"], info["stores"], info["hits"]),
                                 (0, 0, 0, 1), info)
                self.assertTrue(info["enabled"])
                self.assertEqual(info["directory"], directory)

    def test_a_damaged_entry_is_ignored_with_its_reason_and_recompiled(self):
        self.identity(pysym.Engine(cache_dir=self.directory))
        (entry,) = [n for n in os.listdir(self.directory) if n.endswith(".o")]
        with open(os.path.join(self.directory, entry), "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 0xFF]))
        engine = pysym.Engine(cache_dir=self.directory)
        self.assertEqual(self.identity(engine)(7), 7)
        info = engine.cache_info()
        self.assertEqual((info["ignored"], info["compiles"], info["stores"]), (1, 1, 1), info)
        self.assertTrue(info["last_ignored"].startswith("corrupted: "), info)

    def test_an_unwritable_directory_leaves_the_engine_uncached_and_warns(self):
        blocker = os.path.join(self.directory, "a file")
        with open(blocker, "w") as f:
            f.write("not a directory")
        wanted = os.path.join(blocker, "cache")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            engine = pysym.Engine(cache_dir=wanted)
        self.assertEqual([w.category for w in caught], [RuntimeWarning])
        self.assertIn(wanted, str(caught[0].message))
        self.assertEqual(self.identity(engine)(5), 5)
        info = engine.cache_info()
        self.assertFalse(info["enabled"])
        self.assertIn(wanted, info["unavailable"])
        self.assertEqual((info["compiles"], info["hits"], info["stores"]), (1, 0, 0))

    def test_cache_dir_must_be_a_path(self):
        with self.assertRaises(TypeError):
            pysym.Engine(cache_dir=3)
        with self.assertRaises(TypeError):
            pysym.Engine(2, "rtdyld", self.directory)  # keyword only


if __name__ == "__main__":
    unittest.main()
