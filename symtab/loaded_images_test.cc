// Tests loadedImages() and definedDynamicSymbols() against this process's
// own loader (glibc's) and, for malformed input, hand-built images in memory.
#include "pysym/symtab/loaded_images.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "gtest/gtest.h"
#include "pysym/support/text.h"

namespace pysym::symtab {
namespace {

// The last component of `Path`, as the loader's names end.
std::string fileName(const std::string &Path) { return std::filesystem::path(Path).filename().string(); }

std::string realPath(const char *Path) {
  char Resolved[PATH_MAX];
  return ::realpath(Path, Resolved) ? Resolved : "";
}

// The image whose file is `FileName` (e.g. "libc.so.6"), or null.
const LoadedImage *findImage(const std::vector<LoadedImage> &Images, std::string_view FileName) {
  for (const LoadedImage &Image : Images)
    if (fileName(Image.Path) == FileName)
      return &Image;
  return nullptr;
}

std::vector<ImageSymbol> symbolsOrFail(const LoadedImage &Image) {
  auto Symbols = definedDynamicSymbols(Image);
  if (!Symbols) {
    ADD_FAILURE() << pysym::toString(Symbols.takeError());
    return {};
  }
  return std::move(*Symbols);
}

std::vector<ImageSymbol> named(const std::vector<ImageSymbol> &Symbols, std::string_view Name) {
  std::vector<ImageSymbol> Result;
  for (const ImageSymbol &Symbol : Symbols)
    if (Symbol.Name == Name)
      Result.push_back(Symbol);
  return Result;
}

// libc's handle: its own scope, which unlike RTLD_DEFAULT cannot find an
// executable's canonical PLT address for a function first.
void *libcHandle() { return dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD); }

std::uintptr_t address(const void *Pointer) { return reinterpret_cast<std::uintptr_t>(Pointer); }

TEST(LoadedImagesTest, MainProgramComesFirstWithTheRealPathOfProcSelfExe) {
  std::vector<LoadedImage> Images = loadedImages();
  ASSERT_FALSE(Images.empty());
  EXPECT_TRUE(Images[0].IsMainProgram);
  EXPECT_EQ(Images[0].Path, realPath("/proc/self/exe"));
  EXPECT_EQ(Images[0].ProgramHeaders, reinterpret_cast<const void *>(getauxval(AT_PHDR)));
  for (std::size_t I = 1; I < Images.size(); ++I)
    EXPECT_FALSE(Images[I].IsMainProgram) << Images[I].Path;
}

TEST(LoadedImagesTest, EveryImageButTheVdsoHasAnAbsolutePathThatExists) {
  for (const LoadedImage &Image : loadedImages()) {
    if (Image.IsVdso)
      continue;
    EXPECT_TRUE(startsWith(Image.Path, "/")) << Image.Path;
    EXPECT_EQ(access(Image.Path.c_str(), F_OK), 0) << Image.Path;
  }
}

TEST(LoadedImagesTest, LibcLoadBiasIsWhereDladdrSaysItsPrintfLives) {
  void *Printf = dlsym(libcHandle(), "printf");
  ASSERT_NE(Printf, nullptr) << dlerror();
  Dl_info Info;
  ASSERT_NE(dladdr(Printf, &Info), 0);
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  EXPECT_EQ(Libc->LoadBias, address(Info.dli_fbase));
  EXPECT_EQ(Libc->Path, Info.dli_fname);
  EXPECT_FALSE(Libc->IsVdso);
}

TEST(LoadedImagesTest, LibcPrintfIsAFunctionAtDlsymsAddress) {
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  std::vector<ImageSymbol> Printf = named(symbolsOrFail(*Libc), "printf");
  ASSERT_EQ(Printf.size(), 1u);
  EXPECT_EQ(Printf[0].Type, SymbolType::Function);
  EXPECT_EQ(Printf[0].Address, address(dlsym(libcHandle(), "printf")));
  EXPECT_FALSE(Printf[0].Version.empty());
  EXPECT_TRUE(Printf[0].VersionIsDefault);
}

// dlvsym finds hidden versions too, so every versioned definition that is not
// an IFUNC (dlsym runs those) or TLS (dlsym gives this thread's copy) must be
// at the address the loader itself computes.
TEST(LoadedImagesTest, EveryVersionedLibcDefinitionIsWhereDlvsymFindsIt) {
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  void *Handle = libcHandle();
  std::size_t Compared = 0;
  for (const ImageSymbol &Symbol : symbolsOrFail(*Libc)) {
    if (Symbol.Version.empty() || Symbol.Type == SymbolType::GnuIndirectFunction ||
        Symbol.Type == SymbolType::ThreadLocal)
      continue;
    std::string Name = std::string(Symbol.Name), Version = std::string(Symbol.Version);
    EXPECT_EQ(Symbol.Address, address(dlvsym(Handle, Name.c_str(), Version.c_str())))
        << Name << "@" << Version;
    ++Compared;
  }
  EXPECT_GT(Compared, 1000u);  // libc has about 2,900 such definitions
}

TEST(LoadedImagesTest, MemcpyAndStrlenAreIndirectFunctionsWhoseAddressIsTheResolver) {
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  std::vector<ImageSymbol> Symbols = symbolsOrFail(*Libc);
  for (const char *Name : {"memcpy", "strlen"}) {
    const ImageSymbol *Default = nullptr;
    for (const ImageSymbol &Symbol : Symbols)
      if (Symbol.Name == Name && Symbol.VersionIsDefault)
        Default = &Symbol;
    ASSERT_NE(Default, nullptr) << Name;
    EXPECT_EQ(Default->Type, SymbolType::GnuIndirectFunction) << Name;
    // dlsym calls the resolver and returns the implementation it chose.
    EXPECT_NE(Default->Address, address(dlsym(libcHandle(), Name))) << Name;
    Dl_info Info;
    ASSERT_NE(dladdr(reinterpret_cast<void *>(Default->Address), &Info), 0) << Name;
    EXPECT_EQ(address(Info.dli_fbase), Libc->LoadBias) << Name;
  }
}

TEST(LoadedImagesTest, SymbolDefinedInTwoVersionsShowsBothAndOneIsDefault) {
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  // glibc keeps realpath@GLIBC_2.2.5 for old binaries beside realpath@@GLIBC_2.3.
  std::vector<ImageSymbol> Realpath = named(symbolsOrFail(*Libc), "realpath");
  ASSERT_EQ(Realpath.size(), 2u);
  EXPECT_NE(Realpath[0].Version, Realpath[1].Version);
  EXPECT_NE(Realpath[0].VersionIsDefault, Realpath[1].VersionIsDefault);
  for (const ImageSymbol &Version : Realpath) {
    std::string VersionName = std::string(Version.Version);
    EXPECT_EQ(Version.Address, address(dlvsym(libcHandle(), "realpath", VersionName.c_str())));
    if (Version.VersionIsDefault) {  // what an unversioned lookup binds to
      EXPECT_EQ(Version.Address, address(dlsym(libcHandle(), "realpath")));
    }
  }
}

TEST(LoadedImagesTest, ThreadLocalValuesAreOffsetsIntoTheModulesTlsBlock) {
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Libc = findImage(Images, "libc.so.6");
  ASSERT_NE(Libc, nullptr);
  std::vector<ImageSymbol> Errno = named(symbolsOrFail(*Libc), "errno");
  ASSERT_EQ(Errno.size(), 1u);
  EXPECT_EQ(Errno[0].Type, SymbolType::ThreadLocal);
  void *TlsBlock = nullptr;
  ASSERT_EQ(dlinfo(libcHandle(), RTLD_DI_TLS_DATA, &TlsBlock), 0) << dlerror();
  ASSERT_NE(TlsBlock, nullptr);
  // dlsym of a TLS symbol gives the calling thread's instance.
  EXPECT_EQ(address(TlsBlock) + Errno[0].Address, address(dlsym(libcHandle(), "errno")));
}

TEST(LoadedImagesTest, VdsoIsFlaggedAndItsClockGettimeRuns) {
  if (getauxval(AT_SYSINFO_EHDR) == 0)
    GTEST_SKIP() << "this kernel maps no vDSO (AT_SYSINFO_EHDR is 0)";
  std::vector<LoadedImage> Images = loadedImages();
  const LoadedImage *Vdso = nullptr;
  for (const LoadedImage &Image : Images)
    if (Image.IsVdso) {
      EXPECT_EQ(Vdso, nullptr) << "two images flagged as the vDSO";
      Vdso = &Image;
    }
  ASSERT_NE(Vdso, nullptr);
  std::vector<ImageSymbol> ClockGettime = named(symbolsOrFail(*Vdso), "__vdso_clock_gettime");
  ASSERT_EQ(ClockGettime.size(), 1u);
  EXPECT_EQ(ClockGettime[0].Type, SymbolType::Function);
  // The vDSO's dynamic section keeps relative pointers; a wrong address
  // would crash or return garbage here.
  auto *VdsoClockGettime = reinterpret_cast<int (*)(clockid_t, timespec *)>(ClockGettime[0].Address);
  timespec Before{}, During{}, After{};
  clock_gettime(CLOCK_MONOTONIC, &Before);
  ASSERT_EQ(VdsoClockGettime(CLOCK_MONOTONIC, &During), 0);
  clock_gettime(CLOCK_MONOTONIC, &After);
  auto Nanoseconds = [](const timespec &T) { return T.tv_sec * 1000000000LL + T.tv_nsec; };
  EXPECT_LE(Nanoseconds(Before), Nanoseconds(During));
  EXPECT_LE(Nanoseconds(During), Nanoseconds(After));
}

TEST(LoadedImagesTest, EveryLoadedImageReadsWithoutError) {
  for (const LoadedImage &Image : loadedImages()) {
    auto Symbols = definedDynamicSymbols(Image);
    ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
    for (const ImageSymbol &Symbol : *Symbols)
      EXPECT_FALSE(Symbol.Name.empty()) << Image.Path;
  }
}

// A small shared object laid out by hand in memory, so that single fields can
// be made wrong. Offsets are relative to `Memory`, which is the load bias; the
// pointers in its dynamic section are relative, as the vDSO's are.
class HandBuiltImage {
public:
  static constexpr std::size_t DynamicAt = 0, SymbolsAt = 256, StringsAt = 512,
                               HashAt = 640, VersionsAt = 704, DefinitionsAt = 768,
                               Size = 1024;
  // "\0hello\0undefined\0V1\0fake.so\0"
  static constexpr std::uint32_t HelloName = 1, UndefinedName = 7, V1Name = 17, FileName = 20,
                                 StringsSize = 28;

