// LLVM's own DynamicLibrarySearchGenerator::GetForCurrentProcess, which
// knows nothing of pysym, links a kernel that calls C-API functions and
// reads _Py_NoneStruct and PyExc_TypeError inside an interpreter embedded
// RTLD_LOCAL (CPython or PyPy, by target): it fails before exposeToProcess
// and links and runs after it, on both linkers.
#include <cstdint>

#include "gtest/gtest.h"
#include "pysym/jitlink/orc_compat.h"
#include "pysym/jitlink/testing/orc_compat_testing.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "pysym/resolver/exposure.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using namespace llvm::orc;

constexpr const char *Kernel = R"(
@_Py_NoneStruct = external global i8
@PyExc_TypeError = external global i8*
declare i8* @PyLong_FromLong(i64)
declare i64 @PyLong_AsLong(i8*)
declare void @Py_DecRef(i8*)

define i64 @round_trip(i64 %x) {
  %object = call i8* @PyLong_FromLong(i64 %x)
  %back = call i64 @PyLong_AsLong(i8* %object)
  call void @Py_DecRef(i8* %object)
  ret i64 %back
}
define i8* @none() {
  ret i8* @_Py_NoneStruct
}
define i8* @type_error() {
  %class = load i8*, i8** @PyExc_TypeError
  ret i8* %class
}
)";

// An LLJIT linking with `Kind` whose only generator is LLVM's stock one
// over the process's symbols, with the kernel added.
struct StockJit {
  std::unique_ptr<LLJIT> Jit;
  JITDylib *Main = nullptr;
};

class StockGeneratorExposureTest : public OrcCompatTest {
protected:
  StockJit make(Linker Kind) {
    StockJit Result;
    auto Host = JITTargetMachineBuilder::detectHost();
    EXPECT_TRUE(succeeded(Host));
    if (!Host)
      return Result;
    LLJITBuilder Builder;
    orc_compat::configureBuilder(Builder, *Host, Kind, [](JITTargetMachineBuilder T)
        -> llvm::Expected<std::unique_ptr<IRCompileLayer::IRCompiler>> {
      return std::make_unique<ConcurrentIRCompiler>(std::move(T));
    });
    auto J = Builder.create();
    EXPECT_TRUE(succeeded(J));
    if (!J)
      return Result;
    Result.Jit = std::move(*J);
    auto &ES = Result.Jit->getExecutionSession();
    ES.setErrorReporter([](llvm::Error E) { llvm::consumeError(std::move(E)); });  // the lookup reports it
    auto JD = orc_compat::createBareJITDylib(ES, "kernels");
    EXPECT_TRUE(succeeded(JD));
    if (!JD)
      return Result;
    Result.Main = &*JD;
    auto Generator = DynamicLibrarySearchGenerator::GetForCurrentProcess(
        Result.Jit->getDataLayout().getGlobalPrefix());
    EXPECT_TRUE(succeeded(Generator));
    if (!Generator)
      return Result;
    Result.Main->addGenerator(std::move(*Generator));
    add(*Result.Jit, *Result.Main, Kernel);
    return Result;
  }

  llvm::Expected<std::uint64_t> lookup(StockJit &J, llvm::StringRef Name) {
    return orc_compat::lookupAddress(J.Jit->getExecutionSession(), *J.Main, J.Jit->mangle(Name));
  }
};

TEST_F(StockGeneratorExposureTest, FailsBeforeExposingAndLinksAndRunsAfter) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  if (Py->flavor() == Flavor::PyPy) {
    ASSERT_TRUE(succeeded(Py->run("import cpyext")));
  }
  for (Linker Kind : {Linker::RuntimeDyld, Linker::JITLink}) {
    SCOPED_TRACE(toString(Kind).str());
    StockJit Before = make(Kind);
    ASSERT_NE(Before.Main, nullptr);
    auto Missing = lookup(Before, "round_trip");
    EXPECT_FALSE(bool(Missing)) << "the interpreter is RTLD_LOCAL: the loader cannot see it yet";
    llvm::consumeError(Missing.takeError());  // the failure is the point
  }

  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  auto Report = exposeToProcess(**R);
  ASSERT_TRUE(succeeded(Report));

  auto None = Py->evaluate("None");
  auto TypeError = Py->evaluate("TypeError");
  ASSERT_TRUE(succeeded(None));
  ASSERT_TRUE(succeeded(TypeError));
  for (Linker Kind : {Linker::RuntimeDyld, Linker::JITLink}) {
    SCOPED_TRACE(toString(Kind).str());
    StockJit After = make(Kind);
    ASSERT_NE(After.Main, nullptr);
    auto RoundTrip = lookup(After, "round_trip");
    auto NoneAt = lookup(After, "none");
    auto TypeErrorAt = lookup(After, "type_error");
    ASSERT_TRUE(succeeded(RoundTrip));
    ASSERT_TRUE(succeeded(NoneAt));
    ASSERT_TRUE(succeeded(TypeErrorAt));
    EXPECT_EQ(reinterpret_cast<void *(*)()>(*NoneAt)(), *None);
    EXPECT_EQ(reinterpret_cast<void *(*)()>(*TypeErrorAt)(), *TypeError);
    auto Gil = Py->holdGil();
    ASSERT_TRUE(succeeded(Gil));
    EXPECT_EQ(reinterpret_cast<std::int64_t (*)(std::int64_t)>(*RoundTrip)(1234567), 1234567);
  }
  auto Gil = Py->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  Py->api<void(void *)>("Py_DecRef")(*None);
  Py->api<void(void *)>("Py_DecRef")(*TypeError);
}

}  // namespace
}  // namespace pysym::testing
