// Tests the writer of absolute-symbol objects by reading its output back
// with pysym's ElfFile and with llvm-readelf-14, and by loading it with the
// system's dynamic loader.
#include "pysym/symtab/absolute_object.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pysym/symtab/elf_file.h"
#include "tests/core_error_testing.h"

namespace pysym::symtab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using pysym::testing::failedAs;
using pysym::testing::succeeded;

constexpr const char *ReadElf = "/usr/bin/llvm-readelf-14";

// An anonymous file holding what the writer wrote; closed on destruction.
class WrittenObject {
public:
  WrittenObject() : Fd(memfd_create("pysym-absolute-object-test", MFD_CLOEXEC)) {}
  ~WrittenObject() {
    if (Fd >= 0)
      close(Fd);
  }
  int fd() const { return Fd; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(Fd); }
  // The same file seen from a child process, which does not inherit Fd.
  std::string pathForChild() const {
    return "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(Fd);
  }
  off_t size() const {
    struct stat Status {};
    return fstat(Fd, &Status) == 0 ? Status.st_size : -1;
  }

private:
  int Fd;
};

std::vector<AbsoluteSymbol> sample() {
  return {
      {"Py_GetVersion", 0x7f0000001000, false, 0},
      {"_Py_NoneStruct", 0x7f0000002000, true, 16},
      {"PyExc_TypeError", 0x7f0000003008, true, 8},
  };
}

TEST(AbsoluteObject, ReadsBackWithPysymsElfReader) {
  WrittenObject Out;
  ASSERT_GE(Out.fd(), 0);
  ASSERT_TRUE(succeeded(writeAbsoluteObject(Out.fd(), "pysym-test.so", sample())));
  auto File = ElfFile::read(Out.path());
  ASSERT_TRUE(bool(File)) << pysym::toString(File.takeError());
  EXPECT_EQ((*File)->kind(), ElfKind::SharedObject);
  EXPECT_EQ((*File)->soname(), "pysym-test.so");
  EXPECT_TRUE((*File)->neededLibraries().empty());
  const std::vector<Symbol> &Dynamic = (*File)->dynamicSymbols();
  ASSERT_EQ(Dynamic.size(), 3u);
  std::vector<AbsoluteSymbol> Expected = sample();
  for (std::size_t I = 0; I < Expected.size(); ++I) {
    SCOPED_TRACE(Expected[I].Name);
    EXPECT_EQ(Dynamic[I].Name, Expected[I].Name);
    EXPECT_EQ(Dynamic[I].Value, Expected[I].Address);
    EXPECT_EQ(Dynamic[I].Size, Expected[I].Size);
    EXPECT_EQ(Dynamic[I].Type, Expected[I].IsData ? SymbolType::Object : SymbolType::Function);
    EXPECT_EQ(Dynamic[I].Binding, SymbolBinding::Global);
    EXPECT_EQ(Dynamic[I].Visibility, SymbolVisibility::Default);
    EXPECT_TRUE(Dynamic[I].Defined);
    EXPECT_EQ(Dynamic[I].SectionIndex, static_cast<std::uint32_t>(SHN_ABS));
    EXPECT_TRUE(Dynamic[I].Version.empty());
  }
}

TEST(AbsoluteObject, ReadsBackWithLlvmReadelfWithoutWarnings) {
  if (access(ReadElf, X_OK) != 0)
    GTEST_SKIP() << ReadElf << " is not installed (Debian package llvm-14)";
  WrittenObject Out;
  ASSERT_TRUE(succeeded(writeAbsoluteObject(Out.fd(), "pysym-test.so", sample())));
  std::string Command = std::string(ReadElf) + " --file-header --program-headers --dynamic-table " +
                        "--dyn-syms --section-headers " + Out.pathForChild() + " 2>&1";
  FILE *Pipe = popen(Command.c_str(), "r");
  ASSERT_NE(Pipe, nullptr);
  std::string Output;
  char Buffer[4096];
  while (std::size_t Read = fread(Buffer, 1, sizeof(Buffer), Pipe))
    Output.append(Buffer, Read);
  ASSERT_EQ(pclose(Pipe), 0) << Output;
  EXPECT_THAT(Output, Not(HasSubstr("warning"))) << Output;
  EXPECT_THAT(Output, HasSubstr("DYN (Shared object file)"));
  EXPECT_THAT(Output, HasSubstr("Library soname: [pysym-test.so]"));
  EXPECT_THAT(Output, HasSubstr("GNU_STACK"));
  EXPECT_THAT(Output, HasSubstr("00007f0000001000     0 FUNC    GLOBAL DEFAULT   ABS Py_GetVersion"));
  EXPECT_THAT(Output, HasSubstr("00007f0000002000    16 OBJECT  GLOBAL DEFAULT   ABS _Py_NoneStruct"));
}

