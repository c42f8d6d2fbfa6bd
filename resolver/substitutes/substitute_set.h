// pysym's definitions for C-API names an interpreter lacks, bound to the running interpreter's own API.
//
// The catalogue is interpreter-neutral: no Python.h, objects are opaque, and
// every call into the interpreter goes through an address the caller's
// lookup returned for a CPython name. docs/substitutes.md lists each
// definition with its semantic source and its test.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_SET_H
#define PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_SET_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <string_view>

#include "pysym/resolver/resolution.h"
#include "pysym/resolver/substitutes/definition.h"

namespace pysym::substitutes {

/// How to find the interpreter's own C API: the address the interpreter
/// exports for a CPython name (exactly or under an alias), 0 when absent.
using ApiLookup = std::function<std::uint64_t(std::string_view CPythonName)>;

/// How a set is bound.
struct Options {
  /// The running interpreter's profile name ("cpython", "pypy"): decides
  /// which OnlyFor definitions apply.
  std::string Interpreter;
  /// Whether the interpreter's C-API data is initialised (PyPy: cpyext has
  /// started). Data substitutes are created only while it returns true;
  /// empty means always. Called without locks held.
  std::function<bool()> ApiDataReady;
};

/// The answer for one name.
struct Offer {
  std::uint64_t Address = 0;       // 0 when not offered
  SymbolKind Kind = SymbolKind::Function;
  const Definition *Def = nullptr; // null when pysym has no definition by that name
  // For a hit, the semantic source; for a miss, why it is not offered.
  std::string Explanation;
  bool found() const { return Address != 0; }
};

/// The catalogue bound to one interpreter. Thread-safe.
///
/// The bound API lives in process-wide storage (one interpreter per
/// process), so every set in a process shares it, and a data substitute's
/// address is the same from every set once created.
class SubstituteSet {
public:
  /// Binds the catalogue to the running interpreter's API through `Lookup`,
  /// which is called only during bind, for each Need and each data name.
  /// Never fails: a definition whose Needs do not resolve, or resolve to
  /// addresses other than those an earlier bind in this process saw, is
  /// simply not offered, and find() says why.
  static std::unique_ptr<SubstituteSet> bind(const ApiLookup &Lookup, Options Opts = {});
  ~SubstituteSet();

  /// The substitute for `Name`, or why there is none. A function's address
  /// is fixed. A data substitute is created on its first request (unless
  /// createData() made it earlier): its recipe runs through the C API with
  /// the GIL held (PyGILState_Ensure, so the caller may hold it already; see
  /// runRecipes), and the object or cell is kept for the rest of the
  /// process, so the address is stable. A failed creation is remembered by
  /// this set. Data is refused while ApiDataReady() is false, without that
  /// being remembered.
  Offer find(std::string_view Name) const;

  /// Creates, in one run of their recipes, every data substitute this set
  /// offers that is neither created nor failed yet, as find() would one by
  /// one, with the same outcome for each: for a caller about to ask for all
  /// of them (registering or exposing the whole API). Data whose name the
  /// interpreter exports itself (Lookup found it at bind) is left to find(),
  /// since a resolver answers with the interpreter's own. On PyPy each C-API
  /// call is costly, and one run costs less than one per recipe. A recipe's
  /// failure is its own: it is remembered for that name only, and the
  /// others are created. Does nothing while ApiDataReady() is false.
  void createData() const;

  /// The definitions this set offers (applicable, with every Need bound).
  /// Data among them may still fail when first created.
  std::vector<const Definition *> offered() const;

private:
  /// Runs, in one batch, the recipe of each entry of `Wanted` (catalogue
  /// indices of data) that is offered and has neither an object nor a
  /// failure yet, and stores each outcome.
  void createEntries(const std::vector<unsigned> &Wanted) const;

  struct State;
  explicit SubstituteSet(std::unique_ptr<State> S);
  std::unique_ptr<State> S;
};

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_SET_H
