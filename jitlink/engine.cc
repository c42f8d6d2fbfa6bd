#include "jitlink/engine.h"

#include <shared_mutex>
#include <utility>
#include <vector>

#include "jitlink/compiler.h"
#include "jitlink/engine_errors.h"
#include "jitlink/ir_reader.h"
#include "jitlink/jit_target.h"
#include "jitlink/missing_symbols_error.h"
#include "jitlink/module_checks.h"
#include "jitlink/object_checks.h"
#include "jitlink/orc_compat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ObjectFileInterface.h"
#include "llvm/ExecutionEngine/Orc/ObjectTransformLayer.h"
#include "llvm/Support/TargetSelect.h"

namespace pysym {

namespace {

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string label(llvm::StringRef Name, std::uint64_t Id) {
  return "'" + Name.str() + "' (#" + std::to_string(Id) + ")";
}

void initializeNativeTarget() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();  // inline assembly
  });
}

// The externally visible names a module defines, as C names, each with
// whether the one-definition rule makes it interchangeable with another
// module's definition of the same name (linkonce_odr, weak_odr).
std::vector<std::pair<std::string, bool>> definedNames(const llvm::Module &M) {
  std::vector<std::pair<std::string, bool>> Names;
  for (const llvm::GlobalValue &G : M.global_values())
    if (!G.isDeclaration() && !G.hasLocalLinkage() && !G.hasAvailableExternallyLinkage() &&
        !G.hasAppendingLinkage())
      Names.emplace_back(G.getName().str(), G.hasLinkOnceODRLinkage() || G.hasWeakODRLinkage());
  return Names;
}

}  // namespace

/// One JITDylib and its generator, shared by the modules placed in it.
struct Engine::Library {
  llvm::orc::JITDylib *Dylib = nullptr;
  PythonSymbolGenerator *Generator = nullptr;  // owned by Dylib
  unsigned Users = 0;                          // guarded by Engine::ModulesLock
};

struct Engine::LoadedModule {
  std::uint64_t Id = 0;
  std::string Name;
  std::shared_ptr<Library> Lib;
  llvm::orc::ResourceTrackerSP Tracker;
  // Each name the module defines -> whether by the one-definition rule.
  llvm::StringMap<bool> Defines;
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

thread_local Engine::ErrorCapture *Engine::ErrorCapture::Current = nullptr;

Engine::Engine(const NameSource &TheResolver, EngineOptions Options)
    : TheResolver(TheResolver), Options(Options) {}

Engine::~Engine() {
  // LLVM 14's RTDyldObjectLinkingLayer, torn down with modules still loaded,
  // transfers their resources through a map reference that its own insert
  // invalidates (fixed upstream in llvm-project#114063): a crash at exit for
  // a JIT that keeps its modules to the end, the common case. Removing each
  // module first never takes that path.
  std::vector<ModuleHandle> Remaining;
  {
    std::lock_guard<std::mutex> Guard(ModulesLock);
    for (const auto &Entry : Live)
      Remaining.push_back(ModuleHandle{Entry.first});
  }
  for (ModuleHandle Module : Remaining)
    if (llvm::Error Err = remove(Module))
      llvm::consumeError(std::move(Err));  // a destructor cannot report; the JIT goes away regardless
}

llvm::Expected<std::unique_ptr<Engine>> Engine::create(const NameSource &TheResolver,
                                                       EngineOptions Options) {
  if (Options.OptLevel > 3)
    return makeError("optimisation level " + llvm::Twine(Options.OptLevel) +
                     " is not one of 0, 1, 2, 3");
  std::unique_ptr<Engine> Created(new Engine(TheResolver, Options));
  if (auto Err = Created->initialize())
    return Err;
  return Created;
}

llvm::Error Engine::initialize() {
  initializeNativeTarget();
  auto Machine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!Machine)
    return Machine.takeError();
  orc_compat::setCodeGenOptLevel(*Machine, Options.OptLevel);

