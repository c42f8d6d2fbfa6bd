// Runs data-substitute recipes through the running interpreter's C API.
#include "resolver/substitutes/data_objects.h"

#include <string>

#include "llvm/ADT/Twine.h"

namespace pysym::substitutes {
namespace {

using capi::Object;

constexpr llvm::StringRef Needs[] = {
    "PyGILState_Ensure", "PyGILState_Release", "Py_IncRef",         "Py_DecRef",
    "PyErr_Fetch",       "PyErr_NormalizeException", "PyErr_Clear",        "PyObject_Repr",     "PyUnicode_AsUTF8",
    "PyDict_New",        "PyDict_SetItemString", "PyDict_GetItemString", "PyImport_ImportModule",
    "PyRun_String",      "PyObject_Type",      "PyType_IsSubtype",  "PyType_Type",
    "PyExc_BaseException",
};

llvm::Error recipeError(llvm::StringRef Recipe, const llvm::Twine &Why) {
  llvm::StringRef FirstLine = Recipe.split('\n').first;
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "recipe `" + FirstLine + (FirstLine.size() < Recipe.size() ? " ..." : "") +
                                     "`: " + Why);
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

llvm::ArrayRef<llvm::StringRef> recipeNeeds() { return Needs; }

llvm::Expected<Object> runRecipe(llvm::StringRef Recipe, RecipeResult Expected) {
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
  std::string Source = Recipe.str();
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
  bool Right = Expected == RecipeResult::Type
                   ? IsType
                   : IsType && capi::typeIsSubtype(Result, capi::baseException());
  if (!Right) {
    capi::decRef(Result);
    return recipeError(Recipe, Expected == RecipeResult::Type ? "`result` is not a type"
                                                              : "`result` is not an exception class");
  }
  return Result;
}

}  // namespace pysym::substitutes
