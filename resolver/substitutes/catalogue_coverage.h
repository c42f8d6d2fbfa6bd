// The catalogue's entries for CPython 3.11 stable-ABI names that PyPy 7.3.11 lacks (issue 16), appended to catalogue.cc's.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_COVERAGE_H
#define PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_COVERAGE_H

#include <vector>

#include "pysym/resolver/substitutes/catalogue.h"

namespace pysym::substitutes {

/// Function substitutes built on python_helpers.h, plain_functions.h,
/// text_functions.h and runtime_functions.h, and type objects reached from
/// Python; each with its CPython 3.11 semantic source. Offered to any
/// interpreter whose exports lack the name.
std::vector<CatalogueEntry> coverageEntries();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_CATALOGUE_COVERAGE_H
