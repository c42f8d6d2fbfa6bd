// An interpreter analysed from its files on disk, without running it.
#ifndef PYSYM_RESOLVER_OFFLINE_INTERPRETER_H
#define PYSYM_RESOLVER_OFFLINE_INTERPRETER_H

#include <memory>
#include <string>
#include <vector>
#include <string_view>
#include <unordered_map>

#include "pysym/resolver/interpreter_info.h"
#include "pysym/resolver/resolution_order.h"
#include "pysym/support/error.h"
#include "pysym/symtab/elf_file.h"

namespace pysym {

/// The files an interpreter runs from (its executable and the libraries it
/// needs, found as the dynamic loader would), and how a kernel's names would
/// resolve against them. Answers as Resolver does, except that addresses are
/// the files' symbol values, substitutes have no address (nothing is bound),
/// and nothing is ever registered.
class OfflineInterpreter final : public ResolutionSources {
public:
  /// Reads `Path` (an interpreter executable, or the library that exports the
  /// C API) and, transitively, the libraries it needs. Fails, naming the
  /// file, when `Path` is not a readable x86-64 ELF file, or when none of the
  /// files exports a Python C API. A needed library that cannot be found or
  /// read is recorded in unresolvedLibraries(), not an error.
  static Expected<std::unique_ptr<OfflineInterpreter>> analyze(std::string_view Path);

  /// What the files say. Version comes from the file names (FullVersion is
  /// empty: reading it would mean running the interpreter).
  const InterpreterInfo &info() const { return Info; }

  /// Every file read, the starting one first, in breadth-first DT_NEEDED order.
  const std::vector<std::string> &images() const { return ImagePaths; }
  /// DT_NEEDED names that were not found or not readable, with the reason.
  const std::vector<std::string> &unresolvedLibraries() const { return Unresolved; }

  /// The names the interpreter image exports (defined, default version).
  std::vector<std::string> exportedNames() const;

  /// Resolves `Name` in the order documented on Resolver, explained.
  Resolution resolve(std::string_view Name) const;

  // ResolutionSources.
  const InterpreterProfile &profile() const override { return *Profile; }
  PythonVersion version() const override { return Version; }
  const std::string &imagePath() const override { return Info.ImagePath; }
  Lookup findInInterpreter(std::string_view Name, Definition &Def, std::string &Why) const override;
  SubstituteOffer findSubstitute(std::string_view Name) const override;
  std::optional<OtherDefinition> findInOtherImages(std::string_view Name) const override;

private:
  OfflineInterpreter() = default;

  std::vector<std::unique_ptr<symtab::ElfFile>> Files;
  std::vector<std::string> ImagePaths;
  std::vector<std::string> Unresolved;
  const symtab::ElfFile *Interpreter = nullptr;
  const InterpreterProfile *Profile = nullptr;
  PythonVersion Version;
  InterpreterInfo Info;
  // Name -> the definition a new reference binds to (default or unversioned),
  // for the interpreter image and, in load order, for the others.
  // Keys are the names in Files' symbols, which live as long as this does.
  std::unordered_map<std::string_view, const symtab::Symbol *> InterpreterExports;
  std::unordered_map<std::string_view, std::pair<const symtab::Symbol *, const symtab::ElfFile *>>
      OtherExports;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_OFFLINE_INTERPRETER_H
