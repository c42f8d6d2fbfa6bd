// The version-neutral part of orc_compat.h; orc_compat_version.h names what
// each LLVM version's file supplies.
#include "pysym/jitlink/orc_compat.h"

#include "jitlink/orc_compat_version.h"
#include "llvm/ExecutionEngine/JITLink/EHFrameSupport.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"

namespace pysym::orc_compat {

using namespace llvm;
using namespace llvm::orc;

void AbsoluteSymbols::add(SymbolStringPtr Name, std::uint64_t Address, bool Callable) {
  JITSymbolFlags Flags = JITSymbolFlags::Exported;
  if (Callable)
    Flags |= JITSymbolFlags::Callable;
  Map[std::move(Name)] = version::absoluteSymbol(Address, Flags);
}

Error AbsoluteSymbols::defineIn(JITDylib &JD) {
  SymbolMap Symbols;
  std::swap(Symbols, Map);
  return JD.define(absoluteSymbols(std::move(Symbols)));
}

CodeGenModels codeGenModelsFor(Linker Kind) {
  if (Kind == Linker::JITLink)
    return {CodeModel::Small, Reloc::PIC_};
  return {CodeModel::Large, Reloc::Static};
}

static Expected<std::unique_ptr<ObjectLayer>> createRuntimeDyldLayer(ExecutionSession &ES) {
  // One memory manager per object, so removing a module frees exactly its
  // memory; SectionMemoryManager keeps an object's sections near each other.
  auto Layer = std::make_unique<RTDyldObjectLinkingLayer>(
      ES, [] { return std::make_unique<SectionMemoryManager>(); });
  return std::unique_ptr<ObjectLayer>(std::move(Layer));
}

static Expected<std::unique_ptr<ObjectLayer>> createJITLinkLayer(ExecutionSession &ES) {
  auto Memory = version::createJITLinkMemoryManager();
  if (!Memory)
    return Memory.takeError();
  auto Layer = std::make_unique<ObjectLinkingLayer>(ES, std::move(*Memory));
  // Registered frames let unwinders and profilers walk through kernels;
  // in-process registration needs no symbol from the host.
  Layer->addPlugin(std::make_unique<EHFrameRegistrationPlugin>(
      ES, std::make_unique<jitlink::InProcessEHFrameRegistrar>()));
  return std::unique_ptr<ObjectLayer>(std::move(Layer));
}

void configureBuilder(LLJITBuilder &Builder, JITTargetMachineBuilder Target,
                      Linker Kind, CompilerFactory Compiler) {
  // LLJIT configures neither model once a linking layer is installed (LLVM
  // 19's would otherwise choose JITLink with small/PIC on ELF x86-64 by
  // itself), and pysym installs its own for either linker, so both models
  // are always set here and RuntimeDyld never gets the small model.
  CodeGenModels Models = codeGenModelsFor(Kind);
  Target.setCodeModel(Models.Code);
  Target.setRelocationModel(Models.Relocation);
  Builder.setJITTargetMachineBuilder(std::move(Target));
  if (Kind == Linker::JITLink)
    Builder.setObjectLinkingLayerCreator(
        [](ExecutionSession &ES, const Triple &) { return createJITLinkLayer(ES); });
  else
    Builder.setObjectLinkingLayerCreator(
        [](ExecutionSession &ES, const Triple &) { return createRuntimeDyldLayer(ES); });
  Builder.setCompileFunctionCreator(std::move(Compiler));
  // The generic IR platform would define __cxa_atexit and dlopen interposes
  // in the main JITDylib (and from LLVM 17 needs the process-symbols
  // JITDylib), so pysym uses the inactive platform.
  Builder.setPlatformSetUp(setUpInactivePlatform);
  // No thread pool: materialization runs on the thread that looks up, which
  // is where the engine captures a link's errors.
  Builder.setNumCompileThreads(0);
  version::disableImplicitSetup(Builder);
}

Expected<JITDylib &> createBareJITDylib(ExecutionSession &ES, const std::string &Name) {
  if (ES.getJITDylibByName(Name))
    return createStringError(inconvertibleErrorCode(), "JITDylib '%s' already exists",
                             Name.c_str());
  return ES.createJITDylib(Name);
}

Expected<std::uint64_t> lookupAddress(ExecutionSession &ES, JITDylib &JD, StringRef MangledName) {
  auto Symbol = ES.lookup(makeJITDylibSearchOrder(&JD, JITDylibLookupFlags::MatchAllSymbols),
                          ES.intern(MangledName));
  if (!Symbol)
    return Symbol.takeError();
  return addressOf(*Symbol);
}

std::vector<std::string> namesNotFound(const ErrorInfoBase &Error) {
  std::vector<std::string> Names;
  if (!Error.isA<SymbolsNotFound>())
    return Names;
  for (const SymbolStringPtr &Name : static_cast<const SymbolsNotFound &>(Error).getSymbols())
    Names.push_back((*Name).str());
  return Names;
}

std::optional<std::string> duplicateDefinitionName(const ErrorInfoBase &Error) {
  if (!Error.isA<DuplicateDefinition>())
    return std::nullopt;
  return static_cast<const DuplicateDefinition &>(Error).getSymbolName();
}

}  // namespace pysym::orc_compat
