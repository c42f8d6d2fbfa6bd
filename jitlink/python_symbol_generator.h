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
#include <utility>
#include <vector>

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/Support/Error.h"
#include "pysym/resolver/resolution.h"
#include "pysym/resolver/name_source.h"

namespace pysym {

/// A JITDylib of interpreter names (every answer of the resolver but
/// registrations) shared by many JITDylibs, which link against it and whose
/// generators define each name in it once, as a link first needs it.
///
/// It must have no generator, since every link searches it: on LLVM 19,
/// ORC suspends a lookup that reaches a generator another thread's lookup
/// is running, and resumes it later on that thread, after the suspended
/// lookup's caller has returned. RuntimeDyld's linking layer (LLVM 19;
/// fixed in LLVM 20 by llvm-project#106300) hands its link's lookup a
/// callback into its own stack frame (RegisterDependencies, which reaches
/// the link's dependence map through the layer's resolver, a local of
/// RTDyldObjectLinkingLayer::emit), so a link resumed that way writes
/// through a dead frame, and crashes once the frame is reused. A generator
/// of a JITDylib whose links run one at a time is never reached that way.
class SharedInterpreterNames {
public:
  explicit SharedInterpreterNames(llvm::orc::JITDylib &JD) : JD(JD) {}
  SharedInterpreterNames(const SharedInterpreterNames &) = delete;
  SharedInterpreterNames &operator=(const SharedInterpreterNames &) = delete;

  llvm::orc::JITDylib &dylib() const { return JD; }
  /// For each name of \p Names (linker-mangled), in order, whether it is
  /// defined here. One lock for the whole set: a link asks about every name
  /// its module's JITDylib lacks.
  std::vector<bool> defines(const llvm::orc::SymbolLookupSet &Names) const;
  /// Defines each of \p Found not defined here yet, as an absolute symbol
  /// (callable for functions); the number defined. Safe from any thread:
  /// a name two threads define at once is defined once.
  llvm::Expected<std::size_t> define(
      const std::vector<std::pair<llvm::orc::SymbolStringPtr, FoundSymbol>> &Found);

private:
  llvm::orc::JITDylib &JD;
  mutable std::mutex Lock;
  // The names defined in JD (never removed: the answers never change), by
  // the address of their entry in the session's string pool: JD's symbol
  // table holds each entry, so an address names one string while JD lives,
  // and comparing addresses spares hashing each name of each link.
  llvm::DenseSet<const void *> Defined;  // guarded by Lock
  static const void *key(const llvm::orc::SymbolStringPtr &Name) { return (*Name).data(); }
};

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
/// A JIT with many JITDylibs can have each name defined once, not once per
/// JITDylib (the engine does; jit-authors.md): each JITDylib's generator,
/// created with one SharedInterpreterNames, defines registrations in its
/// own JITDylib and every other answer, once, in the shared one, which each
/// of them links against and which has no generator of its own. Answers
/// that never change are shared; a registration changed later is seen by
/// the links after it.
///
/// Safe to call from several threads: ORC serializes calls per generator,
/// and the recorded misses are guarded for readers on other threads.
///
/// Example (LLJIT's main JITDylib; jit-authors.md has the whole story):
///   JD.addGenerator(PythonSymbolGenerator::create(Resolver, J->getDataLayout()));
class PythonSymbolGenerator : public llvm::orc::DefinitionGenerator {
public:
  /// A generator that asks \p TheResolver, which must outlive it, for the
  /// names of code laid out by \p Layout, and defines every answer in the
  /// JITDylib it is attached to.
  static std::unique_ptr<PythonSymbolGenerator> create(const NameSource &TheResolver,
                                                       const llvm::DataLayout &Layout);
  /// The same, defining registrations in its JITDylib and every other
  /// answer in \p Shared's (which that JITDylib must link against).
  static std::unique_ptr<PythonSymbolGenerator> create(
      const NameSource &TheResolver, const llvm::DataLayout &Layout,
      std::shared_ptr<SharedInterpreterNames> Shared);

  llvm::Error tryToGenerate(llvm::orc::LookupState &State, llvm::orc::LookupKind Kind,
                            llvm::orc::JITDylib &JD,
                            llvm::orc::JITDylibLookupFlags JDLookupFlags,
                            const llvm::orc::SymbolLookupSet &LookupSet) override;

  /// The names this generator could not define, each once, in the order
  /// first asked for, with the resolver's explanation (Resolution::Name is
  /// the unmangled name); the most recent MissesKept of them. A name that
  /// resolves on a later request is dropped from the list.
  std::vector<Resolution> misses() const;
  static constexpr std::size_t MissesKept = 1024;

  /// Explains \p LookupError, a failed lookup whose link went through this
  /// generator: a MissingSymbolsError listing misses() for \p Module when
  /// there are any (ORC's own message names only the symbols whose
  /// materialization failed, not the missing ones), else \p LookupError
  /// unchanged. Success stays success. A generator may serve the links of
  /// several modules, so the list can be narrowed: to the names
  /// \p Referenced holds, when given (the names the module refers to), and
  /// of those, when \p Reported (the names ORC reported not found for this
  /// link) names some, to those. The one explanation of misses: the engine
  /// explains its lookups through it.
  llvm::Error explainFailure(llvm::Error LookupError, llvm::StringRef Module,
                             const llvm::StringSet<> &Reported = llvm::StringSet<>(),
                             const llvm::StringSet<> *Referenced = nullptr) const;

  /// What the generator has done, for measuring its share of link time.
  struct Statistics {
    std::uint64_t Calls = 0;    // tryToGenerate calls
    std::uint64_t Defined = 0;  // names defined
    std::uint64_t Missed = 0;   // names left undefined (weak ones included)
    std::chrono::nanoseconds Time{0};  // wall time inside tryToGenerate
    // The part of Time spent asking the resolver, before ORC defines what
    // was found (which any generator pays).
    std::chrono::nanoseconds ResolveTime{0};

    Statistics &operator+=(const Statistics &Other) {
      Calls += Other.Calls;
      Defined += Other.Defined;
      Missed += Other.Missed;
      Time += Other.Time;
      ResolveTime += Other.ResolveTime;
      return *this;
    }
  };
  Statistics statistics() const;

private:
  PythonSymbolGenerator(const NameSource &TheResolver, char GlobalPrefix,
                        std::shared_ptr<SharedInterpreterNames> Shared)
      : TheResolver(TheResolver), GlobalPrefix(GlobalPrefix), Shared(std::move(Shared)) {}
  void recordMiss(Resolution Miss);
  void forgetMiss(llvm::StringRef Name);
  void eraseMiss(std::size_t Index);  // needs MissesLock

  const NameSource &TheResolver;
  const char GlobalPrefix;  // '\0' when the layout has none
  const std::shared_ptr<SharedInterpreterNames> Shared;  // null: every answer here

  mutable std::mutex MissesLock;
  std::vector<Resolution> Misses;  // guarded by MissesLock
  llvm::StringMap<std::size_t> MissIndex;  // name -> index in Misses; guarded
  std::atomic<bool> AnyMisses{false};  // lets hits skip the lock

  std::atomic<std::uint64_t> Calls{0}, Defined{0}, Missed{0};
  std::atomic<std::int64_t> Nanoseconds{0}, ResolveNanoseconds{0};
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_PYTHON_SYMBOL_GENERATOR_H
