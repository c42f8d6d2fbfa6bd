// The engine with an object cache (EngineOptions::CacheDirectory): a second
// engine on the same directory links the stored object instead of
// compiling, with the same results and the same errors; unusable entries
// are ignored with their reason and the module compiled; an unwritable
// directory leaves the engine working uncached.
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using Object = PyObjectPtr;

constexpr const char *NeedsAbsentName = R"(
declare i64 @PyPysym_NoSuchFunction()
define i64 @calls_absent() {
  %r = call i64 @PyPysym_NoSuchFunction()
  ret i64 %r
}
)";

class EngineCacheTest : public ::testing::TestWithParam<Linker> {
protected:
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    Python = P;
    TheResolver = N;
    std::string Test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char &C : Test)
      if (C == '/')
        C = '_';
    Directory = ::testing::TempDir() + "pysym-engine-cache-" + std::to_string(::getpid()) + "-" + Test;
    llvm::sys::fs::remove_directories(Directory);
    auto Text = readKernel("new_objects");
    ASSERT_TRUE(succeeded(Text));
    Kernel = *Text;
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Directory); }

  std::unique_ptr<Engine> engine(std::string CacheDirectory) {
    EngineOptions Options;
    Options.Link = GetParam();
    Options.CacheDirectory = std::move(CacheDirectory);
    auto Created = Engine::create(*TheResolver, Options);
    EXPECT_TRUE(succeeded(Created));
    return Created ? std::move(*Created) : nullptr;
  }

  // repr(make_list(5)) from `Kernel` added to `Jit`, or "" on failure.
  std::string runKernel(Engine &Jit) {
    auto Module = Jit.addIR(Kernel, "new_objects");
    EXPECT_TRUE(succeeded(Module));
    if (!Module)
      return "";
    auto Address = Jit.lookup(*Module, "make_list");
    EXPECT_TRUE(succeeded(Address));
    if (!Address)
      return "";
    auto Gil = Python->holdGil();
    EXPECT_TRUE(succeeded(Gil));
    Object Made = kernel<Object(std::int64_t)>(*Address)(5);
    if (!Made)
      return "";
    std::string Text = repr(*Python, Made);
    decRef(*Python, Made);
    return Text;
  }

  // The one entry in the cache directory.
  std::string onlyEntry() {
    std::vector<std::string> Entries;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Directory, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::path::extension(It->path()) == ".o")
        Entries.push_back(It->path());
    EXPECT_EQ(Entries.size(), 1u);
    return Entries.empty() ? "" : Entries.front();
  }

  EmbeddedPython *Python = nullptr;
  Resolver *TheResolver = nullptr;
  std::string Directory;
  std::string Kernel;
};

TEST_P(EngineCacheTest, ASecondEngineLinksTheStoredObjectWithoutCompiling) {
  auto Cold = engine(Directory);
  ASSERT_TRUE(Cold);
  EXPECT_EQ(runKernel(*Cold), "[0, 1, 4, 9, 16]");
  EngineCacheStatus ColdStatus = Cold->cacheStatus();
  EXPECT_TRUE(ColdStatus.Enabled);
  EXPECT_EQ(ColdStatus.Compiles, 1u);
  EXPECT_EQ(ColdStatus.Statistics.Misses, 1u);
  EXPECT_EQ(ColdStatus.Statistics.Stores, 1u);
  EXPECT_EQ(ColdStatus.Statistics.Hits, 0u);

  auto Warm = engine(Directory);
  ASSERT_TRUE(Warm);
  EXPECT_EQ(runKernel(*Warm), "[0, 1, 4, 9, 16]");
  EngineCacheStatus WarmStatus = Warm->cacheStatus();
  EXPECT_EQ(WarmStatus.Compiles, 0u);
  EXPECT_EQ(WarmStatus.Statistics.Hits, 1u);
  EXPECT_EQ(WarmStatus.Statistics.Misses, 0u);
  EXPECT_EQ(WarmStatus.Statistics.Stores, 0u);
  // Names, ODR marks and removal are the module's, not the object's.
  auto Definer = Warm->definer("make_list");
  ASSERT_TRUE(succeeded(Definer));
  EXPECT_TRUE(succeeded(Warm->remove(*Definer)));
}

