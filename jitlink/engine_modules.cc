// Engine: adding modules to JITDylibs, and removing them.
#include "pysym/jitlink/engine.h"

#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/compiler.h"
#include "jitlink/engine_internals.h"
#include "pysym/jitlink/ir_reader.h"
#include "pysym/jitlink/module_checks.h"
#include "pysym/jitlink/object_checks.h"
#include "pysym/jitlink/orc_compat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ObjectFileInterface.h"
#include "llvm/Object/ObjectFile.h"

namespace pysym {

using engine_internals::label;
using engine_internals::makeError;
using engine_internals::ModuleNames;

namespace {

// The C name of a linker name, which lacks it when it lacks the global
// prefix (none on ELF).
std::optional<llvm::StringRef> cName(llvm::StringRef LinkerName, char Prefix) {
  if (Prefix == '\0' || LinkerName.consume_front(llvm::StringRef(&Prefix, 1)))
    return LinkerName;
  return std::nullopt;
}

// The externally visible names a module defines, as C names, each with
// whether the one-definition rule makes it interchangeable with another
// module's definition of the same name (linkonce_odr, weak_odr), and the
// names it refers to without defining them.
ModuleNames namesOf(const llvm::Module &M) {
  ModuleNames Names;
  for (const llvm::GlobalValue &G : M.global_values()) {
    if (G.isDeclaration()) {
      const auto *F = llvm::dyn_cast<llvm::Function>(&G);
      if (!F || !F->isIntrinsic())
        Names.References.insert(G.getName());
    } else if (!G.hasLocalLinkage() && !G.hasAvailableExternallyLinkage() &&
               !G.hasAppendingLinkage()) {
      Names.Defines.emplace_back(G.getName().str(),
                                 G.hasLinkOnceODRLinkage() || G.hasWeakODRLinkage());
    }
  }
  return Names;
}

// The same for an object that checkObject accepted. Its symbol table has
// no ODR mark: its definitions never count as interchangeable.
llvm::Expected<ModuleNames> namesOf(const llvm::orc::MaterializationUnit::Interface &Object,
                                    llvm::MemoryBufferRef Bytes, char Prefix) {
  ModuleNames Names;
  for (const auto &Symbol : Object.SymbolFlags)
    if (auto Name = cName(*Symbol.first, Prefix))
      Names.Defines.emplace_back(Name->str(), false);
  auto File = llvm::object::ObjectFile::createObjectFile(Bytes);
  if (!File)
    return File.takeError();
  for (const llvm::object::SymbolRef &Symbol : (*File)->symbols()) {
    auto Flags = Symbol.getFlags();
    if (!Flags)
      return Flags.takeError();
    if (!(*Flags & llvm::object::SymbolRef::SF_Undefined))
      continue;
    auto LinkerName = Symbol.getName();
    if (!LinkerName)
      return LinkerName.takeError();
    if (auto Name = cName(*LinkerName, Prefix); Name && !Name->empty())
      Names.References.insert(*Name);
  }
  return Names;
}

}  // namespace

llvm::Expected<ModuleHandle> Engine::addIR(llvm::StringRef Text, llvm::StringRef Name,
                                           std::optional<ModuleHandle> Beside) {
  auto Context = std::make_unique<llvm::LLVMContext>();
  DiagnosticCollector::installIn(*Context);
  auto M = readIRText(Text, Name, *Context);
  if (!M)
    return M.takeError();
  return addParsed(std::move(*M), std::move(Context), Text, Name, Beside);
}

llvm::Expected<ModuleHandle> Engine::addBitcode(llvm::ArrayRef<std::uint8_t> Bytes,
                                                llvm::StringRef Name,
                                                std::optional<ModuleHandle> Beside) {
  auto Context = std::make_unique<llvm::LLVMContext>();
  DiagnosticCollector::installIn(*Context);
  auto M = readBitcode(Bytes, Name, *Context);
  if (!M)
    return M.takeError();
  return addParsed(std::move(*M), std::move(Context), llvm::toStringRef(Bytes), Name, Beside);
}

llvm::Expected<ModuleHandle> Engine::addParsed(std::unique_ptr<llvm::Module> M,
                                               std::unique_ptr<llvm::LLVMContext> Context,
                                               llvm::StringRef Bytes, llvm::StringRef Name,
                                               std::optional<ModuleHandle> Beside) {
  // The module must die before its context, but the order in which a
  // caller destroys these two parameters is the compiler's choice (clang's
  // destroys the context first, and the module's destructor then reads
  // freed memory). A ThreadSafeModule destroys them in the right order.
  llvm::orc::ThreadSafeModule Module(std::move(M), std::move(Context));
  llvm::Module &Parsed = *Module.getModuleUnlocked();
  if (auto Err = checkModule(Parsed, Name, Target->Description))
    return Err;
  prepareModule(Parsed, Target->Description);
  ModuleNames Names = namesOf(Parsed);
  // The module is parsed and checked even when its object is cached: the
  // checks and its definitions (with their ODR marks, which an object
  // cannot carry) must be the uncached ones.
  std::string Key;
  std::unique_ptr<llvm::MemoryBuffer> Cached = loadCached(Bytes, Key);
  if (Cache && !Cached)
    engine_internals::setCacheKey(Parsed, Key);
  auto Where = place(Name, Beside);
  if (!Where)
    return Where.takeError();
  if (auto Err = Cached ? Jit->addObjectFile(Where->Tracker, std::move(Cached))
                        : Jit->addIRModule(Where->Tracker, std::move(Module))) {
    auto Explained = explainAddFailure(std::move(Err), Name, *Where->Lib);
    abandon(*Where);
    return Explained;
  }
  return commit(std::move(*Where), Name.str(), std::move(Names));
}

llvm::Expected<ModuleHandle> Engine::addObject(llvm::ArrayRef<std::uint8_t> Bytes,
                                               llvm::StringRef Name,
                                               std::optional<ModuleHandle> Beside) {
  auto Buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::toStringRef(Bytes), Name);
  if (auto Err = checkObject(Buffer->getMemBufferRef(), Options.Link))
    return Err;
  auto Interface =
      llvm::orc::getObjectFileInterface(Jit->getExecutionSession(), Buffer->getMemBufferRef());
  if (!Interface)
    return makeError("object '" + Name + "': " + llvm::toString(Interface.takeError()));
  auto Names = namesOf(*Interface, Buffer->getMemBufferRef(),
                       Target->Description.Layout.getGlobalPrefix());
  if (!Names)
    return makeError("object '" + Name + "': " + llvm::toString(Names.takeError()));
  auto Where = place(Name, Beside);
  if (!Where)
    return Where.takeError();
  if (auto Err = Jit->addObjectFile(Where->Tracker, std::move(Buffer))) {
    auto Explained = explainAddFailure(std::move(Err), Name, *Where->Lib);
    abandon(*Where);
    return Explained;
  }
  return commit(std::move(*Where), Name.str(), std::move(*Names));
}

