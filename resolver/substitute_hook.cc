#include "resolver/substitute_hook.h"

#include "resolver/interpreter_image.h"
#include "resolver/substitutes/substitute_set.h"

namespace pysym {
namespace {

class BoundCatalogue final : public SubstituteHook {
public:
  explicit BoundCatalogue(std::unique_ptr<substitutes::SubstituteSet> Set) : Set(std::move(Set)) {}

  Answer find(llvm::StringRef Name) const override {
    substitutes::Offer Offer = Set->find(Name);
    return {Offer.Address, Offer.Kind, std::move(Offer.Explanation)};
  }

private:
  std::unique_ptr<substitutes::SubstituteSet> Set;
};

}  // namespace

std::unique_ptr<SubstituteHook> SubstituteHook::create(const InterpreterImage &Interpreter) {
  substitutes::Options Opts;
  Opts.Interpreter = Interpreter.profile().name().str();
  Opts.ApiDataReady = [&Interpreter] { return Interpreter.apiDataReady(); };
  // Substitutes call the interpreter through the same exact-or-alias rules
  // that resolve a kernel's references.
  auto Set = substitutes::SubstituteSet::bind(
      [&Interpreter](llvm::StringRef Name) { return Interpreter.apiAddress(Name); }, std::move(Opts));
  return std::make_unique<BoundCatalogue>(std::move(Set));
}

}  // namespace pysym
