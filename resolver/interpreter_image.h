// The interpreter image found in the running process, and lookups in it.
#ifndef PYSYM_RESOLVER_INTERPRETER_IMAGE_H
#define PYSYM_RESOLVER_INTERPRETER_IMAGE_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/resolver/interpreter_info.h"
#include "pysym/resolver/profile.h"
#include "pysym/resolver/resolution.h"
#include "pysym/resolver/resolution_order.h"
#include "pysym/resolver/substitutes/substitute_set.h"
#include "pysym/support/error.h"
#include "pysym/symtab/symbol_index.h"

namespace pysym {

/// The image that exports the C API in this process (a CPython executable,
/// libpython, or libpypy), pinned for as long as this object lives, with
/// pysym's substitutes bound to its API. Thread-safe.
class InterpreterImage final : public ResolutionSources {
public:
  /// Finds the interpreter among the loaded images, judging each by its
  /// exports through every known profile. Fails when no image is one, naming
  /// the images that were examined.
  static Expected<std::unique_ptr<InterpreterImage>> findInCurrentProcess();

  ~InterpreterImage() override;

  /// What is known now. ApiDataReady is read afresh, and on PyPy the full
  /// version string appears once cpyext has started (asking earlier would
  /// start it).
  InterpreterInfo info() const;
  const std::string &imagePath() const { return Info.ImagePath; }
  const InterpreterProfile &profile() const { return *Profile; }
  PythonVersion version() const { return Version; }

  /// Found fills `Def` with the run-time address: the default version of a
  /// versioned name, and the implementation the loader selected for an
  /// IFUNC. Refused (with `Why`) for a thread-local name, which has no single
  /// address, and for data before the interpreter has initialised it (PyPy
  /// before cpyext starts).
  Lookup findInInterpreter(std::string_view Name, Definition &Def, std::string &Why) const override;

  /// pysym's substitute for `Name`, bound to this interpreter's API.
  SubstituteOffer findSubstitute(std::string_view Name) const override;

  /// The address of a CPython name in the interpreter, exact or through the
  /// profile's aliases; 0 when absent or not ready. For substitutes and for
  /// the resolver (reference counting, and which names registrations may
  /// not replace).
  std::uint64_t apiAddress(std::string_view CPythonName) const;

  /// A definition of `Name` in a loaded image other than the interpreter:
  /// first what dlsym(RTLD_DEFAULT) finds, then images loaded RTLD_LOCAL.
  std::optional<OtherDefinition> findInOtherImages(std::string_view Name) const override;

  /// Each name the image exports that new code binds to, as
  /// findInInterpreter chooses: the default version or an unversioned one,
  /// not thread-local. In symbol-table order, possibly repeated; views into
  /// the image's string table, valid while this object lives.
  std::vector<std::string_view> boundExports() const;

  /// The substitutes bound to this interpreter's API (applicable, every
  /// Need bound). Data among them may still fail when first created.
  std::vector<const substitutes::Definition *> offeredSubstitutes() const;

  /// Creates every data substitute offered here that is not created yet, in
  /// one run (SubstituteSet::createData).
  void createSubstituteData() const;

  /// Whether the interpreter's C-API data is initialised (always on CPython;
  /// on PyPy once cpyext has started). Cheap: one load once it is true.
  bool apiDataReady() const;

private:
  InterpreterImage() = default;
  void bindSubstitutes();
  std::string fullVersion() const;

  const InterpreterProfile *Profile = nullptr;
  InterpreterInfo Info;
  PythonVersion Version;
  std::unique_ptr<symtab::SymbolIndex> Exports;
  void *Handle = nullptr;  // pins the image; also resolves IFUNCs
  std::uintptr_t ReadinessObject = 0;
  mutable std::atomic<bool> DataReady{false};
  std::uintptr_t VersionFunction = 0;
  mutable std::once_flag VersionRead;
  mutable std::string FullVersion;  // written once, under VersionRead
  std::unique_ptr<substitutes::SubstituteSet> Substitutes;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_INTERPRETER_IMAGE_H
