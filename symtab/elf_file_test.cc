// Tests ElfFile against the real interpreters and libraries on this machine,
// and against malformed copies of libc built at test time.
#include "pysym/symtab/elf_file.h"

#include <elf.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pysym/support/text.h"

namespace pysym::symtab {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr const char *LibPypy = "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
constexpr const char *StaticPython = "/usr/bin/python3.11";
constexpr const char *LibC = "/lib/x86_64-linux-gnu/libc.so.6";
constexpr const char *SmallVersionedLibrary = "/lib/x86_64-linux-gnu/libpthread.so.0";
constexpr const char *Crt1 = "/usr/lib/x86_64-linux-gnu/crt1.o";

// A local function that only .symtab can list; C linkage keeps its name plain.
extern "C" {
[[gnu::noinline, gnu::used]] static int pysym_elf_file_test_local_marker(int X) {
  return X * 3 + 1;
}
}

bool exists(const std::string &Path) { return access(Path.c_str(), F_OK) == 0; }

std::unique_ptr<ElfFile> readOrFail(const std::string &Path) {
  auto File = ElfFile::read(Path);
  if (!File) {
    ADD_FAILURE() << "reading " << Path << ": " << pysym::toString(File.takeError());
    return nullptr;
  }
  return std::move(*File);
}

// The one dynamic symbol named `Name` that is (or is not) defined.
const Symbol *dynamic(const ElfFile &File, std::string_view Name, bool Defined = true) {
  for (const Symbol *Sym : File.findDynamic(Name))
    if (Sym->Defined == Defined)
      return Sym;
  return nullptr;
}

std::string pyenvRoot() {
  if (const char *Root = std::getenv("PYENV_ROOT"))
    return Root;
  // Bazel points HOME at the test's scratch directory, so ask passwd too.
  std::vector<std::string> Homes;
  if (const char *Home = std::getenv("HOME"))
    Homes.push_back(Home);
  if (const passwd *Entry = getpwuid(getuid()))
    Homes.push_back(Entry->pw_dir);
  for (const std::string &Home : Homes)
    if (exists(Home + "/.pyenv"))
      return Home + "/.pyenv";
  return "";
}

// $(pyenv root)/versions/3.11.*, or "" when pyenv has no 3.11.
std::string pyenvPython311() {
  const std::string Versions = pyenvRoot() + "/versions";
  std::error_code EC;
  std::vector<std::string> Found;
  for (std::filesystem::directory_iterator It(Versions, EC), End; It != End && !EC;
       It.increment(EC))
    if (startsWith(It->path().filename().string(), "3.11."))
      Found.push_back(It->path().string());
  std::sort(Found.begin(), Found.end());
  return Found.empty() ? "" : Found.back();
}

std::string readBytes(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::ostringstream Out;
  Out << In.rdbuf();
  return Out.str();
}

std::string scratchPath(const std::string &Name) {
  const char *Dir = std::getenv("TEST_TMPDIR");
  return std::string(Dir ? Dir : "/tmp") + "/" + Name;
}

std::string writeScratch(const std::string &Name, const std::string &Bytes) {
  const std::string Path = scratchPath(Name);
  std::ofstream(Path, std::ios::binary | std::ios::trunc) << Bytes;
  return Path;
}

// The error text of a read expected to fail; records a failure otherwise.
std::string readError(const std::string &Path) {
  auto File = ElfFile::read(Path);
  if (File) {
    ADD_FAILURE() << Path << " was read without error";
    return "";
  }
  return pysym::toString(File.takeError());
}

// An independent, test-only view of an ELF image through <elf.h>, used to
// cross-check counts and to find the bytes to corrupt. It trusts the file,
// so it is only ever pointed at intact system libraries.
class RawElf {
public:
  explicit RawElf(std::string Bytes) : Bytes(std::move(Bytes)) {}