  llvm::orc::LLJITBuilder Builder;
  orc_compat::configureBuilder(
      Builder, *Machine, Options.Link,
      [](llvm::orc::JITTargetMachineBuilder Configured)
          -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
        return std::make_unique<CheckedCompiler>(std::move(Configured));
      });
  auto Built = Builder.create();
  if (!Built)
    return Built.takeError();
  Jit = std::move(*Built);

  // The builder configured a copy; this one, with the same models, tunes
  // the optimizer.
  orc_compat::CodeGenModels Models = orc_compat::codeGenModelsFor(Options.Link);
  Machine->setCodeModel(Models.Code);
  Machine->setRelocationModel(Models.Relocation);
  Target.reset(new TargetState{
      JitTarget{Jit->getTargetTriple(), Jit->getDataLayout(), Machine->getFeatures()}, *Machine});

  Jit->getExecutionSession().setErrorReporter(
      [this](llvm::Error Err) { reportSessionError(std::move(Err)); });
  Jit->getIRTransformLayer().setTransform(
      [this](llvm::orc::ThreadSafeModule Module, llvm::orc::MaterializationResponsibility &)
          -> llvm::Expected<llvm::orc::ThreadSafeModule> {
        if (auto Err = Module.withModuleDo([this](llvm::Module &M) {
              return optimizeModule(M, Options.OptLevel, Target->Machine);
            }))
          return Err;
        return Module;
      });
  // Compiled modules pass the same checks as added objects: defence in depth
  // against a code model that RuntimeDyld would link wrongly.
  Jit->getObjTransformLayer().setTransform(
      [Link = Options.Link](std::unique_ptr<llvm::MemoryBuffer> Object)
          -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
        if (auto Err = checkObject(Object->getMemBufferRef(), Link))
          return Err;
        return Object;
      });
  return llvm::Error::success();
}

void Engine::reportSessionError(llvm::Error Err) {
  ErrorCapture *Capture = ErrorCapture::of(this);
  llvm::handleAllErrors(std::move(Err), [&](const llvm::ErrorInfoBase &Info) {
    // With no engine call on this thread, nobody waits for this error: the
    // lookups that fail because of it get ORC's failure and the
    // generator's misses. Dropping it keeps stderr clean.
    if (!Capture)
      return;
    for (std::string &Name : orc_compat::namesNotFound(Info))
      Capture->NotFound.insert(Name);
    Capture->Messages.push_back(Info.message());
  });
}

llvm::CodeModel::Model Engine::codeModel() const {
  return orc_compat::codeGenModelsFor(Options.Link).Code;
}

llvm::Reloc::Model Engine::relocationModel() const {
  return orc_compat::codeGenModelsFor(Options.Link).Relocation;
}

llvm::Expected<ModuleHandle> Engine::addIR(llvm::StringRef Text, llvm::StringRef Name,
                                           std::optional<ModuleHandle> Beside) {
  auto Context = std::make_unique<llvm::LLVMContext>();
  DiagnosticCollector::installIn(*Context);
  auto M = readIRText(Text, Name, *Context);
  if (!M)
    return M.takeError();
  return addParsed(std::move(*M), std::move(Context), Name, Beside);
}

llvm::Expected<ModuleHandle> Engine::addBitcode(llvm::ArrayRef<std::uint8_t> Bytes,
                                                llvm::StringRef Name,
                                                std::optional<ModuleHandle> Beside) {
  auto Context = std::make_unique<llvm::LLVMContext>();
  DiagnosticCollector::installIn(*Context);
  auto M = readBitcode(Bytes, Name, *Context);
  if (!M)
    return M.takeError();
  return addParsed(std::move(*M), std::move(Context), Name, Beside);
}

llvm::Expected<ModuleHandle> Engine::addParsed(std::unique_ptr<llvm::Module> M,
                                               std::unique_ptr<llvm::LLVMContext> Context,
                                               llvm::StringRef Name,
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
  std::vector<std::pair<std::string, bool>> Defines = definedNames(Parsed);
  auto Where = place(Name, Beside);
  if (!Where)
    return Where.takeError();
  if (auto Err = Jit->addIRModule(Where->Tracker, std::move(Module))) {
    auto Explained = explainAddFailure(std::move(Err), Name, *Where->Lib);
    abandon(*Where);
    return Explained;
  }
  return commit(std::move(*Where), Name.str(), std::move(Defines));
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
  // An object's symbol table has no ODR mark: its definitions never count
  // as interchangeable.
  std::vector<std::pair<std::string, bool>> Defines;
  const char Prefix = Target->Description.Layout.getGlobalPrefix();
  for (const auto &Symbol : Interface->SymbolFlags) {
    llvm::StringRef LinkerName = *Symbol.first;
    if (Prefix == '\0' || LinkerName.consume_front(llvm::StringRef(&Prefix, 1)))
      Defines.emplace_back(LinkerName.str(), false);
  }
  auto Where = place(Name, Beside);
  if (!Where)
    return Where.takeError();
  if (auto Err = Jit->addObjectFile(Where->Tracker, std::move(Buffer))) {
    auto Explained = explainAddFailure(std::move(Err), Name, *Where->Lib);
    abandon(*Where);
    return Explained;
  }
  return commit(std::move(*Where), Name.str(), std::move(Defines));
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
    Where.Lib->Generator =
        &Dylib->addGenerator(PythonSymbolGenerator::create(TheResolver, Jit->getDataLayout()));
  }
  ++Where.Lib->Users;
  Where.Tracker = Where.Lib->Dylib->createResourceTracker();
  return Where;
}

