// An ORC definition generator that answers a JITDylib's lookups of C-API
// names through pysym's resolver.
#ifndef PYSYM_JITLINK_PYTHON_SYMBOL_GENERATOR_H
#define PYSYM_JITLINK_PYTHON_SYMBOL_GENERATOR_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/Support/Error.h"
#include "pysym/resolver/resolution.h"
#include "pysym/resolver/name_source.h"

namespace pysym {

/// Attached to a JITDylib, defines each name a lookup asks for that the
/// JITDylib lacks and the resolver finds, as an absolute symbol at the
/// resolver's address: functions as exported callable symbols, data as
/// exported non-callable ones. A name the resolver cannot find is left
/// undefined, so ORC reports it; that is not an error here. The generator
/// records the miss's Resolution, and explainFailure() turns the lookup's
/// failure into a MissingSymbolsError that names each missing symbol and
/// what was tried. Weak references that miss are not recorded: they link
/// as null (JITLink; LLVM 14's RuntimeDyld asks for extern_weak names as
/// required, so there a miss fails the link and is reported like others).
///
/// ORC asks with linker-mangled names; the generator strips the data
/// layout's global prefix (none on ELF x86-64, '_' on Mach-O) before asking
/// the resolver.
///
/// Safe to call from several threads: ORC serializes calls per JITDylib,
/// and the recorded misses are guarded for readers on other threads.
///
/// Example (LLJIT's main JITDylib; jit-authors.md has the whole story):
///   JD.addGenerator(PythonSymbolGenerator::create(Resolver, J->getDataLayout()));
class PythonSymbolGenerator : public llvm::orc::DefinitionGenerator {
public:
  /// A generator that asks \p TheResolver, which must outlive it, for the
  /// names of code laid out by \p Layout.
  static std::unique_ptr<PythonSymbolGenerator> create(const NameSource &TheResolver,
                                                       const llvm::DataLayout &Layout);

  llvm::Error tryToGenerate(llvm::orc::LookupState &State, llvm::orc::LookupKind Kind,
                            llvm::orc::JITDylib &JD,
                            llvm::orc::JITDylibLookupFlags JDLookupFlags,
                            const llvm::orc::SymbolLookupSet &LookupSet) override;

  /// The names this generator could not define, each once, in the order
  /// first asked for, with the resolver's explanation (Resolution::Name is
  /// the unmangled name). A name that resolves on a later request is
  /// dropped from the list.
  std::vector<Resolution> misses() const;

  /// Explains \p LookupError, a failed lookup in this generator's
  /// JITDylib: a MissingSymbolsError listing misses() for \p Module when
  /// there are any (ORC's own message names only the symbols whose
  /// materialization failed, not the missing ones), else \p LookupError
  /// unchanged. Success stays success. When \p Reported (the names ORC
  /// reported not found for this link) names some of the misses, only
  /// those are listed: a JITDylib shared by several modules may hold misses
  /// of the others' links too. The one explanation of misses: the engine
  /// explains its lookups through it.
  llvm::Error explainFailure(llvm::Error LookupError, llvm::StringRef Module,
                             const llvm::StringSet<> &Reported = llvm::StringSet<>()) const;

  /// What the generator has done, for measuring its share of link time.
  struct Statistics {
    std::uint64_t Calls = 0;    // tryToGenerate calls
    std::uint64_t Defined = 0;  // names defined
    std::uint64_t Missed = 0;   // names left undefined (weak ones included)
    std::chrono::nanoseconds Time{0};  // wall time inside tryToGenerate
    // The part of Time spent asking the resolver, before ORC defines what
    // was found (which any generator pays).
    std::chrono::nanoseconds ResolveTime{0};
  };
  Statistics statistics() const;

private:
  PythonSymbolGenerator(const NameSource &TheResolver, char GlobalPrefix)
      : TheResolver(TheResolver), GlobalPrefix(GlobalPrefix) {}
  void recordMiss(Resolution Miss);
  void forgetMiss(llvm::StringRef Name);

  const NameSource &TheResolver;
  const char GlobalPrefix;  // '\0' when the layout has none

  mutable std::mutex MissesLock;
  std::vector<Resolution> Misses;  // guarded by MissesLock
  llvm::StringMap<std::size_t> MissIndex;  // name -> index in Misses; guarded
  std::atomic<bool> AnyMisses{false};  // lets hits skip the lock

  std::atomic<std::uint64_t> Calls{0}, Defined{0}, Missed{0};
  std::atomic<std::int64_t> Nanoseconds{0}, ResolveNanoseconds{0};
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_PYTHON_SYMBOL_GENERATOR_H
