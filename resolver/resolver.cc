#include "resolver/resolver.h"

#include <dlfcn.h>
#include <link.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "resolver/interpreter_image.h"
#include "resolver/loaded_image_probe.h"
#include "resolver/substitute_hook.h"
#include "symtab/symbol_index.h"

namespace pysym {
namespace {

constexpr llvm::StringLiteral RegisteredImage = "<registered>";

// A registration made by addSymbol or addObjectSymbol.
struct Registration {
  std::uint64_t Address = 0;
  SymbolKind Kind = SymbolKind::Function;
  void *HeldObject = nullptr;  // a strong reference, for addObjectSymbol
};

// Why a name cannot be looked up at all, or "" when it can.
std::string invalidNameReason(llvm::StringRef Name) {
  if (Name.empty())
    return "the name is empty";
  size_t Nul = Name.find('\0');
  if (Nul != llvm::StringRef::npos)
    return "the name contains a NUL byte at offset " + std::to_string(Nul);
  return "";
}


}  // namespace

struct Resolver::Impl {
  std::unique_ptr<InterpreterImage> Interpreter;
  std::unique_ptr<SubstituteHook> Substitutes;

  mutable std::shared_mutex RegistryMutex;
  llvm::StringMap<Registration> Registry;

  // The outcome of looking in the interpreter image under one name.
  enum class ImageOutcome { Found, Absent, Refused };

  // Looks `Target` up in the interpreter image. On Refused, `Why` says why a
  // definition exists but cannot be returned (TLS, data not initialised).
  ImageOutcome lookInInterpreter(llvm::StringRef Target, Resolution &R, std::string &Why) const {
    InterpreterImage::Definition Def;
    switch (Interpreter->find(Target, Def, Why)) {
    case InterpreterImage::Lookup::Absent:
      return ImageOutcome::Absent;
    case InterpreterImage::Lookup::Refused:
      return ImageOutcome::Refused;
    case InterpreterImage::Lookup::Found:
      break;
    }
    R.Address = Def.Address;
    R.Kind = Def.Kind;
    R.Target = Target.str();
    R.Image = Interpreter->imagePath();
    return ImageOutcome::Found;
  }

