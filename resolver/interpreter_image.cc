#include "pysym/resolver/interpreter_image.h"

#include <dlfcn.h>
#include <link.h>

#include <algorithm>

#include "pysym/resolver/loaded_image_probe.h"

namespace pysym {
namespace {

using VersionFunction = const char *(*)();

// The first line of the version string ("3.11.2 (main, …)" continues with a
// build date, and PyPy's adds "\n[PyPy 7.3.11 …]", which is kept).
std::string readVersion(std::uintptr_t Function) {
  if (!Function)
    return "";
  const char *Text = reinterpret_cast<VersionFunction>(Function)();
  return Text ? std::string(Text) : std::string();
}

}  // namespace

InterpreterImage::~InterpreterImage() {
  if (Handle)
    dlclose(Handle);
}

Expected<std::unique_ptr<InterpreterImage>> InterpreterImage::findInCurrentProcess() {
  std::vector<symtab::LoadedImage> Images = symtab::loadedImages();
  for (const symtab::LoadedImage &Image : Images) {
    if (Image.IsVdso)
      continue;
    LoadedImageProbe Probe(Image);
    for (const InterpreterProfile *Profile : interpreterProfiles()) {
      if (!Profile->recognizes(Probe))
        continue;
      std::unique_ptr<InterpreterImage> Found(new InterpreterImage());
      auto Exports = symtab::SymbolIndex::build({Image});
      if (!Exports)
        return Exports.takeError();
      Found->Exports = std::move(*Exports);
      Found->Profile = Profile;
      Found->Info.Implementation = std::string(Profile->name());
      Found->Info.ImagePath = Image.Path;
      Found->Info.Debug = Profile->isDebugBuild(Probe);
      Found->Info.Abi = Profile->abiFacts(Probe);
      if (std::string_view Readiness = Profile->apiReadinessObject(); !Readiness.empty())
        Found->ReadinessObject = Probe.address(Readiness);
      else
        Found->DataReady = true;
      Found->VersionFunction = Probe.address(Profile->versionFunction());
      Found->Version = Profile->versionFromPath(Image.Path);
      if (!Profile->callsWaitForApiData() || Found->apiDataReady()) {
        std::string Full = Found->fullVersion();
        if (PythonVersion FromImage = parsePythonVersion(Full); FromImage.known())
          Found->Version = FromImage;
      }
      Found->Handle = Probe.releaseHandle();
      Found->bindSubstitutes();
      return Found;
    }
  }
  std::string Examined;
  for (const symtab::LoadedImage &Image : Images)
    if (!Image.IsVdso)
      Examined += (Examined.empty() ? "" : ", ") + Image.Path;
  return makeStringError(std::errc::no_such_process,
                         "no Python interpreter is loaded in this process: none of its images "
                         "exports the CPython or PyPy C API (examined: " + Examined + ")");
}

std::string InterpreterImage::fullVersion() const {
  std::call_once(VersionRead, [this] { FullVersion = readVersion(VersionFunction); });
  return FullVersion;
}

InterpreterInfo InterpreterImage::info() const {
  InterpreterInfo Now = Info;
  Now.ApiDataReady = apiDataReady();
  if (!Profile->callsWaitForApiData() || Now.ApiDataReady)
    Now.FullVersion = fullVersion();
  std::string_view Full = Now.FullVersion;
  Now.Version = Full.empty() ? std::to_string(Version.Major) + "." + std::to_string(Version.Minor)
                             : std::string(Full.substr(0, Full.find(' ')));
  return Now;
}

bool InterpreterImage::apiDataReady() const {
  if (DataReady.load(std::memory_order_acquire))
    return true;
  if (!ReadinessObject)
    return false;
  // The object's type pointer is written when the interpreter initialises it;
  // it is never cleared again, so once seen set the answer is cached.
  auto TypeSlot = *reinterpret_cast<void *const volatile *>(ReadinessObject + Info.Abi.TypeOffset);
  if (!TypeSlot)
    return false;
  DataReady.store(true, std::memory_order_release);
  return true;
}

InterpreterImage::Lookup InterpreterImage::findInInterpreter(std::string_view Name, Definition &Def,
                                                std::string &Why) const {
  Span<symtab::IndexedSymbol> Candidates = Exports->lookup(Name);
  if (Candidates.empty())
    return Lookup::Absent;
  const symtab::ImageSymbol *Chosen = nullptr;
  for (const symtab::IndexedSymbol &C : Candidates) {
    // A hidden version (name@V) is what old binaries linked against; new
    // references bind to the default version (name@@V) or the unversioned one.
    if (!C.Symbol.Version.empty() && !C.Symbol.VersionIsDefault)
      continue;
    Chosen = &C.Symbol;
    break;
  }
  if (!Chosen) {
    Why = "only hidden versions are exported (" + std::string(Name) + "@" +
          std::string(Candidates.front().Symbol.Version) + "), which new code does not bind to";
    return Lookup::Refused;
  }
  if (Chosen->Type == symtab::SymbolType::ThreadLocal) {
    Why = "it is thread-local, so it has no single address to give";
    return Lookup::Refused;
  }
  Def.Kind = Chosen->Type == symtab::SymbolType::Function ||
                     Chosen->Type == symtab::SymbolType::GnuIndirectFunction
                 ? SymbolKind::Function
                 : SymbolKind::Data;
  if (Def.Kind == SymbolKind::Data && !apiDataReady()) {
    Why = std::string(Profile->apiReadinessAdvice());
    return Lookup::Refused;
  }
  Def.Address = Chosen->Address;
  if (Chosen->Type == symtab::SymbolType::GnuIndirectFunction) {
    // The loader runs the resolver and picks the implementation for this CPU.
    std::string Key(Name);
    void *Impl = Chosen->Version.empty()
                     ? dlsym(Handle, Key.c_str())
                     : dlvsym(Handle, Key.c_str(), std::string(Chosen->Version).c_str());
    if (!Impl) {
      Why = "it is an IFUNC and the dynamic loader would not resolve it";
      return Lookup::Refused;
    }
    Def.Address = reinterpret_cast<std::uint64_t>(Impl);
  }
  return Lookup::Found;
}

std::uint64_t InterpreterImage::apiAddress(std::string_view CPythonName) const {
  Definition Def;
  std::string Why;
  if (findInInterpreter(CPythonName, Def, Why) == Lookup::Found)
    return Def.Address;
  std::vector<std::string> Aliases;
  Profile->aliasesFor(CPythonName, Version, Aliases);
  for (const std::string &Alias : Aliases)
    if (findInInterpreter(Alias, Def, Why) == Lookup::Found)
      return Def.Address;
  return 0;
}

std::optional<InterpreterImage::OtherDefinition>
InterpreterImage::findInOtherImages(std::string_view Name) const {
  std::string Key(Name);
  const symtab::LoadedImage &Self = Exports->images().front();
  auto Describe = [&](void *Address) -> std::optional<OtherDefinition> {
    Dl_info Info{};
    if (!dladdr(Address, &Info))
      return std::nullopt;
    OtherDefinition D;
    D.Address = reinterpret_cast<std::uint64_t>(Address);
    D.Kind = isInExecutableSegment(D.Address) ? SymbolKind::Function : SymbolKind::Data;
    D.ImagePath = Info.dli_fname ? Info.dli_fname : "";
    return D;
  };
  if (void *Global = dlsym(RTLD_DEFAULT, Key.c_str());
      Global && !imageContains(Self, reinterpret_cast<std::uintptr_t>(Global)))
    return Describe(Global);
  // Images loaded RTLD_LOCAL are invisible to RTLD_DEFAULT; ask each one.
  for (const symtab::LoadedImage &Image : symtab::loadedImages()) {
    if (Image.IsVdso || Image.Path == Info.ImagePath)
      continue;
    LoadedImageProbe Probe(Image);
    if (std::uintptr_t Address = Probe.address(Name))
      return Describe(reinterpret_cast<void *>(Address));
  }
  return std::nullopt;
}

std::vector<std::string_view> InterpreterImage::boundExports() const {
  std::vector<std::string_view> Names;
  for (const symtab::IndexedSymbol &Entry : Exports->definitions()) {
    const symtab::ImageSymbol &S = Entry.Symbol;
    // What findInInterpreter would refuse is no name to give out.
    bool Binds = S.Version.empty() || S.VersionIsDefault;
    if (Binds && S.Type != symtab::SymbolType::ThreadLocal)
      Names.emplace_back(S.Name.data(), S.Name.size());
  }
  return Names;
}

std::vector<const substitutes::Definition *> InterpreterImage::offeredSubstitutes() const {
  return Substitutes->offered();
}

void InterpreterImage::createSubstituteData() const { Substitutes->createData(); }

void InterpreterImage::bindSubstitutes() {
  substitutes::Options Opts;
  Opts.Interpreter = std::string(Profile->name());
  Opts.ApiDataReady = [this] { return apiDataReady(); };
  // Substitutes call the interpreter through the same exact-or-alias rules
  // that resolve a kernel's references.
  Substitutes = substitutes::SubstituteSet::bind(
      [this](std::string_view Name) { return apiAddress(Name); }, std::move(Opts));
}

ResolutionSources::SubstituteOffer InterpreterImage::findSubstitute(std::string_view Name) const {
  substitutes::Offer Offer = Substitutes->find(Name);
  return {Offer.found(), Offer.Address, Offer.Kind, std::move(Offer.Explanation)};
}

}  // namespace pysym
