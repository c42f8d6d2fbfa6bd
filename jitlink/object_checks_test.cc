#include "pysym/jitlink/object_checks.h"

#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include "pysym/jitlink/testing/object_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using Elf = llvm::object::ELF64LE;

// Calls an external function and loads external data, in a given model.
constexpr const char *Kernel = R"(
@PyExc_TypeError = external global i8*
declare i8* @PyLong_FromLong(i64)
define i8* @kernel() {
  %class = load i8*, i8** @PyExc_TypeError
  %v = call i8* @PyLong_FromLong(i64 1)
  ret i8* %class
}
)";

std::vector<std::uint8_t> compiled(llvm::CodeModel::Model Code, llvm::Reloc::Model Relocation) {
  auto Object = compileToObject(Kernel, Code, Relocation);
  EXPECT_TRUE(succeeded(Object));
  return Object ? *Object : std::vector<std::uint8_t>();
}

llvm::Error check(const std::vector<std::uint8_t> &Bytes, Linker For) {
  return checkObject(llvm::MemoryBufferRef(llvm::toStringRef(Bytes), "kernel.o"), For);
}

// The section headers of `Bytes`, which must be a well-formed object.
llvm::MutableArrayRef<Elf::Shdr> sectionHeaders(std::vector<std::uint8_t> &Bytes) {
  auto *Header = reinterpret_cast<Elf::Ehdr *>(Bytes.data());
  return {reinterpret_cast<Elf::Shdr *>(Bytes.data() + Header->e_shoff), Header->e_shnum};
}

// The header of the first section of `Type`, as a pointer into `Bytes`.
Elf::Shdr *sectionOfType(std::vector<std::uint8_t> &Bytes, std::uint32_t Type) {
  for (Elf::Shdr &Section : sectionHeaders(Bytes))
    if (Section.sh_type == Type)
      return &Section;
  return nullptr;
}

Elf::Rela *firstRelocation(std::vector<std::uint8_t> &Bytes) {
  Elf::Shdr *Table = sectionOfType(Bytes, llvm::ELF::SHT_RELA);
  return Table ? reinterpret_cast<Elf::Rela *>(Bytes.data() + Table->sh_offset) : nullptr;
}

// The symbol table's entries, or none.
llvm::MutableArrayRef<Elf::Sym> symbolTable(std::vector<std::uint8_t> &Bytes) {
  Elf::Shdr *Table = sectionOfType(Bytes, llvm::ELF::SHT_SYMTAB);
  if (!Table)
    return {};
  return {reinterpret_cast<Elf::Sym *>(Bytes.data() + Table->sh_offset),
          static_cast<std::size_t>(Table->sh_size / sizeof(Elf::Sym))};
}

// Where the symbol table's names are, as a pointer into `Bytes`.
char *symbolNames(std::vector<std::uint8_t> &Bytes) {
  Elf::Shdr *Table = sectionOfType(Bytes, llvm::ELF::SHT_SYMTAB);
  return reinterpret_cast<char *>(Bytes.data() + sectionHeaders(Bytes)[Table->sh_link].sh_offset);
}

// The symbol table entry named `Name`, as a pointer into `Bytes`, or null.
Elf::Sym *symbolNamed(std::vector<std::uint8_t> &Bytes, llvm::StringRef Name) {
  for (Elf::Sym &Symbol : symbolTable(Bytes))
    if (Name == symbolNames(Bytes) + Symbol.st_name)
      return &Symbol;
  return nullptr;
}

// The first symbol table entry of `Type`, as a pointer into `Bytes`, or null.
Elf::Sym *firstSymbolOfType(std::vector<std::uint8_t> &Bytes, unsigned Type) {
  for (Elf::Sym &Symbol : symbolTable(Bytes))
    if (Symbol.getType() == Type)
      return &Symbol;
  return nullptr;
}

