#include "pysym/jitlink/engine_errors.h"

namespace pysym {

char UnknownModuleError::ID = 0;
char UndefinedSymbolError::ID = 0;
char AmbiguousSymbolError::ID = 0;
char RejectedInputError::ID = 0;

void UndefinedSymbolError::log(llvm::raw_ostream &OS) const {
  if (Module.empty())
    OS << "no module defines '" << Symbol << "'";
  else
    OS << "module " << Module << " defines no symbol '" << Symbol << "'";
}

void AmbiguousSymbolError::log(llvm::raw_ostream &OS) const {
  OS << "'" << Symbol << "' is defined by several modules:";
  for (const std::string &Definer : Definers)
    OS << " " << Definer;
  OS << "; look it up through a module handle";
}

}  // namespace pysym
