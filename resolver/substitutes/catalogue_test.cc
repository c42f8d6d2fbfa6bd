// The catalogue's claims, checked against the real interpreter libraries' exports (no interpreter is started).
#include "pysym/resolver/substitutes/catalogue.h"

#include <sys/stat.h>

#include <set>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/support/text.h"
#include "pysym/symtab/elf_file.h"

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

std::string pypyAlias(std::string_view Name) {
  if (startsWith(Name, "Py"))
    return "PyPy" + std::string(Name.substr(2));
  if (startsWith(Name, "_Py"))
    return "_PyPy" + std::string(Name.substr(3));
  return std::string(Name);
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
    EXPECT_TRUE(Seen.insert(std::string(Def.Name)).second) << "twice: " << std::string(Def.Name);
    EXPECT_FALSE(Def.Source.empty()) << std::string(Def.Name);
    EXPECT_EQ(Def.Source.find('\n'), std::string_view::npos) << std::string(Def.Name) << ": one line";
    EXPECT_TRUE(Def.OnlyFor.empty() || Def.OnlyFor == "pypy") << std::string(Def.Name);
    for (std::string_view Need : Def.Needs)
      EXPECT_TRUE(capi::entryFor(Need).has_value()) << std::string(Def.Name) << " needs " << Need;
    if (Entry.Form == Shape::Function) {
      EXPECT_EQ(Def.Kind, SymbolKind::Function);
      EXPECT_NE(Entry.Implementation, nullptr) << std::string(Def.Name);
    } else {
      EXPECT_EQ(Def.Kind, SymbolKind::Data);
      EXPECT_NE(Entry.Recipe.find("result ="), std::string_view::npos) << std::string(Def.Name);
      EXPECT_EQ(Entry.Form == Shape::ExceptionCell, startsWith(Def.Name, "PyExc_")) << std::string(Def.Name);
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
    ASSERT_TRUE(bool(CPython)) << pysym::toString(CPython.takeError());
    auto PyPy = symtab::ElfFile::read(PyPyLibrary);
    ASSERT_TRUE(bool(PyPy)) << pysym::toString(PyPy.takeError());
    CPythonNames = definedDynamicNames(**CPython);
    PyPyNames = definedDynamicNames(**PyPy);
  }
  bool pypyHas(std::string_view Name) {
    return PyPyNames.count(std::string(Name)) || PyPyNames.count(pypyAlias(Name));
  }

  std::set<std::string> CPythonNames, PyPyNames;
};

TEST_F(AgainstTheLibraries, PyPyLacksEveryNameAndCPythonExportsEachRealFunctionAndObject) {
  for (const Definition &Def : catalogue()) {
    std::string Name = std::string(Def.Name);
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
    InCatalogue.insert(std::string(Def.Name));
  int Missing = 0;
  for (const std::string &Name : CPythonNames) {
    const std::string &N = Name;
    bool TypeOrException = ((startsWith(N, "Py") || startsWith(N, "_Py")) && endsWith(N, "_Type")) ||
                           startsWith(N, "PyExc_");
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
    std::string Need(capi::nameOf(static_cast<capi::Api>(I)));
    EXPECT_EQ(CPythonNames.count(Need), 1u) << Need;
    EXPECT_TRUE(pypyHas(Need)) << Need;
  }
}

}  // namespace
}  // namespace pysym::substitutes
