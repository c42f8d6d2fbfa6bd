// Engine's private parts, shared by engine.cc (creation, lookups) and
// engine_modules.cc (adding and removing modules). Not part of the API.
#ifndef PYSYM_JITLINK_ENGINE_INTERNALS_H
#define PYSYM_JITLINK_ENGINE_INTERNALS_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/jit_target.h"

namespace pysym {

namespace engine_internals {

inline llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// How errors name a module: 'name' (#id).
inline std::string label(llvm::StringRef Name, std::uint64_t Id) {
  return "'" + Name.str() + "' (#" + std::to_string(Id) + ")";
}

/// The module's cache key, carried from addParsed to the compiler as named
/// metadata (which the code generator ignores), so that the compiler, on
/// whichever thread ORC runs it, knows where to store the object.
inline constexpr llvm::StringLiteral CacheKeyMetadata = "pysym.object_cache_key";

inline void setCacheKey(llvm::Module &M, llvm::StringRef Key) {
  M.getOrInsertNamedMetadata(CacheKeyMetadata)
      ->addOperand(llvm::MDNode::get(M.getContext(), llvm::MDString::get(M.getContext(), Key)));
}

inline std::optional<std::string> cacheKeyOf(const llvm::Module &M) {
  const llvm::NamedMDNode *Node = M.getNamedMetadata(CacheKeyMetadata);
  if (!Node || Node->getNumOperands() != 1 || Node->getOperand(0)->getNumOperands() != 1)
    return std::nullopt;
  if (auto *Key = llvm::dyn_cast<llvm::MDString>(Node->getOperand(0)->getOperand(0)))
    return Key->getString().str();
  return std::nullopt;
}

/// What a module defines, as C names, each with whether by the
/// one-definition rule, and the names it refers to without defining them.
struct ModuleNames {
  std::vector<std::pair<std::string, bool>> Defines;
  llvm::StringSet<> References;
};

}  // namespace engine_internals

/// One JITDylib and its generator (registrations defined there, every other
/// answer in the engine's pysym.interpreter), shared by the modules placed
/// in it.
struct Engine::Library {
  llvm::orc::JITDylib *Dylib = nullptr;
  PythonSymbolGenerator *Generator = nullptr;  // owned by Dylib
  unsigned Users = 0;                          // guarded by Engine::ModulesLock
  // Held by each lookup in this JITDylib (Engine::lookup says why).
  std::mutex Lookups;
};

struct Engine::LoadedModule {
  std::uint64_t Id = 0;
  std::string Name;
  std::shared_ptr<Library> Lib;
  llvm::orc::ResourceTrackerSP Tracker;
  // Each name the module defines -> whether by the one-definition rule.
  llvm::StringMap<bool> Defines;
  // The names it refers to without defining them: the misses its links
  // can have, among those of every module.
  llvm::StringSet<> References;
  // Shared by lookups, exclusive for removal, so a module's JITDylib cannot
  // disappear under a lookup.
  std::shared_mutex Lock;
  bool Removed = false;  // guarded by Lock
};

struct Engine::Placement {
  std::uint64_t Id = 0;
  std::shared_ptr<Library> Lib;
  llvm::orc::ResourceTrackerSP Tracker;
};

struct Engine::TargetState {
  JitTarget Description;
  llvm::orc::JITTargetMachineBuilder Machine;
};

/// Collects the session errors ORC reports while this thread runs one
/// engine call. ORC materializes on the thread that looks up, so the
/// errors of a lookup's own link arrive here; a link another thread ran is
/// explained through the generator's recorded misses instead.
struct Engine::ErrorCapture {
  explicit ErrorCapture(const Engine *Owner) : Owner(Owner), Outer(Current) { Current = this; }
  ~ErrorCapture() { Current = Outer; }
  ErrorCapture(const ErrorCapture &) = delete;
  ErrorCapture &operator=(const ErrorCapture &) = delete;

  static ErrorCapture *of(const Engine *Owner) {
    for (ErrorCapture *C = Current; C; C = C->Outer)
      if (C->Owner == Owner)
        return C;
    return nullptr;
  }

  const Engine *Owner;
  ErrorCapture *Outer;
  std::vector<std::string> Messages;
  llvm::StringSet<> NotFound;
  static thread_local ErrorCapture *Current;
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_ENGINE_INTERNALS_H