  Elf64_Ehdr header() const { return at<Elf64_Ehdr>(0); }
  std::size_t sectionHeaderOffset(std::size_t Index) const {
    return header().e_shoff + Index * sizeof(Elf64_Shdr);
  }
  Elf64_Shdr section(std::size_t Index) const {
    return at<Elf64_Shdr>(sectionHeaderOffset(Index));
  }
  std::size_t sectionIndex(const std::string &Name) const {
    const Elf64_Shdr Names = section(header().e_shstrndx);
    for (std::size_t I = 1; I < header().e_shnum; ++I)
      if (Name == Bytes.c_str() + Names.sh_offset + section(I).sh_name)
        return I;
    ADD_FAILURE() << "no section " << Name;
    return 0;
  }
  bool hasSectionType(std::uint32_t Type) const {
    for (std::size_t I = 1; I < header().e_shnum; ++I)
      if (section(I).sh_type == Type)
        return true;
    return false;
  }
  std::size_t symbolCount(const std::string &Table) const {
    const Elf64_Shdr S = section(sectionIndex(Table));
    return S.sh_size / sizeof(Elf64_Sym) - 1;  // without the null entry
  }
  std::size_t definedSymbolCount(const std::string &Table) const {
    const Elf64_Shdr S = section(sectionIndex(Table));
    std::size_t Defined = 0;
    for (std::size_t I = 1; I < S.sh_size / sizeof(Elf64_Sym); ++I)
      Defined += at<Elf64_Sym>(S.sh_offset + I * sizeof(Elf64_Sym)).st_shndx != SHN_UNDEF;
    return Defined;
  }
  // The file offset of .dynsym entry `Index`.
  std::size_t dynamicSymbolOffset(std::size_t Index) const {
    return section(sectionIndex(".dynsym")).sh_offset + Index * sizeof(Elf64_Sym);
  }
  // The .dynsym index of the first symbol named `Name`.
  std::size_t dynamicSymbolIndex(const std::string &Name) const {
    const Elf64_Shdr Symbols = section(sectionIndex(".dynsym"));
    const Elf64_Shdr Strings = section(Symbols.sh_link);
    for (std::size_t I = 1; I < Symbols.sh_size / sizeof(Elf64_Sym); ++I)
      if (Name == Bytes.c_str() + Strings.sh_offset + at<Elf64_Sym>(dynamicSymbolOffset(I)).st_name)
        return I;
    ADD_FAILURE() << "no dynamic symbol " << Name;
    return 0;
  }

  template <typename T> T at(std::size_t Offset) const {
    T Value;
    std::memcpy(&Value, Bytes.data() + Offset, sizeof(T));
    return Value;
  }
  template <typename T> void put(std::size_t Offset, T Value) {
    std::memcpy(&Bytes[Offset], &Value, sizeof(T));
  }
  // Overwrites one field of section `Index`'s header.
  template <typename T> void putSectionField(std::size_t Index, std::size_t FieldOffset, T Value) {
    put<T>(sectionHeaderOffset(Index) + FieldOffset, Value);
  }

