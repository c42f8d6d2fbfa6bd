// Tests the one mapping from ELF's STT_*, STB_* and STV_* constants, the
// string-table reader and the GNU version-chain walks, on every constant and
// on bytes laid out by hand, each made wrong in one field.
#include "pysym/symtab/elf_vocabulary.h"

#include <elf.h>

#include <cstring>
#include <initializer_list>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace pysym::symtab {
namespace {

using namespace std::string_view_literals;

// --- Types, bindings, visibilities --------------------------------------------

TEST(ElfVocabularyTest, EverySymbolTypeConstantMaps) {
  const std::pair<unsigned, SymbolType> Known[] = {
      {STT_NOTYPE, SymbolType::NoType},   {STT_OBJECT, SymbolType::Object},
      {STT_FUNC, SymbolType::Function},   {STT_SECTION, SymbolType::Section},
      {STT_FILE, SymbolType::File},       {STT_COMMON, SymbolType::Common},
      {STT_TLS, SymbolType::ThreadLocal}, {STT_GNU_IFUNC, SymbolType::GnuIndirectFunction}};
  std::set<unsigned> Named;
  for (const auto &[Constant, Type] : Known) {
    Named.insert(Constant);
    // The binding in st_info's high bits does not change the type.
    for (unsigned Binding : std::initializer_list<unsigned>{STB_LOCAL, STB_GLOBAL, STB_WEAK, 15})
      EXPECT_EQ(symbolType(ELF64_ST_INFO(Binding, Constant)), Type) << Constant;
  }
  // The rest of the 4-bit field: STT_NUM, the OS range but GNU's IFUNC, and
  // the processor range.
  for (unsigned Constant = 0; Constant < 16; ++Constant) {
    if (!Named.count(Constant)) {
      EXPECT_EQ(symbolType(ELF64_ST_INFO(STB_GLOBAL, Constant)), SymbolType::Unknown) << Constant;
    }
  }
}

TEST(ElfVocabularyTest, EveryBindingConstantMaps) {
  const std::pair<unsigned, SymbolBinding> Known[] = {{STB_LOCAL, SymbolBinding::Local},
                                                      {STB_GLOBAL, SymbolBinding::Global},
                                                      {STB_WEAK, SymbolBinding::Weak},
                                                      {STB_GNU_UNIQUE, SymbolBinding::GnuUnique}};
  std::set<unsigned> Named;
  for (const auto &[Constant, Binding] : Known) {
    Named.insert(Constant);
    for (unsigned Type : std::initializer_list<unsigned>{STT_NOTYPE, STT_FUNC, STT_GNU_IFUNC, 15})
      EXPECT_EQ(symbolBinding(ELF64_ST_INFO(Constant, Type)), Binding) << Constant;
  }
  for (unsigned Constant = 0; Constant < 16; ++Constant) {
    if (!Named.count(Constant)) {
      EXPECT_EQ(symbolBinding(ELF64_ST_INFO(Constant, STT_FUNC)), SymbolBinding::Unknown)
          << Constant;
    }
  }
}

TEST(ElfVocabularyTest, EveryVisibilityConstantMapsAndOtherBitsAreIgnored) {
  const std::pair<unsigned, SymbolVisibility> Known[] = {
      {STV_DEFAULT, SymbolVisibility::Default},
      {STV_INTERNAL, SymbolVisibility::Internal},
      {STV_HIDDEN, SymbolVisibility::Hidden},
      {STV_PROTECTED, SymbolVisibility::Protected}};
  for (const auto &[Constant, Visibility] : Known)
    for (unsigned High = 0; High < 64; ++High)  // st_other's other 6 bits
      EXPECT_EQ(symbolVisibility(static_cast<unsigned char>(High << 2 | Constant)), Visibility)
          << Constant << " " << High;
}

TEST(ElfVocabularyTest, OnlyGlobalWeakAndUniqueBindAcrossImages) {
  EXPECT_TRUE(bindsAcrossImages(SymbolBinding::Global));
  EXPECT_TRUE(bindsAcrossImages(SymbolBinding::Weak));
  EXPECT_TRUE(bindsAcrossImages(SymbolBinding::GnuUnique));
  EXPECT_FALSE(bindsAcrossImages(SymbolBinding::Local));
  EXPECT_FALSE(bindsAcrossImages(SymbolBinding::Unknown));
}

TEST(ElfVocabularyTest, EveryValueHasItsOwnName) {
  std::set<std::string_view> Types, Bindings, Visibilities;
  for (unsigned Constant = 0; Constant < 16; ++Constant) {
    Types.insert(toString(symbolType(static_cast<unsigned char>(Constant))));
    Bindings.insert(toString(symbolBinding(static_cast<unsigned char>(Constant << 4))));
  }
  for (unsigned Constant = 0; Constant < 4; ++Constant)
    Visibilities.insert(toString(symbolVisibility(static_cast<unsigned char>(Constant))));
  EXPECT_EQ(Types, (std::set<std::string_view>{"notype", "object", "function", "section", "file",
                                               "common", "tls", "ifunc", "unknown"}));
  EXPECT_EQ(Bindings,
            (std::set<std::string_view>{"local", "global", "weak", "unique", "unknown"}));
  EXPECT_EQ(Visibilities,
            (std::set<std::string_view>{"default", "internal", "hidden", "protected"}));
}

// --- String tables --------------------------------------------------------------

TEST(ElfVocabularyTest, StringsAreReadWithinTheirTable) {
  const std::string_view Table("\0abc\0de", 7);
  EXPECT_EQ(readString(Table, 0).Text, "");
  EXPECT_EQ(readString(Table, 1).Text, "abc");
  EXPECT_EQ(readString(Table, 2).Text, "bc");
  EXPECT_EQ(readString(Table, 4).Problem, ElfString::Defect::None);
  EXPECT_EQ(readString(Table, 5).Problem, ElfString::Defect::Unterminated);
  EXPECT_EQ(readString(Table, 7).Problem, ElfString::Defect::PastTheEnd);
  EXPECT_EQ(readString(Table, UINT64_MAX).Problem, ElfString::Defect::PastTheEnd);
  EXPECT_EQ(readString({}, 0).Problem, ElfString::Defect::PastTheEnd);
}

// --- Version chains ---------------------------------------------------------------

// "\0lib.so\0V1\0V2\0libc.so.6\0GLIBC_2.2.5\0"
constexpr std::string_view Strings("\0lib.so\0V1\0V2\0libc.so.6\0GLIBC_2.2.5\0", 36);
constexpr std::uint32_t LibName = 1, V1Name = 8, V2Name = 11, LibcName = 14, GlibcName = 24;

// Appends `Value`'s bytes to `Bytes`.
template <typename T> void append(std::string &Bytes, const T &Value) {
  Bytes.append(reinterpret_cast<const char *>(&Value), sizeof(Value));
}

// Definitions laid out as linkers do: each entry followed by its one name.
struct Definition {
  std::uint16_t Index;
  std::uint32_t Name;
  bool Base = false;
};
std::string definitions(std::initializer_list<Definition> Entries) {
  std::string Bytes;
  std::size_t Left = Entries.size();
  for (const Definition &Entry : Entries) {
    Elf64_Verdef D{};
    D.vd_version = VER_DEF_CURRENT;
    D.vd_flags = Entry.Base ? VER_FLG_BASE : 0;
    D.vd_ndx = Entry.Index;
    D.vd_cnt = 1;
    D.vd_aux = sizeof(Elf64_Verdef);
    D.vd_next = --Left ? sizeof(Elf64_Verdef) + sizeof(Elf64_Verdaux) : 0;
    append(Bytes, D);
    append(Bytes, Elf64_Verdaux{Entry.Name, 0});
  }
  return Bytes;
}
constexpr std::size_t DefinitionSize = sizeof(Elf64_Verdef) + sizeof(Elf64_Verdaux);

// One file needing GLIBC_2.2.5 (index 3) and V2 (index 4) of it.
std::string requirements() {
  std::string Bytes;
  Elf64_Verneed N{};
  N.vn_version = VER_NEED_CURRENT;
  N.vn_cnt = 2;
  N.vn_file = LibcName;
  N.vn_aux = sizeof(Elf64_Verneed);
  append(Bytes, N);
  append(Bytes, Elf64_Vernaux{0, 0, 3, GlibcName, sizeof(Elf64_Vernaux)});
  append(Bytes, Elf64_Vernaux{0, 0, 4, V2Name, 0});
  return Bytes;
}

// Overwrites one field at `Offset` of `Bytes`.
template <typename T> void put(std::string &Bytes, std::size_t Offset, T Value) {
  std::memcpy(&Bytes[Offset], &Value, sizeof(Value));
}

std::vector<std::pair<std::uint16_t, std::string_view>> versions(const VersionChain &Chain) {
  std::vector<std::pair<std::uint16_t, std::string_view>> Result;
  for (const NamedVersion &Version : Chain.Versions)
    Result.emplace_back(Version.Index, Version.Name);
  return Result;
}

using Versions = std::vector<std::pair<std::uint16_t, std::string_view>>;

TEST(VersionChainTest, DefinitionsLeaveOutTheBaseAndMaskTheHiddenBit) {
  const std::string Bytes = definitions({{1, LibName, true}, {2, V1Name}, {0x8003, V2Name}});
  const VersionChain Chain = readVersionDefinitions(Bytes, 3, Strings);
  EXPECT_FALSE(Chain.Defect);
  EXPECT_EQ(versions(Chain), (Versions{{2, "V1"}, {3, "V2"}}));
}

TEST(VersionChainTest, DefinitionsStopAtTheirCountOrAZeroNext) {
  const std::string Bytes = definitions({{1, LibName, true}, {2, V1Name}, {3, V2Name}});
  EXPECT_EQ(versions(readVersionDefinitions(Bytes, 2, Strings)), (Versions{{2, "V1"}}));
  EXPECT_TRUE(readVersionDefinitions(Bytes, 0, Strings).Versions.empty());
  // A count past the chain's end is bounded by vd_next == 0.
  EXPECT_EQ(readVersionDefinitions(Bytes, UINT64_MAX, Strings).Versions.size(), 2u);
}

TEST(VersionChainTest, ChainsNeedNoAlignment) {
  const std::string Bytes = "x" + definitions({{2, V1Name}});
  const VersionChain Chain = readVersionDefinitions(std::string_view(Bytes).substr(1), 1, Strings);
  EXPECT_FALSE(Chain.Defect);
  EXPECT_EQ(versions(Chain), (Versions{{2, "V1"}}));
}

TEST(VersionChainTest, NextLeavingTheBytesIsADefect) {
  std::string Bytes = definitions({{1, LibName, true}, {2, V1Name}});
  put<std::uint32_t>(Bytes, offsetof(Elf64_Verdef, vd_next), 0x7ffffff0);
  const VersionChain Chain = readVersionDefinitions(Bytes, 2, Strings);
  ASSERT_TRUE(Chain.Defect);
  EXPECT_EQ(Chain.Defect->What, VersionChainDefect::Kind::EntryOutside);
  EXPECT_EQ(Chain.Defect->describe("section 7 (.gnu.version_d)"),
            "version definition 1 at offset 0x7ffffff0 lies outside section 7 (.gnu.version_d)");
}

TEST(VersionChainTest, TruncatedEntryIsADefect) {
  const std::string Bytes = definitions({{2, V1Name}});
  for (std::size_t Size : {std::size_t(0), sizeof(Elf64_Verdef) - 1, DefinitionSize - 1}) {
    const VersionChain Chain = readVersionDefinitions(std::string_view(Bytes).substr(0, Size), 1,
                                                      Strings);
    ASSERT_TRUE(Chain.Defect) << Size;
    EXPECT_EQ(Chain.Defect->What, VersionChainDefect::Kind::EntryOutside) << Size;
  }
}

TEST(VersionChainTest, AuxiliaryOffsetLeavingTheBytesIsADefect) {
  std::string Bytes = definitions({{2, V1Name}});
  put<std::uint32_t>(Bytes, offsetof(Elf64_Verdef, vd_aux), 0xffffffff);
  const VersionChain Chain = readVersionDefinitions(Bytes, 1, Strings);
  ASSERT_TRUE(Chain.Defect);
  EXPECT_EQ(Chain.Defect->What, VersionChainDefect::Kind::EntryOutside);
  EXPECT_EQ(Chain.Defect->Entry, "version definition name");
  EXPECT_EQ(Chain.Defect->Offset, 0xffffffffu);
}

TEST(VersionChainTest, DefinitionWithoutANameIsADefect) {
  std::string Bytes = definitions({{2, V1Name}});
  put<std::uint16_t>(Bytes, offsetof(Elf64_Verdef, vd_cnt), 0);
  const VersionChain Chain = readVersionDefinitions(Bytes, 1, Strings);
  ASSERT_TRUE(Chain.Defect);
  EXPECT_EQ(Chain.Defect->What, VersionChainDefect::Kind::NoName);
  EXPECT_EQ(Chain.Defect->describe("DT_VERDEF"),
            "version definition 0 at offset 0x0 of DT_VERDEF has no name (vd_cnt is 0)");
}

TEST(VersionChainTest, UnknownLayoutVersionIsADefect) {
  std::string Definitions = definitions({{2, V1Name}});
  put<std::uint16_t>(Definitions, offsetof(Elf64_Verdef, vd_version), 2);
  const VersionChain FromDefinitions = readVersionDefinitions(Definitions, 1, Strings);
  ASSERT_TRUE(FromDefinitions.Defect);
  EXPECT_EQ(FromDefinitions.Defect->What, VersionChainDefect::Kind::UnknownLayout);
  EXPECT_EQ(FromDefinitions.Defect->Value, 2u);

  std::string Requirements = requirements();
  put<std::uint16_t>(Requirements, offsetof(Elf64_Verneed, vn_version), 0);
  const VersionChain FromRequirements = readVersionRequirements(Requirements, 1, Strings);
  ASSERT_TRUE(FromRequirements.Defect);
  EXPECT_EQ(FromRequirements.Defect->What, VersionChainDefect::Kind::UnknownLayout);
}

TEST(VersionChainTest, BadNameOffsetsAreDefects) {
  std::string PastTheEnd = definitions({{2, V1Name}});
  put<std::uint32_t>(PastTheEnd, sizeof(Elf64_Verdef) + offsetof(Elf64_Verdaux, vda_name),
                     std::uint32_t(Strings.size()));
  const VersionChain Past = readVersionDefinitions(PastTheEnd, 1, Strings);
  ASSERT_TRUE(Past.Defect);
  EXPECT_EQ(Past.Defect->What, VersionChainDefect::Kind::NamePastTheEnd);
  EXPECT_EQ(Past.Defect->Value, Strings.size());

  // The same table cut inside "V1" leaves the name unterminated.
  const VersionChain Cut =
      readVersionDefinitions(definitions({{2, V1Name}}), 1, Strings.substr(0, V1Name + 1));
  ASSERT_TRUE(Cut.Defect);
  EXPECT_EQ(Cut.Defect->What, VersionChainDefect::Kind::UnterminatedName);
}

TEST(VersionChainTest, RequirementsNameEveryVersionOfEveryFile) {
  const std::string OneFile = requirements();
  std::string TwoFiles = OneFile + OneFile;
  put<std::uint32_t>(TwoFiles, offsetof(Elf64_Verneed, vn_next), std::uint32_t(OneFile.size()));
  put<std::uint16_t>(TwoFiles, OneFile.size() + sizeof(Elf64_Verneed) +
                                   offsetof(Elf64_Vernaux, vna_other), 0x8005);
  const VersionChain Chain = readVersionRequirements(TwoFiles, 2, Strings);
  EXPECT_FALSE(Chain.Defect);
  EXPECT_EQ(versions(Chain), (Versions{{3, "GLIBC_2.2.5"}, {4, "V2"}, {5, "GLIBC_2.2.5"}, {4, "V2"}}));
  EXPECT_EQ(readVersionRequirements(TwoFiles, 1, Strings).Versions.size(), 2u);
}

TEST(VersionChainTest, RequiredVersionLeavingTheBytesIsADefect) {
  std::string Bytes = requirements();
  put<std::uint32_t>(Bytes, sizeof(Elf64_Verneed) + offsetof(Elf64_Vernaux, vna_next), 0x1000);
  const VersionChain Chain = readVersionRequirements(Bytes, 1, Strings);
  ASSERT_TRUE(Chain.Defect);
  EXPECT_EQ(Chain.Defect->What, VersionChainDefect::Kind::EntryOutside);
  EXPECT_EQ(Chain.Defect->describe("DT_VERNEED"),
            "required version 1 at offset 0x1010 lies outside DT_VERNEED");
  EXPECT_EQ(versions(Chain), (Versions{{3, "GLIBC_2.2.5"}}));  // those before the defect
}

TEST(VersionChainTest, WalksStopAtMaxVersionEntries) {
  // MaxVersionEntries + 1 definitions, each with its own name entry, and a
  // count that does not stop them: only the index field's range does.
  std::string Bytes;
  for (std::uint64_t I = 0; I <= MaxVersionEntries; ++I)
    Bytes += definitions({{2, V1Name}, {2, V1Name}}).substr(0, DefinitionSize);
  const VersionChain Chain = readVersionDefinitions(Bytes, UINT64_MAX, Strings);
  EXPECT_FALSE(Chain.Defect);
  EXPECT_EQ(Chain.Versions.size(), MaxVersionEntries);
}

// --- Version tables ------------------------------------------------------------------

TEST(VersionTableTest, SymbolVersionsFollowGlibc) {
  VersionTable Table;
  Table.add({{2, "V1"}, {3, "V2"}});
  Table.add({{3, "ignored"}, {4, "GLIBC_2.2.5"}});  // the first version of an index stays

  for (std::uint16_t Unversioned : {0, 1, 0x8000, 0x8001})
    EXPECT_EQ(Table.versionOf(Unversioned, true)->Name, "") << Unversioned;
  EXPECT_EQ(Table.versionOf(3, true)->Name, "V2");
  EXPECT_TRUE(Table.versionOf(2, true)->IsDefault);
  EXPECT_FALSE(Table.versionOf(0x8002, true)->IsDefault);
  // A required version: default when defined (a copy relocation), never
  // for an undefined reference.
  EXPECT_TRUE(Table.versionOf(4, true)->IsDefault);
  EXPECT_FALSE(Table.versionOf(4, false)->IsDefault);
  EXPECT_FALSE(Table.versionOf(5, true));
  EXPECT_FALSE(Table.versionOf(0x7fff, true));
  EXPECT_EQ(versionIndex(0xfffe), 0x7ffe);
}

}  // namespace
}  // namespace pysym::symtab
