#include "pysym/resolver/resolution.h"

namespace pysym {

std::string_view toString(ResolutionStatus Status) {
  switch (Status) {
  case ResolutionStatus::Registered: return "registered";
  case ResolutionStatus::Exact: return "exact";
  case ResolutionStatus::Alias: return "alias";
  case ResolutionStatus::Substitute: return "substitute";
  case ResolutionStatus::System: return "system";
  case ResolutionStatus::Missing: return "missing";
  }
  return "missing";
}

std::string_view toString(SymbolKind Kind) {
  return Kind == SymbolKind::Function ? "function" : "data";
}

std::string describe(const Resolution &R) {
  std::string Out = R.Name;
  if (!R.found()) {
    Out += " (missing)";
    for (const std::string &Attempt : R.Tried)
      Out += "; " + Attempt;
    if (!R.Note.empty())
      Out += "; " + R.Note;
    return Out;
  }
  if (R.Target != R.Name)
    Out += " -> " + R.Target;
  Out += " (" + std::string(toString(R.Status)) + ", " + std::string(toString(R.Kind)) + ")";
  if (!R.Image.empty())
    Out += " in " + R.Image;
  if (!R.Note.empty())
    Out += "; " + R.Note;
  return Out;
}

}  // namespace pysym