  Resolution resolve(llvm::StringRef Name, bool Explain) const;
  void noteOtherDefinitions(Resolution &R) const;
};

Resolution Resolver::Impl::resolve(llvm::StringRef Name, bool Explain) const {
  Resolution R;
  R.Name = Name.str();
  if (std::string Invalid = invalidNameReason(Name); !Invalid.empty()) {
    R.Tried.push_back("nothing: " + Invalid);
    R.Note = Invalid;
    return R;
  }

  {
    std::shared_lock<std::shared_mutex> Lock(RegistryMutex);
    auto It = Registry.find(Name);
    if (It != Registry.end()) {
      R.Status = ResolutionStatus::Registered;
      R.Address = It->second.Address;
      R.Kind = It->second.Kind;
      R.Target = R.Name;
      R.Image = RegisteredImage.str();
      return R;
    }
  }
  const std::string &ImagePath = Interpreter->imagePath();
  if (Explain)
    R.Tried.push_back("registered symbols: none named " + R.Name);

  std::string Why;
  switch (lookInInterpreter(Name, R, Why)) {
  case ImageOutcome::Found:
    R.Status = ResolutionStatus::Exact;
    if (Explain)
      noteOtherDefinitions(R);
    return R;
  case ImageOutcome::Refused:
    R.Tried.push_back("exact " + R.Name + " in " + ImagePath + ": " + Why);
    R.Note = Why;
    return R;
  case ImageOutcome::Absent:
    if (Explain)
      R.Tried.push_back("exact " + R.Name + " in " + ImagePath + ": not exported");
    break;
  }

  llvm::SmallVector<std::string, 2> Aliases;
  Interpreter->profile().aliasesFor(Name, Interpreter->version(), Aliases);
  for (const std::string &Alias : Aliases) {
    switch (lookInInterpreter(Alias, R, Why)) {
    case ImageOutcome::Found:
      R.Status = ResolutionStatus::Alias;
      if (Explain)
        noteOtherDefinitions(R);
      return R;
    case ImageOutcome::Refused:
      R.Tried.push_back("alias " + Alias + " in " + ImagePath + ": " + Why);
      R.Note = Why;
      return R;
    case ImageOutcome::Absent:
      if (Explain)
        R.Tried.push_back("alias " + Alias + " in " + ImagePath + ": not exported");
      break;
    }
  }

  if (Substitutes) {
    SubstituteHook::Answer Sub = Substitutes->find(Name);
    if (Sub.Address) {
      R.Status = ResolutionStatus::Substitute;
      R.Address = Sub.Address;
      R.Kind = Sub.Kind;
      R.Target = R.Name;
      R.Image = "<pysym substitute>";
      R.Note = Sub.Explanation;
      return R;
    }
    if (Explain)
      R.Tried.push_back("substitute: " + Sub.Explanation);
  }

  if (!isPythonApiName(Name)) {
    if (auto Found = Interpreter->findInOtherImages(Name)) {
      R.Status = ResolutionStatus::System;
      R.Address = Found->Address;
      R.Kind = Found->Kind;
      R.Target = R.Name;
      R.Image = Found->ImagePath;
      return R;
    }
    if (Explain)
      R.Tried.push_back("other loaded images: not defined");
    return R;
  }

  if (Explain) {
    R.Tried.push_back("other loaded images: not searched, since Python API names resolve only "
                      "from the interpreter image");
    if (auto Found = Interpreter->findInOtherImages(Name))
      R.Note = Found->ImagePath + " exports " + R.Name +
               ", but it is not the interpreter, so it is not used";
  }
  return R;
}

void Resolver::Impl::noteOtherDefinitions(Resolution &R) const {
  if (auto Other = Interpreter->findInOtherImages(R.Name))
    R.Note = "also exported by " + Other->ImagePath + " (not used: " + R.Image +
             " is the interpreter)";
}

Resolver::Resolver() : State(std::make_unique<Impl>()) {}
Resolver::~Resolver() = default;

llvm::Expected<std::unique_ptr<Resolver>> Resolver::forCurrentProcess() {
  auto Interpreter = InterpreterImage::findInCurrentProcess();
  if (!Interpreter)
    return Interpreter.takeError();
  std::unique_ptr<Resolver> R(new Resolver());
  R->State->Interpreter = std::move(*Interpreter);
  R->State->Substitutes = SubstituteHook::create(*R->State->Interpreter);
  return R;
}

InterpreterInfo Resolver::interpreter() const { return State->Interpreter->info(); }

Resolution Resolver::resolve(llvm::StringRef Name) const { return State->resolve(Name, true); }

Resolver::Answer Resolver::find(llvm::StringRef Name) const {
  Resolution R = State->resolve(Name, false);
  return {R.Address, R.Status, R.Kind};
}

llvm::Error Resolver::addSymbol(llvm::StringRef Name, std::uint64_t Address, SymbolKind Kind,
                                bool AllowOverride) {
  return registerSymbol(Name, Address, Kind, nullptr, AllowOverride);
}

llvm::Error Resolver::addObjectSymbol(llvm::StringRef Name, void *Object, bool AllowOverride) {
  if (!Object)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "cannot register %s: the object is null", Name.str().c_str());
  return registerSymbol(Name, reinterpret_cast<std::uint64_t>(Object), SymbolKind::Data, Object,
                        AllowOverride);
}

llvm::Error Resolver::registerSymbol(llvm::StringRef Name, std::uint64_t Address, SymbolKind Kind,
                                     void *Object, bool AllowOverride) {
  if (std::string Invalid = invalidNameReason(Name); !Invalid.empty())
    return llvm::createStringError(std::errc::invalid_argument, "cannot register a symbol: %s",
                                   Invalid.c_str());
  if (Address == 0)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "cannot register %s at address 0", Name.str().c_str());
  if (!AllowOverride) {
    InterpreterImage::Definition Def;
    std::string Why;
    if (State->Interpreter->find(Name, Def, Why) != InterpreterImage::Lookup::Absent)
      return llvm::createStringError(
          std::errc::file_exists,
          "cannot register %s: the interpreter %s exports it; registering would replace it for "
          "every kernel, so ask for that explicitly (allow override)",
          Name.str().c_str(), State->Interpreter->imagePath().c_str());
  }
  void *Released = nullptr;
  if (Object)
    State->Interpreter->incRef(Object);
  {
    std::unique_lock<std::shared_mutex> Lock(State->RegistryMutex);
    Registration &Slot = State->Registry[Name];
    Released = Slot.HeldObject;
    Slot = Registration{Address, Kind, Object};
  }
  if (Released)
    State->Interpreter->decRef(Released);
  return llvm::Error::success();
}

bool Resolver::removeSymbol(llvm::StringRef Name) {
  void *Released = nullptr;
  {
    std::unique_lock<std::shared_mutex> Lock(State->RegistryMutex);
    auto It = State->Registry.find(Name);
    if (It == State->Registry.end())
      return false;
    Released = It->second.HeldObject;
    State->Registry.erase(It);
  }
  if (Released)
    State->Interpreter->decRef(Released);
  return true;
}

}  // namespace pysym
