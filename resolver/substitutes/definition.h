// What a substitute is: one definition of the catalogue, and the catalogue itself.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H
#define PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "resolver/resolution.h"

namespace pysym::substitutes {

/// One substitute in the catalogue.
struct Definition {
  llvm::StringRef Name;     // the CPython name it stands for
  SymbolKind Kind;          // Function; or Data: a type object, or a PyObject * cell for PyExc_X
  llvm::StringRef Source;   // its semantic source, one line
  llvm::ArrayRef<llvm::StringRef> Needs;  // C-API names it calls; offered only when all resolve
  // Empty when any interpreter lacking the name may use it; otherwise the
  // one interpreter (profile name, e.g. "pypy") whose headers define it. A
  // name such as PyObject_GC_Track is a macro there and a real function
  // elsewhere, where substituting it would be wrong.
  llvm::StringRef OnlyFor;
};

/// Every definition pysym has, in a stable order.
llvm::ArrayRef<Definition> catalogue();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H
