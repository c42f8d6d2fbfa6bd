// A JIT for kernels that call the Python C API by CPython's names: LLVM 14's
// LLJIT with pysym's definition generator behind every module.
#ifndef PYSYM_JITLINK_ENGINE_H
#define PYSYM_JITLINK_ENGINE_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "jitlink/linker.h"
#include "jitlink/python_symbol_generator.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "resolver/resolver.h"

namespace llvm::orc {
class LLJIT;
}

namespace pysym {

struct EngineOptions {
  /// LLVM's default pipeline at -O0 .. -O3, and the code generator's level.
  unsigned OptLevel = 2;
  /// RuntimeDyld compiles with the large code model and static
  /// relocations; JITLink with the small code model and PIC. Both reach
  /// interpreter data anywhere in the address space. The engine never
  /// pairs RuntimeDyld with the small code model, whose 32-bit
  /// displacements RuntimeDyld silently truncates.
  Linker Link = Linker::RuntimeDyld;
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
/// same name), whose only generator is a PythonSymbolGenerator: every name
/// a module does not define itself goes through the resolver, none through
/// the process's symbol table. A module added `Beside` another shares that
/// one's JITDylib instead, so the two link to each other.
///
/// Modules are compiled and linked on first lookup (ORC's lazy emission),
/// so a missing symbol is reported by lookup, as a MissingSymbolsError
/// naming each missing name and what the resolver tried. No error is
/// printed: the engine captures what ORC would print to stderr.
///
/// Input never aborts the process: IR or bitcode that does not parse, a
/// module the verifier rejects or LLVM 14 cannot compile (see
/// checkModule), a truncated, foreign or unsafe object (see checkObject),
/// a definition that clashes within its JITDylib, an unknown or removed
/// handle and an undefined name all return errors.
///
/// All methods are safe to call from several threads at once; modules in
/// different JITDylibs compile and link in parallel, each on the thread
/// that looks it up. The Resolver must outlive the engine.
class Engine {
public:
  /// Fails when OptLevel is above 3 or LLVM cannot target the host.
  static llvm::Expected<std::unique_ptr<Engine>> create(const Resolver &Names,
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
  llvm::Expected<std::uint64_t> lookup(ModuleHandle Module, llvm::StringRef Symbol);
  /// As above, in the one live module that defines \p Symbol. Fails when
  /// none does, or when several do (look those up through a handle).
  llvm::Expected<std::uint64_t> lookup(llvm::StringRef Symbol);

  /// Unloads \p Module and frees its code and data (and its JITDylib once
  /// no module uses it). Its addresses must no longer be called. Fails for
  /// an unknown or already removed handle.
  llvm::Error remove(ModuleHandle Module);

  const EngineOptions &options() const { return Options; }
  /// The models this engine compiles with (see EngineOptions::Link).
  llvm::CodeModel::Model codeModel() const;
  llvm::Reloc::Model relocationModel() const;

  /// What the generator of \p Module's JITDylib has done so far.
  llvm::Expected<PythonSymbolGenerator::Statistics> generatorStatistics(ModuleHandle Module) const;

private:
  struct Library;
  struct LoadedModule;
  struct ErrorCapture;
  struct Placement;

  Engine(const Resolver &Names, EngineOptions Options);
  llvm::Error initialize();
  llvm::Expected<ModuleHandle> addParsed(std::unique_ptr<llvm::Module> M,
                                         std::unique_ptr<llvm::LLVMContext> Context,
                                         llvm::StringRef Name, std::optional<ModuleHandle> Beside);
  llvm::Expected<Placement> place(llvm::StringRef Name, std::optional<ModuleHandle> Beside);
  ModuleHandle commit(Placement Where, std::string Name, std::vector<std::string> Defines);
  void abandon(Placement &Where);
  llvm::Error explainAddFailure(llvm::Error Err, llvm::StringRef Name, const Library &Lib);
  llvm::Error explainLookupFailure(llvm::Error Err, const LoadedModule &M, llvm::StringRef Symbol,
                                   ErrorCapture &Captured);
  llvm::Expected<std::shared_ptr<LoadedModule>> find(ModuleHandle Module) const;
  void reportSessionError(llvm::Error Err);
  void releaseLibrary(const std::shared_ptr<Library> &Lib);
  void sweepSymbolNames();

  const Resolver &Names;
  const EngineOptions Options;
  std::unique_ptr<llvm::orc::LLJIT> Jit;
  struct TargetState;
  std::unique_ptr<TargetState> Target;

  mutable std::mutex ModulesLock;
  std::uint64_t NextId = 1;                                  // guarded by ModulesLock
  std::map<std::uint64_t, std::shared_ptr<LoadedModule>> Live;  // guarded
  // The names of the most recently removed modules, for error messages;
  // bounded, so that a process adding and removing kernels for ever does
  // not grow (docs/performance.md, "## soak").
  std::map<std::uint64_t, std::string> Removed;              // id -> name; guarded
  std::string removedLabel(std::uint64_t Id) const;          // needs ModulesLock
  unsigned RemovalsSinceSweep = 0;                           // guarded
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_ENGINE_H