// Loads `Out` with RTLD_LOCAL, checks every name with dlsym on the handle,
// and unloads it.
void expectEveryNameAtItsAddress(const WrittenObject &Out, const std::vector<AbsoluteSymbol> &Symbols) {
  void *Handle = dlopen(Out.path().c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(Handle, nullptr) << dlerror();
  for (const AbsoluteSymbol &S : Symbols)
    EXPECT_EQ(reinterpret_cast<std::uint64_t>(dlsym(Handle, S.Name.c_str())), S.Address)
        << "name of " << S.Name.size() << " bytes";
  EXPECT_EQ(dlsym(Handle, "pysym_absolute_object_test_absent"), nullptr);
  dlclose(Handle);
}

TEST(AbsoluteObject, TheLoaderGivesEachNameItsAddressExactly) {
  WrittenObject Out;
  ASSERT_TRUE(succeeded(writeAbsoluteObject(Out.fd(), "pysym-test.so", sample())));
  expectEveryNameAtItsAddress(Out, sample());
}

TEST(AbsoluteObject, AnEmptyListLoads) {
  WrittenObject Out;
  ASSERT_TRUE(succeeded(writeAbsoluteObject(Out.fd(), "pysym-empty.so", {})));
  expectEveryNameAtItsAddress(Out, {});
}

// Property: any list the writer accepts loads, and every name resolves to
// its address. Names are random bytes (anything but NUL), of random length.
TEST(AbsoluteObject, EveryAcceptedListLoadsWithEveryNameAtItsAddress) {
  std::mt19937_64 Random(20261206);
  for (int Round = 0; Round < 60; ++Round) {
    SCOPED_TRACE("round " + std::to_string(Round));
    std::size_t Count = Round == 0 ? 1 : Random() % 2000;
    std::vector<AbsoluteSymbol> Symbols;
    for (std::size_t I = 0; I < Count; ++I) {
      AbsoluteSymbol S;
      std::size_t Length = 1 + Random() % (Random() % 8 == 0 ? 600 : 40);
      for (std::size_t J = 0; J < Length; ++J)
        S.Name.push_back(static_cast<char>(1 + Random() % 255));
      S.Name += "#" + std::to_string(I);  // unique
      S.Address = Random() | 1;
      S.IsData = Random() % 2;
      S.Size = S.IsData ? Random() % 512 : 0;
      Symbols.push_back(std::move(S));
    }
    WrittenObject Out;
    ASSERT_TRUE(succeeded(writeAbsoluteObject(Out.fd(), "pysym-property.so", Symbols)));
    expectEveryNameAtItsAddress(Out, Symbols);
  }
}

// A refusal names its reason and the symbol, and writes nothing.
void expectRefused(std::string_view Soname, const std::vector<AbsoluteSymbol> &Symbols,
                   AbsoluteObjectRefused::Reason Expected, std::size_t Index) {
  WrittenObject Out;
  EXPECT_TRUE(failedAs<AbsoluteObjectRefused>(
      writeAbsoluteObject(Out.fd(), Soname, Symbols), [&](const AbsoluteObjectRefused &R) {
        EXPECT_EQ(R.reason(), Expected) << R.message();
        EXPECT_EQ(R.index(), Index) << R.message();
        return R.reason() == Expected && R.index() == Index;
      }));
  EXPECT_EQ(Out.size(), 0);
}

TEST(AbsoluteObject, RefusesBadInputWritingNothing) {
  using Reason = AbsoluteObjectRefused::Reason;
  expectRefused("", sample(), Reason::InvalidSoname, 0);
  expectRefused(std::string_view("a\0b", 3), sample(), Reason::InvalidSoname, 0);
  std::vector<AbsoluteSymbol> Bad = sample();
  Bad[1].Name = "";
  expectRefused("x.so", Bad, Reason::EmptyName, 1);
  Bad = sample();
  Bad[2].Name = std::string("Py_\0Hidden", 10);
  expectRefused("x.so", Bad, Reason::NameWithNul, 2);
  Bad = sample();
  Bad[2].Name = Bad[0].Name;
  expectRefused("x.so", Bad, Reason::DuplicateName, 2);
  Bad = sample();
  Bad[1].Name = std::string(MaxAbsoluteSymbolNameLength + 1, 'P');
  expectRefused("x.so", Bad, Reason::NameTooLong, 1);
  Bad = sample();
  Bad[0].Address = 0;
  expectRefused("x.so", Bad, Reason::NullAddress, 0);
  std::vector<AbsoluteSymbol> Many(MaxAbsoluteSymbols + 1);
  expectRefused("x.so", Many, Reason::TooManySymbols, 0);
}

TEST(AbsoluteObject, ALibelfFailureIsAnErrorNotACrash) {
  // A descriptor not open for writing: libelf's write fails.
  int ReadOnly = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(ReadOnly, 0);
  Error Err = writeAbsoluteObject(ReadOnly, "x.so", sample());
  close(ReadOnly);
  ASSERT_TRUE(bool(Err));
  EXPECT_EQ(Err.as<AbsoluteObjectRefused>(), nullptr);
  EXPECT_NE(Err.as<StringError>(), nullptr);
  EXPECT_THAT(toString(std::move(Err)), HasSubstr("cannot write an object of absolute symbols"));
}

}  // namespace
}  // namespace pysym::symtab