  std::string Bytes;
};

// --- PyPy --------------------------------------------------------------------

TEST(ElfFileTest, LibpypyExportsApiUnderPyPyNames) {
  if (!exists(LibPypy))
    GTEST_SKIP() << LibPypy << " is absent (install pypy3)";
  auto File = readOrFail(LibPypy);
  ASSERT_TRUE(File);
  EXPECT_EQ(File->kind(), ElfKind::SharedObject);

  const Symbol *FromLong = dynamic(*File, "PyPyLong_FromLong");
  ASSERT_NE(FromLong, nullptr);
  EXPECT_EQ(FromLong->Type, SymbolType::Function);
  EXPECT_EQ(FromLong->Binding, SymbolBinding::Global);
  EXPECT_EQ(FromLong->Visibility, SymbolVisibility::Default);
  EXPECT_EQ(FromLong->Table, SymbolTable::Dynamic);
  EXPECT_EQ(FromLong->SectionName, ".text");
  EXPECT_NE(FromLong->Value, 0u);

  const Symbol *None = dynamic(*File, "_PyPy_NoneStruct");
  ASSERT_NE(None, nullptr);
  EXPECT_EQ(None->Type, SymbolType::Object);
  EXPECT_EQ(None->SectionName, ".bss");

  const Symbol *TypeError = dynamic(*File, "PyPyExc_TypeError");
  ASSERT_NE(TypeError, nullptr);
  EXPECT_EQ(TypeError->Type, SymbolType::Object);
  EXPECT_EQ(TypeError->Size, sizeof(void *));  // a PyObject * cell

  // CPython's own names are not there.
  EXPECT_TRUE(File->findDynamic("PyLong_FromLong").empty());

  // An import from glibc carries the version it requires, never `@@`.
  const Symbol *Lchown = dynamic(*File, "lchown", /*Defined=*/false);
  ASSERT_NE(Lchown, nullptr);
  EXPECT_EQ(Lchown->Version, "GLIBC_2.2.5");
  EXPECT_FALSE(Lchown->VersionIsDefault);
  EXPECT_TRUE(Lchown->SectionName.empty());

  EXPECT_THAT(File->neededLibraries(), Contains("libc.so.6"));
}

TEST(ElfFileTest, LibpypySymbolCountsMatchTheRawTable) {
  if (!exists(LibPypy))
    GTEST_SKIP() << LibPypy << " is absent (install pypy3)";
  auto File = readOrFail(LibPypy);
  ASSERT_TRUE(File);
  const RawElf Raw(readBytes(LibPypy));
  EXPECT_EQ(File->dynamicSymbols().size(), Raw.symbolCount(".dynsym"));
  const auto Defined = std::count_if(File->dynamicSymbols().begin(), File->dynamicSymbols().end(),
                                     [](const Symbol &S) { return S.Defined; });
  EXPECT_EQ(static_cast<std::size_t>(Defined), Raw.definedSymbolCount(".dynsym"));
  EXPECT_GT(Defined, 900);  // docs record 982 exports for PyPy 7.3.11
}

// --- CPython -----------------------------------------------------------------

TEST(ElfFileTest, StaticPythonExportsApiFromTheExecutable) {
  if (!exists(StaticPython))
    GTEST_SKIP() << StaticPython << " is absent (install python3.11)";
  auto File = readOrFail(StaticPython);
  ASSERT_TRUE(File);
  EXPECT_TRUE(File->kind() == ElfKind::Executable ||
              File->kind() == ElfKind::PositionIndependentExecutable);

  const Symbol *FromLong = dynamic(*File, "PyLong_FromLong");
  ASSERT_NE(FromLong, nullptr);
  EXPECT_EQ(FromLong->Type, SymbolType::Function);
  const Symbol *None = dynamic(*File, "_Py_NoneStruct");
  ASSERT_NE(None, nullptr);
  EXPECT_EQ(None->Type, SymbolType::Object);

  const RawElf Raw(readBytes(StaticPython));
  EXPECT_EQ(File->dynamicSymbols().size(), Raw.symbolCount(".dynsym"));
  EXPECT_GT(File->dynamicSymbols().size(), 1000u);
  EXPECT_EQ(File->staticSymbols().empty(), !Raw.hasSectionType(SHT_SYMTAB));
  EXPECT_THAT(File->neededLibraries(), Contains("libc.so.6"));
  EXPECT_TRUE(File->soname().empty());
}

TEST(ElfFileTest, PyenvSharedLibpython311) {
  const std::string Home = pyenvPython311();
  const std::string Library = Home + "/lib/libpython3.11.so.1.0";
  if (Home.empty() || !exists(Library))
    GTEST_SKIP() << "pyenv's libpython3.11.so.1.0 is absent (no $(pyenv root)/versions/3.11.*)";
  auto File = readOrFail(Library);
  ASSERT_TRUE(File);
  EXPECT_EQ(File->kind(), ElfKind::SharedObject);
  EXPECT_EQ(File->soname(), "libpython3.11.so.1.0");
  const Symbol *FromLong = dynamic(*File, "PyLong_FromLong");
  ASSERT_NE(FromLong, nullptr);
  EXPECT_EQ(FromLong->Type, SymbolType::Function);
  EXPECT_EQ(FromLong->Binding, SymbolBinding::Global);

  const RawElf Raw(readBytes(Library));
  if (Raw.hasSectionType(SHT_SYMTAB)) {
    EXPECT_EQ(File->staticSymbols().size(), Raw.symbolCount(".symtab"));
  }
}

TEST(ElfFileTest, PyenvPython311IsPieThatNeedsItsLibpython) {
  const std::string Home = pyenvPython311();
  const std::string Executable = Home + "/bin/python3.11";
  if (Home.empty() || !exists(Executable))
    GTEST_SKIP() << "pyenv's python3.11 is absent (no $(pyenv root)/versions/3.11.*)";
  auto File = readOrFail(Executable);
  ASSERT_TRUE(File);
  EXPECT_EQ(File->kind(), ElfKind::PositionIndependentExecutable);
  EXPECT_THAT(File->neededLibraries(), Contains("libpython3.11.so.1.0"));
  // pyenv links with a run path into its own lib/; only the form is checked.
  if (!File->runPath().empty()) {
    EXPECT_THAT(File->runPath(), HasSubstr("/lib"));
  }
}

// --- glibc: versions and IFUNCs ------------------------------------------------

TEST(ElfFileTest, LibcReportsEveryVersionOfRealpath) {
  auto File = readOrFail(LibC);
  ASSERT_TRUE(File);
  EXPECT_EQ(File->kind(), ElfKind::SharedObject);  // despite its PT_INTERP
  EXPECT_EQ(File->soname(), "libc.so.6");

  std::vector<std::pair<std::string, bool>> Versions;
  for (const Symbol *Sym : File->findDynamic("realpath")) {
    EXPECT_TRUE(Sym->Defined);
    Versions.emplace_back(Sym->Version, Sym->VersionIsDefault);
  }
  std::sort(Versions.begin(), Versions.end());
  const std::vector<std::pair<std::string, bool>> Expected = {{"GLIBC_2.2.5", false},
                                                              {"GLIBC_2.3", true}};
  EXPECT_EQ(Versions, Expected);
}

TEST(ElfFileTest, LibcStringFunctionsAreGnuIndirect) {
  auto File = readOrFail(LibC);
  ASSERT_TRUE(File);
  for (const char *Name : {"memcpy", "strlen"}) {
    const Symbol *Default = nullptr;
    for (const Symbol *Sym : File->findDynamic(Name))
      if (Sym->Defined && Sym->VersionIsDefault)
        Default = Sym;
    ASSERT_NE(Default, nullptr) << Name;
    EXPECT_EQ(Default->Type, SymbolType::GnuIndirectFunction) << Name;
    EXPECT_EQ(toString(Default->Type), "ifunc");
  }
}

// --- .symtab -----------------------------------------------------------------

TEST(ElfFileTest, ObjectFileHasOnlyStaticSymbols) {
  if (!exists(Crt1))
    GTEST_SKIP() << Crt1 << " is absent (install libc6-dev)";
  auto File = readOrFail(Crt1);
  ASSERT_TRUE(File);
  EXPECT_EQ(File->kind(), ElfKind::Relocatable);
  EXPECT_TRUE(File->dynamicSymbols().empty());
  EXPECT_EQ(File->staticSymbols().size(), RawElf(readBytes(Crt1)).symbolCount(".symtab"));

  auto Find = [&](std::string_view Name) -> const Symbol * {
    for (const Symbol &Sym : File->staticSymbols())
      if (Sym.Name == Name)
        return &Sym;
    return nullptr;
  };
  const Symbol *Start = Find("_start");
  ASSERT_NE(Start, nullptr);
  EXPECT_EQ(Start->Table, SymbolTable::Static);
  EXPECT_EQ(Start->Type, SymbolType::Function);
  EXPECT_EQ(Start->Binding, SymbolBinding::Global);
  EXPECT_EQ(Start->SectionName, ".text");
  const Symbol *Main = Find("main");
  ASSERT_NE(Main, nullptr);
  EXPECT_FALSE(Main->Defined);
  EXPECT_EQ(Main->SectionIndex, 0u);
  if (const Symbol *Hidden = Find("_dl_relocate_static_pie")) {
    EXPECT_EQ(Hidden->Visibility, SymbolVisibility::Hidden);
  }
  if (const Symbol *DataStart = Find("data_start")) {
    EXPECT_EQ(DataStart->Binding, SymbolBinding::Weak);
  }
}

TEST(ElfFileTest, TestBinaryListsItsLocalFunctionOnlyInSymtab) {
  EXPECT_EQ(pysym_elf_file_test_local_marker(1), 4);
  auto File = readOrFail("/proc/self/exe");
  ASSERT_TRUE(File);
  if (File->staticSymbols().empty())
    GTEST_SKIP() << "this test binary was stripped of .symtab";
  const Symbol *Marker = nullptr;
  for (const Symbol &Sym : File->staticSymbols())
    if (Sym.Name == "pysym_elf_file_test_local_marker")
      Marker = &Sym;
  ASSERT_NE(Marker, nullptr);
  EXPECT_EQ(Marker->Table, SymbolTable::Static);
  EXPECT_EQ(Marker->Binding, SymbolBinding::Local);
  EXPECT_EQ(Marker->Type, SymbolType::Function);
  EXPECT_TRUE(Marker->Defined);
  EXPECT_EQ(Marker->SectionName, ".text");
  EXPECT_TRUE(File->findDynamic("pysym_elf_file_test_local_marker").empty());
}

// --- Bad input -----------------------------------------------------------------

TEST(ElfFileBadInputTest, MissingPath) {
  const std::string Path = scratchPath("does-not-exist.so");
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("No such file"));
}

