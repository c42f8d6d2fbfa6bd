// The catalogue's entries: each Definition with what implements it. Internal to the substitutes package.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H
#define PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "resolver/substitutes/definition.h"

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
  llvm::StringRef Recipe;          // otherwise: Python source binding `result`
};

/// All entries, in catalogue() order; names are unique.
llvm::ArrayRef<CatalogueEntry> catalogueEntries();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_H