// The header of the section that defines the symbol `Name`, or null.
Elf::Shdr *sectionDefining(std::vector<std::uint8_t> &Bytes, llvm::StringRef Name) {
  auto Sections = sectionHeaders(Bytes);
  Elf::Sym *Symbol = symbolNamed(Bytes, Name);
  return Symbol && Symbol->st_shndx < Sections.size() ? &Sections[Symbol->st_shndx] : nullptr;
}

TEST(ObjectChecksTest, AcceptsWhatEachLinkerLinksCorrectly) {
  EXPECT_TRUE(succeeded(check(compiled(llvm::CodeModel::Large, llvm::Reloc::Static),
                              Linker::RuntimeDyld)));
  EXPECT_TRUE(succeeded(check(compiled(llvm::CodeModel::Small, llvm::Reloc::PIC_),
                              Linker::JITLink)));
  // Large-model code links with JITLink too.
  EXPECT_TRUE(succeeded(check(compiled(llvm::CodeModel::Large, llvm::Reloc::Static),
                              Linker::JITLink)));
}

TEST(ObjectChecksTest, RefusesRuntimeDyldRelocationsItWouldTruncate) {
  // Without dso_local even static code reaches external data through the
  // GOT, which RuntimeDyld builds next to the code: fine.
  EXPECT_TRUE(succeeded(check(compiled(llvm::CodeModel::Small, llvm::Reloc::Static),
                              Linker::RuntimeDyld)));
  // dso_local data in the small model: a 32-bit displacement or address.
  for (const char *IR : {"@d = external dso_local global i8*\n"
                         "define i8* @f() {\n  %v = load i8*, i8** @d\n  ret i8* %v\n}\n",
                         "@d = external dso_local global i8\n"
                         "define i8* @f() {\n  ret i8* @d\n}\n"}) {
    auto Object = compileToObject(IR, llvm::CodeModel::Small, llvm::Reloc::Static);
    ASSERT_TRUE(succeeded(Object));
    EXPECT_TRUE(failedWith(check(*Object, Linker::RuntimeDyld), "silently truncate"));
    // JITLink range-checks such fixups itself.
    EXPECT_TRUE(succeeded(check(*Object, Linker::JITLink)));
  }
}

TEST(ObjectChecksTest, RefusesWhatIsNotAnX8664RelocatableElfObject) {
  auto Good = compiled(llvm::CodeModel::Large, llvm::Reloc::Static);
  std::vector<std::uint8_t> Text = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_TRUE(failedWith(check(Text, Linker::JITLink), "object 'kernel.o'"));
  std::vector<std::uint8_t> Truncated(Good.begin(), Good.begin() + Good.size() / 2);
  EXPECT_TRUE(failedWith(check(Truncated, Linker::JITLink), "object 'kernel.o'"));
  auto Arm = Good;
  reinterpret_cast<Elf::Ehdr *>(Arm.data())->e_machine = llvm::ELF::EM_AARCH64;
  EXPECT_TRUE(failedWith(check(Arm, Linker::JITLink), "is not x86-64"));
  auto Shared = Good;
  reinterpret_cast<Elf::Ehdr *>(Shared.data())->e_type = llvm::ELF::ET_DYN;
  EXPECT_TRUE(failedWith(check(Shared, Linker::JITLink), "not a relocatable object"));
  auto ThirtyTwoBit = Good;
  ThirtyTwoBit[llvm::ELF::EI_CLASS] = llvm::ELF::ELFCLASS32;
  EXPECT_TRUE(failedWith(check(ThirtyTwoBit, Linker::JITLink), "object 'kernel.o'"));
}

