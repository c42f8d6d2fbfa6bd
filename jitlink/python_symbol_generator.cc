#include "pysym/jitlink/python_symbol_generator.h"

#include <utility>

#include "llvm/ADT/STLExtras.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/orc_compat.h"

namespace pysym {

using llvm::orc::SymbolLookupFlags;

std::vector<bool> SharedInterpreterNames::defines(const llvm::orc::SymbolLookupSet &Names) const {
  std::vector<bool> Here;
  Here.reserve(Names.size());
  std::lock_guard<std::mutex> Guard(Lock);
  for (const auto &Entry : Names)
    Here.push_back(Defined.contains(key(Entry.first)));
  return Here;
}

llvm::Expected<std::size_t> SharedInterpreterNames::define(
    const std::vector<std::pair<llvm::orc::SymbolStringPtr, FoundSymbol>> &Found) {
  // Held while defining, so that of two generators that found a name at
  // once, one defines it and the other sees it defined.
  std::lock_guard<std::mutex> Guard(Lock);
  orc_compat::AbsoluteSymbols New;
  std::vector<const void *> Names;
  for (const auto &[Name, Hit] : Found)
    if (!Defined.contains(key(Name))) {
      New.add(Name, Hit.Address, Hit.Kind == SymbolKind::Function);
      Names.push_back(key(Name));
    }
  if (New.empty())
    return 0;
  if (llvm::Error Err = New.defineIn(JD))
    return std::move(Err);
  for (const void *Name : Names)
    Defined.insert(Name);
  return Names.size();
}

std::unique_ptr<PythonSymbolGenerator> PythonSymbolGenerator::create(
    const NameSource &TheResolver, const llvm::DataLayout &Layout) {
  return std::unique_ptr<PythonSymbolGenerator>(
      new PythonSymbolGenerator(TheResolver, Layout.getGlobalPrefix(), nullptr));
}

std::unique_ptr<PythonSymbolGenerator> PythonSymbolGenerator::create(
    const NameSource &TheResolver, const llvm::DataLayout &Layout,
    std::shared_ptr<SharedInterpreterNames> Shared) {
  return std::unique_ptr<PythonSymbolGenerator>(
      new PythonSymbolGenerator(TheResolver, Layout.getGlobalPrefix(), std::move(Shared)));
}

llvm::Error PythonSymbolGenerator::tryToGenerate(llvm::orc::LookupState &, llvm::orc::LookupKind,
                                                 llvm::orc::JITDylib &JD,
                                                 llvm::orc::JITDylibLookupFlags,
                                                 const llvm::orc::SymbolLookupSet &LookupSet) {
  const auto Start = std::chrono::steady_clock::now();
  orc_compat::AbsoluteSymbols Found;
  std::vector<std::pair<llvm::orc::SymbolStringPtr, FoundSymbol>> ForShared;
  std::uint64_t DefinedNow = 0, MissedNow = 0;
  const std::vector<bool> InShared = Shared ? Shared->defines(LookupSet) : std::vector<bool>();
  std::size_t Index = 0;
  for (const auto &[Name, Flags] : LookupSet) {
    const bool SharedDefines = Shared && InShared[Index++];
    llvm::StringRef CName = *Name;
    const bool IsCName = GlobalPrefix == '\0' || CName.consume_front(llvm::StringRef(&GlobalPrefix, 1));
    if (IsCName) {
      // Registrations first, and only here: one made, changed or removed
      // since the last link must be seen by the next.
      FoundSymbol Hit = Shared ? TheResolver.findRegistered(CName) : TheResolver.find(CName);
      if (Hit.found()) {
        Found.add(Name, Hit.Address, Hit.Kind == SymbolKind::Function);
        ++DefinedNow;
        forgetMiss(CName);
        continue;
      }
      if (Shared) {
        if (SharedDefines)
          continue;  // the lookup finds it there, after this JITDylib
        Hit = TheResolver.findUnregistered(CName);
        if (Hit.found()) {
          ForShared.emplace_back(Name, Hit);
          forgetMiss(CName);
          continue;
        }
      }
    }
    if (Flags == SymbolLookupFlags::WeaklyReferencedSymbol) {
      ++MissedNow;
      continue;
    }
    Resolution Miss;
    if (IsCName) {
      // The explanation is worth its cost only on this, the failing, path.
      Miss = TheResolver.resolve(CName);
      if (Miss.found()) {  // registered by another thread since find()
        Found.add(Name, Miss.Address, Miss.Kind == SymbolKind::Function);
        ++DefinedNow;
        continue;
      }
    } else {
      Miss.Name = CName.str();
      Miss.Tried.push_back("not a C symbol: the linker name lacks the global prefix '" +
                           std::string(1, GlobalPrefix) + "'");
    }
    ++MissedNow;
    recordMiss(std::move(Miss));
  }
  const auto Resolved = std::chrono::steady_clock::now();
  llvm::Error Result = Found.empty() ? llvm::Error::success() : Found.defineIn(JD);
  if (!Result && !ForShared.empty()) {
    auto SharedNow = Shared->define(ForShared);
    if (SharedNow)
      DefinedNow += *SharedNow;
    else
      Result = SharedNow.takeError();
  }
  Calls.fetch_add(1, std::memory_order_relaxed);
  Defined.fetch_add(DefinedNow, std::memory_order_relaxed);
  Missed.fetch_add(MissedNow, std::memory_order_relaxed);
  Nanoseconds.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - Start)
                            .count(),
                        std::memory_order_relaxed);
  ResolveNanoseconds.fetch_add(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Resolved - Start).count(),
      std::memory_order_relaxed);
  return Result;
}

