// Fuzz target: pysym::Resolver's name handling (resolve, find, addSymbol,
// removeSymbol) with arbitrary bytes as the name, inside an embedded
// interpreter (fuzz/embedded_host.h: CPython unless PYSYM_EMBEDDED_PYTHON
// says pypy).
//
// Properties, from resolver/resolver.h: no crash, no hang, no leak;
// resolve() answers for the name asked, with address 0 exactly when the
// name is missing; find() gives resolve()'s answer; a name that may be
// registered then finds at its registered address until it is removed,
// after which the earlier answer returns; a registration is refused only
// for an empty name, an embedded NUL or a name the interpreter exports
// (itself or under its profile's alias).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/embedded_host.h"
#include "fuzz/outcome.h"
#include "llvm/ADT/StringRef.h"
#include "pysym/resolver/resolution.h"
#include "pysym/resolver/resolver.h"

namespace {

using pysym::FoundSymbol;
using pysym::Resolution;
using pysym::ResolutionStatus;
using pysym::Resolver;
using pysym::fuzzing::Outcome;

// Never dereferenced: registered symbols are only looked up here.
constexpr std::uint64_t FakeAddress = 0x7f0000001000;

bool sameAnswer(const FoundSymbol &A, const FoundSymbol &B) {
  return A.Status == B.Status && A.Address == B.Address && (!A.found() || A.Kind == B.Kind);
}

void checkRegistration(Resolver &TheResolver, llvm::StringRef Name, const Resolution &Before) {
  const FoundSymbol Earlier = TheResolver.find(Name);
  const pysym::SymbolKind Kind =
      Name.size() % 2 ? pysym::SymbolKind::Data : pysym::SymbolKind::Function;
  if (pysym::Error Err = TheResolver.addSymbol(Name, FakeAddress, Kind)) {
    std::string Message = pysym::toString(std::move(Err));
    const bool Invalid = Name.empty() || Name.contains('\0');
    const bool Interpreters =
        Before.Status == ResolutionStatus::Exact || Before.Status == ResolutionStatus::Alias;
    PYSYM_FUZZ_CHECK(Invalid || Interpreters,
                     "addSymbol refused a name that is valid and not the interpreter's (" +
                         std::string(pysym::toString(Before.Status)) + "): " + Message);
    return;
  }
  const FoundSymbol Registered = TheResolver.find(Name);
  PYSYM_FUZZ_CHECK(Registered.Status == ResolutionStatus::Registered &&
                       Registered.Address == FakeAddress && Registered.Kind == Kind,
                   "a registered name does not find its registration");
  PYSYM_FUZZ_CHECK(TheResolver.resolve(Name).Status == ResolutionStatus::Registered,
                   "resolve() disagrees with find() on a registered name");
  PYSYM_FUZZ_CHECK(TheResolver.removeSymbol(Name), "removeSymbol() lost a registration");
  PYSYM_FUZZ_CHECK(!TheResolver.removeSymbol(Name), "removeSymbol() removed a name twice");
  PYSYM_FUZZ_CHECK(sameAnswer(TheResolver.find(Name), Earlier),
                   "removing a registration did not restore the earlier answer");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  pysym::fuzzing::embeddedHost();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size) {
  Resolver &TheResolver = pysym::fuzzing::embeddedHost().TheResolver;
  const llvm::StringRef Name(reinterpret_cast<const char *>(Data), Size);

  const Resolution R = TheResolver.resolve(Name);
  PYSYM_FUZZ_CHECK(R.Name == Name, "resolve() answered for another name: " + R.Name);
  PYSYM_FUZZ_CHECK((R.Address == 0) == (R.Status == ResolutionStatus::Missing),
                   "address 0 and status " + std::string(pysym::toString(R.Status)) + " disagree");
  PYSYM_FUZZ_CHECK(!pysym::describe(R).empty(), "describe() says nothing");
  const FoundSymbol A = TheResolver.find(Name);
  PYSYM_FUZZ_CHECK(sameAnswer(A, FoundSymbol{R.Address, R.Status, R.Kind}),
                   "find() and resolve() disagree: " + std::string(pysym::toString(A.Status)) + " vs " +
                       pysym::describe(R));

  checkRegistration(TheResolver, Name, R);
  pysym::fuzzing::recordOutcome(R.found() ? Outcome::Accepted : Outcome::Rejected);
  return 0;
}