TEST(ObjectChecksTest, RefusesMalformedTablesAndRelocations) {
  auto Good = compiled(llvm::CodeModel::Large, llvm::Reloc::Static);

  auto BadSymbol = Good;
  Elf::Rela *Relocation = firstRelocation(BadSymbol);
  ASSERT_NE(Relocation, nullptr);
  Relocation->setSymbolAndType(100000, Relocation->getType(false), false);
  EXPECT_TRUE(failedWith(check(BadSymbol, Linker::RuntimeDyld), "refers to symbol #100000"));

  // LLVM 14's JITLink crashed on it.
  auto NoSymbol = Good;
  Relocation = firstRelocation(NoSymbol);
  Relocation->setSymbolAndType(0, Relocation->getType(false), false);
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(NoSymbol, For), "names no symbol (index 0)"));

  // RuntimeDyld placed it at 0.
  auto Reserved = Good;
  Elf::Sym *Kernel = symbolNamed(Reserved, "kernel");
  ASSERT_NE(Kernel, nullptr);
  Kernel->st_shndx = 0xfffe;
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(Reserved, For), "symbol kernel is in the reserved section index fffe"));

  // RuntimeDyld divided by a common
  // symbol's alignment of 0.
  for (std::uint16_t Index : {std::uint16_t(llvm::ELF::SHN_COMMON), std::uint16_t(2)}) {
    auto Common = Good;
    Elf::Sym *Symbol = symbolNamed(Common, "kernel");
    ASSERT_NE(Symbol, nullptr);
    Symbol->setType(llvm::ELF::STT_COMMON);
    Symbol->st_shndx = Index;
    Symbol->st_value = 0;
    EXPECT_TRUE(failedWith(check(Common, Linker::RuntimeDyld),
                           Index == llvm::ELF::SHN_COMMON ? "is common with alignment 0"
                                                          : "has type STT_COMMON outside SHN_COMMON"));
  }

  // RuntimeDyld gave a section symbol
  // of binding 4 address 0.
  auto Binding = Good;
  symbolNamed(Binding, "kernel")->setBinding(4);
  EXPECT_TRUE(failedWith(check(Binding, Linker::JITLink), "symbol kernel has binding 4"));
  auto GlobalSection = Good;
  Elf::Sym *Section = firstSymbolOfType(GlobalSection, llvm::ELF::STT_SECTION);
  ASSERT_NE(Section, nullptr);
  Section->setBinding(llvm::ELF::STB_GLOBAL);
  EXPECT_TRUE(failedWith(check(GlobalSection, Linker::RuntimeDyld),
                         "is a section or file symbol that is not local"));
  // RuntimeDyld reached
  // report_fatal_error on relocations against an undefined section symbol.
  auto UndefinedSection = Good;
  firstSymbolOfType(UndefinedSection, llvm::ELF::STT_SECTION)->st_shndx = llvm::ELF::SHN_UNDEF;
  EXPECT_TRUE(failedWith(check(UndefinedSection, Linker::RuntimeDyld),
                         "is a section symbol outside any section"));

  // JITLink gave a global at the end of
  // its (empty) section address 0.
  auto AtTheEnd = Good;
  Elf::Sym *Last = symbolNamed(AtTheEnd, "kernel");
  ASSERT_NE(Last, nullptr);
  Last->st_value = sectionDefining(AtTheEnd, "kernel")->sh_size;
  Last->st_size = 0;
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(AtTheEnd, For), "does not lie inside"));
  auto PastTheEnd = Good;
  symbolNamed(PastTheEnd, "kernel")->st_size = 1u << 20;
  EXPECT_TRUE(failedWith(check(PastTheEnd, Linker::JITLink), "symbol kernel (offset 0, size 1048576)"));

  // RuntimeDyld looked "\1" up at 0.
  auto Marker = Good;
  Elf::Sym *Marked = symbolNamed(Marker, "kernel");
  ASSERT_NE(Marked, nullptr);
  symbolNames(Marker)[Marked->st_name] = 1;  // "\1ernel"
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(Marker, For), "starts with byte 1"));
  auto Unnamed = Good;
  symbolNamed(Unnamed, "kernel")->st_name = 0;
  EXPECT_TRUE(failedWith(check(Unnamed, Linker::JITLink), "is a global definition without a name"));

  // RuntimeDyld wrote into the bytes
  // of a section that has none.
  auto NoBits = Good;
  sectionDefining(NoBits, "kernel")->sh_type = llvm::ELF::SHT_NOBITS;
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(NoBits, For), "which holds no bytes (SHT_NOBITS)"));
  // Loaded or not.
  sectionDefining(NoBits, "kernel")->sh_flags = 0;
  EXPECT_TRUE(failedWith(check(NoBits, Linker::RuntimeDyld), "which holds no bytes (SHT_NOBITS)"));

  auto BadOffset = Good;
  firstRelocation(BadOffset)->r_offset = 1u << 30;
  EXPECT_TRUE(failedWith(check(BadOffset, Linker::JITLink), "outside its section"));

  auto BadType = Good;
  Relocation = firstRelocation(BadType);
  Relocation->setSymbolAndType(Relocation->getSymbol(false), llvm::ELF::R_X86_64_TPOFF32, false);
  EXPECT_TRUE(failedWith(check(BadType, Linker::JITLink), "R_X86_64_TPOFF32"));

  auto BadLink = Good;
  sectionOfType(BadLink, llvm::ELF::SHT_RELA)->sh_link = 999;
  EXPECT_TRUE(failedWith(check(BadLink, Linker::JITLink), "symbol table"));

  auto Rel = Good;
  sectionOfType(Rel, llvm::ELF::SHT_RELA)->sh_type = llvm::ELF::SHT_REL;
  EXPECT_TRUE(failedWith(check(Rel, Linker::JITLink), "object 'kernel.o'"));

  auto PastEnd = Good;
  sectionOfType(PastEnd, llvm::ELF::SHT_SYMTAB)->sh_offset = 1u << 30;
  EXPECT_TRUE(failedWith(check(PastEnd, Linker::JITLink), "object 'kernel.o'"));

  auto Misaligned = Good;
  Elf::Shdr *Text = sectionOfType(Misaligned, llvm::ELF::SHT_PROGBITS);
  ASSERT_NE(Text, nullptr);
  Text->sh_addralign = 24;
  EXPECT_TRUE(failedWith(check(Misaligned, Linker::JITLink), "alignment 24"));

  auto Huge = Good;
  sectionOfType(Huge, llvm::ELF::SHT_PROGBITS)->sh_type = llvm::ELF::SHT_NOBITS;
  sectionOfType(Huge, llvm::ELF::SHT_NOBITS)->sh_size = std::uint64_t(1) << 40;
  EXPECT_TRUE(failedWith(check(Huge, Linker::RuntimeDyld), "too large"));
}

