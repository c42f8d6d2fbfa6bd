// An embedding host that loads libpython RTLD_LOCAL, as an application
// that embeds Python does: every extension module of the interpreter's
// lib-dynload that imports in its own executable fails to import here
// (they do not link libpython; they expect its names in the global scope),
// until the host calls exposeToProcess once. Then they all import.
//
// The library comes from embedded_cc_test (PYSYM_EMBEDDED_LIBRARY for a
// pyenv build); PYSYM_REFERENCE_PYTHON names the executable whose imports
// say which modules should work.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "pysym/resolver/exposure.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

// Prints, one per line, the lib-dynload modules of this build (its own
// EXT_SUFFIX, not a debug build's) that import in a fresh process.
constexpr const char *ListModules = R"PY(
import importlib, os, subprocess, sys, sysconfig
directory = sysconfig.get_config_var("DESTSHARED")
suffix = sysconfig.get_config_var("EXT_SUFFIX")
for entry in sorted(os.listdir(directory)):
    if not entry.endswith(suffix):
        continue
    name = entry[: -len(suffix)]
    if subprocess.run([sys.executable, "-c", "import " + name],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        print(name)
)PY";

std::vector<std::string> modulesThatImportIn(const std::string &Python) {
  std::string Command = Python + " -I -c '" + ListModules + "'";
  std::vector<std::string> Modules;
  FILE *Pipe = popen(Command.c_str(), "r");
  if (!Pipe)
    return Modules;
  char Line[256];
  while (fgets(Line, sizeof(Line), Pipe)) {
    std::string Name(Line);
    while (!Name.empty() && (Name.back() == '\n' || Name.back() == '\r'))
      Name.pop_back();
    if (!Name.empty())
      Modules.push_back(Name);
  }
  EXPECT_EQ(pclose(Pipe), 0) << Command;
  return Modules;
}

// Python that imports each module and raises, naming them, unless the
// outcome for every one is `ShouldImport`.
std::string importEach(const std::vector<std::string> &Modules, bool ShouldImport) {
  std::string List;
  for (const std::string &M : Modules)
    List += "'" + M + "', ";
  return "import importlib\n"
         "wrong = []\n"
         "for name in [" + List + "]:\n"
         "    try:\n"
         "        importlib.import_module(name)\n"
         "        imported = True\n"
         "    except ImportError as error:\n"
         "        imported = False\n"
         "        reason = str(error)\n"
         "    if imported != " + (ShouldImport ? "True" : "False") + ":\n"
         "        wrong.append(name if imported else name + ': ' + reason)\n"
         "assert not wrong, wrong\n";
}

TEST(ExposeEmbeddingHost, LibDynloadModulesImportOnlyOnceExposed) {
  const char *Reference = std::getenv("PYSYM_REFERENCE_PYTHON");
  ASSERT_NE(Reference, nullptr) << "set by the BUILD target";
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  std::vector<std::string> Modules = modulesThatImportIn(Reference);
  ASSERT_GT(Modules.size(), 20u) << Reference;
  for (const char *Expected : {"_ctypes", "_decimal", "_json", "_sqlite3"})
    EXPECT_NE(std::find(Modules.begin(), Modules.end(), Expected), Modules.end()) << Expected;

  ASSERT_TRUE(succeeded(Py->run(importEach(Modules, /*ShouldImport=*/false))))
      << "before exposing: the modules cannot see libpython's names";
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  auto Report = exposeToProcess(**R);
  ASSERT_TRUE(succeeded(Report));
  EXPECT_GT(Report->Added, 1000u);
  EXPECT_TRUE(succeeded(Py->run(importEach(Modules, /*ShouldImport=*/true))));
  EXPECT_TRUE(succeeded(Py->run("import ctypes\nassert ctypes.c_int(7).value == 7")));
}

}  // namespace
}  // namespace pysym::testing
