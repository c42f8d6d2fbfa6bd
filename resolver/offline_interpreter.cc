#include "resolver/offline_interpreter.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>

#include "llvm/ADT/SmallVector.h"
#include "resolver/elf_file_probe.h"
#include "resolver/substitutes/substitute_set.h"

namespace pysym {
namespace {

namespace fs = std::filesystem;

// Where the loader looks after DT_RUNPATH, on Debian x86-64 (ld.so.conf.d
// plus the built-in defaults).
constexpr const char *DefaultLibraryDirs[] = {
    "/usr/local/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
    "/usr/local/lib", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
};

// Beyond this many files the DT_NEEDED graph is not an interpreter's.
constexpr size_t MaxImages = 64;

// The file the loader would open for DT_NEEDED `Needed` of `Needing`, or "".
std::string findLibrary(llvm::StringRef Needed, const symtab::ElfFile &Needing) {
  std::error_code Ignored;  // a directory that cannot be read just has no match
  if (Needed.contains('/'))
    return fs::is_regular_file(Needed.str(), Ignored) ? Needed.str() : "";
  std::string Origin = fs::path(Needing.path()).parent_path().string();
  llvm::SmallVector<llvm::StringRef, 4> Dirs;
  llvm::StringRef(Needing.runPath()).split(Dirs, ':', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Candidates;
  for (llvm::StringRef Dir : Dirs) {
    std::string Expanded = Dir.str();
    for (const char *Token : {"$ORIGIN", "${ORIGIN}"})
      if (size_t At = Expanded.find(Token); At != std::string::npos)
        Expanded.replace(At, std::strlen(Token), Origin);
    Candidates.push_back(Expanded);
  }
  Candidates.insert(Candidates.end(), std::begin(DefaultLibraryDirs), std::end(DefaultLibraryDirs));
  for (const std::string &Dir : Candidates) {
    fs::path Candidate = fs::path(Dir) / Needed.str();
    if (fs::is_regular_file(Candidate, Ignored))
      return Candidate.lexically_normal().string();
  }
  return "";
}

// The definition a new reference to a name binds to: the default version or
// an unversioned one; never a hidden version or an undefined entry.
bool bindsNewReferences(const symtab::Symbol &S) {
  return S.Defined && (S.Version.empty() || S.VersionIsDefault) &&
         S.Binding != symtab::SymbolBinding::Local;
}

SymbolKind kindOf(const symtab::Symbol &S) {
  return S.Type == symtab::SymbolType::Function || S.Type == symtab::SymbolType::GnuIndirectFunction
             ? SymbolKind::Function
             : SymbolKind::Data;
}

}  // namespace

llvm::Expected<std::unique_ptr<OfflineInterpreter>> OfflineInterpreter::analyze(llvm::StringRef Path) {
  std::unique_ptr<OfflineInterpreter> Result(new OfflineInterpreter());
  auto First = symtab::ElfFile::read(Path);
  if (!First)
    return First.takeError();
  std::set<std::string> Seen{fs::weakly_canonical(Path.str()).string()};
  std::deque<const symtab::ElfFile *> Pending{First->get()};
  Result->ImagePaths.push_back((*First)->path());
  Result->Files.push_back(std::move(*First));
  while (!Pending.empty() && Result->Files.size() < MaxImages) {
    const symtab::ElfFile *Needing = Pending.front();
    Pending.pop_front();
    for (const std::string &Needed : Needing->neededLibraries()) {
      std::string Found = findLibrary(Needed, *Needing);
      if (Found.empty()) {
        Result->Unresolved.push_back(Needed + " (needed by " + Needing->path() + "): not found");
        continue;
      }
      if (!Seen.insert(fs::weakly_canonical(Found).string()).second)
        continue;
      auto File = symtab::ElfFile::read(Found);
      if (!File) {
        Result->Unresolved.push_back(Needed + " (needed by " + Needing->path() +
                                     "): " + llvm::toString(File.takeError()));
        continue;
      }
      Pending.push_back(File->get());
      Result->ImagePaths.push_back((*File)->path());
      Result->Files.push_back(std::move(*File));
    }
  }

  for (const auto &File : Result->Files) {
    ElfFileProbe Probe(*File);
    for (const InterpreterProfile *Profile : interpreterProfiles()) {
      if (Result->Interpreter || !Profile->recognizes(Probe))
        continue;
      Result->Interpreter = File.get();
      Result->Profile = Profile;
      Result->Version = Profile->versionFromPath(File->path());
      InterpreterInfo &Info = Result->Info;
      Info.Implementation = Profile->name().str();
      Info.ImagePath = File->path();
      Info.Debug = Profile->isDebugBuild(Probe);
      Info.Abi = Profile->abiFacts(Probe);
      Info.Version = Result->Version.known() ? std::to_string(Result->Version.Major) + "." +
                                                   std::to_string(Result->Version.Minor)
                                             : "";
    }
  }
  if (!Result->Interpreter) {
    std::string Read;
    for (const std::string &P : Result->ImagePaths)
      Read += (Read.empty() ? "" : ", ") + P;
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: not a Python interpreter: no file it runs from exports the "
                                   "CPython or PyPy C API (read: %s)",
                                   Path.str().c_str(), Read.c_str());
  }