TEST(ElfFileBadInputTest, Directory) {
  const std::string Path = scratchPath("a-directory");
  ASSERT_TRUE(mkdir(Path.c_str(), 0700) == 0 || errno == EEXIST) << std::strerror(errno);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("is a directory"));
}

TEST(ElfFileBadInputTest, DeviceIsNotReadAsAFile) {
  EXPECT_THAT(readError("/dev/null"), HasSubstr("/dev/null: is not a regular file"));
}

TEST(ElfFileBadInputTest, EmptyFile) {
  const std::string Path = writeScratch("empty.so", "");
  EXPECT_THAT(readError(Path), HasSubstr(Path + ": is empty"));
}

TEST(ElfFileBadInputTest, NotElf) {
  const std::string Path = writeScratch("text.so", "#!/bin/sh\necho not an ELF file\n");
  EXPECT_THAT(readError(Path), HasSubstr(Path + ": not an ELF file"));
}

TEST(ElfFileBadInputTest, TruncatedInsideTheHeader) {
  const std::string Path = writeScratch("truncated-header.so", readBytes(LibC).substr(0, 40));
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("truncated ELF: 40 bytes"));
}

TEST(ElfFileBadInputTest, TruncatedBeforeTheSectionHeaders) {
  const std::string Bytes = readBytes(LibC);
  const std::string Path = writeScratch("truncated-half.so", Bytes.substr(0, Bytes.size() / 2));
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("section header table"));
  EXPECT_THAT(Message, HasSubstr("past the end of the file"));
}