  HandBuiltImage() {
    std::memcpy(Memory + StringsAt, "\0hello\0undefined\0V1\0fake.so\0", StringsSize);
    auto *Symbols = at<ElfW(Sym)>(SymbolsAt);
    Symbols[1].st_name = HelloName;
    Symbols[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    Symbols[1].st_shndx = 1;
    Symbols[1].st_value = 0x10;
    Symbols[2].st_name = UndefinedName;
    Symbols[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    Symbols[2].st_shndx = SHN_UNDEF;
    auto *Hash = at<std::uint32_t>(HashAt);  // nbucket 1, nchain 3
    Hash[0] = 1;
    Hash[1] = 3;
    auto *Versions = at<std::uint16_t>(VersionsAt);
    Versions[1] = 2;
    Versions[2] = 0;
    auto *Base = at<ElfW(Verdef)>(DefinitionsAt);
    auto *V1 = Base + 1;
    for (ElfW(Verdef) *Definition : {Base, V1}) {
      Definition->vd_version = VER_DEF_CURRENT;
      Definition->vd_cnt = 1;
    }
    Base->vd_flags = VER_FLG_BASE;
    Base->vd_ndx = 1;
    Base->vd_next = sizeof(ElfW(Verdef));
    V1->vd_ndx = 2;
    auto *Names = at<ElfW(Verdaux)>(DefinitionsAt + 2 * sizeof(ElfW(Verdef)));
    Names[0].vda_name = FileName;
    Names[1].vda_name = V1Name;
    // vd_aux counts from its own entry: both names follow the two entries.
    Base->vd_aux = 2 * sizeof(ElfW(Verdef));
    V1->vd_aux = sizeof(ElfW(Verdef)) + sizeof(ElfW(Verdaux));

    setDynamic({{DT_SYMTAB, SymbolsAt}, {DT_STRTAB, StringsAt}, {DT_STRSZ, StringsSize},
                {DT_SYMENT, sizeof(ElfW(Sym))}, {DT_HASH, HashAt}, {DT_VERSYM, VersionsAt},
                {DT_VERDEF, DefinitionsAt}, {DT_VERDEFNUM, 2}});

    Headers[0].p_type = PT_LOAD;
    Headers[0].p_flags = PF_R;
    Headers[0].p_memsz = Size;
    Headers[1].p_type = PT_DYNAMIC;
    Headers[1].p_vaddr = DynamicAt;
    Headers[1].p_memsz = 16 * sizeof(ElfW(Dyn));
  }

  template <typename T> T *at(std::size_t Offset) { return reinterpret_cast<T *>(Memory + Offset); }

  void setDynamic(std::initializer_list<std::pair<std::int64_t, std::uint64_t>> Entries) {
    std::memset(Memory + DynamicAt, 0, 16 * sizeof(ElfW(Dyn)));
    auto *Dynamic = at<ElfW(Dyn)>(DynamicAt);
    for (const auto &Entry : Entries) {
      Dynamic->d_tag = Entry.first;
      Dynamic->d_un.d_val = Entry.second;
      ++Dynamic;
    }
  }

  LoadedImage image() const {
    LoadedImage Image;
    Image.Path = "hand-built.so";
    Image.LoadBias = reinterpret_cast<std::uintptr_t>(Memory);
    Image.ProgramHeaders = Headers;
    Image.ProgramHeaderCount = 2;
    return Image;
  }

  // The error reading this image gives, or "" when it reads.
  std::string readError() const {
    auto Symbols = definedDynamicSymbols(image());
    return Symbols ? "" : pysym::toString(Symbols.takeError());
  }

  ElfW(Phdr) Headers[2] = {};

private:
  alignas(16) unsigned char Memory[Size] = {};
};

TEST(HandBuiltImageTest, WellFormedImageReadsItsOneDefinedVersionedSymbol) {
  HandBuiltImage Built;
  auto Symbols = definedDynamicSymbols(Built.image());
  ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
  ASSERT_EQ(Symbols->size(), 1u);
  EXPECT_EQ((*Symbols)[0].Name, "hello");
  EXPECT_EQ((*Symbols)[0].Address, Built.image().LoadBias + 0x10);
  EXPECT_EQ((*Symbols)[0].Version, "V1");
  EXPECT_TRUE((*Symbols)[0].VersionIsDefault);
  // The name is not a copy: it points into the image's string table.
  EXPECT_EQ((*Symbols)[0].Name.data(),
            Built.at<char>(HandBuiltImage::StringsAt + HandBuiltImage::HelloName));
}

TEST(HandBuiltImageTest, HiddenVersionBitMakesTheDefinitionNonDefault) {
  HandBuiltImage Built;
  Built.at<std::uint16_t>(HandBuiltImage::VersionsAt)[1] = 0x8000 | 2;
  auto Symbols = definedDynamicSymbols(Built.image());
  ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
  ASSERT_EQ(Symbols->size(), 1u);
  EXPECT_EQ((*Symbols)[0].Version, "V1");
  EXPECT_FALSE((*Symbols)[0].VersionIsDefault);
}

TEST(HandBuiltImageTest, GnuHashCountReachesTheEndOfTheLastChain) {
  HandBuiltImage Built;
  // nbuckets 1, symoffset 1, one bloom word; bucket 0 starts at symbol 1,
  // whose chain entry ends the chain: two symbols in all.
  auto *Hash = Built.at<std::uint32_t>(HandBuiltImage::HashAt);
  Hash[0] = 1, Hash[1] = 1, Hash[2] = 1, Hash[3] = 6;
  Hash[6] = 1;       // bucket 0 (after 16 bytes of header and 8 of bloom)
  Hash[7] = 0x1235;  // chain of symbol 1, low bit set
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::SymbolsAt}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_STRSZ, HandBuiltImage::StringsSize}, {DT_GNU_HASH, HandBuiltImage::HashAt}});
  auto Symbols = definedDynamicSymbols(Built.image());
  ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
  ASSERT_EQ(Symbols->size(), 1u);
  EXPECT_EQ((*Symbols)[0].Name, "hello");
  EXPECT_TRUE((*Symbols)[0].Version.empty());
}