void PythonSymbolGenerator::recordMiss(Resolution Miss) {
  std::lock_guard<std::mutex> Lock(MissesLock);
  AnyMisses.store(true, std::memory_order_relaxed);
  auto [It, Inserted] = MissIndex.try_emplace(Miss.Name, Misses.size());
  if (!Inserted) {
    Misses[It->second] = std::move(Miss);  // the newer explanation
    return;
  }
  Misses.push_back(std::move(Miss));
  // A generator shared by every link of a long-lived JIT must not grow
  // with each name ever missed.
  if (Misses.size() > MissesKept)
    eraseMiss(0);
}

void PythonSymbolGenerator::forgetMiss(llvm::StringRef Name) {
  if (!AnyMisses.load(std::memory_order_relaxed))
    return;
  std::lock_guard<std::mutex> Lock(MissesLock);
  auto It = MissIndex.find(Name);
  if (It != MissIndex.end())
    eraseMiss(It->second);
}

void PythonSymbolGenerator::eraseMiss(std::size_t Index) {
  Misses.erase(Misses.begin() + Index);
  MissIndex.clear();
  for (std::size_t I = 0; I < Misses.size(); ++I)
    MissIndex[Misses[I].Name] = I;
}

std::vector<Resolution> PythonSymbolGenerator::misses() const {
  std::lock_guard<std::mutex> Lock(MissesLock);
  return Misses;
}

llvm::Error PythonSymbolGenerator::explainFailure(llvm::Error LookupError,
                                                  llvm::StringRef Module,
                                                  const llvm::StringSet<> &Reported,
                                                  const llvm::StringSet<> *Referenced) const {
  if (!LookupError)
    return LookupError;
  std::vector<Resolution> Missing = misses();
  if (Referenced)
    llvm::erase_if(Missing, [&](const Resolution &Miss) { return !Referenced->contains(Miss.Name); });
  if (!Reported.empty()) {
    std::vector<Resolution> OfThisLink;
    for (Resolution &Miss : Missing)
      if (Reported.contains(Miss.Name))
        OfThisLink.push_back(std::move(Miss));
    if (!OfThisLink.empty())
      Missing = std::move(OfThisLink);
  }
  if (Missing.empty())
    return LookupError;
  // ORC's text ("Failed to materialize symbols: { (kernel, { f }) }") names
  // what could not be built, not why; the misses say why, so it adds nothing.
  llvm::consumeError(std::move(LookupError));
  return llvm::make_error<MissingSymbolsError>(Module.str(), std::move(Missing));
}

PythonSymbolGenerator::Statistics PythonSymbolGenerator::statistics() const {
  Statistics S;
  S.Calls = Calls.load(std::memory_order_relaxed);
  S.Defined = Defined.load(std::memory_order_relaxed);
  S.Missed = Missed.load(std::memory_order_relaxed);
  S.Time = std::chrono::nanoseconds(Nanoseconds.load(std::memory_order_relaxed));
  S.ResolveTime = std::chrono::nanoseconds(ResolveNanoseconds.load(std::memory_order_relaxed));
  return S;
}

}  // namespace pysym
