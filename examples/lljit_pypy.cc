// A C++ ORC JIT using pysym: embeds PyPy, as an application embedding
// Python does, and runs a kernel that calls the C API by CPython's names
// (PyLong_FromLong, ...), which PyPy exports only as PyPyLong_FromLong. The
// same file builds with CMake (examples/cmake_consumer), pkg-config and Bazel
// (examples/bazel_consumer), as tools/consumers_test.sh does;
// docs/getting-started.md and docs/build.md show each.
//
// Usage: lljit_pypy [PATH-TO-libpypy3.9-c.so]
// Prints what the kernel returned and where PyLong_FromLong came from, and
// exits 0 when the kernel gave back the number it was passed.
#include <dlfcn.h>

#include <cstdint>
#include <memory>
#include <string>

#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "pysym/jitlink/python_symbol_generator.h"
#include "pysym/resolver/resolution.h"
#include "pysym/resolver/resolver.h"

namespace {

// Boxes its argument as a Python int and unboxes it again, holding the GIL.
// Every name is CPython's; pysym finds what the hosting interpreter calls it.
constexpr const char *KernelIR = R"(
declare i32 @PyGILState_Ensure()
declare void @PyGILState_Release(i32)
declare i8* @PyLong_FromLong(i64)
declare i64 @PyLong_AsLong(i8*)
declare void @Py_DecRef(i8*)

define i64 @roundtrip(i64 %x) {
  %gil = call i32 @PyGILState_Ensure()
  %object = call i8* @PyLong_FromLong(i64 %x)
  %value = call i64 @PyLong_AsLong(i8* %object)
  call void @Py_DecRef(i8* %object)
  call void @PyGILState_Release(i32 %gil)
  ret i64 %value
}
)";

// Loads PyPy RTLD_LOCAL (its names stay out of the global scope), starts it
// and its C API (cpyext), as an embedding application does. Returns an
// empty string, or why it failed.
std::string startPyPy(const char *Library) {
  void *Handle = dlopen(Library, RTLD_NOW | RTLD_LOCAL);
  if (!Handle)
    return std::string("dlopen failed: ") + dlerror();
  auto *Startup = reinterpret_cast<void (*)()>(dlsym(Handle, "rpython_startup_code"));
  auto *SetupHome = reinterpret_cast<int (*)(const char *, int)>(dlsym(Handle, "pypy_setup_home"));
  auto *InitThreads = reinterpret_cast<void (*)()>(dlsym(Handle, "pypy_init_threads"));
  auto *Execute = reinterpret_cast<int (*)(const char *)>(dlsym(Handle, "pypy_execute_source"));
  if (!Startup || !SetupHome || !InitThreads || !Execute)
    return std::string(Library) + " is not PyPy's embedding library";
  Startup();
  if (SetupHome(Library, 1) != 0)
    return "pypy_setup_home failed";
  InitThreads();
  // PyPy's C-API data (_PyPy_NoneStruct, the exception cells) is ready only
  // once cpyext has started.
  if (Execute("import cpyext") != 0)
    return "import cpyext failed";
  return "";
}

int fail(const std::string &What) {
  llvm::errs() << "lljit_pypy: " << What << "\n";
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  const char *Library = argc > 1 ? argv[1] : "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
  std::string Failure = startPyPy(Library);
  if (!Failure.empty())
    return fail(Library + (": " + Failure));

  // The resolver finds PyPy among the process's images; it must outlive the JIT.
  auto Names = pysym::Resolver::forCurrentProcess();
  if (!Names)
    return fail(toString(Names.takeError()));

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto J = llvm::orc::LLJITBuilder().create();
  if (!J)
    return fail(toString(J.takeError()));
  auto &Generator = (*J)->getMainJITDylib().addGenerator(
      pysym::PythonSymbolGenerator::create(**Names, (*J)->getDataLayout()));
  // ORC would print lookup failures itself; explainFailure says more.
  (*J)->getExecutionSession().setErrorReporter([](llvm::Error E) { llvm::consumeError(std::move(E)); });

  auto Context = std::make_unique<llvm::LLVMContext>();
  llvm::SMDiagnostic Diagnostic;
  auto Module = llvm::parseIR(llvm::MemoryBufferRef(KernelIR, "roundtrip"), Diagnostic, *Context);
  if (!Module)
    return fail("kernel IR: " + Diagnostic.getMessage().str());
  Module->setDataLayout((*J)->getDataLayout());
  if (auto E = (*J)->addIRModule(llvm::orc::ThreadSafeModule(std::move(Module), std::move(Context))))
    return fail(toString(std::move(E)));

  auto Address = (*J)->lookup("roundtrip");
  if (!Address)
    return fail(toString(Generator.explainFailure(Address.takeError(), "roundtrip")));
  // LLJIT::lookup gives an ExecutorAddr from LLVM 15 on, a JITEvaluatedSymbol before.
#if LLVM_VERSION_MAJOR >= 15
  auto *Roundtrip = Address->toPtr<std::int64_t (*)(std::int64_t)>();
#else
  auto *Roundtrip = reinterpret_cast<std::int64_t (*)(std::int64_t)>(Address->getAddress());
#endif

  std::int64_t Result = Roundtrip(42);
  llvm::outs() << "roundtrip(42) = " << Result << "\n"
               << "PyLong_FromLong: " << pysym::describe((*Names)->resolve("PyLong_FromLong")) << "\n";
  return Result == 42 ? 0 : 1;
}
