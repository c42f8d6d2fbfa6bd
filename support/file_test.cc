#include "pysym/support/file.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "gtest/gtest.h"

namespace pysym {
namespace {

std::string temporaryPath(const char *Name) {
  const char *Dir = std::getenv("TEST_TMPDIR");
  return std::string(Dir ? Dir : "/tmp") + "/" + Name;
}

TEST(ReadFile, ReadsEveryByte) {
  std::string Path = temporaryPath("read_file_test.bin");
  std::string Written(200000, 'x');  // more than one read's buffer
  Written[7] = '\0';
  FILE *Out = std::fopen(Path.c_str(), "wb");
  ASSERT_NE(Out, nullptr);
  ASSERT_EQ(std::fwrite(Written.data(), 1, Written.size(), Out), Written.size());
  std::fclose(Out);
  Expected<std::string> Read = readFile(Path);
  ASSERT_TRUE(bool(Read)) << toString(Read.takeError());
  EXPECT_EQ(*Read, Written);
  unlink(Path.c_str());
}

TEST(ReadFile, AMissingFileIsAnErrorNamingItWithItsErrno) {
  Expected<std::string> Read = readFile("/nonexistent/pysym-file-test");
  ASSERT_FALSE(bool(Read));
  ASSERT_NE(Read.errorAs<StringError>(), nullptr);
  EXPECT_EQ(Read.errorAs<StringError>()->errorCode(), std::errc::no_such_file_or_directory);
  EXPECT_EQ(toString(Read.takeError()), "/nonexistent/pysym-file-test: No such file or directory");
}

TEST(ReadFile, ADirectoryIsAnError) {
  Expected<std::string> Read = readFile("/");
  ASSERT_FALSE(bool(Read));
  EXPECT_EQ(Read.errorAs<StringError>()->errorCode(), std::errc::is_a_directory);
  consumeError(Read.takeError());
}

}  // namespace
}  // namespace pysym
