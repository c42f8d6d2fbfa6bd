#include "pysym/jitlink/missing_symbols_error.h"

namespace pysym {

char MissingSymbolsError::ID = 0;

MissingSymbolsError::MissingSymbolsError(std::string Module, std::vector<Resolution> Missing)
    : Module(std::move(Module)), Missing(std::move(Missing)) {}

void MissingSymbolsError::log(llvm::raw_ostream &OS) const {
  OS << "cannot link module '" << Module << "': " << Missing.size()
     << (Missing.size() == 1 ? " symbol" : " symbols") << " not found";
  for (const Resolution &R : Missing)
    OS << "\n  " << describe(R);
}

std::error_code MissingSymbolsError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

}  // namespace pysym
