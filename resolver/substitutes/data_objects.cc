// Runs data-substitute recipes through the running interpreter's C API.
#include "pysym/resolver/substitutes/data_objects.h"

#include <string>

namespace pysym::substitutes {
namespace {

using capi::Object;

constexpr std::string_view Needs[] = {
    "PyGILState_Ensure", "PyGILState_Release", "Py_IncRef",         "Py_DecRef",
    "PyErr_Fetch",       "PyErr_NormalizeException", "PyErr_Clear",        "PyObject_Repr",     "PyUnicode_AsUTF8",
    "PyDict_New",        "PyDict_SetItemString", "PyDict_GetItemString", "PyImport_ImportModule",
    "PyRun_String",      "PyObject_Type",      "PyType_IsSubtype",  "PyType_Type",
    "PyExc_BaseException",
};

Error recipeError(std::string_view Recipe, const std::string &Why) {
  std::string_view FirstLine = Recipe.substr(0, Recipe.find('\n'));
  return makeStringError(std::errc::invalid_argument,
                         "recipe `" + std::string(FirstLine) +
                             (FirstLine.size() < Recipe.size() ? " ..." : "") + "`: " + Why);
}

// The pending exception's repr, and the exception cleared.
std::string takeExceptionText() {
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errFetch(&Type, &Value, &Traceback);
  // Fetched values may be raw arguments (a tuple) until normalised.
  capi::errNormalizeException(&Type, &Value, &Traceback);
  std::string Text = "an exception without a value";
  Object Described = Value ? Value : Type;
  if (Described) {
    if (Object Repr = capi::objectRepr(Described)) {
      if (const char *Utf8 = capi::unicodeAsUtf8(Repr))
        Text = Utf8;
      capi::decRef(Repr);
    }
  }
  capi::errClear();  // a failing repr must not leak a second exception
  capi::decRef(Type);
  capi::decRef(Value);
  capi::decRef(Traceback);
  return Text;
}

bool isInstanceOfType(Object O, Object Base) {
  Object Type = capi::objectType(O);
  bool Derived = Type && capi::typeIsSubtype(Type, Base);
  capi::decRef(Type);
  return Derived;
}

}  // namespace

Span<std::string_view> recipeNeeds() { return Needs; }

Expected<Object> runRecipe(std::string_view Recipe, RecipeResult Kind) {
  capi::GilScope Gil;
  Object Globals = capi::dictNew();
  if (!Globals)
    return recipeError(Recipe, "PyDict_New failed: " + takeExceptionText());
  // An explicit __builtins__, so the recipe does not depend on which frame
  // (if any) is running when the substitute is first requested.
  Object Builtins = capi::importModule("builtins");
  if (!Builtins || capi::dictSetItemString(Globals, "__builtins__", Builtins) < 0) {
    std::string Why = takeExceptionText();
    capi::decRef(Builtins);
    capi::decRef(Globals);
    return recipeError(Recipe, "cannot provide builtins: " + Why);
  }
  capi::decRef(Builtins);
  std::string Source(Recipe);
  Object Outcome = capi::runString(Source.c_str(), capi::FileInput, Globals, Globals);
  if (!Outcome) {
    std::string Why = takeExceptionText();
    capi::decRef(Globals);
    return recipeError(Recipe, "raised " + Why);
  }
  capi::decRef(Outcome);
  Object Result = capi::dictGetItemString(Globals, "result");  // borrowed
  if (Result)
    capi::incRef(Result);
  capi::decRef(Globals);
  if (!Result)
    return recipeError(Recipe, "bound no `result`");
  bool IsType = isInstanceOfType(Result, capi::typeType());
  bool Right = Kind == RecipeResult::Type
                   ? IsType
                   : IsType && capi::typeIsSubtype(Result, capi::baseException());
  if (!Right) {
    capi::decRef(Result);
    return recipeError(Recipe, Kind == RecipeResult::Type ? "`result` is not a type"
                                                          : "`result` is not an exception class");
  }
  return Result;
}

}  // namespace pysym::substitutes
