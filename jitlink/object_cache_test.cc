#include "pysym/jitlink/object_cache.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::succeeded;

CompileSettings settings() {
  CompileSettings S;
  S.LLVMVersion = "14.0.6";
  S.Triple = "x86_64-pc-linux-gnu";
  S.CPU = "skylake";
  S.Features = "+avx2";
  S.OptLevel = 2;
  S.Linker = "jitlink";
  S.CodeModel = "small";
  return S;
}

class ObjectCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    const char *Tmp = std::getenv("TEST_TMPDIR");
    Root = std::string(Tmp ? Tmp : "/tmp") + "/object_cache_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    llvm::sys::fs::remove_directories(Root);
  }
  std::unique_ptr<DiskObjectCache> openCache() {
    auto Cache = DiskObjectCache::open(Root + "/a/b");
    EXPECT_TRUE(succeeded(Cache));
    return Cache ? std::move(*Cache) : nullptr;
  }
  static std::string read(const std::string &Path) {
    std::ifstream In(Path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(In), {});
  }
  static void write(const std::string &Path, const std::string &Bytes) {
    std::ofstream(Path, std::ios::binary | std::ios::trunc) << Bytes;
  }
  std::string Root;
};

TEST_F(ObjectCacheTest, KeysAreHexAndChangeWithEverySetting) {
  std::string Base = objectCacheKey("module", settings());
  EXPECT_EQ(Base.size(), 64u);
  EXPECT_EQ(Base.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(objectCacheKey("module", settings()), Base);
  std::set<std::string> Keys{Base, objectCacheKey("module2", settings())};
  auto Vary = [&](auto Change) {
    CompileSettings S = settings();
    Change(S);
    Keys.insert(objectCacheKey("module", S));
  };
  Vary([](CompileSettings &S) { S.LLVMVersion = "19.1.7"; });
  Vary([](CompileSettings &S) { S.Triple = "x86_64-unknown-linux-gnu"; });
  Vary([](CompileSettings &S) { S.CPU = "znver3"; });
  Vary([](CompileSettings &S) { S.Features = "+avx2,+fma"; });
  Vary([](CompileSettings &S) { S.OptLevel = 3; });
  Vary([](CompileSettings &S) { S.Linker = "rtdyld"; });
  Vary([](CompileSettings &S) { S.CodeModel = "large"; });
  // Moving bytes between fields makes another key, not the same one.
  Vary([](CompileSettings &S) { S.CPU = "skylake+"; S.Features = "avx2"; });
  EXPECT_EQ(Keys.size(), 10u);
}

TEST_F(ObjectCacheTest, StoresAndLoadsAnObject) {
  auto Cache = openCache();
  ASSERT_NE(Cache, nullptr);
  std::string Key = objectCacheKey("module", settings());
  CacheMissReason Why;
  EXPECT_EQ(Cache->load(Key, Why), nullptr);
  EXPECT_EQ(Why, CacheMissReason::Absent);
  std::string Object("\x7f" "ELF object bytes\0with a NUL", 28);
  ASSERT_TRUE(succeeded(Cache->store(Key, Object)));
  auto Loaded = Cache->load(Key, Why);
  ASSERT_NE(Loaded, nullptr);
  EXPECT_EQ(Loaded->getBuffer().str(), Object);
  ObjectCacheStatistics S = Cache->statistics();
  EXPECT_EQ(S.Hits, 1u);
  EXPECT_EQ(S.Misses, 1u);
  EXPECT_EQ(S.Stores, 1u);
  EXPECT_EQ(S.Ignored, 0u);
  // Another cache over the same directory, as another process would open it.
  auto Again = DiskObjectCache::open(Cache->directory());
  ASSERT_TRUE(succeeded(Again));
  ASSERT_NE((*Again)->load(Key, Why), nullptr);
}

TEST_F(ObjectCacheTest, UnusableEntriesAreIgnoredWithTheirReason) {
  auto Cache = openCache();
  ASSERT_NE(Cache, nullptr);
  std::string Key = objectCacheKey("module", settings());
  std::string Other = objectCacheKey("other", settings());
  ASSERT_TRUE(succeeded(Cache->store(Key, std::string(4000, 'x'))));
  ASSERT_TRUE(succeeded(Cache->store(Other, "other object")));
  const std::string Good = read(Cache->entryPath(Key));
  struct Case {
    const char *Name;
    std::string Bytes;
    CacheMissReason Expected;
  };
  std::string Flipped = Good;
  Flipped[Flipped.size() / 2] ^= 1;
  std::vector<Case> Cases = {
      {"truncated payload", Good.substr(0, Good.size() - 1), CacheMissReason::Truncated},
      {"truncated header", Good.substr(0, 20), CacheMissReason::Truncated},
      {"longer than its header says", Good + "x", CacheMissReason::Truncated},
      {"empty", "", CacheMissReason::Foreign},
      {"not an entry", "\x7f" "ELF\2\1\1", CacheMissReason::Foreign},
      {"another key's entry", read(Cache->entryPath(Other)), CacheMissReason::Foreign},
      {"a flipped bit", Flipped, CacheMissReason::Corrupted},
  };
  std::uint64_t Ignored = 0;
  for (const Case &C : Cases) {
    write(Cache->entryPath(Key), C.Bytes);
    CacheMissReason Why = CacheMissReason::Absent;
    EXPECT_EQ(Cache->load(Key, Why), nullptr) << C.Name;
    EXPECT_EQ(Why, C.Expected) << C.Name;
    ObjectCacheStatistics S = Cache->statistics();
    EXPECT_EQ(S.Ignored, ++Ignored) << C.Name;
    EXPECT_EQ(S.LastIgnored.rfind(cacheMissReasonName(C.Expected).str() + ": ", 0), 0u)
        << S.LastIgnored;
  }
  // A directory where the entry should be cannot be read.
  llvm::sys::fs::remove(Cache->entryPath(Key));
  llvm::sys::fs::create_directory(Cache->entryPath(Key));
  CacheMissReason Why;
  EXPECT_EQ(Cache->load(Key, Why), nullptr);
  EXPECT_EQ(Why, CacheMissReason::Unreadable);
  // Storing over it fails, and says so; the cache stays usable.
  EXPECT_FALSE(succeeded(Cache->store(Key, "object")));
  EXPECT_EQ(Cache->statistics().StoreFailures, 1u);
  EXPECT_NE(Cache->statistics().LastStoreFailure.find("cannot rename"), std::string::npos);
  EXPECT_NE(Cache->load(Other, Why), nullptr);
}

TEST_F(ObjectCacheTest, KeysThatAreNotKeysNameNoFile) {
  auto Cache = openCache();
  ASSERT_NE(Cache, nullptr);
  CacheMissReason Why;
  for (const char *Bad : {"", "../../../../etc/passwd", "abc",
                          "zz00000000000000000000000000000000000000000000000000000000000000"}) {
    EXPECT_EQ(Cache->load(Bad, Why), nullptr) << Bad;
    EXPECT_EQ(Why, CacheMissReason::Foreign) << Bad;
    EXPECT_FALSE(succeeded(Cache->store(Bad, "object"))) << Bad;
  }
}

TEST_F(ObjectCacheTest, AnUnusableDirectoryIsReported) {
  // /proc refuses new directories even to root, which may write anywhere else.
  for (std::string Dir : {std::string("/proc/pysym-object-cache"), std::string(""),
                          Root + "/file/sub"}) {
    llvm::sys::fs::create_directories(Root);
    write(Root + "/file", "a file where a directory should be");
    auto Cache = DiskObjectCache::open(Dir);
    ASSERT_FALSE(Cache) << Dir;
    llvm::Error E = Cache.takeError();
    EXPECT_TRUE(E.isA<ObjectCacheUnavailable>()) << Dir;
    llvm::consumeError(std::move(E));
  }
}

TEST_F(ObjectCacheTest, WritersOfOneEntryLeaveOneWholeEntry) {
  auto Cache = openCache();
  ASSERT_NE(Cache, nullptr);
  std::string Key = objectCacheKey("shared", settings());
  const std::string Object(1 << 20, 'o');
  // Processes and threads store the same entry at once.
  std::vector<pid_t> Children;
  for (int I = 0; I < 3; ++I) {
    pid_t Child = fork();
    ASSERT_GE(Child, 0);
    if (Child == 0) {
      auto Mine = DiskObjectCache::open(Cache->directory());
      bool Ok = Mine && !(*Mine)->store(Key, Object);
      if (!Mine) llvm::consumeError(Mine.takeError());
      _exit(Ok ? 0 : 1);
    }
    Children.push_back(Child);
  }
  std::vector<std::thread> Threads;
  for (int I = 0; I < 4; ++I)
    Threads.emplace_back([&] { EXPECT_TRUE(succeeded(Cache->store(Key, Object))); });
  for (std::thread &T : Threads) T.join();
  for (pid_t Child : Children) {
    int Status = 0;
    ASSERT_EQ(waitpid(Child, &Status, 0), Child);
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  }
  CacheMissReason Why;
  auto Loaded = Cache->load(Key, Why);
  ASSERT_NE(Loaded, nullptr);
  EXPECT_EQ(Loaded->getBuffer().size(), Object.size());
  // No temporary file is left behind.
  std::error_code EC;
  int Files = 0;
  for (llvm::sys::fs::directory_iterator It(Cache->directory(), EC), End; It != End && !EC;
       It.increment(EC))
    ++Files;
  EXPECT_EQ(Files, 1);
}

}  // namespace
}  // namespace pysym
