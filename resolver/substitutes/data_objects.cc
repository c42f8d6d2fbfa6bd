// Runs data-substitute recipes through the running interpreter's C API.
#include "pysym/resolver/substitutes/data_objects.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace pysym::substitutes {
namespace {

using capi::Object;

constexpr std::string_view Needs[] = {
    "PyGILState_Ensure", "PyGILState_Release", "Py_IncRef",         "Py_DecRef",
    "PyErr_Fetch",       "PyErr_NormalizeException", "PyErr_Clear",        "PyObject_Repr",     "PyUnicode_AsUTF8",
    "PyDict_New",        "PyDict_SetItemString", "PyDict_GetItemString", "PyImport_ImportModule",
    "PyRun_String",
};

Error recipeError(std::string_view Recipe, const std::string &Why) {
  std::string_view FirstLine = Recipe.substr(0, Recipe.find('\n'));
  return makeStringError(std::errc::invalid_argument,
                         "recipe `" + std::string(FirstLine) +
                             (FirstLine.size() < Recipe.size() ? " ..." : "") + "`: " + Why);
}

// repr(`Described`) as UTF-8, or a stand-in when there is nothing to
// describe or the repr fails (its exception cleared).
std::string describe(Object Described) {
  std::string Text = "an exception without a value";
  if (!Described)
    return Text;
  Object Repr = capi::objectRepr(Described);
  const char *Utf8 = Repr ? capi::unicodeAsUtf8(Repr) : nullptr;
  if (Utf8)
    Text = Utf8;
  else
    capi::errClear();  // a failing repr must not leak a second exception
  capi::decRef(Repr);
  return Text;
}

// The pending exception's repr, and the exception cleared.
std::string takeExceptionText() {
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errFetch(&Type, &Value, &Traceback);
  // Fetched values may be raw arguments (a tuple) until normalised.
  capi::errNormalizeException(&Type, &Value, &Traceback);
  std::string Text = describe(Value ? Value : Type);
  capi::errClear();
  capi::decRef(Type);
  capi::decRef(Value);
  capi::decRef(Traceback);
  return Text;
}

// A bytes literal of `Text`: every byte that is not printable ASCII, a
// quote or a backslash is escaped, so any recipe survives as it is.
std::string bytesLiteral(std::string_view Text) {
  std::string Out = "b'";
  for (unsigned char Byte : Text) {
    if (Byte >= 0x20 && Byte < 0x7f && Byte != '\\' && Byte != '\'') {
      Out += static_cast<char>(Byte);
      continue;
    }
    char Escape[5];
    std::snprintf(Escape, sizeof Escape, "\\x%02x", Byte);
    Out += Escape;
  }
  return Out + "'";
}

// Runs each recipe of `sources` as PyRun_String would on its own, and
// reports in `outcomes` one letter per recipe: O (its result is in
// result<i>), R (it raised raised<i>), N (no `result`), T (not a type),
// X (not an exception class). The builtins it calls are taken before any
// recipe runs, so a recipe that rebinds one cannot change the others'
// outcomes. The checks are those of PyType_IsSubtype.
constexpr std::string_view RunEach = R"(
def run(sources, kinds, into, builtins=__builtins__, exec=exec, type=type,
        issubclass=issubclass, BaseException=BaseException, len=len, range=range):
    outcomes = []
    for index in range(len(sources)):
        namespace = {"__builtins__": builtins}
        try:
            exec(sources[index].decode("utf-8"), namespace)
        except BaseException as raised:
            into["raised%d" % index] = raised
            outcomes.append("R")
            continue
        if "result" not in namespace:
            outcomes.append("N")
            continue
        result = namespace["result"]
        is_type = issubclass(type(result), type)
        if kinds[index] == "T" and not is_type:
            outcomes.append("T")
        elif kinds[index] == "E" and not (is_type and issubclass(result, BaseException)):
            outcomes.append("X")
        else:
            into["result%d" % index] = result
            outcomes.append("O")
    return "".join(outcomes)
outcomes = run(sources, kinds, globals())
)";

