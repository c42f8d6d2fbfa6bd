// SubstituteSet::createData: every data substitute the interpreter lacks made in one call, each recipe's failure its own; find() alone makes only what it is asked for.
//
// Its own test binary, so that no data substitute exists when it starts:
// they are kept process-wide.
#include <string>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/substitute_set.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes {
namespace {

using testing::RecipesBlocked;

std::unique_ptr<SubstituteSet> bound(testing::EmbeddedPython &Python) {
  auto Set = testing::bindToEmbedded(Python);
  EXPECT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
  return Set ? std::move(*Set) : nullptr;
}

TEST(CreateDataTest, FindMakesOnlyItsNameAndCreateDataMakesEveryOtherOneWithItsOwnOutcome) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  std::unique_ptr<SubstituteSet> First = bound(*Python);
  ASSERT_TRUE(First);
  ASSERT_TRUE(First->find("PyMap_Type").found()) << First->find("PyMap_Type").Explanation;
  {
    RecipesBlocked Blocked(*Python);
    EXPECT_TRUE(First->find("PyMap_Type").found()) << "made once, kept";
    Offer Filter = First->find("PyFilter_Type");
    EXPECT_FALSE(Filter.found()) << "find(\"PyMap_Type\") made PyFilter_Type too";
    EXPECT_NE(Filter.Explanation.find("cannot provide builtins"), std::string::npos) << Filter.Explanation;
  }

  // A new set: the first remembers PyFilter_Type's failure.
  std::unique_ptr<SubstituteSet> Second = bound(*Python);
  ASSERT_TRUE(Second);
  Second->createData();
  RecipesBlocked Blocked(*Python);
  int Made = 0, LeftToFind = 0;
  for (const Definition *Def : Second->offered()) {
    if (Def->Kind != SymbolKind::Data || Def->Name == "PyMap_Type")
      continue;
    std::string Name(Def->Name);
    Offer Found = Second->find(Name);
    if (testing::lookupInEmbedded(*Python, Name) != 0) {
      // The interpreter's own answers for it: nothing to make ahead.
      EXPECT_FALSE(Found.found()) << "createData made " << Name << ", which the interpreter exports";
      EXPECT_NE(Found.Explanation.find("cannot provide builtins"), std::string::npos) << Found.Explanation;
      ++LeftToFind;
      continue;
    }
    if (Found.found()) {
      ++Made;
      continue;
    }
    // Failed in createData for its own reason, which is remembered, while
    // the others were made.
    EXPECT_TRUE(testing::dataCannotBeCreatedHere(Python->flavor(), Name, Found.Explanation))
        << Name << ": " << Found.Explanation;
    EXPECT_NE(Found.Explanation.find(Name + " could not be created: recipe `"), std::string::npos)
        << Found.Explanation;
  }
  // CPython exports every one; PyPy none.
  EXPECT_GE(Python->flavor() == testing::Flavor::PyPy ? Made : LeftToFind, 44);
}

}  // namespace
}  // namespace pysym::substitutes