TEST(ObjectChecksTest, RefusesAGlobalNamedLikeASectionForRuntimeDyld) {
  // RuntimeDyld knows a section symbol
  // by its section's name, and a global of that name looked up at 0. The
  // kernel takes the name of its own section (objects from LLVM keep
  // section and symbol names in one string table).
  auto NamedLikeASection = compiled(llvm::CodeModel::Large, llvm::Reloc::Static);
  Elf::Sym *Kernel = symbolNamed(NamedLikeASection, "kernel");
  ASSERT_NE(Kernel, nullptr);
  Elf::Shdr *Text = sectionDefining(NamedLikeASection, "kernel");
  ASSERT_NE(firstSymbolOfType(NamedLikeASection, llvm::ELF::STT_SECTION), nullptr);
  Kernel->st_name = Text->sh_name;
  EXPECT_TRUE(failedWith(check(NamedLikeASection, Linker::RuntimeDyld),
                         "is both local (or a section's) and global"));
  EXPECT_TRUE(succeeded(check(NamedLikeASection, Linker::JITLink)));
  // A section symbol with a name of its own goes by that name.
  auto SectionSymbolNamed = compiled(llvm::CodeModel::Large, llvm::Reloc::Static);
  firstSymbolOfType(SectionSymbolNamed, llvm::ELF::STT_SECTION)->st_name =
      symbolNamed(SectionSymbolNamed, "kernel")->st_name;
  EXPECT_TRUE(failedWith(check(SectionSymbolNamed, Linker::RuntimeDyld),
                         "symbol kernel is both local (or a section's) and global"));
}

