// Replays elf_file_fuzzer's regression inputs, and checks that the target
// reaches ElfFile's success path on a real library and its error path on a
// truncated one.
#include <cstdint>
#include <vector>

#include "fuzz/inputs.h"
#include "fuzz/replay_testing.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"

namespace pysym::fuzzing {
namespace {

// A small real shared library with versioned symbols (GLIBC_2.2.5 and
// GLIBC_2.34 stubs), the kind of file the fuzzer's seed corpus starts from.
constexpr const char *SmallLibrary = "/lib/x86_64-linux-gnu/libdl.so.2";

TEST(ElfFileFuzzerTest, ReplaysEveryRegressionInput) {
  for (const std::string &Path : regressionInputs("elf_file")) {
    SCOPED_TRACE(Path);
    Outcome O = runFile(Path);
    EXPECT_TRUE(O == Outcome::Rejected || O == Outcome::Accepted) << toString(O);
  }
}

TEST(ElfFileFuzzerTest, AcceptsARealLibraryAndRejectsItsPrefix) {
  if (!llvm::sys::fs::exists(SmallLibrary))
    GTEST_SKIP() << SmallLibrary << " is absent on this machine";
  auto Bytes = readInput(SmallLibrary);
  ASSERT_TRUE(static_cast<bool>(Bytes)) << llvm::toString(Bytes.takeError());
  EXPECT_EQ(runInput(*Bytes), Outcome::Accepted);
  std::vector<std::uint8_t> Prefix(Bytes->begin(), Bytes->begin() + Bytes->size() / 2);
  EXPECT_EQ(runInput(Prefix), Outcome::Rejected);
}

TEST(ElfFileFuzzerTest, RejectsEmptyAndNonElfInput) {
  EXPECT_EQ(runInput(llvm::StringRef()), Outcome::Rejected);
  EXPECT_EQ(runInput(llvm::StringRef("\x7f" "ELF but not really")), Outcome::Rejected);
}

}  // namespace
}  // namespace pysym::fuzzing
