// exposeToProcess where the kernel refuses memfd_create (old kernels, or a
// seccomp policy such as a container's): it falls back to an unlinked file
// in $TMPDIR, says so, and leaves nothing behind; when that fails too, or
// the loader refuses the object, it fails having exposed nothing. The refusal is real: this process installs
// a seccomp filter that makes memfd_create fail with ENOSYS.
#include <dirent.h>
#include <dlfcn.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>

#include "gtest/gtest.h"
#include "pysym/resolver/exposure.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

// LeakSanitizer's exit-time check stops the world with a tracer thread,
// which crashes (signal 11) in a process under this seccomp filter with
// no_new_privs; the leak check has nothing to find here that the other
// exposure tests do not check.
extern "C" int __lsan_is_turned_off() { return 1; }

namespace pysym {
namespace {

// Makes memfd_create fail with ENOSYS in every thread of this process.
bool refuseMemfdCreate() {
  sock_filter Filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_memfd_create, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog Program{static_cast<unsigned short>(sizeof(Filter) / sizeof(Filter[0])), Filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return false;
  return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &Program) == 0;
}

int entriesIn(const std::string &Dir) {
  DIR *D = opendir(Dir.c_str());
  if (!D)
    return -1;
  int Count = 0;
  while (dirent *E = readdir(D))
    Count += std::string(E->d_name) != "." && std::string(E->d_name) != "..";
  closedir(D);
  return Count;
}

std::string testTmpdir() {
  const char *Dir = std::getenv("TEST_TMPDIR");
  return Dir ? Dir : "/tmp";
}

TEST(ExposureFallback, WithoutMemfdAnUnusableTemporaryDirectoryFailsHavingExposedNothing) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_TRUE(refuseMemfdCreate()) << std::strerror(errno);
  ASSERT_LT(memfd_create("probe", 0), 0);
  ASSERT_EQ(errno, ENOSYS);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(testing::succeeded(R));

  std::string Missing = testTmpdir() + "/no-such-directory";
  ASSERT_EQ(setenv("TMPDIR", Missing.c_str(), 1), 0);
  auto Report = exposeToProcess(**R);
  ASSERT_FALSE(bool(Report));
  EXPECT_TRUE(testing::failedAs<ExposeFailed>(Report.takeError(), [](const ExposeFailed &F) {
    return F.reason() == ExposeFailed::Reason::WriteFailed;
  }));
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "PyLong_FromLong"), nullptr);
}

// The loader refuses for real: the process may open exactly one more file,
// which the temporary file takes, so dlopen's own open fails (EMFILE).
TEST(ExposureFallback, ALoaderRefusalFailsHavingExposedNothingAndLeavesNoFile) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_LT(memfd_create("probe", 0), 0) << "the previous test installs the filter";
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(testing::succeeded(R));
  std::string Dir = testTmpdir() + "/refused";
  ASSERT_EQ(mkdir(Dir.c_str(), 0700), 0) << std::strerror(errno);
  ASSERT_EQ(setenv("TMPDIR", Dir.c_str(), 1), 0);

  rlimit Saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &Saved), 0);
  int LowestFree = dup(0);
  ASSERT_GE(LowestFree, 0);
  close(LowestFree);
  rlimit OneMore = Saved;
  OneMore.rlim_cur = static_cast<rlim_t>(LowestFree) + 1;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &OneMore), 0);
  auto Report = exposeToProcess(**R);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &Saved), 0);

  ASSERT_FALSE(bool(Report));
  EXPECT_TRUE(testing::failedAs<ExposeFailed>(Report.takeError(), [](const ExposeFailed &F) {
    return F.reason() == ExposeFailed::Reason::LoadRefused;
  }));
  EXPECT_EQ(entriesIn(Dir), 0) << "the refused object's file is removed";
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "PyLong_FromLong"), nullptr);
}

TEST(ExposureFallback, WithoutMemfdAnUnlinkedTemporaryFileServesAndIsSaidSo) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  ASSERT_LT(memfd_create("probe", 0), 0) << "the previous test installs the filter";
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(testing::succeeded(R));

  std::string Dir = testTmpdir() + "/exposure";
  ASSERT_EQ(mkdir(Dir.c_str(), 0700), 0) << std::strerror(errno);
  ASSERT_EQ(setenv("TMPDIR", Dir.c_str(), 1), 0);
  auto Report = exposeToProcess(**R);
  ASSERT_TRUE(testing::succeeded(Report));
  EXPECT_EQ(Report->Source, ExposeSource::TemporaryFile);
  EXPECT_NE(Report->FallbackReason.find("memfd_create"), std::string::npos) << Report->FallbackReason;
  EXPECT_GT(Report->Added, 700u);
  EXPECT_EQ(entriesIn(Dir), 0) << "the file is unlinked once loaded";
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "PyLong_FromLong"), Py->apiSymbol("PyLong_FromLong"));
}

}  // namespace
}  // namespace pysym
