// The catalogue's entries: each Definition with what implements it. Internal to the substitutes package.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H
#define PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H

#include <string_view>

#include "pysym/resolver/substitutes/definition.h"
#include "pysym/support/span.h"

namespace pysym::substitutes {

/// What a definition's address points at.
enum class Shape {
  Function,       // code: Implementation
  TypeObject,     // the object Recipe yields, a type
  ExceptionCell,  // a PyObject * cell holding the class Recipe yields
};

struct CatalogueEntry {
  Definition Def;
  Shape Form = Shape::Function;
  void *Implementation = nullptr;  // Shape::Function
  std::string_view Recipe;         // otherwise: Python source binding `result`
};

/// All entries, in catalogue() order; names are unique.
Span<CatalogueEntry> catalogueEntries();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H
