// Parses matrix_check.py's plan: the cases, their registrations and the symbols they check.
#include "tests/matrix/plan.h"

#include <set>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

namespace pysym::matrix {
namespace {

llvm::Error planError(unsigned Line, const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "plan line " + llvm::Twine(Line) + ": " + Message);
}

}  // namespace

bool isPlainName(llvm::StringRef Name) {
  auto Leading = [](char C) { return llvm::isAlpha(C) || C == '_' || C == '.' || C == '$'; };
  if (Name.empty() || !Leading(Name.front()))
    return false;
  return llvm::all_of(Name.drop_front(), [&](char C) { return Leading(C) || llvm::isDigit(C); });
}

llvm::Expected<std::vector<PlannedCase>> parsePlan(llvm::StringRef Text) {
  std::vector<PlannedCase> Cases;
  std::set<std::string> Seen;
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  Text.split(Lines, '\n');
  for (unsigned Index = 0; Index < Lines.size(); ++Index) {
    const unsigned Number = Index + 1;
    llvm::StringRef Line = Lines[Index];
    if (Line.empty())
      continue;
    llvm::SmallVector<llvm::StringRef, 4> Fields;
    Line.split(Fields, '\t');
    llvm::StringRef Record = Fields.front();
    const std::size_t Wanted = Record == "case"       ? 4
                               : Record == "function" ? 3
                               : Record == "object"   ? 2
                               : Record == "status"   ? 2
                                                      : 0;
    if (Wanted == 0)
      return planError(Number, "unknown record '" + Record + "'");
    if (Fields.size() != Wanted)
      return planError(Number, Record + " wants " + llvm::Twine(Wanted - 1) + " fields, got " +
                                   llvm::Twine(Fields.size() - 1));
    for (llvm::StringRef Field : llvm::ArrayRef<llvm::StringRef>(Fields).drop_front())
      if (!isPlainName(Field))
        return planError(Number, "'" + Field + "' is not a plain name");
    if (Record == "case") {
      if (!Seen.insert(Fields[1].str()).second)
        return planError(Number, "case " + Fields[1] + " appears twice");
      Cases.push_back({Fields[1].str(), Fields[2].str(), Fields[3].str(), {}, {}, {}});
      continue;
    }
    if (Cases.empty())
      return planError(Number, Record + " before the first case");
    PlannedCase &Current = Cases.back();
    if (Record == "function")
      Current.Functions.push_back({Fields[1].str(), Fields[2].str()});
    else if (Record == "object")
      Current.Objects.push_back(Fields[1].str());
    else
      Current.StatusNames.push_back(Fields[1].str());
  }
  return Cases;
}

}  // namespace pysym::matrix
