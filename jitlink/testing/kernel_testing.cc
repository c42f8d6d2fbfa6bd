#include "pysym/jitlink/testing/kernel_testing.h"

#include <cstdlib>
#include <memory>
#include <mutex>

#include "llvm/Support/MemoryBuffer.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {

llvm::Expected<std::string> readKernel(llvm::StringRef Name) {
  const char *Directory = std::getenv("PYSYM_KERNEL_DIR");
  const std::string Path =
      std::string(Directory ? Directory : "tests/kernels") + "/" + Name.str() + ".ll";
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read kernel %s", Path.c_str());
  return (*Buffer)->getBuffer().str();
}

void startJit(EmbeddedPython &Python, Resolver *&TheResolver) {
  static std::mutex Lock;
  static std::unique_ptr<Resolver> Shared;
  std::lock_guard<std::mutex> Guard(Lock);
  if (Python.flavor() == Flavor::PyPy && !Python.cApiReady()) {
    ASSERT_TRUE(succeeded(Python.run("import cpyext")));
  }
  ASSERT_TRUE(Python.cApiReady());
  if (!Shared) {
    auto Created = Resolver::forCurrentProcess();
    ASSERT_TRUE(succeeded(Created));
    Shared = std::move(*Created);
  }
  TheResolver = Shared.get();
}

std::string repr(const EmbeddedPython &Python, PyObjectPtr Object) {
  auto *Repr = Python.api<PyObjectPtr(PyObjectPtr)>("PyObject_Repr");
  auto *AsUtf8 = Python.api<const char *(PyObjectPtr)>("PyUnicode_AsUTF8");
  if (!Repr || !AsUtf8 || !Object)
    return "<no repr>";
  PyObjectPtr Text = Repr(Object);
  if (!Text)
    return "<repr raised>";
  std::string Result = AsUtf8(Text);
  decRef(Python, Text);
  return Result;
}

void decRef(const EmbeddedPython &Python, PyObjectPtr Object) {
  Python.api<void(PyObjectPtr)>("Py_DecRef")(Object);
}

std::string linkerName(const ::testing::TestParamInfo<Linker> &Info) {
  return toString(Info.param).str();
}

}  // namespace pysym::testing
