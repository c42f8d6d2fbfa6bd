"""The package's two extensions: the core pysym._pysym and the engine
pysym._engine (LLVM), each loaded on first use of a name that needs it
(pysym/__init__.py's module __getattr__), neither by `import pysym`. Each case runs
lazy_engine_support.py in a fresh sys.executable, since this suite's other
tests load the engine, and reads back JSON."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import pysym

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.dirname(os.path.abspath(pysym.__file__))


def run_support(mode, python_path=None):
    """lazy_engine_support.py's JSON for `mode`, in a fresh interpreter with
    `python_path` (default: this process's) first on its path."""
    env = dict(os.environ)
    if python_path:
        env["PYTHONPATH"] = os.pathsep.join([python_path, env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, os.path.join(HERE, "lazy_engine_support.py"), mode],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          universal_newlines=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError("lazy_engine_support.py %s exited %d:\n%s" % (
            mode, done.returncode, done.stderr))
    return json.loads(done.stdout)


def package_copy(directory, engine, extension="_engine"):
    """A copy of the package pysym in `directory` (links to this one's files)
    whose `extension` files (default: the engine's) are replaced by `engine`
    bytes, or left out when `engine` is None."""
    copy = os.path.join(directory, "pysym")
    os.mkdir(copy)
    for name in os.listdir(PACKAGE_DIR):
        if name == "__pycache__":
            continue
        target = os.path.join(copy, name)
        if name.startswith(extension + "."):
            if engine is not None:
                with open(target, "wb") as f:
                    f.write(engine)
        else:
            os.symlink(os.path.join(PACKAGE_DIR, name), target)
    return copy


NOT_LOADED = {"engine_module": False, "engine_mapped": []}


class ImportLoadsNoExtensionTest(unittest.TestCase):
    def test_import_pysym_maps_neither_extension(self):
        for mode in ("core", "engine"):
            after_import = run_support(mode)["after_import"]
            self.assertEqual(
                {k: after_import[k] for k in ("core_module", "core_mapped", "engine_module",
                                              "engine_mapped", "llvm_mapped")},
                {"core_module": False, "core_mapped": [], "engine_module": False,
                 "engine_mapped": [], "llvm_mapped": []}, mode)

    def test_first_use_of_a_core_name_loads_the_core(self):
        result = run_support("core")
        self.assertTrue(result["after_use"]["core_module"])
        self.assertTrue(result["after_use"]["core_mapped"])


class CoreWithoutEngineTest(unittest.TestCase):
    def test_import_resolve_expose_and_llvmlite_install_never_load_the_engine(self):
        result = run_support("core")
        for stage in ("after_import", "after_use"):
            self.assertEqual({k: result[stage][k] for k in NOT_LOADED}, NOT_LOADED, stage)
            # Nor LLVM at all: the core extension links none of it.
            self.assertEqual(result[stage]["llvm_mapped"], [], stage)
        self.assertIn(result["resolve"], ("exact", "alias"))
        self.assertEqual(result["report"][1], "missing")
        self.assertEqual(result["registered"], 0x1234)
        self.assertTrue(result["removed"])
        self.assertTrue(result["object_registered"])
        self.assertTrue(result["exposed"])
        self.assertGreater(result["installed"], 1500)
        self.assertEqual(result["link_error"], [True, "cannot link"])
        self.assertTrue(result["compile_error"])
        self.assertTrue(result["resolution_type"])
        self.assertEqual(result["dir"], [True] * 6)
        self.assertFalse(result["no_such_name"])

    def test_the_package_knows_every_name_of_the_engine(self):
        # __getattr__ and __dir__ list the engine's public names without loading
        # it; the list must be exactly the engine module's public names.
        from pysym import _engine
        names = {n for n in vars(_engine) if not n.startswith("_")}
        self.assertEqual(set(pysym._ENGINE_NAMES), names)
        for name in names:
            self.assertIs(getattr(pysym, name), getattr(_engine, name), name)


class EngineOnFirstUseTest(unittest.TestCase):
    def test_from_pysym_import_engine_loads_it_and_it_works(self):
        result = run_support("engine")
        self.assertEqual({k: result["after_import"][k] for k in NOT_LOADED}, NOT_LOADED)
        self.assertTrue(result["after_from_import"]["engine_module"])
        self.assertEqual(len(result["after_from_import"]["engine_mapped"]), 1,
                         result["after_from_import"])
        self.assertTrue(result["after_from_import"]["llvm_mapped"])
        self.assertTrue(result["same_class"])
        self.assertTrue(result["called"])
        self.assertTrue(result["isinstance"])
        # The engine raises the core's exception classes, with the core's
        # Resolution objects.
        self.assertEqual(result["link_error"], ["PyNoSuch_FunctionAnywhere"])
        self.assertEqual(result["compile_error"], "pysym.CompileError")
        self.assertEqual(result["star_import"], [True] * 8)


class EngineThatFailsToLoadTest(unittest.TestCase):
    def check_import_error(self, engine, cause_type, cause_words):
        with tempfile.TemporaryDirectory() as directory:
            copy = package_copy(directory, engine)
            result = run_support("broken", python_path=directory)
        self.assertEqual(os.path.dirname(result["module_file"]), copy)
        for attempt in ("first", "second"):
            failure = result[attempt]
            self.assertIsInstance(failure, dict, attempt)
            self.assertEqual(failure["type"], "ImportError", failure)
            self.assertEqual(failure["name"], "pysym._engine", failure)
            self.assertEqual(failure["cause"], cause_type, failure)
            self.assertIn("pysym._engine", failure["message"])
            self.assertIn("LLVM", failure["message"])
            self.assertIn(cause_words, failure["message"])
        self.assertIn(result["resolve_after"], ("exact", "alias"))

    def test_a_missing_engine_is_an_import_error_naming_it(self):
        self.check_import_error(None, "ModuleNotFoundError", "No module named 'pysym._engine'")

    def test_a_corrupt_engine_is_an_import_error_with_the_loaders_reason(self):
        self.check_import_error(b"not a shared object\n" * 100, "ImportError", "ELF")


class CoreThatFailsToLoadTest(unittest.TestCase):
    def test_import_works_and_each_use_is_an_import_error_naming_the_core(self):
        with tempfile.TemporaryDirectory() as directory:
            copy = package_copy(directory, b"not a shared object\n" * 100, extension="_pysym")
            result = run_support("broken_core", python_path=directory)
        self.assertEqual(os.path.dirname(result["module_file"]), copy)
        for attempt in ("first", "second"):
            failure = result[attempt]
            self.assertIsInstance(failure, dict, attempt)
            self.assertEqual(failure["type"], "ImportError", failure)
            self.assertEqual(failure["name"], "pysym._pysym", failure)
            self.assertIn("core extension", failure["message"])
            self.assertIn("ELF", failure["message"])
        self.assertEqual(result["expose"], "pysym._pysym")


if __name__ == "__main__":
    unittest.main()
