// LLVM 14 implementations of the version-dependent ORC calls (orc_compat.h).
#include "jitlink/orc_compat.h"

#include "jitlink/orc_compat_memory_llvm14.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/JITLink/EHFrameSupport.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#if LLVM_VERSION_MAJOR != 14
#error "jitlink/orc_compat_llvm14.cc is for LLVM 14: each version has its own file (jitlink/BUILD)"
#endif

namespace pysym::orc_compat {

using namespace llvm;
using namespace llvm::orc;

void AbsoluteSymbols::add(SymbolStringPtr Name, std::uint64_t Address, bool Callable) {
  JITSymbolFlags Flags = JITSymbolFlags::Exported;
  if (Callable)
    Flags |= JITSymbolFlags::Callable;
  Map[std::move(Name)] = JITEvaluatedSymbol(Address, Flags);
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
  auto Memory = ReleasingMemoryManager::create();
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
  // Installing our own linking layer means LLJIT configures neither model for
  // us, so both are always set explicitly.
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
  // LLVM 14's LLJIT links no process symbols by default; the generic IR
  // platform would still define __cxa_atexit and dlopen interposes in the
  // main JITDylib, so pysym uses the inactive platform.
  Builder.setPlatformSetUp(setUpInactivePlatform);
  Builder.setNumCompileThreads(0);
}

void setCodeGenOptLevel(JITTargetMachineBuilder &Target, unsigned Level) {
  static constexpr CodeGenOpt::Level Levels[] = {CodeGenOpt::None, CodeGenOpt::Less,
                                                 CodeGenOpt::Default, CodeGenOpt::Aggressive};
  Target.setCodeGenOptLevel(Levels[Level < 3 ? Level : 3]);
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
  return Symbol->getAddress();
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
