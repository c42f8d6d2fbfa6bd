#include "tools/pysym_dump_testing.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_offline.h"

namespace pysym::dump::testing {

std::string dumpBinary() {
  const char *Path = std::getenv("PYSYM_DUMP");
  char Resolved[PATH_MAX];
  return Path && ::realpath(Path, Resolved) ? Resolved : "";
}

namespace {
std::string scratch() {
  const char *Directory = std::getenv("TEST_TMPDIR");
  return std::string(Directory ? Directory : "/tmp") + "/pysym_dump-%%%%%%";
}
}  // namespace

std::string temporaryFile(llvm::StringRef Suffix) {
  std::string Model = scratch() + "." + Suffix.str();
  int Fd = -1;
  llvm::SmallString<128> Path;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, Fd, Path)) {
    ADD_FAILURE() << "cannot create " << Model << ": " << EC.message();
    return "";
  }
  ::close(Fd);
  return std::string(Path.str());
}

std::string temporaryDirectory() {
  llvm::SmallString<128> Path;
  if (std::error_code EC = llvm::sys::fs::createUniqueDirectory(scratch(), Path)) {
    ADD_FAILURE() << "cannot create a directory in " << scratch() << ": " << EC.message();
    return "";
  }
  return std::string(Path.str());
}

void writeFile(const std::string &Path, llvm::StringRef Contents) {
  std::ofstream Out(Path, std::ios::binary);
  Out.write(Contents.data(), Contents.size());
  EXPECT_TRUE(Out.good()) << "cannot write " << Path;
}

std::string readFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : "";
}

Outcome runProgram(const std::string &Program, const std::vector<std::string> &Arguments,
                   const std::vector<std::string> &Environment) {
  std::string OutPath = temporaryFile("out");
  std::string ErrPath = temporaryFile("err");
  std::vector<llvm::StringRef> Argv = {Program};
  for (const std::string &A : Arguments)
    Argv.push_back(A);
  std::vector<llvm::StringRef> Env(Environment.begin(), Environment.end());
  llvm_compat::Optional<llvm::ArrayRef<llvm::StringRef>> MaybeEnv;
  if (!Environment.empty())
    MaybeEnv = llvm::ArrayRef<llvm::StringRef>(Env);
  llvm_compat::Optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(OutPath), llvm::StringRef(ErrPath)};
  std::string Message;
  Outcome Result;
  Result.Status = llvm::sys::ExecuteAndWait(Program, Argv, MaybeEnv, Redirects,
                                            /*SecondsToWait=*/120, 0, &Message);
  EXPECT_GE(Result.Status, 0) << Program << " did not finish normally: " << Message;
  Result.Out = readFile(OutPath);
  Result.Err = readFile(ErrPath);
  llvm::sys::fs::remove(OutPath);
  llvm::sys::fs::remove(ErrPath);
  return Result;
}

Outcome dump(const std::vector<std::string> &Arguments, const std::vector<std::string> &Environment) {
  return runProgram(dumpBinary(), Arguments, Environment);
}

std::vector<llvm::StringRef> lines(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Text.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  return {Lines.begin(), Lines.end()};
}

std::string lineWith(llvm::StringRef Text, const std::vector<std::string> &Words) {
  for (llvm::StringRef Line : lines(Text)) {
    llvm::SmallVector<llvm::StringRef, 16> Fields;
    Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
    bool All = true;
    for (const std::string &Word : Words)
      All = All && llvm::is_contained(Fields, Word);
    if (All)
      return Line.str();
  }
  return "";
}

llvm::json::Object parseJson(const std::string &Text) {
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(Parsed.takeError()) << "\n"
                  << Text.substr(0, 2000);
    return {};
  }
  if (auto *Object = Parsed->getAsObject())
    return std::move(*Object);
  ADD_FAILURE() << "not a JSON object:\n" << Text.substr(0, 2000);
  return {};
}

bool exists(const std::string &Path) { return llvm::sys::fs::exists(Path); }

std::vector<std::string> pyenvPythons() {
  std::vector<std::string> Found;
  std::string Root = pyenvRoot();
  if (Root.empty())
    return Found;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Root + "/versions", EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef Version = llvm::sys::path::filename(It->path());
    auto [Major, Rest] = Version.split('.');
    llvm::StringRef Minor = Rest.split('.').first;
    std::string Exe = It->path() + "/bin/python" + Major.str() + "." + Minor.str();
    if (exists(Exe))
      Found.push_back(Exe);
  }
  std::sort(Found.begin(), Found.end());
  return Found;
}

}  // namespace pysym::dump::testing
