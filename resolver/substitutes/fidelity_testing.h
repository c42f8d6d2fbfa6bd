// Test support: table-driven fidelity checks of function substitutes against CPython's own exports and Python-level expectations.
//
// A case gives the arguments as a Python tuple expression, the expected
// result as a Python expression (or "!ErrorName" / "!ErrorName: message"),
// ("*": any result, of the same type as CPython's), and optionally
// statements to run first and an assertion to check after.
// Each case runs pysym's substitute and checks the expectation, on every
// interpreter. In a CPython process it also runs CPython's own export on the
// same inputs and requires the same outcome: equal result of the same type,
// or the same exception type and message; after a success, the same
// reference-count change of every object argument; and, when both return
// the same object (not a singleton such as None), the same reference count
// on it (new against borrowed).
//
// Argument conversions: PyObjectPtr from the object (the prelude's NULL
// marker for a null pointer); const char * from bytes (None for NULL);
// const wchar_t * from bytes made by W('text'); integers from int; Size * and
// int * from an int (the initial value; NULL for a null pointer), whose
// final values the assertion sees as `outs`; PyObjectPtr * as an output
// object (`outs` too). Results: objects as they are (NULL without an
// exception as the NULL marker), integers as int, double as float,
// const char * as bytes, wchar_t * as str, void as None.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_H
#define PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes::testing {

using Size = std::ptrdiff_t;

struct Case {
  const char *Args;        // a Python tuple, e.g. "(b'utf-8', None)"
  // The result's expression; "!TypeError[: message]" for an exception; "*"
  // for any result of the same type as CPython's, left to Check.
  const char *Expect;
  const char *Check = "";  // an assertion evaluated after the call; sees got, outs, args
  const char *Setup = "";  // statements run before each call
};

/// How the result's reference is owned.
enum class Reference { New, Borrowed };

/// Starts the interpreter, binds the substitutes and runs the prelude; a
/// fixture's SetUp. Skips by name when the interpreter library is absent.
class FidelityTest : public ::testing::Test {
protected:
  void SetUp() override;

  bool onCPython() const { return Python->flavor() == Flavor::CPython; }

  /// Runs every case for `Name` with the signature Fn.
  template <typename Fn>
  void check(const char *Name, const std::vector<Case> &Cases, Reference Ref = Reference::New,
             bool CompareMessages = true);

  /// The same with the functions given: `Theirs` is CPython's (or a
  /// wrapper around it), nullptr outside CPython.
  template <typename Fn>
  void checkFunctions(const char *Name, Fn *Ours, Fn *Theirs, const std::vector<Case> &Cases,
                      Reference Ref = Reference::New, bool CompareMessages = true);

  EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;

private:
  // One run's outcome, in the namespace as `got`/`outs` (and `theirs_got`).
  struct Outcome {
    bool Raised = false;
    PyObjectPtr Result = nullptr;          // when not raised; borrowed from the namespace
    bool ObjectResult = false;             // the function returned a PyObject *, not NULL
    std::intptr_t ResultRefCount = 0;      // CPython: right after the call
    std::vector<std::intptr_t> ArgDeltas;  // CPython: per object argument
  };
  template <typename R, typename... A>
  Outcome run(R (*Function)(A...), const Case &C, const char *Name, Reference Ref);
  void compare(const char *Name, const Case &C, const Outcome &Ours, const Outcome *Theirs,
               bool CompareMessages);

public:
  // Conversion support, used by the templates in fidelity_testing.cc's header part.
  struct Api;
  const Api &api() const { return *TheApi; }

private:
  std::shared_ptr<Api> TheApi;
};

}  // namespace pysym::substitutes::testing

#include "pysym/resolver/substitutes/fidelity_testing_impl.h"

#endif  // PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_H
