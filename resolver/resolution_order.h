// The order in which a name is resolved, shared by the in-process resolver
// and the offline analysis of an interpreter on disk.
#ifndef PYSYM_RESOLVER_RESOLUTION_ORDER_H
#define PYSYM_RESOLVER_RESOLUTION_ORDER_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pysym/resolver/profile.h"
#include "pysym/resolver/resolution.h"

namespace pysym {

/// Where the resolution order looks. In-process, addresses are run-time
/// addresses; offline, they are the files' symbol values.
class ResolutionSources {
public:
  virtual ~ResolutionSources() = default;

  virtual const InterpreterProfile &profile() const = 0;
  virtual PythonVersion version() const = 0;
  virtual const std::string &imagePath() const = 0;

  enum class Lookup { Found, Absent, Refused };
  struct Definition {
    std::uint64_t Address = 0;
    SymbolKind Kind = SymbolKind::Function;
  };
  /// Looks `Name` up among the interpreter image's own exports. Refused, with
  /// `Why`, when a definition exists but cannot be given out.
  virtual Lookup findInInterpreter(std::string_view Name, Definition &Def, std::string &Why) const = 0;

  struct SubstituteOffer {
    bool Offered = false;
    std::uint64_t Address = 0;  // 0 offline, where nothing is bound
    SymbolKind Kind = SymbolKind::Function;
    std::string Explanation;    // the semantic source, or why there is none
  };
  virtual SubstituteOffer findSubstitute(std::string_view Name) const = 0;

  struct OtherDefinition {
    std::uint64_t Address = 0;
    SymbolKind Kind = SymbolKind::Function;
    std::string ImagePath;
  };
  /// A definition of `Name` in an image other than the interpreter's.
  virtual std::optional<OtherDefinition> findInOtherImages(std::string_view Name) const = 0;
};

/// Why a name cannot be looked up at all (empty, embedded NUL), or "".
std::string invalidNameReason(std::string_view Name);

/// Resolves `Name` through steps 2 to 6 of the order documented on Resolver
/// (registered symbols are the caller's step 1). With `Explain` false, only
/// Status, Address, Kind, Target and Image are filled in.
Resolution resolveInOrder(const ResolutionSources &Sources, std::string_view Name, bool Explain);

/// resolveInOrder's answer for hot paths such as a JIT's definition
/// generator: the same walk, which builds no strings of its own (the
/// profile's aliases and the sources' answers may still allocate).
FoundSymbol findInOrder(const ResolutionSources &Sources, std::string_view Name);

}  // namespace pysym

#endif  // PYSYM_RESOLVER_RESOLUTION_ORDER_H