std::unique_ptr<llvm::MemoryBuffer> Engine::loadCached(llvm::StringRef Bytes, std::string &Key) {
  if (!Cache)
    return nullptr;
  Key = objectCacheKey(Bytes, CacheSettings);
  CacheMissReason Why;
  std::unique_ptr<llvm::MemoryBuffer> Object = Cache->load(Key, Why);
  if (!Object)
    return nullptr;  // the cache's statistics say why
  if (llvm::Error Err = checkObject(Object->getMemBufferRef(), Options.Link)) {
    Cache->noteRejected(Key, llvm::toString(std::move(Err)));
    return nullptr;
  }
  return Object;
}

llvm::Expected<Engine::Placement> Engine::place(llvm::StringRef Name,
                                                std::optional<ModuleHandle> Beside) {
  std::lock_guard<std::mutex> Guard(ModulesLock);
  Placement Where;
  Where.Id = NextId++;
  if (Beside) {
    auto It = Live.find(Beside->Id);
    if (It == Live.end()) {
      const bool WasRemoved = Beside->Id != 0 && Beside->Id < NextId;
      return llvm::make_error<UnknownModuleError>(
          Beside->Id,
          WasRemoved ? UnknownModuleError::State::Removed : UnknownModuleError::State::NeverAdded,
          "module '" + Name.str() + "': cannot add it beside module #" +
              std::to_string(Beside->Id) + ", which is " + (WasRemoved ? "removed" : "unknown"));
    }
    Where.Lib = It->second->Lib;
  } else {
    auto Dylib = orc_compat::createBareJITDylib(Jit->getExecutionSession(),
                                                "pysym." + std::to_string(Where.Id) + "." +
                                                    Name.str());
    if (!Dylib)
      return Dylib.takeError();
    Where.Lib = std::make_shared<Library>();
    Where.Lib->Dylib = &*Dylib;
    Where.Lib->Generator = &Dylib->addGenerator(
        PythonSymbolGenerator::create(TheResolver, Jit->getDataLayout(), InterpreterNames));
    Dylib->addToLinkOrder(InterpreterNames->dylib());
  }
  ++Where.Lib->Users;
  Where.Tracker = Where.Lib->Dylib->createResourceTracker();
  return Where;
}