TEST(HandBuiltImageTest, GnuHashChainRunningOffTheImageIsAnError) {
  HandBuiltImage Built;
  // The last chain never ends: its walk must stop at the segment's end.
  Built.Headers[0].p_memsz = HandBuiltImage::HashAt + 8 * sizeof(std::uint32_t);
  auto *Hash = Built.at<std::uint32_t>(HandBuiltImage::HashAt);
  Hash[0] = 1, Hash[1] = 1, Hash[2] = 1, Hash[3] = 6;
  Hash[6] = 1;
  Hash[7] = 0x1234;
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::SymbolsAt}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_STRSZ, HandBuiltImage::StringsSize}, {DT_GNU_HASH, HandBuiltImage::HashAt}});
  std::string Error = Built.readError();
  EXPECT_NE(Error.find("hand-built.so"), std::string::npos) << Error;
  EXPECT_NE(Error.find("DT_GNU_HASH chain"), std::string::npos) << Error;
}

TEST(HandBuiltImageTest, SymbolTableOutsideTheSegmentsIsAnError) {
  HandBuiltImage Built;
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::Size - 8}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_STRSZ, HandBuiltImage::StringsSize}, {DT_HASH, HandBuiltImage::HashAt}});
  std::string Error = Built.readError();
  EXPECT_NE(Error.find("hand-built.so"), std::string::npos) << Error;
  EXPECT_NE(Error.find("DT_SYMTAB"), std::string::npos) << Error;
}

