// Tests SymbolIndex over this process's real images, including interpreters
// loaded RTLD_LOCAL, whose definitions dlsym(RTLD_DEFAULT) cannot see.
#include "pysym/symtab/symbol_index.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <thread>

#include "gtest/gtest.h"

namespace pysym::symtab {
namespace {

// The last component of `Path`, as the loader's names end.
std::string fileName(const std::string &Path) { return std::filesystem::path(Path).filename().string(); }

std::unique_ptr<SymbolIndex> buildOrFail(std::vector<LoadedImage> Images) {
  auto Index = SymbolIndex::build(std::move(Images));
  if (!Index) {
    ADD_FAILURE() << pysym::toString(Index.takeError());
    return nullptr;
  }
  return std::move(*Index);
}

std::string realPath(const std::string &Path) {
  char Resolved[PATH_MAX];
  return ::realpath(Path.c_str(), Resolved) ? Resolved : Path;
}

std::uintptr_t address(const void *Pointer) { return reinterpret_cast<std::uintptr_t>(Pointer); }

struct LocalLibrary {
  const char *Path;
  const char *Name;  // a C-API function the library exports under this name
};

class RtldLocalTest : public ::testing::TestWithParam<LocalLibrary> {};

TEST_P(RtldLocalTest, IndexFindsWhatDlsymDefaultCannot) {
  const LocalLibrary &Library = GetParam();
  if (access(Library.Path, F_OK) != 0)
    GTEST_SKIP() << Library.Path << " is not installed";
  void *Handle = dlopen(Library.Path, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(Handle, nullptr) << dlerror();
  ASSERT_EQ(dlsym(RTLD_DEFAULT, Library.Name), nullptr)
      << Library.Name << " is visible globally; the test needs it hidden";
  void *ExpectedAddress = dlsym(Handle, Library.Name);
  ASSERT_NE(ExpectedAddress, nullptr) << dlerror();

  std::unique_ptr<SymbolIndex> Index = buildOrFail(loadedImages());
  ASSERT_NE(Index, nullptr);
  Span<IndexedSymbol> Found = Index->lookup(Library.Name);
  ASSERT_EQ(Found.size(), 1u) << Library.Name;
  EXPECT_EQ(Found[0].Symbol.Address, address(ExpectedAddress));
  EXPECT_EQ(Found[0].Symbol.Type, SymbolType::Function);
  EXPECT_EQ(realPath(Index->images()[Found[0].ImageIndex].Path), realPath(Library.Path));
  // Left loaded: neither interpreter library supports being unloaded.
}

INSTANTIATE_TEST_SUITE_P(
    Interpreters, RtldLocalTest,
    ::testing::Values(LocalLibrary{"/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "PyLong_FromLong"},
                      LocalLibrary{"/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so", "PyPyLong_FromLong"}),
    [](const ::testing::TestParamInfo<LocalLibrary> &Info) {
      return Info.index == 0 ? std::string("libpython311") : std::string("libpypy39");
    });

// glibc's libc.so.6 and libm.so.6 both export ldexp@@GLIBC_2.2.5 (readelf
// --dyn-syms shows it in both); the process loads both through libstdc++.
TEST(SymbolIndexTest, DuplicateDefinitionsAreAllKeptInImageOrder) {
  std::unique_ptr<SymbolIndex> Index = buildOrFail(loadedImages());
  ASSERT_NE(Index, nullptr);
  Span<IndexedSymbol> Ldexp = Index->lookup("ldexp");
  ASSERT_GE(Ldexp.size(), 2u);
  std::vector<std::string> Files;
  for (std::size_t I = 0; I < Ldexp.size(); ++I) {
    if (I > 0) {
      EXPECT_LT(Ldexp[I - 1].ImageIndex, Ldexp[I].ImageIndex);
    }
    const LoadedImage &Image = Index->images()[Ldexp[I].ImageIndex];
    Files.push_back(fileName(Image.Path));
    // Each definition is its own image's, as that image's scope resolves it.
    void *Handle = dlopen(Image.Path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    ASSERT_NE(Handle, nullptr) << Image.Path;
    EXPECT_EQ(Ldexp[I].Symbol.Address, address(dlsym(Handle, "ldexp"))) << Image.Path;
    dlclose(Handle);  // balances the NOLOAD reference; the image stays
  }
  EXPECT_NE(std::find(Files.begin(), Files.end(), "libc.so.6"), Files.end());
  EXPECT_NE(std::find(Files.begin(), Files.end(), "libm.so.6"), Files.end());
}

TEST(SymbolIndexTest, EveryDefinitionIsFoundUnderItsNameAndNamesListImagesInOrder) {
  std::vector<LoadedImage> Images = loadedImages();
  std::unique_ptr<SymbolIndex> Index = buildOrFail(Images);
  ASSERT_NE(Index, nullptr);
  std::size_t Total = 0;
  for (std::size_t ImageIndex = 0; ImageIndex < Images.size(); ++ImageIndex) {
    auto Symbols = definedDynamicSymbols(Images[ImageIndex]);
    ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
    Total += Symbols->size();
    for (const ImageSymbol &Symbol : *Symbols) {
      Span<IndexedSymbol> Found = Index->lookup(Symbol.Name);
      bool Present = false;
      for (std::size_t I = 0; I < Found.size(); ++I) {
        EXPECT_EQ(Found[I].Symbol.Name, Symbol.Name);
        if (I > 0) {
          EXPECT_LE(Found[I - 1].ImageIndex, Found[I].ImageIndex) << std::string(Symbol.Name);
        }
        Present |= Found[I].ImageIndex == ImageIndex && Found[I].Symbol.Address == Symbol.Address &&
                   Found[I].Symbol.Version == Symbol.Version;
      }
      EXPECT_TRUE(Present) << std::string(Symbol.Name) << " of " << Images[ImageIndex].Path;
    }
  }
  EXPECT_EQ(Index->definitions().size(), Total);
  ASSERT_EQ(Index->images().size(), Images.size());
  for (std::size_t I = 0; I < Images.size(); ++I)
    EXPECT_EQ(Index->images()[I].Path, Images[I].Path);
}

TEST(SymbolIndexTest, DefinitionsEnumerateEveryDefinitionOnceGroupedByName) {
  std::vector<LoadedImage> Images = loadedImages();
  std::unique_ptr<SymbolIndex> Index = buildOrFail(Images);
  ASSERT_NE(Index, nullptr);
  Span<IndexedSymbol> All = Index->definitions();
  EXPECT_EQ(All.size(), Index->definitions().size());
  // Each name's run in definitions() is exactly what lookup() returns for it.
  std::size_t Checked = 0;
  for (std::size_t I = 0; I < All.size(); I += Index->lookup(All[I].Symbol.Name).size(), ++Checked) {
    Span<IndexedSymbol> Group = Index->lookup(All[I].Symbol.Name);
    ASSERT_FALSE(Group.empty()) << std::string(All[I].Symbol.Name);
    EXPECT_EQ(Group.data(), All.data() + I) << std::string(All[I].Symbol.Name);
  }
  EXPECT_GT(Checked, 0u);
}

TEST(SymbolIndexTest, MissingNameIsEmptyNotAnError) {
  std::unique_ptr<SymbolIndex> Index = buildOrFail(loadedImages());
  ASSERT_NE(Index, nullptr);
  EXPECT_TRUE(Index->lookup("pysym_no_image_defines_this").empty());
  EXPECT_TRUE(Index->lookup("").empty());
  EXPECT_FALSE(Index->lookup("malloc").empty());  // the index is not simply empty
}

TEST(SymbolIndexTest, ConcurrentLookupsAgree) {
  std::unique_ptr<SymbolIndex> Index = buildOrFail(loadedImages());
  ASSERT_NE(Index, nullptr);
  const char *Names[] = {"malloc", "ldexp", "printf", "pysym_absent", "memcpy", "errno"};
  std::vector<std::size_t> Expected;
  for (const char *Name : Names)
    Expected.push_back(Index->lookup(Name).size());
  std::vector<int> Mismatches(4, 0);
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int Round = 0; Round < 2000; ++Round)
        for (std::size_t I = 0; I < std::size(Names); ++I)
          Mismatches[T] += Index->lookup(Names[I]).size() != Expected[I];
    });
  for (std::thread &Thread : Threads)
    Thread.join();
  for (int Count : Mismatches)
    EXPECT_EQ(Count, 0);
}

TEST(SymbolIndexTest, MalformedImageFailsTheBuildNamingIt) {
  // A dynamic segment that lies past the only loadable one.
  alignas(16) static unsigned char Memory[64];
  ElfW(Phdr) Headers[2] = {};
  Headers[0].p_type = PT_LOAD;
  Headers[0].p_flags = PF_R;
  Headers[0].p_memsz = sizeof(Memory);
  Headers[1].p_type = PT_DYNAMIC;
  Headers[1].p_vaddr = 4096;
  Headers[1].p_memsz = sizeof(ElfW(Dyn));
  LoadedImage Broken;
  Broken.Path = "broken-image.so";
  Broken.LoadBias = reinterpret_cast<std::uintptr_t>(Memory);
  Broken.ProgramHeaders = Headers;
  Broken.ProgramHeaderCount = 2;
  std::vector<LoadedImage> Images = loadedImages();
  Images.push_back(Broken);
  auto Index = SymbolIndex::build(std::move(Images));
  ASSERT_FALSE(static_cast<bool>(Index));
  std::string Error = pysym::toString(Index.takeError());
  EXPECT_NE(Error.find("broken-image.so"), std::string::npos) << Error;
  EXPECT_NE(Error.find("PT_DYNAMIC"), std::string::npos) << Error;
}

}  // namespace
}  // namespace pysym::symtab
