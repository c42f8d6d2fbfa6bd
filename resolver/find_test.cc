// Resolver::find, the explanation-free path, against Resolver::resolve: the
// same answer for every kind of name, in a real embedded interpreter.
//
// Test order matters for PyPy: the first test runs before cpyext starts,
// while the interpreter refuses its data.
#include <dlfcn.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::succeeded;

// One of each kind the order knows, on either interpreter: exact or alias
// functions and data, substitutes (functions, a macro, data made through the
// C API, one PyPy 3.9 cannot make), names of other images, misses, and names
// that cannot be looked up at all.
const std::vector<std::string> &namesOfEveryKind() {
  static const std::vector<std::string> Names = {
      "PyLong_FromLong", "Py_IncRef", "PyTuple_Pack", "PyObject_GetAttrString", "PyModule_AddType",
      "_Py_NoneStruct", "_Py_TrueStruct", "PyExc_TypeError", "PyExc_ValueError",
      "_Py_c_pow", "_PyDict_NewPresized", "PyObject_GC_UnTrack", "Py_IS_NAN", "PyExceptionInstance_Check",
      "PyExc_EnvironmentError", "PyExc_IOError", "PyExc_EncodingWarning",
      "memcpy", "strlen", "sin",
      "PyNoSuch_Function", "_PyNoSuch_Data", "no_such_symbol_anywhere",
      "", std::string("Py\0Long", 7),
  };
  return Names;
}

void expectFindAgreesWithResolve(const Resolver &R) {
  for (const std::string &Name : namesOfEveryKind()) {
    // find first: a data substitute is created by whichever asks first, and
    // the explanation-free path must be able to do that too.
    FoundSymbol Quick = R.find(Name);
    Resolution Full = R.resolve(Name);
    EXPECT_EQ(Quick.Status, Full.Status) << describe(Full);
    EXPECT_EQ(Quick.Address, Full.Address) << describe(Full);
    EXPECT_EQ(Quick.Kind, Full.Kind) << describe(Full);
    EXPECT_EQ(Quick.found(), Full.found()) << describe(Full);
  }
}

std::unique_ptr<Resolver> makeResolver() {
  auto R = Resolver::forCurrentProcess();
  EXPECT_TRUE(succeeded(R));
  return R ? std::move(*R) : nullptr;
}

TEST(Find, AgreesWithResolveBeforeTheCApiStarts) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  if (Py->flavor() == testing::Flavor::PyPy) {
    ASSERT_FALSE(Py->cApiReady()) << "cpyext started before this test; it must run first";
    // The refusal itself must reach find: data is missing, not zeroed storage.
    EXPECT_FALSE(R->find("_Py_NoneStruct").found());
  }
  expectFindAgreesWithResolve(*R);
}

TEST(Find, AgreesWithResolveOnceTheCApiRuns) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  if (Py->flavor() == testing::Flavor::PyPy) {
    ASSERT_TRUE(succeeded(Py->run("import cpyext")));
  }
  auto R = makeResolver();
  ASSERT_TRUE(R);
  EXPECT_TRUE(R->find("_Py_NoneStruct").found());
  expectFindAgreesWithResolve(*R);
}

TEST(Find, SeesRegistrationsAndTheirRemoval) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = makeResolver();
  ASSERT_TRUE(R);
  static int Storage;
  auto Address = reinterpret_cast<std::uint64_t>(&Storage);
  // A name no image defines, then one that libc does: registration wins over
  // other images, and removal hands the name back to them.
  for (const char *Name : {"pysym_find_test_registered", "strlen"}) {
    FoundSymbol Before = R->find(Name);
    ASSERT_TRUE(succeeded(R->addSymbol(Name, Address, SymbolKind::Data)));
    FoundSymbol Registered = R->find(Name);
    EXPECT_EQ(Registered.Status, ResolutionStatus::Registered) << Name;
    EXPECT_EQ(Registered.Address, Address) << Name;
    EXPECT_EQ(Registered.Kind, SymbolKind::Data) << Name;
    EXPECT_EQ(R->resolve(Name).Address, Address) << Name;
    EXPECT_TRUE(R->removeSymbol(Name)) << Name;
    FoundSymbol After = R->find(Name);
    EXPECT_EQ(After.Status, Before.Status) << Name;
    EXPECT_EQ(After.Address, Before.Address) << Name;
  }
  EXPECT_EQ(R->find("strlen").Address, reinterpret_cast<std::uint64_t>(dlsym(RTLD_DEFAULT, "strlen")));
}

}  // namespace
}  // namespace pysym
