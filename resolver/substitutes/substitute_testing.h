// Test support: binds a SubstituteSet to the interpreter this test process embeds.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_TESTING_H
#define PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_TESTING_H

#include <cstdint>
#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "pysym/resolver/substitutes/substitute_set.h"
#include "tests/embedded_python.h"

namespace pysym::substitutes::testing {

using pysym::testing::EmbeddedPython;
using pysym::testing::Flavor;
using pysym::testing::PyObjectPtr;

/// The address the embedded interpreter exports for a CPython name: the
/// name itself on CPython; on PyPy its PyPy alias, else the name itself
/// (PyPy exports a few unprefixed). A test's stand-in for the resolver.
std::uint64_t lookupInEmbedded(const EmbeddedPython &Python, llvm::StringRef CPythonName);

/// Starts the C API if needed (PyPy: import cpyext) and binds a set to the
/// embedded interpreter, named by its flavour, with ApiDataReady from
/// cApiReady().
llvm::Expected<std::unique_ptr<SubstituteSet>> bindToEmbedded(EmbeddedPython &Python);

/// The substitute for `Name` as a typed function pointer; nullptr (and a
/// test failure naming the reason) when the set does not offer it.
template <typename Fn> Fn *substituteFunction(const SubstituteSet &Set, llvm::StringRef Name) {
  Offer Found = Set.find(Name);
  EXPECT_TRUE(Found.found()) << Name.str() << ": " << Found.Explanation;
  EXPECT_EQ(Found.Kind, SymbolKind::Function) << Name.str();
  return reinterpret_cast<Fn *>(Found.Address);
}

/// A new reference, released (under the GIL) when the holder goes away.
class Owned {
public:
  Owned() = default;
  Owned(EmbeddedPython &Python, PyObjectPtr Object) : Python(&Python), Object(Object) {}
  Owned(Owned &&Other) noexcept : Python(Other.Python), Object(Other.Object) { Other.Object = nullptr; }
  Owned &operator=(Owned &&Other) noexcept;
  ~Owned() { reset(); }
  PyObjectPtr get() const { return Object; }
  explicit operator bool() const { return Object != nullptr; }
  void reset();

private:
  EmbeddedPython *Python = nullptr;
  PyObjectPtr Object = nullptr;
};

/// Evaluates `Expression` in the embedded `__main__`; an empty Owned, and a
/// test failure with the reason, when it fails. Call it without holding a
/// GilGuard.
Owned evaluate(EmbeddedPython &Python, llvm::StringRef Expression);

/// The embedded interpreter's truth value of `Expression` (evaluated in
/// `__main__`): 1, 0, or -1 (with a test failure) when it cannot be computed.
int truth(EmbeddedPython &Python, llvm::StringRef Expression);

/// The UTF-8 text of str(`Object`), read through the C API (GIL taken).
std::string strOf(EmbeddedPython &Python, PyObjectPtr Object);

/// Whether `Name`'s data cannot be created in this test process, as
/// `Explanation` says: an RTLD_LOCAL-embedded CPython cannot load
/// lib-dynload's _contextvars; PyPy 3.9 (Python 3.9) has no
/// BaseExceptionGroup (3.11) or EncodingWarning (3.10).
bool dataCannotBeCreatedHere(Flavor F, const std::string &Name, const std::string &Explanation);

/// While alive, no recipe can run in the embedded interpreter: `import
/// builtins` fails there (sys.modules['builtins'] is None), so a data
/// substitute found meanwhile was created before. Construct and destroy it
/// without holding a GilGuard.
class RecipesBlocked {
public:
  explicit RecipesBlocked(EmbeddedPython &Python);
  ~RecipesBlocked();
  RecipesBlocked(const RecipesBlocked &) = delete;
  RecipesBlocked &operator=(const RecipesBlocked &) = delete;

private:
  EmbeddedPython &Python;
};

}  // namespace pysym::substitutes::testing

#endif  // PYSYM_RESOLVER_SUBSTITUTES_SUBSTITUTE_TESTING_H
