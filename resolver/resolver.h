// Resolves CPython C-API names to what the running interpreter provides.
#ifndef PYSYM_RESOLVER_RESOLVER_H
#define PYSYM_RESOLVER_RESOLVER_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/resolver/interpreter_info.h"
#include "pysym/resolver/name_source.h"
#include "pysym/resolver/resolution.h"
#include "pysym/support/error.h"

namespace pysym {

/// Answers "where is this C-API name?" for the interpreter hosting the process.
///
/// Resolution order for a requested name:
///   1. engine-registered symbols (addSymbol / addObjectSymbol);
///   2. the exact name in the interpreter image;
///   3. the interpreter profile's aliases (PyPy: PyX -> PyPyX, _PyX -> _PyPyX;
///      CPython: version renames such as PyCode_New -> PyUnstable_Code_New);
///   4. the profile's substitutes;
///   5. other loaded images, only for names that are not Python API;
///   6. missing, with what was tried.
/// Python API names (Py*, _Py*) never resolve from images other than the
/// interpreter's, so an extension module exporting one cannot capture it.
///
/// All methods are safe to call from many threads at once.
class Resolver final : public NameSource {
public:
  /// Finds the interpreter among the images loaded in this process, from
  /// their exports (not argv[0] or the environment), including images loaded
  /// RTLD_LOCAL by an embedding host. Fails when no loaded image is a Python
  /// interpreter, or when an image's dynamic section is inconsistent.
  static Expected<std::unique_ptr<Resolver>> forCurrentProcess();

  ~Resolver();

  /// What is known about the interpreter now (ApiDataReady can change).
  InterpreterInfo interpreter() const;

  /// Resolves one name. Never fails: a miss is a Resolution with status
  /// Missing, whose `Tried` and `Note` say why (including an empty name, a
  /// name with an embedded NUL, or PyPy data requested before cpyext started).
  Resolution resolve(std::string_view Name) const override;

  /// The outcome of `resolve` without its explanation, for hot paths such as
  /// a JIT's definition generator. Same order, same answers.
  FoundSymbol find(std::string_view Name) const override;

  /// Step 1 alone: the registration of `Name`, or Missing.
  FoundSymbol findRegistered(std::string_view Name) const override;

  /// As find, without step 1: what the interpreter and pysym's substitutes
  /// give for `Name`, whatever addSymbol and addObjectSymbol registered.
  /// For exposing names to the whole process (exposure.h), where pysym's
  /// own registrations must not leak, and for a JITDylib shared by every
  /// module of a JIT, which may keep these answers.
  FoundSymbol findUnregistered(std::string_view Name) const override;

  /// Every Python API name (Py*, _Py*) that resolves without a
  /// registration: what the interpreter exports, under its own names and
  /// under the CPython names its profile aliases to them (PyPy:
  /// PyLong_FromLong as well as PyPyLong_FromLong), and pysym's substitutes
  /// for this interpreter. Sorted, unique. Names only: find() or resolve()
  /// each for its answer, which may still be Missing for data before the
  /// interpreter is ready or for a data substitute whose creation fails.
  /// For registering a whole API with another linker (llvmlite's add_symbol).
  /// Listed once, on first use.
  const std::vector<std::string> &apiNames() const;

  /// Creates, in one run through the interpreter, every data substitute
  /// (type objects, exception cells) pysym offers here that is not created
  /// yet, each with the outcome its first request would have: for a caller
  /// about to resolve the whole of apiNames(), to whom one run costs less
  /// than one per name on PyPy, where each C-API call is costly. Otherwise
  /// each is created on its first request. Does nothing before the
  /// interpreter's data is ready. Takes the GIL (PyGILState_Ensure), so the
  /// caller may hold it; hold no lock another thread may wait for with the
  /// GIL held.
  void createSubstituteData() const;

  /// Registers `Name` at `Address`, like llvmlite's add_symbol. Registering
  /// the same name again at the same address is harmless; at a different
  /// address it replaces the earlier registration (llvmlite's behaviour).
  /// Fails for an empty name, an embedded NUL or a null address, and, unless
  /// `AllowOverride`, when the interpreter itself exports `Name` (under that
  /// name or an alias).
  Error addSymbol(std::string_view Name, std::uint64_t Address,
                  SymbolKind Kind = SymbolKind::Function, bool AllowOverride = false);

  /// Registers the C address of a live Python object as data named `Name`
  /// (Numba's convention: `PyExc_TypeError` as the class object itself, not
  /// the cell) and takes a new reference to it, so the address stays valid
  /// for the resolver's lifetime. Fails as addSymbol does. The caller holds
  /// the GIL: this changes a reference count.
  Error addObjectSymbol(std::string_view Name, void *Object, bool AllowOverride = false);

  /// Removes a registration; returns whether there was one. The caller holds
  /// the GIL when the registration holds an object (addObjectSymbol).
  bool removeSymbol(std::string_view Name);

private:
  Resolver();
  Error registerSymbol(std::string_view Name, std::uint64_t Address, SymbolKind Kind,
                       void *Object, bool AllowOverride);
  struct Impl;
  std::unique_ptr<Impl> State;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_RESOLVER_H
