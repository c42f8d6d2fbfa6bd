#!/usr/bin/python3.11
"""Checks what pysym's shared libraries export, against their version scripts.

Usage: check_exports_test.py CORE_LIBRARY CORE_MAP JIT_LIBRARY JIT_MAP
"""

import fnmatch
import re
import subprocess
import sys
import unittest

CORE_LIBRARY, CORE_MAP, JIT_LIBRARY, JIT_MAP = sys.argv[1:5]

# Namespaces that hold pysym's internals; nothing in them is API.
INTERNAL = ("pysym::symtab::", "pysym::substitutes::", "pysym::orc_compat::",
            "pysym::object_checks::", "pysym::testing::")
# A class's private implementation (pimpl), never API.
PRIVATE_IMPLEMENTATION = re.compile(r"::Impl\b")
# What every exported name is: a member or function of pysym's namespace, or
# the vtable or typeinfo of one of its classes.
EXPORTED_FORM = re.compile(r"^((typeinfo|typeinfo name|vtable) for )?pysym::")


def symbols(library, dynamic):
    """Demangled names of the symbols `library` defines (dynamic: exports only)."""
    command = ["nm", "--defined-only", "--demangle", "--format=posix"]
    if dynamic:
        command.append("--dynamic")
    out = subprocess.run(command + [library], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        # POSIX format: NAME TYPE VALUE [SIZE]; the name may contain spaces.
        name, kind = re.match(r"^(.*) (\S) [0-9a-f]+( [0-9a-f]*)? *$", line).group(1, 2)
        if kind != "A":  # absolute: version nodes
            names.add(name.split("@")[0])
    return names


def map_entries(path):
    """The patterns of a version script's extern "C++" block."""
    with open(path) as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    block = re.search(r'extern "C\+\+" \{(.*?)\};', text, re.S).group(1)
    return [entry.strip() for entry in block.split(";") if entry.strip()]


def matches(entry, name):
    if entry.startswith('"'):
        return name == entry.strip('"')
    return fnmatch.fnmatchcase(name, entry)


def readelf_dynamic(library):
    return subprocess.run(["readelf", "--dynamic", library], check=True, capture_output=True,
                          text=True).stdout


class Exports(unittest.TestCase):
    def check_library(self, library, map_path):
        exported = symbols(library, dynamic=True)
        self.assertTrue(exported, library + " exports nothing")
        for name in sorted(exported):
            self.assertRegex(name, EXPORTED_FORM, library + " exports a name not pysym's")
            self.assertFalse(name.startswith(INTERNAL) or any(" for " + n in name for n in INTERNAL),
                             library + " exports an internal name: " + name)
            self.assertNotRegex(name, PRIVATE_IMPLEMENTATION,
                                library + " exports a private implementation: " + name)
        for entry in map_entries(map_path):
            self.assertTrue(any(matches(entry, name) for name in exported),
                            "%s: %s exports nothing for %s" % (map_path, library, entry))

    def test_core_exports_only_its_api(self):
        self.check_library(CORE_LIBRARY, CORE_MAP)
        self.assertIn("pysym::Resolver::forCurrentProcess()", symbols(CORE_LIBRARY, dynamic=True))

    def test_jit_exports_only_its_api(self):
        self.check_library(JIT_LIBRARY, JIT_MAP)
        exported = symbols(JIT_LIBRARY, dynamic=True)
        self.assertTrue(any(n.startswith("pysym::PythonSymbolGenerator::create(") for n in exported))
        self.assertTrue(any(n.startswith("pysym::Engine::create(") for n in exported))

    def test_jit_library_links_the_core_instead_of_a_copy(self):
        dynamic = readelf_dynamic(JIT_LIBRARY)
        self.assertIn("Shared library: [libpysym_core.so.0]", dynamic)
        self.assertIn("Library runpath: [$ORIGIN", dynamic)
        # Functions the core defines out of line (inline ones, such as
        # FoundSymbol::found(), are compiled wherever they are used).
        defined = symbols(JIT_LIBRARY, dynamic=False)
        for core_function in ("pysym::Resolver::forCurrentProcess()",
                              "pysym::describe[abi:cxx11](pysym::Resolution const&)"):
            self.assertIn(core_function, symbols(CORE_LIBRARY, dynamic=True))
            self.assertNotIn(core_function, defined, "libpysym.so.0 contains the core's code")

    def test_core_needs_no_llvm(self):
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]",
                            readelf_dynamic(CORE_LIBRARY))
        self.assertIn("libelf.so.1", needed)
        self.assertFalse([n for n in needed if "LLVM" in n],
                         "libpysym_core.so.0 needs " + ", ".join(needed))
        self.assertIn("libLLVM", readelf_dynamic(JIT_LIBRARY))

    def test_sonames(self):
        self.assertIn("Library soname: [libpysym_core.so.0]", readelf_dynamic(CORE_LIBRARY))
        self.assertIn("Library soname: [libpysym.so.0]", readelf_dynamic(JIT_LIBRARY))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
