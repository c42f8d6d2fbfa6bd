// What a substitute is: one definition of the catalogue, and the catalogue itself.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H
#define PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H

#include <string_view>

#include "pysym/resolver/resolution.h"
#include "pysym/support/span.h"

namespace pysym::substitutes {

/// One substitute in the catalogue.
struct Definition {
  std::string_view Name;    // the CPython name it stands for
  SymbolKind Kind;          // Function; or Data: a type object, or a PyObject * cell for PyExc_X
  std::string_view Source;  // its semantic source, one line
  Span<std::string_view> Needs;  // C-API names it calls; offered only when all resolve
  // Empty when any interpreter lacking the name may use it; otherwise the
  // one interpreter (profile name, e.g. "pypy") whose headers define it. A
  // name such as PyObject_GC_Track is a macro there and a real function
  // elsewhere, where substituting it would be wrong.
  std::string_view OnlyFor;
};

/// Every definition pysym has, in a stable order.
Span<Definition> catalogue();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_DEFINITION_H