TEST(HandBuiltImageTest, HugeSymbolCountIsAnErrorNotAnOverflow) {
  HandBuiltImage Built;
  Built.at<std::uint32_t>(HandBuiltImage::HashAt)[1] = 0xffffffffu;
  EXPECT_NE(Built.readError().find("DT_SYMTAB"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, NameOffsetPastTheStringTableIsAnError) {
  HandBuiltImage Built;
  Built.at<ElfW(Sym)>(HandBuiltImage::SymbolsAt)[1].st_name = HandBuiltImage::StringsSize;
  std::string Error = Built.readError();
  EXPECT_NE(Error.find("symbol 1"), std::string::npos) << Error;
  EXPECT_NE(Error.find("DT_STRSZ"), std::string::npos) << Error;
}

TEST(HandBuiltImageTest, UnterminatedStringTableIsAnError) {
  HandBuiltImage Built;
  // Cut DT_STRSZ in the middle of "hello".
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::SymbolsAt}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_STRSZ, 4}, {DT_HASH, HandBuiltImage::HashAt}});
  EXPECT_NE(Built.readError().find("unterminated"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, VersionIndexNoDefinitionNamesIsAnError) {
  HandBuiltImage Built;
  Built.at<std::uint16_t>(HandBuiltImage::VersionsAt)[1] = 7;
  std::string Error = Built.readError();
  EXPECT_NE(Error.find("version index 7"), std::string::npos) << Error;
}

TEST(HandBuiltImageTest, VersionNameOffsetPastTheStringTableIsAnError) {
  HandBuiltImage Built;
  Built.at<ElfW(Verdaux)>(HandBuiltImage::DefinitionsAt + 2 * sizeof(ElfW(Verdef)))[1].vda_name = 999;
  const std::string Error = Built.readError();
  EXPECT_NE(Error.find("the name of version definition 1 of DT_VERDEF"), std::string::npos) << Error;
  EXPECT_NE(Error.find("string offset 0x3e7, past the end"), std::string::npos) << Error;
}

TEST(HandBuiltImageTest, WrongSymbolEntrySizeIsAnError) {
  HandBuiltImage Built;
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::SymbolsAt}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_STRSZ, HandBuiltImage::StringsSize}, {DT_SYMENT, 16},
                    {DT_HASH, HandBuiltImage::HashAt}});
  EXPECT_NE(Built.readError().find("DT_SYMENT"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, MissingStringTableSizeIsAnError) {
  HandBuiltImage Built;
  Built.setDynamic({{DT_SYMTAB, HandBuiltImage::SymbolsAt}, {DT_STRTAB, HandBuiltImage::StringsAt},
                    {DT_HASH, HandBuiltImage::HashAt}});
  EXPECT_NE(Built.readError().find("DT_STRSZ"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, DynamicSectionOutsideTheSegmentsIsAnError) {
  HandBuiltImage Built;
  Built.Headers[1].p_vaddr = HandBuiltImage::Size;
  EXPECT_NE(Built.readError().find("PT_DYNAMIC"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, UnreadableSegmentIsNotRead) {
  HandBuiltImage Built;
  Built.Headers[0].p_flags = PF_X;
  EXPECT_NE(Built.readError().find("outside"), std::string::npos) << Built.readError();
}

TEST(HandBuiltImageTest, ImageWithoutDynamicSectionHasNoSymbols) {
  HandBuiltImage Built;
  Built.Headers[1].p_type = PT_NULL;
  auto Symbols = definedDynamicSymbols(Built.image());
  ASSERT_TRUE(static_cast<bool>(Symbols)) << pysym::toString(Symbols.takeError());
  EXPECT_TRUE(Symbols->empty());
}

}  // namespace
}  // namespace pysym::symtab