ModuleHandle Engine::commit(Placement Where, std::string Name, ModuleNames Names) {
  auto Loaded = std::make_shared<LoadedModule>();
  Loaded->Id = Where.Id;
  Loaded->Name = std::move(Name);
  Loaded->Lib = std::move(Where.Lib);
  Loaded->Tracker = std::move(Where.Tracker);
  for (auto &[Defined, ByOneDefinitionRule] : Names.Defines)
    Loaded->Defines[Defined] = ByOneDefinitionRule;
  Loaded->References = std::move(Names.References);
  std::lock_guard<std::mutex> Guard(ModulesLock);
  Live.emplace(Where.Id, std::move(Loaded));
  return ModuleHandle{Where.Id};
}

void Engine::abandon(Placement &Where) {
  // Nothing was defined under the tracker; removing it only unregisters it.
  if (auto Err = Where.Tracker->remove())
    llvm::consumeError(std::move(Err));  // nothing of the module exists to leak
  releaseLibrary(Where.Lib);
}

void Engine::releaseLibrary(const std::shared_ptr<Library> &Lib) {
  std::lock_guard<std::mutex> Guard(ModulesLock);
  if (--Lib->Users != 0)
    return;
  RetiredGenerators += Lib->Generator->statistics();
  Lib->Generator = nullptr;
  if (auto Err = Jit->getExecutionSession().removeJITDylib(*Lib->Dylib))
    // Its modules' resources are already gone; only the empty JITDylib
    // may linger, which no handle can reach again.
    llvm::consumeError(std::move(Err));
  Lib->Dylib = nullptr;
}

llvm::Error Engine::explainAddFailure(llvm::Error Err, llvm::StringRef Name, const Library &Lib) {
  std::optional<std::string> Clash;
  std::string Message;
  llvm::handleAllErrors(std::move(Err), [&](const llvm::ErrorInfoBase &Info) {
    if (auto Symbol = orc_compat::duplicateDefinitionName(Info))
      Clash = *Symbol;
    Message += (Message.empty() ? "" : "; ") + Info.message();
  });
  if (!Clash)
    return makeError("module '" + Name + "': " + Message);
  std::string Owner = "its JITDylib (resolved there through a registration)";
  std::lock_guard<std::mutex> Guard(ModulesLock);
  for (const auto &[Id, Other] : Live)
    if (Other->Lib.get() == &Lib && Other->Defines.count(*Clash)) {
      Owner = "module " + label(Other->Name, Id) + " in the same JITDylib";
      break;
    }
  return llvm::make_error<RejectedInputError>(
      RejectedInputError::Check::Definitions,
      "module '" + Name.str() + "' defines '" + *Clash + "', which " + Owner + " already defines");
}

llvm::Error Engine::remove(ModuleHandle Module) {
  std::shared_ptr<LoadedModule> M;
  {
    std::lock_guard<std::mutex> Guard(ModulesLock);
    auto It = Live.find(Module.Id);
    if (It == Live.end())
      return unknownModule(Module.Id, " was already removed");
    M = It->second;
    Live.erase(It);
    // Handles are never reused, so a handle below NextId that is not live
    // was removed; only the recent names are kept for the messages.
    constexpr std::size_t RemovedNamesKept = 1024;
    Removed.emplace(Module.Id, M->Name);
    if (Removed.size() > RemovedNamesKept)
      Removed.erase(Removed.begin());
  }
  std::unique_lock<std::shared_mutex> Guard(M->Lock);
  M->Removed = true;
  llvm::Error Err = M->Tracker->remove();
  M->Tracker = nullptr;
  releaseLibrary(M->Lib);
  sweepSymbolNames();
  if (Err)
    return makeError("removing module " + label(M->Name, M->Id) + ": " +
                     llvm::toString(std::move(Err)));
  return llvm::Error::success();
}

PythonSymbolGenerator::Statistics Engine::generatorStatistics() const {
  std::lock_guard<std::mutex> Guard(ModulesLock);
  PythonSymbolGenerator::Statistics Sum = RetiredGenerators;
  std::set<const Library *> Counted;  // modules added beside others share one
  for (const auto &Entry : Live)
    if (Counted.insert(Entry.second->Lib.get()).second)
      Sum += Entry.second->Lib->Generator->statistics();
  return Sum;
}

void Engine::sweepSymbolNames() {
  // ORC's symbol string pool keeps every name ever interned until told to
  // drop the unreferenced ones, so each removed module would leave its
  // names behind (about 130 bytes per kernel; docs/performance.md, "## soak").
  // Sweeping costs a walk of the pool, hence once per 256 removals.
  {
    std::lock_guard<std::mutex> Guard(ModulesLock);
    if (++RemovalsSinceSweep < 256)
      return;
    RemovalsSinceSweep = 0;
  }
  Jit->getExecutionSession().getSymbolStringPool()->clearDeadEntries();
}

}  // namespace pysym
