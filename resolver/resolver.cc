#include "pysym/resolver/resolver.h"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "pysym/resolver/interpreter_image.h"
#include "pysym/resolver/resolution_order.h"
#include "resolver/api_answers.h"

namespace pysym {
namespace {

constexpr std::string_view RegisteredImage = "<registered>";

// A registration made by addSymbol or addObjectSymbol.
struct Registration {
  std::uint64_t Address = 0;
  SymbolKind Kind = SymbolKind::Function;
  void *HeldObject = nullptr;  // a strong reference, for addObjectSymbol
};

using RefCountFunction = void (*)(void *);

}  // namespace

// Hidden, so that libpysym_core.so.0's version script, which exports
// "pysym::Resolver::*", leaves the private state (and the templates
// instantiated for it) out of the library's API.
struct __attribute__((visibility("hidden"))) Resolver::Impl {
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
  // Ordered with a transparent comparator, so a lookup by string_view
  // allocates nothing.
  std::map<std::string, Registration, std::less<>> Registry;
  // Registry.size(), readable without the lock: most processes register
  // nothing, and then a lookup skips the lock and the hash.
  std::atomic<std::size_t> RegistrySize{0};

  std::optional<Registration> registered(std::string_view Name) const {
    if (RegistrySize.load(std::memory_order_acquire) == 0)
      return std::nullopt;
    std::shared_lock<std::shared_mutex> Lock(RegistryMutex);
    auto It = Registry.find(Name);
    if (It == Registry.end())
      return std::nullopt;
    return It->second;
  }

  Resolution resolve(std::string_view Name) const {
    if (std::optional<Registration> Found = registered(Name)) {
      Resolution R;
      R.Name = std::string(Name);
      R.Status = ResolutionStatus::Registered;
      R.Address = Found->Address;
      R.Kind = Found->Kind;
      R.Target = R.Name;
      R.Image = std::string(RegisteredImage);
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

Expected<std::unique_ptr<Resolver>> Resolver::forCurrentProcess() {
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
  FoundSymbol Found = findRegistered(Name);
  return Found.found() ? Found : findUnregistered(Name);
}

FoundSymbol Resolver::findRegistered(std::string_view Name) const {
  if (std::optional<Registration> Found = State->registered(Name))
    return {Found->Address, ResolutionStatus::Registered, Found->Kind};
  return {};
}

FoundSymbol Resolver::findUnregistered(std::string_view Name) const {
  std::optional<FoundSymbol> Found = State->Answers.precomputed(Name);
  if (!Found)
    Found = findInOrder(*State->Interpreter, Name);
  return *Found;
}

const std::vector<std::string> &Resolver::apiNames() const { return State->Answers.names(); }

void Resolver::createSubstituteData() const { State->Interpreter->createSubstituteData(); }

Error Resolver::addSymbol(std::string_view Name, std::uint64_t Address, SymbolKind Kind,
                                bool AllowOverride) {
  return registerSymbol(Name, Address, Kind, nullptr, AllowOverride);
}

Error Resolver::addObjectSymbol(std::string_view Name, void *Object, bool AllowOverride) {
  if (!Object)
    return makeStringError(std::errc::invalid_argument,
                           "cannot register " + std::string(Name) + ": the object is null");
  return registerSymbol(Name, reinterpret_cast<std::uint64_t>(Object), SymbolKind::Data, Object,
                        AllowOverride);
}

Error Resolver::registerSymbol(std::string_view Name, std::uint64_t Address, SymbolKind Kind,
                                     void *Object, bool AllowOverride) {
  if (std::string Invalid = invalidNameReason(Name); !Invalid.empty())
    return makeStringError(std::errc::invalid_argument, "cannot register a symbol: " + Invalid);
  if (Address == 0)
    return makeStringError(std::errc::invalid_argument,
                           "cannot register " + std::string(Name) + " at address 0");
  if (!AllowOverride) {
    // Under its own name or an alias (on PyPy, _Py_NoneStruct is
    // _PyPy_NoneStruct): either way the interpreter already defines it.
    if (State->Interpreter->apiAddress(Name) != 0)
      return makeStringError(std::errc::file_exists,
                             "cannot register " + std::string(Name) + ": the interpreter " +
                                 State->Interpreter->imagePath() +
                                 " exports it; registering would replace it for every kernel, so "
                                 "ask for that explicitly (allow override)");
  }
  void *Released = nullptr;
  if (Object && State->IncRef)
    State->IncRef(Object);
  {
    std::unique_lock<std::shared_mutex> Lock(State->RegistryMutex);
    auto Existing = State->Registry.find(Name);
    if (Existing == State->Registry.end())
      Existing = State->Registry.emplace(std::string(Name), Registration{}).first;
    Registration &Slot = Existing->second;
    Released = Slot.HeldObject;
    Slot = Registration{Address, Kind, Object};
    State->RegistrySize.store(State->Registry.size(), std::memory_order_release);
  }
  if (Released && State->DecRef)
    State->DecRef(Released);
  return Error::success();
}

bool Resolver::removeSymbol(std::string_view Name) {
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
