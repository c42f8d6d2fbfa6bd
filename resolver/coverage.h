// How a list of C-API names resolves on an interpreter: the coverage tables.
#ifndef PYSYM_RESOLVER_COVERAGE_H
#define PYSYM_RESOLVER_COVERAGE_H

#include <array>
#include <string>
#include <vector>

#include "pysym/resolver/resolution.h"
#include "pysym/support/error.h"

namespace pysym {

class OfflineInterpreter;

/// A name to resolve, with the kind its list declares when it declares one.
struct ApiName {
  std::string Name;
  bool KindKnown = false;
  SymbolKind Kind = SymbolKind::Function;
};

/// Reads a name list: one name a line, optionally after a kind ("F NAME",
/// "D NAME", "function NAME", "data NAME"); `#` starts a comment. Fails,
/// naming the file and line, when a line has more than two fields or an
/// unknown kind, or when the file cannot be read.
Expected<std::vector<ApiName>> readNameList(const std::string &Path);

/// The resolutions of every name, and counts by status.
struct Coverage {
  std::vector<Resolution> Resolutions;  // in list order
  std::array<unsigned, 6> Counts{};     // indexed by ResolutionStatus
  // Names found with another kind than the list declares (a data name that
  // resolves to a function, say): a finding, since code would misuse it.
  std::vector<std::string> KindMismatches;
  unsigned count(ResolutionStatus S) const { return Counts[static_cast<size_t>(S)]; }
};

Coverage measureCoverage(const OfflineInterpreter &Interpreter, const std::vector<ApiName> &Names);

}  // namespace pysym

#endif  // PYSYM_RESOLVER_COVERAGE_H
