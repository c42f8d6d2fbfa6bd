// A kernel that loads None and PyExc_TypeError from an interpreter whose
// data lies more than 2 GiB from the JIT's code, under both linkers.
#include <cinttypes>
#include <cstdio>

#include "gtest/gtest.h"
#include "pysym/jitlink/testing/address_fence.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

constexpr std::uint64_t TwoGiB = std::uint64_t(1) << 31;

std::uint64_t distance(std::uint64_t A, std::uint64_t B) { return A > B ? A - B : B - A; }

class FarDataTest : public ::testing::TestWithParam<Linker> {};

TEST_P(FarDataTest, KernelLoadsInterpreterDataFromBeyond2GiB) {
  PYSYM_JIT_OR_SKIP(Python, Names);
  const auto None = reinterpret_cast<std::uint64_t>(Python->apiSymbol("_Py_NoneStruct"));
  const auto Cell = reinterpret_cast<std::uint64_t>(Python->apiSymbol("PyExc_TypeError"));
  ASSERT_NE(None, 0u);
  ASSERT_NE(Cell, 0u);
  PyObjectPtr TypeError = nullptr;
  {
    auto Evaluated = Python->evaluate("TypeError");
    ASSERT_TRUE(succeeded(Evaluated));
    TypeError = *Evaluated;
  }

  // Everything the engine maps from here on lands beyond the fence: 2 GiB
  // plus room for the JIT's own slabs, around both data symbols.
  auto Fence = AddressFence::around(std::min(None, Cell), std::max(None, Cell) + 8,
                                    TwoGiB + (std::uint64_t(256) << 20));
  ASSERT_TRUE(succeeded(Fence));
  auto Jit = Engine::create(*Names, EngineOptions{2, GetParam()});
  ASSERT_TRUE(succeeded(Jit));
  auto Text = readKernel("far_data");
  ASSERT_TRUE(succeeded(Text));
  auto Module = (*Jit)->addIR(*Text, "far_data");
  ASSERT_TRUE(succeeded(Module));
  auto NoneAddress = (*Jit)->lookup(*Module, "none_address");
  auto TypeErrorClass = (*Jit)->lookup(*Module, "type_error_class");
  ASSERT_TRUE(succeeded(NoneAddress));
  ASSERT_TRUE(succeeded(TypeErrorClass));

  const std::uint64_t Nearest =
      std::min({distance(*NoneAddress, None), distance(*NoneAddress, Cell),
                distance(*TypeErrorClass, None), distance(*TypeErrorClass, Cell)});
  std::printf("%s, %s: code at 0x%" PRIx64 "/0x%" PRIx64 ", _Py_NoneStruct at 0x%" PRIx64
              ", PyExc_TypeError at 0x%" PRIx64 "; nearest %.2f GiB apart (fence reserved %.2f GiB)\n",
              Python->flavor() == Flavor::CPython ? "CPython" : "PyPy",
              toString(GetParam()).str().c_str(), *NoneAddress, *TypeErrorClass, None, Cell,
              double(Nearest) / double(std::uint64_t(1) << 30),
              double((*Fence)->reservedBytes()) / double(std::uint64_t(1) << 30));
  ASSERT_GT(Nearest, TwoGiB) << "the fence did not keep the JIT's code far away";

  auto Gil = Python->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  EXPECT_EQ(kernel<PyObjectPtr()>(*NoneAddress)(), reinterpret_cast<PyObjectPtr>(None));
  EXPECT_EQ(kernel<PyObjectPtr()>(*TypeErrorClass)(), *reinterpret_cast<PyObjectPtr *>(Cell));
  EXPECT_EQ(kernel<PyObjectPtr()>(*TypeErrorClass)(), TypeError);
  decRef(*Python, TypeError);
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, FarDataTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
