#include "fuzz/engine_fuzzing.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/embedded_host.h"
#include "fuzz/outcome.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/ObjectFile.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/ir_reader.h"

namespace pysym::fuzzing {

namespace {

// Enough to reach code generation and linking for most inputs while
// keeping each input's cost bounded: every lookup of a new module compiles
// all of it.
constexpr size_t LookupsPerModule = 4;

std::array<std::unique_ptr<Engine>, 2> &engines() {
  static std::array<std::unique_ptr<Engine>, 2> Engines;
  return Engines;
}

// The externally visible names a module defines, the ones Engine::lookup
// accepts. Read with pysym's own readers, which never abort; the engine has
// already accepted the same bytes.
std::vector<std::string> definedNames(const llvm::Module &M) {
  std::vector<std::string> TheResolver;
  for (const llvm::GlobalValue &G : M.global_values())
    if (!G.isDeclaration() && !G.hasLocalLinkage() && !G.hasAvailableExternallyLinkage() &&
        !G.hasAppendingLinkage() && TheResolver.size() < LookupsPerModule)
      TheResolver.push_back(G.getName().str());
  return TheResolver;
}

std::vector<std::string> definedNames(EngineInput Kind, llvm::ArrayRef<std::uint8_t> Bytes) {
  if (Kind == EngineInput::Object) {
    llvm::MemoryBufferRef Buffer(llvm::toStringRef(Bytes), EngineInputName);
    auto Object = llvm::object::ObjectFile::createObjectFile(Buffer);
    if (!Object) {
      // The engine accepted these bytes, so LLVM's reader should too; a
      // refusal only means fewer lookups, which the outcome shows.
      llvm::consumeError(Object.takeError());
      return {};
    }
    std::vector<std::string> TheResolver;
    for (const llvm::object::SymbolRef &Symbol : (*Object)->symbols()) {
      auto Flags = Symbol.getFlags();
      auto Name = Symbol.getName();
      if (!Flags || !Name) {
        // As above: an unreadable symbol is one fewer lookup.
        llvm::consumeError(Flags.takeError());
        llvm::consumeError(Name.takeError());
        continue;
      }
      // Absolute symbols are left out: their address is their value, and
      // 0 is a value like any other.
      if ((*Flags & llvm::object::SymbolRef::SF_Global) &&
          !(*Flags & llvm::object::SymbolRef::SF_Undefined) &&
          !(*Flags & llvm::object::SymbolRef::SF_Absolute) && !Name->empty() &&
          TheResolver.size() < LookupsPerModule)
        TheResolver.push_back(Name->str());
    }
    return TheResolver;
  }
  llvm::LLVMContext Context;
  auto M = Kind == EngineInput::IR
               ? readIRText(llvm::toStringRef(Bytes), EngineInputName, Context)
               : readBitcode(Bytes, EngineInputName, Context);
  if (!M) {
    llvm::consumeError(M.takeError());  // as for objects above
    return {};
  }
  return definedNames(**M);
}

llvm::Expected<ModuleHandle> add(Engine &Jit, EngineInput Kind,
                                 llvm::ArrayRef<std::uint8_t> Bytes) {
  switch (Kind) {
  case EngineInput::IR: return Jit.addIR(llvm::toStringRef(Bytes), EngineInputName);
  case EngineInput::Bitcode: return Jit.addBitcode(Bytes, EngineInputName);
  case EngineInput::Object: return Jit.addObject(Bytes, EngineInputName);
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "unknown input kind");
}

}  // namespace

void startEngines() {
  static bool Started = [] {
    EmbeddedHost &Host = embeddedHost();
    const std::array<Linker, 2> Linkers = {Linker::RuntimeDyld, Linker::JITLink};
    for (size_t I = 0; I < Linkers.size(); ++I) {
      EngineOptions Options;
      Options.Link = Linkers[I];
      auto Made = Engine::create(Host.TheResolver, Options);
      if (!Made) {
        std::fprintf(stderr, "pysym fuzz: cannot create the engine: %s\n",
                     llvm::toString(Made.takeError()).c_str());
        std::exit(2);
      }
      engines()[I] = std::move(*Made);
    }
    return true;
  }();
  (void)Started;
}

void addLinkAndRemove(EngineInput Kind, llvm::ArrayRef<std::uint8_t> Bytes) {
  startEngines();
  Outcome Result = Outcome::Rejected;
  std::vector<std::string> TheResolver;
  bool NamesRead = false;
  for (std::unique_ptr<Engine> &Jit : engines()) {
    auto Module = add(*Jit, Kind, Bytes);
    if (!Module) {
      std::string Message = llvm::toString(Module.takeError());
      PYSYM_FUZZ_CHECK(llvm::StringRef(Message).contains(EngineInputName),
                       "an add error does not name the module (" + toString(Jit->options().Link) +
                           "): " + Message);
      continue;
    }
    if (Result == Outcome::Rejected)
      Result = Outcome::Accepted;
    if (!NamesRead) {
      TheResolver = definedNames(Kind, Bytes);
      NamesRead = true;
    }
    for (const std::string &Name : TheResolver) {
      auto Address = Jit->lookup(*Module, Name);
      if (!Address) {
        // A kernel naming what the interpreter lacks, or code LLVM refuses
        // to compile, is a lookup error by contract.
        llvm::consumeError(Address.takeError());
        continue;
      }
      PYSYM_FUZZ_CHECK(*Address != 0, "lookup of '" + Name + "' returned address 0 (" +
                                           toString(Jit->options().Link) + ")");
      Result = Outcome::Linked;
    }
    if (llvm::Error Err = Jit->remove(*Module))
      propertyFailed("removing an accepted module failed: " + llvm::toString(std::move(Err)));
    llvm::Error Again = Jit->remove(*Module);
    PYSYM_FUZZ_CHECK(static_cast<bool>(Again), "a module was removed twice");
    llvm::consumeError(std::move(Again));  // the refusal checked above
    for (const std::string &Name : TheResolver) {
      auto Address = Jit->lookup(*Module, Name);
      PYSYM_FUZZ_CHECK(!Address, "a removed module's '" + Name + "' still looks up");
      llvm::consumeError(Address.takeError());  // the refusal checked above
    }
  }
  recordOutcome(Result);
}

}  // namespace pysym::fuzzing
