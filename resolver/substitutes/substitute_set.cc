// Binds the catalogue to the running interpreter and answers for names.
#include "pysym/resolver/substitutes/substitute_set.h"

#include <atomic>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/resolver/substitutes/catalogue.h"
#include "pysym/resolver/substitutes/data_objects.h"
#include "pysym/support/text.h"

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

// Keys are the catalogue's names, which live as long as the process.
const std::unordered_map<std::string_view, unsigned> &entryIndex() {
  static const std::unordered_map<std::string_view, unsigned> Index = [] {
    std::unordered_map<std::string_view, unsigned> Made;
    Span<CatalogueEntry> Entries = catalogueEntries();
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
  // Per entry: whether the interpreter exports the name itself (exactly or
  // under an alias), so that a resolver answers with its own.
  std::vector<bool> Exported;
  // Per entry: why its data could not be created, once that was tried.
  mutable std::mutex FailureLock;
  mutable std::vector<std::string> CreationFailure;
};

SubstituteSet::SubstituteSet(std::unique_ptr<State> S) : S(std::move(S)) {}
SubstituteSet::~SubstituteSet() = default;

std::unique_ptr<SubstituteSet> SubstituteSet::bind(const ApiLookup &Lookup, Options Opts) {
  auto S = std::make_unique<State>();
  S->Opts = std::move(Opts);
  Span<CatalogueEntry> Entries = catalogueEntries();
  S->Refusal.resize(Entries.size());
  S->CreationFailure.resize(Entries.size());
  S->Exported.resize(Entries.size());
  dataSlots();  // allocated before any thread can race on first use

  // One lookup per API name; keys are the catalogue's literals.
  std::unordered_map<std::string_view, capi::BindOutcome> Outcomes;
  auto bindNeed = [&](std::string_view Need) -> std::optional<capi::BindOutcome> {
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
    if (Entries[I].Form != Shape::Function)
      S->Exported[I] = Lookup(Def.Name) != 0;
    if (!Def.OnlyFor.empty() && Def.OnlyFor != S->Opts.Interpreter) {
      S->Refusal[I] = std::string(Def.Name) + " stands in for a macro of " + std::string(Def.OnlyFor) +
                      "'s headers; not offered on " +
                      (S->Opts.Interpreter.empty() ? "an unnamed interpreter" : S->Opts.Interpreter) +
                      ", where the name may be a real function";
      continue;
    }
    std::vector<std::string> Absent, Conflicting, Unknown;
    for (std::string_view Need : Def.Needs) {
      std::optional<capi::BindOutcome> Outcome = bindNeed(Need);
      if (!Outcome)
        Unknown.emplace_back(Need);
      else if (*Outcome == capi::BindOutcome::Absent)
        Absent.emplace_back(Need);
      else if (*Outcome == capi::BindOutcome::Conflict)
        Conflicting.emplace_back(Need);
    }
    const std::string Needs = std::string(Def.Name) + " needs ";
    if (!Unknown.empty())
      S->Refusal[I] = Needs + join(Unknown, ", ") + ", missing from pysym's C-API table (a pysym bug)";
    else if (!Absent.empty())
      S->Refusal[I] = Needs + join(Absent, ", ") + ", which the interpreter does not export";
    else if (!Conflicting.empty())
      S->Refusal[I] = Needs + join(Conflicting, ", ") +
                      ", already bound in this process to another interpreter's address";
  }
  return std::unique_ptr<SubstituteSet>(new SubstituteSet(std::move(S)));
}

Offer SubstituteSet::find(std::string_view Name) const {
  Offer Answer;
  auto Found = entryIndex().find(Name);
  if (Found == entryIndex().end()) {
    Answer.Explanation = "pysym has no substitute for " + std::string(Name);
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
    Answer.Explanation = std::string(Entry.Def.Source);
    return Answer;
  }

  if (S->Opts.ApiDataReady && !S->Opts.ApiDataReady()) {
    Answer.Explanation = std::string(Name) +
                         " is data obtained through the C API, whose data the interpreter has "
                         "not initialised yet (PyPy: cpyext has not started)";
    return Answer;
  }
  std::atomic<void *> &Slot = dataSlots()[I];
  if (!Slot.load(std::memory_order_acquire))
    createEntries({I});
  void *Value = Slot.load(std::memory_order_acquire);
  if (!Value) {
    std::lock_guard<std::mutex> Lock(S->FailureLock);
    Answer.Explanation = S->CreationFailure[I];
    return Answer;
  }
  Answer.Address = Entry.Form == Shape::TypeObject ? addressOf(Value) : addressOf(&Slot);
  Answer.Explanation = std::string(Entry.Def.Source);
  return Answer;
}

void SubstituteSet::createData() const {
  if (S->Opts.ApiDataReady && !S->Opts.ApiDataReady())
    return;
  std::vector<unsigned> Data;
  for (unsigned I = 0; I < catalogueEntries().size(); ++I)
    if (catalogueEntries()[I].Form != Shape::Function && !S->Exported[I])
      Data.push_back(I);
  createEntries(Data);
}

void SubstituteSet::createEntries(const std::vector<unsigned> &Wanted) const {
  Span<CatalogueEntry> Entries = catalogueEntries();
  std::vector<unsigned> Pending;
  std::vector<RecipeRequest> Requests;
  {
    std::lock_guard<std::mutex> Lock(S->FailureLock);
    for (unsigned I : Wanted) {
      const CatalogueEntry &Entry = Entries[I];
      if (!S->Refusal[I].empty() || !S->CreationFailure[I].empty() ||
          dataSlots()[I].load(std::memory_order_acquire))
        continue;
      Pending.push_back(I);
      Requests.push_back({Entry.Recipe, Entry.Form == Shape::TypeObject ? RecipeResult::Type
                                                                        : RecipeResult::ExceptionClass});
    }
  }
  if (Pending.empty())
    return;
  // No lock is held while Python runs: a recipe may release the GIL, and a
  // thread holding the GIL may be waiting here too.
  std::vector<Expected<capi::Object>> Made = runRecipes(Requests);
  std::vector<capi::Object> Surplus;  // made here after another thread stored the same object
  {
    std::lock_guard<std::mutex> Lock(S->FailureLock);
    for (size_t K = 0; K < Pending.size(); ++K) {
      unsigned I = Pending[K];
      if (!Made[K]) {
        S->CreationFailure[I] =
            std::string(Entries[I].Def.Name) + " could not be created: " + toString(Made[K].takeError());
        continue;
      }
      void *Stored = nullptr;
      if (!dataSlots()[I].compare_exchange_strong(Stored, *Made[K], std::memory_order_acq_rel))
        Surplus.push_back(*Made[K]);
    }
  }
  if (!Surplus.empty()) {
    capi::GilScope Gil;  // taken with no lock held, as above
    for (capi::Object Object : Surplus)
      capi::decRef(Object);
  }
}

std::vector<const Definition *> SubstituteSet::offered() const {
  std::vector<const Definition *> Out;
  Span<CatalogueEntry> Entries = catalogueEntries();
  for (unsigned I = 0; I < Entries.size(); ++I)
    if (S->Refusal[I].empty())
      Out.push_back(&catalogue()[I]);
  return Out;
}

}  // namespace pysym::substitutes