TEST(ElfFileBadInputTest, ThirtyTwoBitClass) {
  RawElf Elf(readBytes(LibC));
  Elf.Bytes[EI_CLASS] = ELFCLASS32;
  const std::string Path = writeScratch("class32.so", Elf.Bytes);
  EXPECT_THAT(readError(Path), HasSubstr(Path + ": is a 32-bit ELF file"));
}

TEST(ElfFileBadInputTest, ForeignMachine) {
  RawElf Elf(readBytes(LibC));
  Elf.put<Elf64_Half>(offsetof(Elf64_Ehdr, e_machine), EM_AARCH64);
  const std::string Path = writeScratch("aarch64.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("is for machine 183 (e_machine), not x86-64"));
}

TEST(ElfFileBadInputTest, SectionHeaderOffsetPastTheEnd) {
  RawElf Elf(readBytes(LibC));
  Elf.put<Elf64_Off>(offsetof(Elf64_Ehdr, e_shoff), Elf.Bytes.size() + 64);
  const std::string Path = writeScratch("shoff.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(e_shoff) is past the end of the file"));
}

TEST(ElfFileBadInputTest, SharedObjectWithoutSectionHeaders) {
  RawElf Elf(readBytes(LibC));
  Elf.put<Elf64_Off>(offsetof(Elf64_Ehdr, e_shoff), 0);
  Elf.put<Elf64_Half>(offsetof(Elf64_Ehdr, e_shnum), 0);
  Elf.put<Elf64_Half>(offsetof(Elf64_Ehdr, e_shstrndx), SHN_UNDEF);
  const std::string Path = writeScratch("no-sections.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("has a dynamic segment but no section headers"));
}

TEST(ElfFileBadInputTest, SectionNameTableIndexOutOfRange) {
  RawElf Elf(readBytes(LibC));
  Elf.put<Elf64_Half>(offsetof(Elf64_Ehdr, e_shstrndx), Elf.header().e_shnum + 5);
  const std::string Path = writeScratch("shstrndx.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(e_shstrndx) is outside the section table"));
}