// a linker places only loaded sections,
// so a kernel defined in one without SHF_ALLOC would look up at address 0.
TEST(ObjectChecksTest, RefusesWhatLivesInSectionsThatAreNotLoaded) {
  auto Unloaded = compiled(llvm::CodeModel::Large, llvm::Reloc::Static);
  Elf::Shdr *Text = sectionDefining(Unloaded, "kernel");
  ASSERT_NE(Text, nullptr);
  Text->sh_flags &= ~std::uint64_t(llvm::ELF::SHF_ALLOC);
  // The unwind table's relocations into it come first.
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(Unloaded, For),
                           "refers to a symbol in a section that is not loaded (no SHF_ALLOC)"));
  // Without them, the symbol itself.
  auto Sections = sectionHeaders(Unloaded);
  for (Elf::Shdr &Section : Sections)
    if (Section.sh_type == llvm::ELF::SHT_RELA && (Sections[Section.sh_info].sh_flags & llvm::ELF::SHF_ALLOC))
      Section.sh_type = llvm::ELF::SHT_PROGBITS;
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(Unloaded, For), "symbol kernel is global but defined in section ."));
}

// LLVM 14's JITLink follows an FDE's
// CIE pointer into .eh_frame without checking that a CIE is there.
TEST(ObjectChecksTest, RefusesUnwindTablesJitLinkWouldMisread) {
  const auto Good = compiled(llvm::CodeModel::Small, llvm::Reloc::PIC_);
  const auto EhFrame = [](std::vector<std::uint8_t> &Bytes) {
    Elf::Shdr *Section = sectionOfType(Bytes, llvm::ELF::SHT_X86_64_UNWIND);
    EXPECT_NE(Section, nullptr);
    return Section ? Bytes.data() + Section->sh_offset : nullptr;
  };
  // The kernel's table: a CIE at 0, then an FDE whose CIE pointer (at its
  // offset 4) leads back to it.
  auto Copy = Good;
  std::uint8_t *Table = EhFrame(Copy);
  ASSERT_NE(Table, nullptr);
  const std::uint32_t CieLength = llvm::support::endian::read32le(Table);
  const std::uint64_t Fde = 4 + CieLength;
  ASSERT_EQ(llvm::support::endian::read32le(Table + Fde + 4), Fde + 4);

  auto OneByteOff = Good;
  Table = EhFrame(OneByteOff);
  llvm::support::endian::write32le(Table + Fde + 4, Fde + 5);
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(OneByteOff, For), "is an FDE whose CIE pointer (" +
                                                       std::to_string(Fde + 5) +
                                                       ") does not lead to the start of an "
                                                       "earlier CIE"));
  auto TooLong = Good;
  llvm::support::endian::write32le(EhFrame(TooLong) + Fde, 1u << 20);
  EXPECT_TRUE(failedWith(check(TooLong, Linker::JITLink), "which does not fit"));
  // RuntimeDyld registered an
  // .eh_frame it had not loaded, at address 0, and libgcc crashed.
  auto Unloaded = Good;
  sectionOfType(Unloaded, llvm::ELF::SHT_X86_64_UNWIND)->sh_flags = 0;
  for (Linker For : {Linker::RuntimeDyld, Linker::JITLink})
    EXPECT_TRUE(failedWith(check(Unloaded, For), "is where the JIT linkers take unwind information"));
  auto Wide = Good;
  llvm::support::endian::write32le(EhFrame(Wide), 0xffffffffu);
  EXPECT_TRUE(failedWith(check(Wide, Linker::JITLink), "64-bit DWARF record"));
}

}  // namespace
}  // namespace pysym::testing