std::string runSource(Span<RecipeRequest> Requests) {
  std::string Sources = "sources = (", Kinds = "kinds = '";
  for (const RecipeRequest &Request : Requests) {
    Sources += bytesLiteral(Request.Recipe) + ", ";
    Kinds += Request.Kind == RecipeResult::Type ? 'T' : 'E';
  }
  return Sources + ")\n" + Kinds + "'\n" + std::string(RunEach);
}

std::string slotKey(const char *Prefix, size_t Index) {
  return Prefix + std::to_string(Index);
}

// The answer for the recipe whose outcome letter is `Outcome`, read from
// the run's namespace `Globals`.
Expected<Object> answerFor(const RecipeRequest &Request, char Outcome, size_t Index, Object Globals) {
  switch (Outcome) {
  case 'O':
    if (Object Result = capi::dictGetItemString(Globals, slotKey("result", Index).c_str())) {
      capi::incRef(Result);  // borrowed from the namespace, which goes away
      return Result;
    }
    break;
  case 'R':
    return recipeError(Request.Recipe,
                       "raised " + describe(capi::dictGetItemString(Globals, slotKey("raised", Index).c_str())));
  case 'N':
    return recipeError(Request.Recipe, "bound no `result`");
  case 'T':
    return recipeError(Request.Recipe, "`result` is not a type");
  case 'X':
    return recipeError(Request.Recipe, "`result` is not an exception class");
  }
  return recipeError(Request.Recipe, "its run reported no outcome for it (a pysym bug)");
}

}  // namespace

Span<std::string_view> recipeNeeds() { return Needs; }

std::vector<Expected<Object>> runRecipes(Span<RecipeRequest> Requests) {
  std::vector<Expected<Object>> Answers;
  Answers.reserve(Requests.size());
  auto failEach = [&](const std::string &Why) {
    for (const RecipeRequest &Request : Requests)
      Answers.emplace_back(recipeError(Request.Recipe, Why));
    return std::move(Answers);
  };
  if (Requests.empty())
    return Answers;
  capi::GilScope Gil;
  Object Globals = capi::dictNew();
  if (!Globals)
    return failEach("PyDict_New failed: " + takeExceptionText());
  // An explicit __builtins__, so the recipes do not depend on which frame
  // (if any) is running when a substitute is first requested.
  Object Builtins = capi::importModule("builtins");
  if (!Builtins || capi::dictSetItemString(Globals, "__builtins__", Builtins) < 0) {
    std::string Why = takeExceptionText();
    capi::decRef(Builtins);
    capi::decRef(Globals);
    return failEach("cannot provide builtins: " + Why);
  }
  capi::decRef(Builtins);
  std::string Source = runSource(Requests);
  Object Ran = capi::runString(Source.c_str(), capi::FileInput, Globals, Globals);
  if (!Ran) {
    std::string Why = takeExceptionText();
    capi::decRef(Globals);
    return failEach("the run of the pending recipes raised " + Why);
  }
  capi::decRef(Ran);
  Object Outcomes = capi::dictGetItemString(Globals, "outcomes");  // borrowed
  const char *Letters = Outcomes ? capi::unicodeAsUtf8(Outcomes) : nullptr;
  if (!Letters)
    capi::errClear();
  bool Reported = Letters && std::strlen(Letters) == Requests.size();
  for (size_t I = 0; I < Requests.size(); ++I)
    Answers.push_back(answerFor(Requests[I], Reported ? Letters[I] : '?', I, Globals));
  capi::decRef(Globals);
  return Answers;
}

Expected<Object> runRecipe(std::string_view Recipe, RecipeResult Kind) {
  RecipeRequest Only[] = {{Recipe, Kind}};
  return std::move(runRecipes(Only).front());
}

}  // namespace pysym::substitutes
