// The process-wide C-API table: names, first-wins binding, conflicts.
//
// Runs without an interpreter: it binds made-up addresses and never calls them.
#include "pysym/resolver/substitutes/c_api.h"

#include <string_view>

#include "gtest/gtest.h"

namespace pysym::substitutes::capi {
namespace {

TEST(CApiTest, EveryEntryRoundTripsThroughItsCPythonName) {
  for (unsigned I = 0; I < static_cast<unsigned>(Api::Count); ++I) {
    Api Entry = static_cast<Api>(I);
    std::string_view Name = nameOf(Entry);
    EXPECT_TRUE(Name.substr(0, 2) == "Py" || Name.substr(0, 3) == "_Py") << Name;
    EXPECT_EQ(entryFor(Name), Entry) << Name;
  }
  EXPECT_EQ(entryFor("PyLong_FromLong"), std::nullopt);
  EXPECT_EQ(entryFor(""), std::nullopt);
  EXPECT_EQ(nameOf(Api::Count), "<no such entry>");
}

TEST(CApiTest, TheFirstAddressWinsAndADifferentOneIsAConflict) {
  EXPECT_EQ(address(Api::PyDict_New), 0u);
  EXPECT_EQ(bind(Api::PyDict_New, 0), BindOutcome::Absent);
  EXPECT_EQ(address(Api::PyDict_New), 0u);
  EXPECT_EQ(bind(Api::PyDict_New, 0x1000), BindOutcome::Bound);
  EXPECT_EQ(bind(Api::PyDict_New, 0x1000), BindOutcome::Bound) << "the same address again is harmless";
  EXPECT_EQ(bind(Api::PyDict_New, 0x2000), BindOutcome::Conflict);
  EXPECT_EQ(bind(Api::PyDict_New, 0), BindOutcome::Absent);
  EXPECT_EQ(address(Api::PyDict_New), 0x1000u) << "neither a conflict nor an absence unbinds";
  EXPECT_EQ(address(Api::PySet_Add), 0u) << "entries are independent";
}

}  // namespace
}  // namespace pysym::substitutes::capi
