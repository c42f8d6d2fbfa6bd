#include "resolver/substitute_hook.h"

#include "resolver/interpreter_image.h"

namespace pysym {
namespace {

class EmptyCatalogue final : public SubstituteHook {
public:
  Answer find(llvm::StringRef) const override {
    return {0, SymbolKind::Function, "pysym has no substitute for it"};
  }
};

}  // namespace

std::unique_ptr<SubstituteHook> SubstituteHook::create(const InterpreterImage &) {
  return std::make_unique<EmptyCatalogue>();
}

}  // namespace pysym
