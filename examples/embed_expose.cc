// An application that embeds Python and needs pysym only to expose names:
// it loads libpython RTLD_LOCAL, as a plugin or a host that keeps each
// library's names to itself does. The interpreter starts, but extension
// modules built against CPython (ctypes' _ctypes, from lib-dynload) do not
// link libpython: they expect its names in the process's global scope, and
// fail to import. One call to pysym::exposeToProcess defines them there;
// then the modules import. No JIT and no LLVM code of the program's own:
// the core library (//resolver:exposure, pkg-config pysym-core), which needs
// no LLVM, is enough.
// docs/getting-started.md shows it; //examples:embed_expose_test runs it.
//
// Usage: embed_expose [PATH-TO-libpython3.X.so]
// Exits 0 when ctypes imports and works once the names are exposed.
#include <dlfcn.h>

#include <iostream>
#include <string>

#include "pysym/resolver/exposure.h"
#include "pysym/resolver/resolver.h"

namespace {

int fail(const std::string &What) {
  std::cerr << "embed_expose: " << What << "\n";
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  const char *Library = argc > 1 ? argv[1] : "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";
  void *Python = dlopen(Library, RTLD_NOW | RTLD_LOCAL);
  if (!Python)
    return fail(std::string("dlopen failed: ") + dlerror());
  auto *Initialize = reinterpret_cast<void (*)(int)>(dlsym(Python, "Py_InitializeEx"));
  auto *Run = reinterpret_cast<int (*)(const char *)>(dlsym(Python, "PyRun_SimpleString"));
  auto *Finalize = reinterpret_cast<int (*)()>(dlsym(Python, "Py_FinalizeEx"));
  if (!Initialize || !Run || !Finalize)
    return fail(std::string(Library) + " is not CPython's shared library");
  Initialize(0);  // this thread now holds the GIL

  // Without pysym: the import fails (Python prints why, and it goes on).
  Run("try:\n"
      "    import ctypes\n"
      "except ImportError as error:\n"
      "    print('before exposeToProcess: ImportError:', error, flush=True)\n");

  // The resolver finds the interpreter among the process's images, RTLD_LOCAL
  // ones included; exposeToProcess defines its names in the global scope.
  auto Names = pysym::Resolver::forCurrentProcess();
  if (!Names)
    return fail(pysym::toString(Names.takeError()));
  auto Report = pysym::exposeToProcess(**Names);
  if (!Report)
    return fail(pysym::toString(Report.takeError()));
  // std::endl flushes before Python writes to the same stdout.
  std::cout << "exposeToProcess: " << Report->Added << " names added ("
            << pysym::toString(Report->Source) << ")" << std::endl;

  int Status = Run("import ctypes\n"
                   "print('after exposeToProcess: ctypes.c_int(7).value =', ctypes.c_int(7).value, flush=True)\n");
  if (Finalize() != 0)
    return fail("Py_FinalizeEx failed");
  return Status == 0 ? 0 : 1;
}
