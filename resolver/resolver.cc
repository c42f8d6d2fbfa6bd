#include "resolver/resolver.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "llvm/ADT/StringMap.h"
#include "resolver/api_answers.h"
#include "resolver/interpreter_image.h"
#include "resolver/resolution_order.h"

namespace pysym {
namespace {

constexpr llvm::StringLiteral RegisteredImage = "<registered>";

// A registration made by addSymbol or addObjectSymbol.
struct Registration {
  std::uint64_t Address = 0;
  SymbolKind Kind = SymbolKind::Function;
  void *HeldObject = nullptr;  // a strong reference, for addObjectSymbol
};

using RefCountFunction = void (*)(void *);

}  // namespace

struct Resolver::Impl {
  explicit Impl(std::unique_ptr<InterpreterImage> Found)
      : Interpreter(std::move(Found)), Answers(*Interpreter),
        IncRef(reinterpret_cast<RefCountFunction>(Interpreter->apiAddress("Py_IncRef"))),
        DecRef(reinterpret_cast<RefCountFunction>(Interpreter->apiAddress("Py_DecRef"))) {}

  std::unique_ptr<InterpreterImage> Interpreter;
  ApiAnswers Answers;
  // The interpreter's own Py_IncRef / Py_DecRef, for registered objects;
  // called with the GIL held.
  RefCountFunction IncRef;
  RefCountFunction DecRef;
  mutable std::shared_mutex RegistryMutex;
  llvm::StringMap<Registration> Registry;
  // Registry.size(), readable without the lock: most processes register
  // nothing, and then a lookup skips the lock and the hash.
  std::atomic<std::size_t> RegistrySize{0};

  std::optional<Registration> registered(llvm::StringRef Name) const {
    if (RegistrySize.load(std::memory_order_acquire) == 0)
      return std::nullopt;
    std::shared_lock<std::shared_mutex> Lock(RegistryMutex);
    auto It = Registry.find(Name);
    if (It == Registry.end())
      return std::nullopt;
    return It->second;
  }

  Resolution resolve(llvm::StringRef Name) const {
    if (std::optional<Registration> Found = registered(Name)) {
      Resolution R;
      R.Name = Name.str();
      R.Status = ResolutionStatus::Registered;
      R.Address = Found->Address;
      R.Kind = Found->Kind;
      R.Target = R.Name;
      R.Image = RegisteredImage.str();
      return R;
    }
    Resolution R = resolveInOrder(*Interpreter, Name, /*Explain=*/true);
    if (invalidNameReason(Name).empty())
      R.Tried.insert(R.Tried.begin(), "registered symbols: none named " + R.Name);
    return R;
  }
};

Resolver::Resolver() = default;
Resolver::~Resolver() = default;

llvm::Expected<std::unique_ptr<Resolver>> Resolver::forCurrentProcess() {
  auto Interpreter = InterpreterImage::findInCurrentProcess();
  if (!Interpreter)
    return Interpreter.takeError();
  std::unique_ptr<Resolver> R(new Resolver());
  R->State = std::make_unique<Impl>(std::move(*Interpreter));
  return R;
}

InterpreterInfo Resolver::interpreter() const { return State->Interpreter->info(); }

Resolution Resolver::resolve(std::string_view Name) const { return State->resolve(Name); }

FoundSymbol Resolver::find(std::string_view Name) const {
  if (std::optional<Registration> Found = State->registered(Name))
    return {Found->Address, ResolutionStatus::Registered, Found->Kind};
  return findUnregistered(Name);
}

FoundSymbol Resolver::findUnregistered(llvm::StringRef Name) const {
  std::optional<FoundSymbol> Found = State->Answers.precomputed(Name);
  if (!Found)
    Found = findInOrder(*State->Interpreter, Name);
  return *Found;
}

const std::vector<std::string> &Resolver::apiNames() const { return State->Answers.names(); }

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
    // Under its own name or an alias (on PyPy, _Py_NoneStruct is
    // _PyPy_NoneStruct): either way the interpreter already defines it.
    if (State->Interpreter->apiAddress(Name) != 0)
      return llvm::createStringError(
          std::errc::file_exists,
          "cannot register %s: the interpreter %s exports it; registering would replace it for "
          "every kernel, so ask for that explicitly (allow override)",
          Name.str().c_str(), State->Interpreter->imagePath().c_str());
  }
  void *Released = nullptr;
  if (Object && State->IncRef)
    State->IncRef(Object);
  {
    std::unique_lock<std::shared_mutex> Lock(State->RegistryMutex);
    Registration &Slot = State->Registry[Name];
    Released = Slot.HeldObject;
    Slot = Registration{Address, Kind, Object};
    State->RegistrySize.store(State->Registry.size(), std::memory_order_release);
  }
  if (Released && State->DecRef)
    State->DecRef(Released);
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
    State->RegistrySize.store(State->Registry.size(), std::memory_order_release);
  }
  if (Released && State->DecRef)
    State->DecRef(Released);
  return true;
}

}  // namespace pysym
