// Binds the catalogue to the running interpreter and answers for names.
#include "resolver/substitutes/substitute_set.h"

#include <atomic>
#include <mutex>

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "resolver/substitutes/c_api.h"
#include "resolver/substitutes/catalogue.h"
#include "resolver/substitutes/data_objects.h"

namespace pysym::substitutes {
namespace {

// A cell handed out as PyExc_X is read by foreign code as a plain PyObject *.
static_assert(sizeof(std::atomic<void *>) == sizeof(void *) &&
                  std::atomic<void *>::is_always_lock_free,
              "an atomic pointer must be usable as a PyObject * cell");

// One slot per catalogue entry, for the whole process: the created object
// (a type) or the cell's content (an exception class). Each holds a strong
// reference that is never released, so the address stays valid.
std::atomic<void *> *dataSlots() {
  static std::atomic<void *> *const Slots = [] {
    size_t Count = catalogueEntries().size();
    auto *Made = new std::atomic<void *>[Count];
    for (size_t I = 0; I < Count; ++I)
      Made[I].store(nullptr);
    return Made;
  }();
  return Slots;
}

const llvm::StringMap<unsigned> &entryIndex() {
  static const llvm::StringMap<unsigned> Index = [] {
    llvm::StringMap<unsigned> Made;
    llvm::ArrayRef<CatalogueEntry> Entries = catalogueEntries();
    for (unsigned I = 0; I < Entries.size(); ++I)
      Made.try_emplace(Entries[I].Def.Name, I);
    return Made;
  }();
  return Index;
}

std::uint64_t addressOf(const void *Pointer) { return reinterpret_cast<std::uint64_t>(Pointer); }

}  // namespace

struct SubstituteSet::State {
  Options Opts;
  // Per entry: empty when offered, else why not (decided at bind).
  std::vector<std::string> Refusal;
  // Per entry: why its data could not be created, once that was tried.
  mutable std::mutex FailureLock;
  mutable std::vector<std::string> CreationFailure;
};

SubstituteSet::SubstituteSet(std::unique_ptr<State> S) : S(std::move(S)) {}
SubstituteSet::~SubstituteSet() = default;

std::unique_ptr<SubstituteSet> SubstituteSet::bind(ApiLookup Lookup, Options Opts) {
  auto S = std::make_unique<State>();
  S->Opts = std::move(Opts);
  llvm::ArrayRef<CatalogueEntry> Entries = catalogueEntries();
  S->Refusal.resize(Entries.size());
  S->CreationFailure.resize(Entries.size());
  dataSlots();  // allocated before any thread can race on first use

  llvm::StringMap<capi::BindOutcome> Outcomes;  // one lookup per API name
  auto bindNeed = [&](llvm::StringRef Need) -> std::optional<capi::BindOutcome> {
    auto Known = Outcomes.find(Need);
    if (Known != Outcomes.end())
      return Known->second;
    std::optional<capi::Api> Entry = capi::entryFor(Need);
    if (!Entry)
      return std::nullopt;
    capi::BindOutcome Outcome = capi::bind(*Entry, Lookup(Need));
    Outcomes[Need] = Outcome;
    return Outcome;
  };

  for (unsigned I = 0; I < Entries.size(); ++I) {
    const Definition &Def = Entries[I].Def;
    if (!Def.OnlyFor.empty() && Def.OnlyFor != S->Opts.Interpreter) {
      S->Refusal[I] = (Def.Name + " stands in for a macro of " + Def.OnlyFor + "'s headers; not offered on " +
                       (S->Opts.Interpreter.empty() ? "an unnamed interpreter" : S->Opts.Interpreter) +
                       ", where the name may be a real function")
                          .str();
      continue;
    }
    std::vector<std::string> Absent, Conflicting, Unknown;
    for (llvm::StringRef Need : Def.Needs) {
      std::optional<capi::BindOutcome> Outcome = bindNeed(Need);
      if (!Outcome)
        Unknown.push_back(Need.str());
      else if (*Outcome == capi::BindOutcome::Absent)
        Absent.push_back(Need.str());
      else if (*Outcome == capi::BindOutcome::Conflict)
        Conflicting.push_back(Need.str());
    }
    if (!Unknown.empty())
      S->Refusal[I] = (Def.Name + " needs " + llvm::join(Unknown, ", ") +
                       ", missing from pysym's C-API table (a pysym bug)")
                          .str();
    else if (!Absent.empty())
      S->Refusal[I] = (Def.Name + " needs " + llvm::join(Absent, ", ") +
                       ", which the interpreter does not export")
                          .str();
    else if (!Conflicting.empty())
      S->Refusal[I] = (Def.Name + " needs " + llvm::join(Conflicting, ", ") +
                       ", already bound in this process to another interpreter's address")
                          .str();
  }
  return std::unique_ptr<SubstituteSet>(new SubstituteSet(std::move(S)));
}

Offer SubstituteSet::find(llvm::StringRef Name) const {
  Offer Answer;
  auto Found = entryIndex().find(Name);
  if (Found == entryIndex().end()) {
    Answer.Explanation = ("pysym has no substitute for " + Name).str();
    return Answer;
  }
  unsigned I = Found->second;
  const CatalogueEntry &Entry = catalogueEntries()[I];
  Answer.Def = &catalogue()[I];  // the public copy, so callers can compare with catalogue()
  Answer.Kind = Entry.Def.Kind;
  if (!S->Refusal[I].empty()) {
    Answer.Explanation = S->Refusal[I];
    return Answer;
  }
  if (Entry.Form == Shape::Function) {
    Answer.Address = addressOf(Entry.Implementation);
    Answer.Explanation = Entry.Def.Source.str();
    return Answer;
  }

  if (S->Opts.ApiDataReady && !S->Opts.ApiDataReady()) {
    Answer.Explanation = (Name + " is data obtained through the C API, whose data the interpreter has "
                                 "not initialised yet (PyPy: cpyext has not started)")
                             .str();
    return Answer;
  }
  std::atomic<void *> &Slot = dataSlots()[I];
  void *Value = Slot.load(std::memory_order_acquire);
  if (!Value) {
    {
      std::lock_guard<std::mutex> Lock(S->FailureLock);
      if (!S->CreationFailure[I].empty()) {
        Answer.Explanation = S->CreationFailure[I];
        return Answer;
      }
    }
    // No lock is held while Python runs: the recipe may release the GIL, and
    // a thread holding the GIL may be waiting here too.
    llvm::Expected<capi::Object> Made = runRecipe(
        Entry.Recipe, Entry.Form == Shape::TypeObject ? RecipeResult::Type : RecipeResult::ExceptionClass);
    if (!Made) {
      std::string Why = (Name + " could not be created: " + llvm::toString(Made.takeError())).str();
      std::lock_guard<std::mutex> Lock(S->FailureLock);
      S->CreationFailure[I] = Why;
      Answer.Explanation = Why;
      return Answer;
    }
    void *Expected = nullptr;
    if (!Slot.compare_exchange_strong(Expected, *Made, std::memory_order_acq_rel)) {
      capi::GilScope Gil;  // another thread stored the same object first
      capi::decRef(*Made);
    }
    Value = Slot.load(std::memory_order_acquire);
  }
  Answer.Address = Entry.Form == Shape::TypeObject ? addressOf(Value) : addressOf(&Slot);
  Answer.Explanation = Entry.Def.Source.str();
  return Answer;
}

std::vector<const Definition *> SubstituteSet::offered() const {
  std::vector<const Definition *> Out;
  llvm::ArrayRef<CatalogueEntry> Entries = catalogueEntries();
  for (unsigned I = 0; I < Entries.size(); ++I)
    if (S->Refusal[I].empty())
      Out.push_back(&catalogue()[I]);
  return Out;
}

}  // namespace pysym::substitutes
