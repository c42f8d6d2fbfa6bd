// The answer the resolver gives for one name, with its explanation.
#ifndef PYSYM_RESOLVER_RESOLUTION_H
#define PYSYM_RESOLVER_RESOLUTION_H

#include <cstdint>
#include <string>
#include <vector>
#include <string_view>


namespace pysym {

/// How a name was resolved, in the order the resolver tries them.
enum class ResolutionStatus {
  Registered,  // added by the engine (add_symbol / add_object_symbol)
  Exact,       // the name itself, exported by the interpreter image
  Alias,       // another name the interpreter exports for it (PyPyX for PyX)
  Substitute,  // a pysym definition for what the interpreter lacks
  System,      // not Python API: found in another loaded image (memcpy, sin)
  Missing,     // none of the above; `Tried` says what was tried
};

/// What the address points at. Code calls a Function; a Data address is the
/// storage itself (a PyObject, or a PyObject * cell for PyExc_X).
enum class SymbolKind { Function, Data };

std::string_view toString(ResolutionStatus Status);
std::string_view toString(SymbolKind Kind);

/// Where a name resolves, without the explanation: the hot paths' answer
/// (Resolver::find, a JIT's definition generator).
struct FoundSymbol {
  std::uint64_t Address = 0;  // 0 exactly when Status is Missing
  ResolutionStatus Status = ResolutionStatus::Missing;
  SymbolKind Kind = SymbolKind::Function;

  bool found() const { return Status != ResolutionStatus::Missing; }
};

/// One resolution, explained.
struct Resolution {
  std::string Name;                 // as requested
  ResolutionStatus Status = ResolutionStatus::Missing;
  std::uint64_t Address = 0;        // 0 exactly when Status is Missing
  std::string Target;               // the name actually found, e.g. PyPyLong_FromLong
  std::string Image;                // the image it came from, or "<pysym>"/"<registered>"
  SymbolKind Kind = SymbolKind::Function;
  // Each attempt, in order, with why it failed (for a hit, the ones before it).
  std::vector<std::string> Tried;
  // Anything else worth saying: other images that define the name too, the
  // semantic source of a substitute, or why a miss is final.
  std::string Note;

  bool found() const { return Status != ResolutionStatus::Missing; }
};

/// One line for humans, e.g.
/// `PyLong_FromLong -> PyPyLong_FromLong (alias, function) in /usr/lib/.../libpypy3.9-c.so`.
std::string describe(const Resolution &R);

}  // namespace pysym

#endif  // PYSYM_RESOLVER_RESOLUTION_H
