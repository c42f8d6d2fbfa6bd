// A JIT for kernels that call the Python C API by CPython's names: LLVM's
// LLJIT with pysym's definition generator behind every module.
#ifndef PYSYM_JITLINK_ENGINE_H
#define PYSYM_JITLINK_ENGINE_H

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/linker.h"
#include "pysym/jitlink/object_cache.h"
#include "pysym/jitlink/python_symbol_generator.h"
#include "pysym/resolver/name_source.h"

namespace llvm::orc {
class LLJIT;
}

namespace pysym {

namespace engine_internals {
struct ModuleNames;
}

struct EngineOptions {
  /// LLVM's default pipeline at -O0 .. -O3, and the code generator's level.
  unsigned OptLevel = 2;
  /// RuntimeDyld compiles with the large code model and static
  /// relocations; JITLink with the small code model and PIC. Both reach
  /// interpreter data anywhere in the address space. The engine never
  /// pairs RuntimeDyld with the small code model, whose 32-bit
  /// displacements RuntimeDyld silently truncates.
  Linker Link = Linker::RuntimeDyld;
  /// A directory of compiled objects (object_cache.h), which any number of
  /// engines and processes, in any interpreter, may share; empty for none.
  /// A module added as IR or bitcode whose entry is there is linked from it
  /// instead of compiled; otherwise it is compiled on first lookup and its
  /// object stored. An entry is used only when it passes checkObject, as
  /// addObject's input does; one that does not is ignored (see
  /// EngineCacheStatus) and the module compiled. A directory that cannot be
  /// created or written leaves the engine working uncached (see
  /// EngineCacheStatus::Unavailable): create() does not fail for it.
  std::string CacheDirectory;
};

/// What an engine's object cache has done (Engine::cacheStatus).
struct EngineCacheStatus {
  std::string Directory;    // EngineOptions::CacheDirectory
  bool Enabled = false;     // entries are read and written
  std::string Unavailable;  // why not, when a directory was given
  ObjectCacheStatistics Statistics;
  /// Modules this engine compiled, cached or not.
  std::uint64_t Compiles = 0;
};

/// Names one added module. Value 0 never names a module.
struct ModuleHandle {
  std::uint64_t Id = 0;
  friend bool operator==(ModuleHandle A, ModuleHandle B) { return A.Id == B.Id; }
  friend bool operator!=(ModuleHandle A, ModuleHandle B) { return A.Id != B.Id; }
};

/// Compiles and links kernels inside the running interpreter's process.
///
/// Each added module gets its own JITDylib (so two kernels may define the
/// same name). Every name a module does not define itself goes through the
/// resolver, none through the process's symbol table: the generator of the
/// module's JITDylib, when the module links, defines the names registered
/// with the resolver there, and every other name the resolver finds once
/// per engine, in a JITDylib that every module's links against
/// (SharedInterpreterNames). A module added `Beside` another shares that
/// one's JITDylib instead, so the two link to each other.
///
/// Modules are compiled and linked on first lookup (ORC's lazy emission),
/// so a missing symbol is reported by lookup, as a MissingSymbolsError
/// naming each missing name and what the resolver tried. No error is
/// printed: the engine captures what ORC would print to stderr.
///
/// Input never aborts the process. Each failure a caller may handle
/// differently has its type (engine_errors.h, missing_symbols_error.h):
///  - RejectedInputError: IR or bitcode that does not parse (Check::Parse),
///    a module the verifier rejects or LLVM cannot compile (Check::Module,
///    see checkModule), a truncated, foreign or unsafe object (Check::Object,
///    see checkObject), a definition that clashes within its JITDylib
///    (Check::Definitions);
///  - UnknownModuleError: a handle never issued, or removed;
///  - UndefinedSymbolError, AmbiguousSymbolError: see lookup;
///  - MissingSymbolsError: a link that needs names nothing defines.
/// Any other failure (ORC's, the code generator's, the system's) is a
/// plain string error.
///
/// All methods are safe to call from several threads at once; modules in
/// different JITDylibs compile and link in parallel, each on the thread
/// that looks it up. `TheResolver` (the process's Resolver, resolver.h, or
/// another NameSource) must outlive the engine.
class Engine {
public:
  /// Fails when OptLevel is above 3 or LLVM cannot target the host.
  static llvm::Expected<std::unique_ptr<Engine>> create(const NameSource &TheResolver,
                                                        EngineOptions Options = {});
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  /// Adds LLVM IR text (LLVM 14 syntax, typed or opaque pointers). \p Name
  /// labels the module in errors; it need not be unique.
  llvm::Expected<ModuleHandle> addIR(llvm::StringRef Text, llvm::StringRef Name,
                                     std::optional<ModuleHandle> Beside = std::nullopt);
  /// Adds LLVM bitcode.
  llvm::Expected<ModuleHandle> addBitcode(llvm::ArrayRef<std::uint8_t> Bytes, llvm::StringRef Name,
                                          std::optional<ModuleHandle> Beside = std::nullopt);
  /// Adds an ELF x86-64 relocatable object, checked with checkObject for
  /// this engine's linker first.
  llvm::Expected<ModuleHandle> addObject(llvm::ArrayRef<std::uint8_t> Bytes, llvm::StringRef Name,
                                         std::optional<ModuleHandle> Beside = std::nullopt);

