// C99 classification, returned as 0 or 1.
#include "pysym/resolver/substitutes/float_macros.h"

#include <cmath>

namespace pysym::substitutes {

int isNan(double X) { return std::isnan(X) ? 1 : 0; }

int isInfinity(double X) { return std::isinf(X) ? 1 : 0; }

int isFinite(double X) { return std::isfinite(X) ? 1 : 0; }

}  // namespace pysym::substitutes
