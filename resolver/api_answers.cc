#include "resolver/api_answers.h"

#include <algorithm>

#include "pysym/resolver/profile.h"
#include "pysym/resolver/resolution_order.h"

namespace pysym {

const std::vector<std::string> &ApiAnswers::names() const {
  std::call_once(NamesListed, [this] {
    const InterpreterProfile &Profile = Image.profile();
    std::vector<std::string> Candidates, Aliases;
    for (std::string_view Exported : Image.boundExports()) {
      if (!isPythonApiName(Exported))
        continue;
      Names.emplace_back(Exported);
      Candidates.clear();
      Profile.cpythonNamesFor(Exported, Candidates);
      for (std::string &Candidate : Candidates) {
        Aliases.clear();
        Profile.aliasesFor(Candidate, Image.version(), Aliases);
        if (std::find(Aliases.begin(), Aliases.end(), Exported) != Aliases.end())
          Names.push_back(std::move(Candidate));
      }
    }
    for (const substitutes::Definition *Def : Image.offeredSubstitutes())
      Names.emplace_back(Def->Name);
    std::sort(Names.begin(), Names.end());
    Names.erase(std::unique(Names.begin(), Names.end()), Names.end());
  });
  return Names;
}

void ApiAnswers::buildTable() const {
  for (const substitutes::Definition *Def : Image.offeredSubstitutes())
    if (Def->Kind == SymbolKind::Data)
      LazyData.tryEmplace(Def->Name, true);
  for (const std::string &Name : names()) {
    if (LazyData.find(Name))
      continue;
    FoundSymbol Found = findInOrder(Image, Name);
    if (Found.found())
      Table.tryEmplace(Name, Found);
  }
  TableReady.store(true, std::memory_order_release);
}

std::optional<FoundSymbol> ApiAnswers::precomputed(std::string_view Name) const {
  if (!TableReady.load(std::memory_order_acquire)) {
    // Data refused before the interpreter is ready must not be cached as a
    // miss, so the table waits for readiness.
    if (!Image.apiDataReady())
      return std::nullopt;
    std::call_once(TableBuilt, [this] { buildTable(); });
  }
  if (const FoundSymbol *Found = Table.find(Name))
    return *Found;
  if (!isPythonApiName(Name) || LazyData.find(Name))
    return std::nullopt;
  return FoundSymbol{};
}

}  // namespace pysym
