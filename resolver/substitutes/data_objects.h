// Obtains, through the C API, the objects that data substitutes stand for (type objects, exception classes).
#ifndef PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H
#define PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H

#include <string_view>
#include <vector>

#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/support/error.h"
#include "pysym/support/span.h"

namespace pysym::substitutes {

/// What a recipe's `result` must be.
enum class RecipeResult {
  Type,            // a type object (isinstance(result, type))
  ExceptionClass,  // a class deriving from BaseException
};

/// One recipe to run, and what its `result` must be.
struct RecipeRequest {
  std::string_view Recipe;
  RecipeResult Kind;
};

/// Runs every recipe of `Requests` through the C API in one PyRun_String
/// (Py_file_input), holding the GIL (PyGILState_Ensure, so the caller may
/// hold it already), and returns, in the same order, a new reference to
/// each recipe's `result` or why it has none. Each recipe is Python source
/// that binds `result`; it runs, compiled on its own, in a fresh namespace
/// of its own whose `__builtins__` is the builtins module, as if it were
/// the only one, so no recipe sees another's names or is stopped by
/// another's failure. No id() and no struct access: the address is the
/// object's own. A recipe fails, naming its first line, when its source
/// raises (with the exception's repr, a SyntaxError included), binds no
/// `result`, or binds something of the wrong kind; when the run as a whole
/// cannot start, every recipe fails with that reason. No exception is left
/// pending. Needs every entry recipeNeeds() lists.
///
/// One run rather than one per recipe because each C-API call is costly on
/// PyPy (cpyext): a run needs about ten calls, and two more per recipe
/// that succeeds, where one run per recipe needs a dozen per recipe.
std::vector<Expected<capi::Object>> runRecipes(Span<RecipeRequest> Requests);

/// runRecipes for one recipe. Example: runRecipe("result = enumerate",
/// RecipeResult::Type) gives the object CPython exports as PyEnum_Type.
Expected<capi::Object> runRecipe(std::string_view Recipe, RecipeResult Kind);

/// The C-API names runRecipes calls.
Span<std::string_view> recipeNeeds();

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_DATA_OBJECTS_H