TEST_P(EngineCacheTest, ALinkThatMissesNamesFailsAlikeFromTheCache) {
  std::vector<std::string> Messages;
  for (int Run = 0; Run < 2; ++Run) {
    auto Jit = engine(Directory);
    ASSERT_TRUE(Jit);
    auto Module = Jit->addIR(NeedsAbsentName, "needs_absent");
    ASSERT_TRUE(succeeded(Module));
    auto Address = Jit->lookup(*Module, "calls_absent");
    ASSERT_FALSE(Address);
    llvm::Error Err = Address.takeError();
    EXPECT_TRUE(Err.isA<MissingSymbolsError>());
    Messages.push_back(llvm::toString(std::move(Err)));
    EXPECT_EQ(Jit->cacheStatus().Compiles, Run == 0 ? 1u : 0u);
  }
  EXPECT_EQ(Messages[0], Messages[1]);
}

TEST_P(EngineCacheTest, UnusableEntriesAreIgnoredWithTheirReasonAndRecompiled) {
  {
    auto Cold = engine(Directory);
    ASSERT_TRUE(Cold);
    ASSERT_EQ(runKernel(*Cold), "[0, 1, 4, 9, 16]");
  }
  const std::string Entry = onlyEntry();
  ASSERT_FALSE(Entry.empty());
  const std::string Key = llvm::sys::path::stem(Entry).str();

  // Truncated on disk.
  ASSERT_EQ(::truncate(Entry.c_str(), 40), 0);
  auto AfterTruncation = engine(Directory);
  ASSERT_TRUE(AfterTruncation);
  EXPECT_EQ(runKernel(*AfterTruncation), "[0, 1, 4, 9, 16]");
  EngineCacheStatus Status = AfterTruncation->cacheStatus();
  EXPECT_EQ(Status.Compiles, 1u);
  EXPECT_EQ(Status.Statistics.Ignored, 1u);
  EXPECT_EQ(llvm::StringRef(Status.Statistics.LastIgnored).split(':').first, "truncated");
  EXPECT_EQ(Status.Statistics.Stores, 1u);  // replaced by a whole entry

  // Whole and hashed, but not an object the engine's checks accept.
  {
    auto Raw = DiskObjectCache::open(Directory);
    ASSERT_TRUE(succeeded(Raw));
    ASSERT_TRUE(succeeded((*Raw)->store(Key, "\x7f" "ELF but not an object")));
  }
  auto AfterForgery = engine(Directory);
  ASSERT_TRUE(AfterForgery);
  EXPECT_EQ(runKernel(*AfterForgery), "[0, 1, 4, 9, 16]");
  Status = AfterForgery->cacheStatus();
  EXPECT_EQ(Status.Compiles, 1u);
  EXPECT_EQ(Status.Statistics.Hits, 0u);
  EXPECT_EQ(Status.Statistics.Ignored, 1u);
  EXPECT_EQ(llvm::StringRef(Status.Statistics.LastIgnored).split(':').first, "rejected");
}

TEST_P(EngineCacheTest, AnUnwritableDirectoryLeavesTheEngineWorkingUncached) {
  // A directory below a regular file can never be created, even by root.
  ASSERT_FALSE(llvm::sys::fs::create_directories(Directory));
  const std::string File = Directory + "/file";
  std::ofstream(File) << "not a directory";
  auto Jit = engine(File + "/cache");
  ASSERT_TRUE(Jit);
  EXPECT_EQ(runKernel(*Jit), "[0, 1, 4, 9, 16]");
  EngineCacheStatus Status = Jit->cacheStatus();
  EXPECT_FALSE(Status.Enabled);
  EXPECT_EQ(Status.Directory, File + "/cache");
  EXPECT_NE(Status.Unavailable.find(File + "/cache"), std::string::npos) << Status.Unavailable;
  EXPECT_EQ(Status.Compiles, 1u);
}

INSTANTIATE_TEST_SUITE_P(Linkers, EngineCacheTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
