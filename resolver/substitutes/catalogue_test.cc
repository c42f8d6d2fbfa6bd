// The catalogue's claims, checked against the real interpreter libraries' exports (no interpreter is started).
#include "resolver/substitutes/catalogue.h"

#include <sys/stat.h>

#include <set>

#include "gtest/gtest.h"
#include "resolver/substitutes/c_api.h"
#include "symtab/elf_file.h"
#include "third_party/llvm/compat.h"

namespace pysym::substitutes {
namespace {

constexpr const char *CPythonLibrary = "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";
constexpr const char *PyPyLibrary = "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";

// Names that are macros in CPython 3.11's headers too: nobody exports them.
const std::set<std::string> MacrosEverywhere = {"PyExceptionInstance_Check", "PyExceptionClass_Check",
                                                "Py_IS_NAN", "Py_IS_INFINITY", "Py_IS_FINITE"};

// Type objects CPython 3.11 exports and PyPy lacks that have no
// Python-visible counterpart, so no recipe can reach them.
const std::set<std::string> NoPythonCounterpart = {
    "PyCMethod_Type",         "PyModuleDef_Type",  "PyStdPrinter_Type",      "_PyAsyncGenWrappedValue_Type",
    "_PyBytesIOBuffer_Type", "_PyInterpreterID_Type", "_PyManagedBuffer_Type"};

std::string pypyAlias(llvm::StringRef Name) {
  if (llvm_compat::startsWith(Name, "Py"))
    return ("PyPy" + Name.drop_front(2)).str();
  if (llvm_compat::startsWith(Name, "_Py"))
    return ("_PyPy" + Name.drop_front(3)).str();
  return Name.str();
}

std::set<std::string> definedDynamicNames(const symtab::ElfFile &File) {
  std::set<std::string> Names;
  for (const symtab::Symbol &S : File.dynamicSymbols())
    if (S.Defined)
      Names.insert(S.Name);
  return Names;
}

TEST(CatalogueTest, NamesAreUniqueAndEachDefinitionIsComplete) {
  std::set<std::string> Seen;
  for (const CatalogueEntry &Entry : catalogueEntries()) {
    const Definition &Def = Entry.Def;
    EXPECT_TRUE(Seen.insert(Def.Name.str()).second) << "twice: " << Def.Name.str();
    EXPECT_FALSE(Def.Source.empty()) << Def.Name.str();
    EXPECT_EQ(Def.Source.find('\n'), llvm::StringRef::npos) << Def.Name.str() << ": one line";
    EXPECT_TRUE(Def.OnlyFor.empty() || Def.OnlyFor == "pypy") << Def.Name.str();
    for (llvm::StringRef Need : Def.Needs)
      EXPECT_TRUE(capi::entryFor(Need).has_value()) << Def.Name.str() << " needs " << Need.str();
    if (Entry.Form == Shape::Function) {
      EXPECT_EQ(Def.Kind, SymbolKind::Function);
      EXPECT_NE(Entry.Implementation, nullptr) << Def.Name.str();
    } else {
      EXPECT_EQ(Def.Kind, SymbolKind::Data);
      EXPECT_NE(Entry.Recipe.find("result ="), llvm::StringRef::npos) << Def.Name.str();
      EXPECT_EQ(Entry.Form == Shape::ExceptionCell, llvm_compat::startsWith(Def.Name, "PyExc_")) << Def.Name.str();
    }
  }
  EXPECT_EQ(catalogue().size(), catalogueEntries().size());
}

class AgainstTheLibraries : public ::testing::Test {
protected:
  void SetUp() override {
    struct stat Info;
    for (const char *Path : {CPythonLibrary, PyPyLibrary})
      if (stat(Path, &Info) != 0)
        GTEST_SKIP() << Path << " is absent on this machine";
    auto CPython = symtab::ElfFile::read(CPythonLibrary);
    ASSERT_TRUE(bool(CPython)) << llvm::toString(CPython.takeError());
    auto PyPy = symtab::ElfFile::read(PyPyLibrary);
    ASSERT_TRUE(bool(PyPy)) << llvm::toString(PyPy.takeError());
    CPythonNames = definedDynamicNames(**CPython);
    PyPyNames = definedDynamicNames(**PyPy);
  }
  bool pypyHas(llvm::StringRef Name) { return PyPyNames.count(Name.str()) || PyPyNames.count(pypyAlias(Name)); }

  std::set<std::string> CPythonNames, PyPyNames;
};

TEST_F(AgainstTheLibraries, PyPyLacksEveryNameAndCPythonExportsEachRealFunctionAndObject) {
  for (const Definition &Def : catalogue()) {
    std::string Name = Def.Name.str();
    EXPECT_FALSE(pypyHas(Name)) << "PyPy exports " << Name << ": the substitute would never be used";
    if (MacrosEverywhere.count(Name))
      EXPECT_EQ(CPythonNames.count(Name), 0u) << Name << " is a macro in CPython 3.11 too";
    else
      EXPECT_EQ(CPythonNames.count(Name), 1u) << "CPython 3.11 does not export " << Name;
  }
}

TEST_F(AgainstTheLibraries, EveryTypeAndExceptionCPythonHasAndPyPyLacksIsCoveredOrHasNoCounterpart) {
  std::set<std::string> InCatalogue;
  for (const Definition &Def : catalogue())
    InCatalogue.insert(Def.Name.str());
  int Missing = 0;
  for (const std::string &Name : CPythonNames) {
    llvm::StringRef N(Name);
    bool TypeOrException = ((llvm_compat::startsWith(N, "Py") || llvm_compat::startsWith(N, "_Py")) && llvm_compat::endsWith(N, "_Type")) ||
                           llvm_compat::startsWith(N, "PyExc_");
    if (!TypeOrException || pypyHas(N))
      continue;
    ++Missing;
    EXPECT_TRUE(InCatalogue.count(Name) || NoPythonCounterpart.count(Name)) << Name << " is not covered";
    EXPECT_FALSE(InCatalogue.count(Name) && NoPythonCounterpart.count(Name)) << Name;
  }
  RecordProperty("types_and_exceptions_pypy_lacks", Missing);
  EXPECT_EQ(Missing, 54) << "measured on CPython 3.11.2 and PyPy 7.3.11; a change means re-deriving the list";
}

TEST_F(AgainstTheLibraries, EveryNeedIsExportedByBothInterpreters) {
  for (unsigned I = 0; I < static_cast<unsigned>(capi::Api::Count); ++I) {
    llvm::StringRef Need = capi::nameOf(static_cast<capi::Api>(I));
    EXPECT_EQ(CPythonNames.count(Need.str()), 1u) << Need.str();
    EXPECT_TRUE(pypyHas(Need)) << Need.str();
  }
}

}  // namespace
}  // namespace pysym::substitutes