  /// The address of \p Symbol (a C name, unmangled), which \p Module must
  /// define; compiles and links the module if this is its first lookup.
  /// Fails with UnknownModuleError for a handle that names no live module,
  /// UndefinedSymbolError when the module does not define \p Symbol, and
  /// MissingSymbolsError (or a plain error) when the link fails.
  llvm::Expected<std::uint64_t> lookup(ModuleHandle Module, llvm::StringRef Symbol);
  /// As above, in the module definer(\p Symbol) names.
  llvm::Expected<std::uint64_t> lookup(llvm::StringRef Symbol);
  /// The live module a lookup without a handle answers \p Symbol from: the
  /// one module that defines it; or, when several do and every one of them
  /// by the one-definition rule (linkonce_odr or weak_odr IR, as Numba
  /// repeats NRT_incref in each module), the oldest of them, since such
  /// definitions are interchangeable. Fails with UndefinedSymbolError when
  /// no live module defines it, and AmbiguousSymbolError when several do and
  /// any of them not by that rule (look those up through a handle). An
  /// added object's definitions never count as ODR: its symbol table cannot
  /// say. Compiles nothing.
  /// Example: modules #1 and #2 both define `linkonce_odr @NRT_incref`:
  /// definer("NRT_incref") is #1, and #2 once #1 is removed.
  llvm::Expected<ModuleHandle> definer(llvm::StringRef Symbol) const;

  /// Unloads \p Module and frees its code and data (and its JITDylib once
  /// no module uses it). Its addresses must no longer be called. Fails with
  /// UnknownModuleError for an unknown or already removed handle.
  llvm::Error remove(ModuleHandle Module);

  /// What the engine's generators have done, summed over all of them,
  /// those of removed modules included: for measuring their share of link
  /// time (jitlink/benchmarks/link_benchmark.cc).
  PythonSymbolGenerator::Statistics generatorStatistics() const;

  const EngineOptions &options() const { return Options; }
  EngineCacheStatus cacheStatus() const;
  /// The models this engine compiles with (see EngineOptions::Link).
  llvm::CodeModel::Model codeModel() const;
  llvm::Reloc::Model relocationModel() const;

private:
  struct Library;
  struct LoadedModule;
  struct ErrorCapture;
  struct Placement;

  Engine(const NameSource &TheResolver, EngineOptions Options);
  llvm::Error initialize();
  llvm::Expected<ModuleHandle> addParsed(std::unique_ptr<llvm::Module> M,
                                         std::unique_ptr<llvm::LLVMContext> Context,
                                         llvm::StringRef Bytes, llvm::StringRef Name,
                                         std::optional<ModuleHandle> Beside);
  void openCache();
  // The cached object of a module given as \p Bytes that passes the object
  // checks, or null; \p Key receives its key.
  std::unique_ptr<llvm::MemoryBuffer> loadCached(llvm::StringRef Bytes, std::string &Key);
  llvm::Expected<Placement> place(llvm::StringRef Name, std::optional<ModuleHandle> Beside);
  ModuleHandle commit(Placement Where, std::string Name, engine_internals::ModuleNames Names);
  void abandon(Placement &Where);
  llvm::Error explainAddFailure(llvm::Error Err, llvm::StringRef Name, const Library &Lib);
  llvm::Error explainLookupFailure(llvm::Error Err, const LoadedModule &M, llvm::StringRef Symbol,
                                   ErrorCapture &Captured);
  llvm::Expected<std::shared_ptr<LoadedModule>> find(ModuleHandle Module) const;
  void reportSessionError(llvm::Error Err);
  void releaseLibrary(const std::shared_ptr<Library> &Lib);
  void sweepSymbolNames();

  const NameSource &TheResolver;
  const EngineOptions Options;
  std::unique_ptr<llvm::orc::LLJIT> Jit;
  // The JITDylib in every module's link order, which the modules'
  // generators fill.
  std::shared_ptr<SharedInterpreterNames> InterpreterNames;
  struct TargetState;
  std::unique_ptr<TargetState> Target;
  std::shared_ptr<DiskObjectCache> Cache;  // null when uncached; shared with the compiler
  std::string CacheUnavailable;
  CompileSettings CacheSettings;
  std::shared_ptr<std::atomic<std::uint64_t>> Compiles =
      std::make_shared<std::atomic<std::uint64_t>>(0);

  mutable std::mutex ModulesLock;
  std::uint64_t NextId = 1;                                  // guarded by ModulesLock
  std::map<std::uint64_t, std::shared_ptr<LoadedModule>> Live;  // guarded
  // The names of the most recently removed modules, for error messages;
  // bounded, so that a process adding and removing kernels for ever does
  // not grow (docs/performance.md, "## soak").
  std::map<std::uint64_t, std::string> Removed;              // id -> name; guarded
  std::string removedLabel(std::uint64_t Id) const;          // needs ModulesLock
  // The UnknownModuleError for handle \p Id, which is not live: "module
  // <label><Removal>" when it was removed. Needs ModulesLock.
  llvm::Error unknownModule(std::uint64_t Id, llvm::StringRef Removal) const;
  unsigned RemovalsSinceSweep = 0;                           // guarded
  // The statistics of the generators of JITDylibs already removed.
  PythonSymbolGenerator::Statistics RetiredGenerators;       // guarded
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_ENGINE_H