  for (const auto &File : Result->Files)
    for (const symtab::Symbol &S : File->dynamicSymbols()) {
      if (!bindsNewReferences(S))
        continue;
      if (File.get() == Result->Interpreter)
        Result->InterpreterExports.try_emplace(S.Name, &S);
      else
        Result->OtherExports.try_emplace(S.Name, &S, File.get());
    }
  return Result;
}

std::vector<std::string> OfflineInterpreter::exportedNames() const {
  std::vector<std::string> Names;
  for (const auto &Entry : InterpreterExports)
    Names.push_back(Entry.getKey().str());
  std::sort(Names.begin(), Names.end());
  return Names;
}

Resolution OfflineInterpreter::resolve(llvm::StringRef Name) const {
  return resolveInOrder(*this, Name, /*Explain=*/true);
}

ResolutionSources::Lookup OfflineInterpreter::findInInterpreter(llvm::StringRef Name, Definition &Def,
                                                                std::string &Why) const {
  auto It = InterpreterExports.find(Name);
  if (It == InterpreterExports.end())
    return Lookup::Absent;
  const symtab::Symbol &S = *It->second;
  if (S.Type == symtab::SymbolType::ThreadLocal) {
    Why = "it is thread-local, so it has no single address to give";
    return Lookup::Refused;
  }
  Def.Address = S.Value;
  Def.Kind = kindOf(S);
  return Lookup::Found;
}

ResolutionSources::SubstituteOffer OfflineInterpreter::findSubstitute(llvm::StringRef Name) const {
  SubstituteOffer Offer;
  for (const substitutes::Definition &D : substitutes::catalogue()) {
    if (D.Name != std::string_view(Name))
      continue;
    if (!D.OnlyFor.empty() && D.OnlyFor != std::string_view(Profile->name())) {
      Offer.Explanation = "pysym's definition applies only to " + std::string(D.OnlyFor);
      return Offer;
    }
    for (llvm::StringRef Need : D.Needs) {
      Definition Ignored;
      std::string Why;
      bool Bound = findInInterpreter(Need, Ignored, Why) == Lookup::Found;
      llvm::SmallVector<std::string, 2> Aliases;
      Profile->aliasesFor(Need, Version, Aliases);
      for (const std::string &Alias : Aliases)
        Bound = Bound || findInInterpreter(Alias, Ignored, Why) == Lookup::Found;
      if (!Bound) {
        Offer.Explanation = "pysym's definition needs " + Need.str() + ", which the interpreter lacks";
        return Offer;
      }
    }
    Offer.Offered = true;
    Offer.Kind = D.Kind;
    Offer.Explanation = std::string(D.Source);
    return Offer;
  }
  Offer.Explanation = "pysym has no definition of " + Name.str();
  return Offer;
}

std::optional<ResolutionSources::OtherDefinition>
OfflineInterpreter::findInOtherImages(llvm::StringRef Name) const {
  auto It = OtherExports.find(Name);
  if (It == OtherExports.end())
    return std::nullopt;
  const auto &[Symbol, File] = It->second;
  if (Symbol->Type == symtab::SymbolType::ThreadLocal)
    return std::nullopt;
  return OtherDefinition{Symbol->Value, kindOf(*Symbol), File->path()};
}

}  // namespace pysym