TEST(ElfFileBadInputTest, SymbolTableOffsetPastTheEnd) {
  RawElf Elf(readBytes(LibC));
  Elf.putSectionField<Elf64_Off>(Elf.sectionIndex(".dynsym"), offsetof(Elf64_Shdr, sh_offset),
                                 Elf.Bytes.size() - 16);
  const std::string Path = writeScratch("dynsym-offset.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(.dynsym)"));
  EXPECT_THAT(Message, HasSubstr("extends past the end of the file"));
}

TEST(ElfFileBadInputTest, StringTableSizePastTheEnd) {
  RawElf Elf(readBytes(LibC));
  Elf.putSectionField<Elf64_Xword>(Elf.sectionIndex(".dynstr"), offsetof(Elf64_Shdr, sh_size),
                                   ~Elf64_Xword{0} - 8);  // offset + size overflows 64 bits
  const std::string Path = writeScratch("dynstr-size.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(.dynstr)"));
  EXPECT_THAT(Message, HasSubstr("extends past the end of the file"));
}

TEST(ElfFileBadInputTest, SymbolEntrySizeWrong) {
  RawElf Elf(readBytes(LibC));
  Elf.putSectionField<Elf64_Xword>(Elf.sectionIndex(".dynsym"), offsetof(Elf64_Shdr, sh_entsize),
                                   23);
  const std::string Path = writeScratch("dynsym-entsize.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(.dynsym) has sh_entsize 23, expected 24"));
}

