#include "pysym/resolver/offline_interpreter.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>

#include "pysym/resolver/elf_file_probe.h"
#include "pysym/resolver/substitutes/substitute_set.h"
#include "pysym/support/text.h"

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
std::string findLibrary(std::string_view Needed, const symtab::ElfFile &Needing) {
  std::error_code Ignored;  // a directory that cannot be read just has no match
  if (Needed.find('/') != std::string_view::npos)
    return fs::is_regular_file(fs::path(Needed), Ignored) ? std::string(Needed) : "";
  std::string Origin = fs::path(Needing.path()).parent_path().string();
  std::vector<std::string> Candidates;
  for (std::string_view Dir : split(Needing.runPath(), ':', /*KeepEmpty=*/false)) {
    std::string Expanded(Dir);
    for (const char *Token : {"$ORIGIN", "${ORIGIN}"})
      if (size_t At = Expanded.find(Token); At != std::string::npos)
        Expanded.replace(At, std::strlen(Token), Origin);
    Candidates.push_back(Expanded);
  }
  Candidates.insert(Candidates.end(), std::begin(DefaultLibraryDirs), std::end(DefaultLibraryDirs));
  for (const std::string &Dir : Candidates) {
    fs::path Candidate = fs::path(Dir) / fs::path(Needed);
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

Expected<std::unique_ptr<OfflineInterpreter>> OfflineInterpreter::analyze(std::string_view Path) {
  std::unique_ptr<OfflineInterpreter> Result(new OfflineInterpreter());
  auto First = symtab::ElfFile::read(std::string(Path));
  if (!First)
    return First.takeError();
  std::error_code Ignored;  // a path that cannot be made canonical is compared as it is
  std::set<std::string> Seen{fs::weakly_canonical(fs::path(Path), Ignored).string()};
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
      if (!Seen.insert(fs::weakly_canonical(Found, Ignored).string()).second)
        continue;
      auto File = symtab::ElfFile::read(Found);
      if (!File) {
        Result->Unresolved.push_back(Needed + " (needed by " + Needing->path() +
                                     "): " + toString(File.takeError()));
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
      Info.Implementation = std::string(Profile->name());
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
    return makeStringError(std::errc::invalid_argument,
                           std::string(Path) +
                               ": not a Python interpreter: no file it runs from exports the "
                               "CPython or PyPy C API (read: " + Read + ")");
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
    Names.emplace_back(Entry.first);
  std::sort(Names.begin(), Names.end());
  return Names;
}

Resolution OfflineInterpreter::resolve(std::string_view Name) const {
  return resolveInOrder(*this, Name, /*Explain=*/true);
}

ResolutionSources::Lookup OfflineInterpreter::findInInterpreter(std::string_view Name, Definition &Def,
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

ResolutionSources::SubstituteOffer OfflineInterpreter::findSubstitute(std::string_view Name) const {
  SubstituteOffer Offer;
  for (const substitutes::Definition &D : substitutes::catalogue()) {
    if (D.Name != Name)
      continue;
    if (!D.OnlyFor.empty() && D.OnlyFor != Profile->name()) {
      Offer.Explanation = "pysym's definition applies only to " + std::string(D.OnlyFor);
      return Offer;
    }
    for (std::string_view Need : D.Needs) {
      Definition Ignored;
      std::string Why;
      bool Bound = findInInterpreter(Need, Ignored, Why) == Lookup::Found;
      std::vector<std::string> Aliases;
      Profile->aliasesFor(Need, Version, Aliases);
      for (const std::string &Alias : Aliases)
        Bound = Bound || findInInterpreter(Alias, Ignored, Why) == Lookup::Found;
      if (!Bound) {
        Offer.Explanation =
            "pysym's definition needs " + std::string(Need) + ", which the interpreter lacks";
        return Offer;
      }
    }
    Offer.Offered = true;
    Offer.Kind = D.Kind;
    Offer.Explanation = std::string(D.Source);
    return Offer;
  }
  Offer.Explanation = "pysym has no definition of " + std::string(Name);
  return Offer;
}

std::optional<ResolutionSources::OtherDefinition>
OfflineInterpreter::findInOtherImages(std::string_view Name) const {
  auto It = OtherExports.find(Name);
  if (It == OtherExports.end())
    return std::nullopt;
  const auto &[Symbol, File] = It->second;
  if (Symbol->Type == symtab::SymbolType::ThreadLocal)
    return std::nullopt;
  return OtherDefinition{Symbol->Value, kindOf(*Symbol), File->path()};
}

}  // namespace pysym
