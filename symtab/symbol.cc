#include "symtab/symbol.h"

namespace pysym::symtab {

llvm::StringRef toString(SymbolType Type) {
  switch (Type) {
  case SymbolType::Function: return "function";
  case SymbolType::Object: return "object";
  case SymbolType::ThreadLocal: return "tls";
  case SymbolType::GnuIndirectFunction: return "ifunc";
  case SymbolType::Common: return "common";
  case SymbolType::Other: return "other";
  }
  return "other";
}

llvm::StringRef toString(SymbolBinding Binding) {
  switch (Binding) {
  case SymbolBinding::Global: return "global";
  case SymbolBinding::Weak: return "weak";
  case SymbolBinding::Local: return "local";
  case SymbolBinding::Other: return "other";
  }
  return "other";
}

llvm::StringRef toString(SymbolVisibility Visibility) {
  switch (Visibility) {
  case SymbolVisibility::Default: return "default";
  case SymbolVisibility::Internal: return "internal";
  case SymbolVisibility::Hidden: return "hidden";
  case SymbolVisibility::Protected: return "protected";
  }
  return "default";
}

}  // namespace pysym::symtab
