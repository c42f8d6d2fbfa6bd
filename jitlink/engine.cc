// Engine: creating the JIT, looking symbols up, and explaining failures.
#include "pysym/jitlink/engine.h"

#include <mutex>
#include <utility>
#include <vector>

#include "pysym/jitlink/compiler.h"
#include "pysym/jitlink/engine_errors.h"
#include "jitlink/engine_internals.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/object_checks.h"
#include "pysym/jitlink/orc_compat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ObjectTransformLayer.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Support/TargetSelect.h"

namespace pysym {

using engine_internals::label;
using engine_internals::makeError;

namespace {

void initializeNativeTarget() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();  // inline assembly
  });
}

// The compiler's name for a code model, as the cache key records it.
std::string codeModelName(llvm::CodeModel::Model Model) {
  switch (Model) {
  case llvm::CodeModel::Tiny: return "tiny";
  case llvm::CodeModel::Small: return "small";
  case llvm::CodeModel::Kernel: return "kernel";
  case llvm::CodeModel::Medium: return "medium";
  case llvm::CodeModel::Large: return "large";
  }
  return "unknown";
}

// Compiles with CheckedCompiler, counts the compiles, and stores the object
// of each module that carries a cache key (engine_internals.h) under it.
// The object transform layer checks it afterwards, as it checks every
// object; an entry that fails is ignored when loaded.
class StoringCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  StoringCompiler(llvm::orc::JITTargetMachineBuilder Target, std::shared_ptr<DiskObjectCache> Cache,
                  std::shared_ptr<std::atomic<std::uint64_t>> Compiles)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(Target.getOptions())),
        Inner(std::move(Target)), Cache(std::move(Cache)), Compiles(std::move(Compiles)) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module &M) override {
    ++*Compiles;
    auto Object = Inner(M);
    if (!Object || !Cache)
      return Object;
    if (std::optional<std::string> Key = engine_internals::cacheKeyOf(M))
      if (llvm::Error Err = Cache->store(*Key, (*Object)->getBuffer()))
        // Counted in the cache's statistics (StoreFailures, LastStoreFailure),
        // which is where a caller asks; the module has its object regardless.
        llvm::consumeError(std::move(Err));
    return Object;
  }

private:
  CheckedCompiler Inner;
  std::shared_ptr<DiskObjectCache> Cache;
  std::shared_ptr<std::atomic<std::uint64_t>> Compiles;
};

}  // namespace

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

  openCache();
  llvm::orc::LLJITBuilder Builder;
  orc_compat::configureBuilder(
      Builder, *Machine, Options.Link,
      [Cache = Cache, Compiles = Compiles](llvm::orc::JITTargetMachineBuilder Configured)
          -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
        return std::make_unique<StoringCompiler>(std::move(Configured), Cache, Compiles);
      });
  auto Built = Builder.create();
  if (!Built)
    return Built.takeError();
  Jit = std::move(*Built);
  auto Shared = orc_compat::createBareJITDylib(Jit->getExecutionSession(), "pysym.interpreter");
  if (!Shared)
    return Shared.takeError();
  InterpreterNames = std::make_shared<SharedInterpreterNames>(*Shared);

  // The builder configured a copy; this one, with the same models, tunes
  // the optimizer.
  orc_compat::CodeGenModels Models = orc_compat::codeGenModelsFor(Options.Link);
  Machine->setCodeModel(Models.Code);
  Machine->setRelocationModel(Models.Relocation);
  Target.reset(new TargetState{
      JitTarget{Jit->getTargetTriple(), Jit->getDataLayout(), Machine->getFeatures()}, *Machine});
  CacheSettings = CompileSettings{LLVM_VERSION_STRING,
                                  Jit->getTargetTriple().str(),
                                  Machine->getCPU(),
                                  Machine->getFeatures().getString(),
                                  Options.OptLevel,
                                  toString(Options.Link).str(),
                                  codeModelName(Models.Code)};

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

void Engine::openCache() {
  if (Options.CacheDirectory.empty())
    return;
  auto Opened = DiskObjectCache::open(Options.CacheDirectory);
  if (!Opened) {
    // Not a failure of the engine: it works uncached and cacheStatus says why.
    CacheUnavailable = llvm::toString(Opened.takeError());
    return;
  }
  Cache = std::move(*Opened);
}

EngineCacheStatus Engine::cacheStatus() const {
  EngineCacheStatus Status;
  Status.Directory = Options.CacheDirectory;
  Status.Enabled = Cache != nullptr;
  Status.Unavailable = CacheUnavailable;
  if (Cache)
    Status.Statistics = Cache->statistics();
  Status.Compiles = Compiles->load();
  return Status;
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
  // On LLVM 19, links of two modules in one JITDylib (added Beside), run by
  // two threads at once, can both reach its generator; ORC then suspends
  // one and resumes it on the other thread, where RuntimeDyld's link writes
  // through its caller's dead stack frame (SharedInterpreterNames explains).
  // JITLink's links crash there too, calling code not yet executable
  // (engine_concurrency_test, ThreadsLinkModulesBesideOneAnotherAtOnce).
  // One lookup at a time per JITDylib keeps each generator to one link.
  std::lock_guard<std::mutex> OneLinkAtATime(M.Lib->Lookups);
  auto Address = orc_compat::lookupAddress(Jit->getExecutionSession(), *M.Lib->Dylib,
                                           Jit->mangle(Symbol));
  if (!Address)
    return explainLookupFailure(Address.takeError(), M, Symbol, Captured);
  return *Address;
}

llvm::Error Engine::explainLookupFailure(llvm::Error Err, const LoadedModule &M,
                                         llvm::StringRef Symbol, ErrorCapture &Captured) {
  // The generator explains misses (of them, the ones this module refers to
  // and, when there are some, this link reported: the generator serves the
  // links of every module in its JITDylib).
  Err = M.Lib->Generator->explainFailure(std::move(Err), M.Name, Captured.NotFound,
                                         &M.References);
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
}  // namespace pysym
