// Connects the resolver to pysym's substitute catalogue for one interpreter.
#ifndef PYSYM_RESOLVER_SUBSTITUTE_HOOK_H
#define PYSYM_RESOLVER_SUBSTITUTE_HOOK_H

#include <cstdint>
#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "resolver/resolution.h"

namespace pysym {

class InterpreterImage;

/// The substitutes that apply to one interpreter, bound to its C API.
class SubstituteHook {
public:
  /// Binds the catalogue to `Interpreter`'s API, keeping only the substitutes
  /// its profile accepts.
  static std::unique_ptr<SubstituteHook> create(const InterpreterImage &Interpreter);
  virtual ~SubstituteHook() = default;

  struct Answer {
    std::uint64_t Address = 0;  // 0 when there is no substitute
    SymbolKind Kind = SymbolKind::Function;
    // For a hit, the semantic source; for a miss, why there is none.
    std::string Explanation;
  };
  virtual Answer find(llvm::StringRef Name) const = 0;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_SUBSTITUTE_HOOK_H
