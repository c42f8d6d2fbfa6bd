// Obtains, through the C API, the objects that data substitutes stand for (type objects, exception classes).
#ifndef PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H
#define PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H

#include <string_view>

#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/support/error.h"
#include "pysym/support/span.h"

namespace pysym::substitutes {

/// What a recipe's `result` must be.
enum class RecipeResult {
  Type,            // a type object (isinstance(result, type))
  ExceptionClass,  // a class deriving from BaseException
};

/// Runs `Recipe`, Python source that binds `result`, in a fresh namespace
/// through the C API (PyRun_String with Py_file_input), holding the GIL, and
/// returns a new reference to `result`. No id() and no struct access: the
/// address is the object's own. Fails, naming the recipe's first line, when
/// the source raises (with the exception's repr), binds no `result`, or binds
/// something of the wrong kind. Needs every entry recipeNeeds() lists.
/// Example: runRecipe("result = enumerate", RecipeResult::Type) gives the
/// object CPython exports as PyEnum_Type.
Expected<capi::Object> runRecipe(std::string_view Recipe, RecipeResult Kind);

/// The C-API names runRecipe calls.
Span<std::string_view> recipeNeeds();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H