ModuleHandle Engine::commit(Placement Where, std::string Name,
                            std::vector<std::pair<std::string, bool>> Defines) {
  auto Loaded = std::make_shared<LoadedModule>();
  Loaded->Id = Where.Id;
  Loaded->Name = std::move(Name);
  Loaded->Lib = std::move(Where.Lib);
  Loaded->Tracker = std::move(Where.Tracker);
  for (auto &[Defined, ByOneDefinitionRule] : Defines)
    Loaded->Defines[Defined] = ByOneDefinitionRule;
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
  std::string Owner = "its JITDylib (resolved there through the interpreter)";
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

llvm::Expected<std::shared_ptr<Engine::LoadedModule>> Engine::find(ModuleHandle Module) const {
  std::lock_guard<std::mutex> Guard(ModulesLock);
  if (auto It = Live.find(Module.Id); It != Live.end())
    return It->second;
  return unknownModule(Module.Id, " was removed");
}

llvm::Error Engine::unknownModule(std::uint64_t Id, llvm::StringRef Removal) const {
  if (Id != 0 && Id < NextId)
    return llvm::make_error<UnknownModuleError>(Id, UnknownModuleError::State::Removed,
                                                "module " + removedLabel(Id) + Removal.str());
  return llvm::make_error<UnknownModuleError>(Id, UnknownModuleError::State::NeverAdded,
                                              "no module has handle #" + std::to_string(Id));
}

std::string Engine::removedLabel(std::uint64_t Id) const {
  if (auto It = Removed.find(Id); It != Removed.end())
    return label(It->second, Id);
  return "#" + std::to_string(Id);
}

llvm::Expected<std::uint64_t> Engine::lookup(ModuleHandle Module, llvm::StringRef Symbol) {
  auto Found = find(Module);
  if (!Found)
    return Found.takeError();
  LoadedModule &M = **Found;
  std::shared_lock<std::shared_mutex> Guard(M.Lock);
  if (M.Removed)
    return llvm::make_error<UnknownModuleError>(M.Id, UnknownModuleError::State::Removed,
                                                "module " + label(M.Name, M.Id) + " was removed");
  if (!M.Defines.count(Symbol))
    return llvm::make_error<UndefinedSymbolError>(Symbol.str(), label(M.Name, M.Id));
  ErrorCapture Captured(this);
  auto Address = orc_compat::lookupAddress(Jit->getExecutionSession(), *M.Lib->Dylib,
                                           Jit->mangle(Symbol));
  if (!Address)
    return explainLookupFailure(Address.takeError(), M, Symbol, Captured);
  return *Address;
}

llvm::Error Engine::explainLookupFailure(llvm::Error Err, const LoadedModule &M,
                                         llvm::StringRef Symbol, ErrorCapture &Captured) {
  // The generator explains misses (of them, the ones this link reported: a
  // JITDylib shared with other modules may hold misses of theirs too).
  Err = M.Lib->Generator->explainFailure(std::move(Err), M.Name, Captured.NotFound);
  if (Err.isA<MissingSymbolsError>())
    return Err;
  std::string Message = "cannot link module " + label(M.Name, M.Id) + " for '" + Symbol.str() + "'";
  if (Captured.Messages.empty())
    return makeError(Message + ": " + llvm::toString(std::move(Err)));
  // The captured errors are the causes; ORC's is their consequence.
  llvm::consumeError(std::move(Err));
  for (const std::string &Cause : Captured.Messages)
    Message += "\n  " + Cause;
  return makeError(Message);
}

llvm::Expected<ModuleHandle> Engine::definer(llvm::StringRef Symbol) const {
  std::optional<std::uint64_t> Oldest;
  bool AllByOneDefinitionRule = true;
  std::vector<std::string> Definers;
  std::lock_guard<std::mutex> Guard(ModulesLock);
  for (const auto &[Id, M] : Live) {  // in the order added: ids only grow
    auto It = M->Defines.find(Symbol);
    if (It == M->Defines.end())
      continue;
    if (!Oldest)
      Oldest = Id;
    AllByOneDefinitionRule &= It->second;
    Definers.push_back(label(M->Name, Id));
  }
  if (!Oldest)
    return llvm::make_error<UndefinedSymbolError>(Symbol.str(), "");
  if (Definers.size() > 1 && !AllByOneDefinitionRule)
    return llvm::make_error<AmbiguousSymbolError>(Symbol.str(), std::move(Definers));
  return ModuleHandle{*Oldest};
}

llvm::Expected<std::uint64_t> Engine::lookup(llvm::StringRef Symbol) {
  auto Module = definer(Symbol);
  if (!Module)
    return Module.takeError();
  return lookup(*Module, Symbol);
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