TEST(ElfFileBadInputTest, SymbolTableSizeNotAMultipleOfEntrySize) {
  RawElf Elf(readBytes(LibC));
  const std::size_t Dynsym = Elf.sectionIndex(".dynsym");
  Elf.putSectionField<Elf64_Xword>(Dynsym, offsetof(Elf64_Shdr, sh_size),
                                   Elf.section(Dynsym).sh_size - 1);
  const std::string Path = writeScratch("dynsym-size.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("not a multiple of its sh_entsize"));
}

TEST(ElfFileBadInputTest, SymbolNameOffsetPastItsStringTable) {
  RawElf Elf(readBytes(LibC));
  Elf.put<Elf64_Word>(Elf.dynamicSymbolOffset(1) + offsetof(Elf64_Sym, st_name), 0x7ffffff0);
  const std::string Path = writeScratch("st-name.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("name offset 0x7ffffff0 of symbol 1"));
  EXPECT_THAT(Message, HasSubstr("past the end of string table"));
}

TEST(ElfFileBadInputTest, SymbolTableLinkOutsideTheSectionTable) {
  RawElf Elf(readBytes(LibC));
  Elf.putSectionField<Elf64_Word>(Elf.sectionIndex(".dynsym"), offsetof(Elf64_Shdr, sh_link),
                                  0xffff);
  const std::string Path = writeScratch("dynsym-link.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(.dynsym) has sh_link 65535, outside the section table"));
}

TEST(ElfFileBadInputTest, SymbolSectionIndexOutsideTheSectionTable) {
  RawElf Elf(readBytes(LibC));
  const std::size_t Index = Elf.dynamicSymbolIndex("realpath");
  Elf.put<Elf64_Section>(Elf.dynamicSymbolOffset(Index) + offsetof(Elf64_Sym, st_shndx), 0xfe00);
  const std::string Path = writeScratch("st-shndx.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("symbol realpath"));
  EXPECT_THAT(Message, HasSubstr("section index 65024, outside the section table"));
}

TEST(ElfFileBadInputTest, VersionIndexOutOfRange) {
  RawElf Elf(readBytes(LibC));
  const std::size_t Index = Elf.dynamicSymbolIndex("realpath");
  const Elf64_Shdr Versym = Elf.section(Elf.sectionIndex(".gnu.version"));
  Elf.put<Elf64_Half>(Versym.sh_offset + Index * sizeof(Elf64_Half), 0x7ffe);
  const std::string Path = writeScratch("versym.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("symbol realpath has version index 32766"));
  EXPECT_THAT(Message, HasSubstr("out of range"));
}

TEST(ElfFileBadInputTest, VersionDefinitionChainLeavesItsSection) {
  RawElf Elf(readBytes(LibC));
  const Elf64_Shdr Verdef = Elf.section(Elf.sectionIndex(".gnu.version_d"));
  Elf.put<Elf64_Word>(Verdef.sh_offset + offsetof(Elf64_Verdef, vd_next), 0x7ffffff0);
  const std::string Path = writeScratch("verdef-next.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("version definition 1 at offset 0x7ffffff0 lies outside"));
}

TEST(ElfFileBadInputTest, VersionSectionSizeDisagreesWithSymbolCount) {
  RawElf Elf(readBytes(LibC));
  const std::size_t Versym = Elf.sectionIndex(".gnu.version");
  Elf.putSectionField<Elf64_Xword>(Versym, offsetof(Elf64_Shdr, sh_size),
                                   Elf.section(Versym).sh_size - 2);
  const std::string Path = writeScratch("versym-size.so", Elf.Bytes);
  const std::string Message = readError(Path);
  EXPECT_THAT(Message, HasSubstr(Path));
  EXPECT_THAT(Message, HasSubstr("(.gnu.version) has sh_size"));
}

// Every prefix length and thousands of single-byte corruptions of the parts
// the reader interprets: each read either succeeds or fails naming the
// buffer, and none crashes (run under ASan to catch silent overreads). The
// library is glibc's 14 KB libpthread stub, which has every table the reader
// interprets (.dynsym, .dynamic and the three version sections) in a few
// pages: each corruption lands in what is read, and a read takes
// microseconds, where libc's 2 MB took milliseconds.
TEST(ElfFileBadInputTest, CorruptionSweepNeverCrashes) {
  RawElf Elf(readBytes(SmallVersionedLibrary));
  const std::string Name = "corrupted-libpthread.so.0";
  auto Check = [&](std::string_view Bytes) {
    auto File = ElfFile::readBuffer(Bytes, Name);
    if (!File) {
      EXPECT_THAT(pysym::toString(File.takeError()), HasSubstr(Name + ": "));
    }
  };
  for (std::size_t Size = 0; Size < Elf.Bytes.size(); Size += Size < 1024 ? 1 : 61)
    Check(std::string_view(Elf.Bytes).substr(0, Size));

  std::vector<std::pair<std::size_t, std::size_t>> Regions = {
      {0, sizeof(Elf64_Ehdr)},
      {Elf.header().e_shoff, Elf.header().e_shnum * sizeof(Elf64_Shdr)}};
  for (const char *Section :
       {".dynsym", ".gnu.version", ".gnu.version_d", ".gnu.version_r", ".dynamic"}) {
    const Elf64_Shdr S = Elf.section(Elf.sectionIndex(Section));
    Regions.emplace_back(S.sh_offset, std::min<std::size_t>(S.sh_size, 4096));
  }
  std::mt19937 Random(20240611);
  for (int I = 0; I < 10000; ++I) {
    const auto &[Start, Length] = Regions[Random() % Regions.size()];
    const std::size_t Offset = Start + Random() % Length;
    const char Saved = Elf.Bytes[Offset];
    Elf.Bytes[Offset] = static_cast<char>(Random());
    Check(Elf.Bytes);
    Elf.Bytes[Offset] = Saved;
  }
}

}  // namespace
}  // namespace pysym::symtab
