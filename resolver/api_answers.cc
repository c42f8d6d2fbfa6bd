#include "resolver/api_answers.h"

#include <algorithm>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "resolver/profile.h"
#include "resolver/resolution_order.h"

namespace pysym {

const std::vector<std::string> &ApiAnswers::names() const {
  std::call_once(NamesListed, [this] {
    const InterpreterProfile &Profile = Image.profile();
    llvm::SmallVector<std::string, 2> Candidates, Aliases;
    for (llvm::StringRef Exported : Image.boundExports()) {
      if (!isPythonApiName(Exported))
        continue;
      Names.push_back(Exported.str());
      Candidates.clear();
      Profile.cpythonNamesFor(Exported, Candidates);
      for (std::string &Candidate : Candidates) {
        Aliases.clear();
        Profile.aliasesFor(Candidate, Image.version(), Aliases);
        if (llvm::is_contained(Aliases, Exported))
          Names.push_back(std::move(Candidate));
      }
    }
    for (const substitutes::Definition *Def : Image.offeredSubstitutes())
      Names.emplace_back(Def->Name);
    llvm::sort(Names);
    Names.erase(std::unique(Names.begin(), Names.end()), Names.end());
  });
  return Names;
}

void ApiAnswers::buildTable() const {
  for (const substitutes::Definition *Def : Image.offeredSubstitutes())
    if (Def->Kind == SymbolKind::Data)
      LazyData.insert(Def->Name);
  for (const std::string &Name : names()) {
    if (LazyData.contains(Name))
      continue;
    FoundSymbol Found = findInOrder(Image, Name);
    if (Found.found())
      Table.try_emplace(Name, Found);
  }
  TableReady.store(true, std::memory_order_release);
}

std::optional<FoundSymbol> ApiAnswers::precomputed(llvm::StringRef Name) const {
  if (!TableReady.load(std::memory_order_acquire)) {
    // Data refused before the interpreter is ready must not be cached as a
    // miss, so the table waits for readiness.
    if (!Image.apiDataReady())
      return std::nullopt;
    std::call_once(TableBuilt, [this] { buildTable(); });
  }
  auto It = Table.find(Name);
  if (It != Table.end())
    return It->second;
  if (!isPythonApiName(Name) || LazyData.contains(Name))
    return std::nullopt;
  return FoundSymbol{};
}

}  // namespace pysym
