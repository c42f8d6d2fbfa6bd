// Exposes the resolver's answers process-wide: the names to expose are
// chosen from the resolver's answers without any lock (those answers may
// run Python), then, under one process-wide lock that covers nothing but
// the loader, each is checked against the global scope and the new ones are
// loaded as one object of absolute symbols.
#include "pysym/resolver/exposure.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "pysym/resolver/resolution_order.h"
#include "pysym/support/text.h"
#include "pysym/symtab/absolute_object.h"

namespace pysym {

const char ExposeFailed::ID = 0;

std::string ExposeFailed::message() const {
  std::string Message = "cannot expose Python API names to the process: ";
  switch (Why) {
  case Reason::InvalidName: Message += "invalid name: "; break;
  case Reason::WriteFailed: Message += "cannot write the object of names: "; break;
  case Reason::LoadRefused: Message += "the dynamic loader refused the object of names: "; break;
  }
  return Message + Detail;
}

std::error_code ExposeFailed::errorCode() const {
  return std::make_error_code(Why == Reason::InvalidName ? std::errc::invalid_argument
                                                         : std::errc::io_error);
}

std::string_view toString(ExposeSkip Why) {
  switch (Why) {
  case ExposeSkip::AlreadyDefined: return "already defined";
  case ExposeSkip::NotReady: return "not ready";
  case ExposeSkip::NotPythonApi: return "not Python API";
  case ExposeSkip::Missing: return "missing";
  }
  return "missing";
}

std::string_view toString(ExposeSource Source) {
  switch (Source) {
  case ExposeSource::None: return "none";
  case ExposeSource::Memfd: return "memfd";
  case ExposeSource::TemporaryFile: return "temporary file";
  }
  return "none";
}

namespace {

Error failure(ExposeFailed::Reason Why, std::string Detail) {
  return makeError<ExposeFailed>(Why, std::move(Detail));
}



// What this copy of pysym has exposed in the process. Never destroyed: the
// objects it describes stay loaded until the process ends.
struct ProcessExposure {
  std::mutex Mutex;
  std::unordered_map<std::string, ExposedName> Names;
  unsigned ObjectsLoaded = 0;
  bool InterpreterPinned = false;
};

ProcessExposure &processExposure() {
  static ProcessExposure *State = new ProcessExposure();
  return *State;
}

// A name chosen for exposure, with the resolver's answer for it.
struct Candidate {
  std::string Name;
  FoundSymbol Answer;
  std::size_t Position;  // in the request
};

// Whether the interpreter image is in the global scope: dlsym(RTLD_DEFAULT)
// finds one of its exact functions at the interpreter's own address. Names
// pysym has exposed prove nothing and are passed over. Several are tried,
// since a library loaded RTLD_GLOBAL before the interpreter may interpose
// on one name. Called under the exposure lock.
bool interpreterIsGlobal(const std::vector<Candidate> &Candidates, const ProcessExposure &State) {
  int Probes = 0;
  for (const Candidate &C : Candidates) {
    if (C.Answer.Status != ResolutionStatus::Exact || C.Answer.Kind != SymbolKind::Function ||
        State.Names.count(C.Name))
      continue;
    if (reinterpret_cast<std::uint64_t>(dlsym(RTLD_DEFAULT, C.Name.c_str())) == C.Answer.Address)
      return true;
    if (++Probes == 8)
      break;
  }
  return false;
}

// The size of the symbol that defines `Address` in its image, when the
// image's dynamic symbol table has one starting exactly there; else 0.
std::uint64_t sizeOfDataAt(std::uint64_t Address) {
  Dl_info Info{};
  void *Entry = nullptr;
  if (!dladdr1(reinterpret_cast<void *>(Address), &Info, &Entry, RTLD_DL_SYMENT) || !Entry ||
      Info.dli_saddr != reinterpret_cast<void *>(Address))
    return 0;
  return static_cast<const ElfW(Sym) *>(Entry)->st_size;
}

std::string imageOf(void *Address) {
  Dl_info Info{};
  if (dladdr(Address, &Info) && Info.dli_fname && *Info.dli_fname)
    return Info.dli_fname;
  return "the main program";
}

std::string baseName(const std::string &Path) {
  std::size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

struct Loaded {
  ExposeSource Source = ExposeSource::None;
  std::string FallbackReason;
};

// dlopen's flags for an exposed object: in the global scope, bound now, and
// never unloaded whatever later dlclose calls say.
constexpr int ExposeFlags = RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE;

Error loadFrom(const std::string &Path) {
  if (dlopen(Path.c_str(), ExposeFlags))
    return Error::success();  // the handle is dropped on purpose: never closed
  const char *Why = dlerror();
  return failure(ExposeFailed::Reason::LoadRefused, Why ? Why : "dlopen failed without a message");
}

// Writes and loads the object from an anonymous file. The descriptor stays
// open for the life of the process: glibc knows a loaded object by the path
// it was opened with, so a later /proc/self/fd/N naming a reused descriptor
// would be taken for this object and not loaded. Returns false with
// `Reason` when memfd cannot be used, having loaded nothing.
Expected<bool> loadFromMemfd(const std::string &Soname,
                                   const std::vector<symtab::AbsoluteSymbol> &Symbols,
                                   std::string &Reason) {
  int Fd = memfd_create(Soname.c_str(), MFD_CLOEXEC);
  if (Fd < 0) {
    Reason = std::string("memfd_create failed: ") + std::strerror(errno);
    return false;
  }
  std::string Path = "/proc/self/fd/" + std::to_string(Fd);
  if (access(Path.c_str(), R_OK) != 0) {
    Reason = Path + " is not readable (" + std::strerror(errno) + "): is /proc mounted?";
    close(Fd);
    return false;
  }
  if (Error Err = symtab::writeAbsoluteObject(Fd, Soname, Symbols)) {
    close(Fd);
    return failure(ExposeFailed::Reason::WriteFailed, toString(std::move(Err)));
  }
  if (Error Err = loadFrom(Path)) {
    close(Fd);
    return Err;
  }
  return true;
}

// The fallback: a file in $TMPDIR (or /tmp), unlinked as soon as it is
// loaded. Its name is unique in the process (pid and sequence) as well as
// random, for the same reason the memfd stays open.
Error loadFromTemporaryFile(const std::string &Soname, unsigned Sequence,
                                  const std::vector<symtab::AbsoluteSymbol> &Symbols) {
  const char *Dir = std::getenv("TMPDIR");
  std::string Template = std::string(Dir && *Dir ? Dir : "/tmp") + "/pysym-exposed-" +
                         std::to_string(getpid()) + "-" + std::to_string(Sequence) + "-XXXXXX";
  std::vector<char> Path(Template.begin(), Template.end());
  Path.push_back('\0');
  int Fd = mkostemp(Path.data(), O_CLOEXEC);
  if (Fd < 0)
    return failure(ExposeFailed::Reason::WriteFailed,
                   "cannot create " + Template + ": " + std::strerror(errno));
  Error Err = symtab::writeAbsoluteObject(Fd, Soname, Symbols);
  if (Err)
    Err = failure(ExposeFailed::Reason::WriteFailed, toString(std::move(Err)));
  else
    Err = loadFrom(Path.data());
  unlink(Path.data());
  close(Fd);
  return Err;
}

Expected<Loaded> load(const std::string &Soname, unsigned Sequence,
                            const std::vector<symtab::AbsoluteSymbol> &Symbols) {
  Loaded Result;
  Expected<bool> FromMemory = loadFromMemfd(Soname, Symbols, Result.FallbackReason);
  if (!FromMemory)
    return FromMemory.takeError();
  if (*FromMemory) {
    Result.Source = ExposeSource::Memfd;
    return Result;
  }
  if (Error Err = loadFromTemporaryFile(Soname, Sequence, Symbols))
    return Err;
  Result.Source = ExposeSource::TemporaryFile;
  return Result;
}

// The requested names, validated and without repeats, or the default set's
// candidates: every Python API name that resolves without a registration.
Expected<std::vector<std::string>> requestedNames(const ExposeRequest &Request,
                                                        const std::vector<std::string> &ApiNames) {
  if (!Request.Names)
    return ApiNames;
  std::vector<std::string> Names;
  std::unordered_set<std::string> Seen;
  for (const std::string &Name : *Request.Names) {
    if (std::string Invalid = invalidNameReason(Name); !Invalid.empty())
      return failure(ExposeFailed::Reason::InvalidName, Invalid);
    if (Seen.insert(Name).second)
      Names.push_back(Name);
  }
  return Names;
}

}  // namespace

Expected<ExposeReport> exposeToProcess(const Resolver &R, const ExposeRequest &Request) {
  const auto Start = std::chrono::steady_clock::now();
  const std::vector<std::string> &ApiNames = R.apiNames();
  Expected<std::vector<std::string>> Names = requestedNames(Request, ApiNames);
  if (!Names)
    return Names.takeError();
  const InterpreterInfo Interpreter = R.interpreter();
  if (!Request.Names)
    R.createSubstituteData();  // the default set asks for every one of them

  // The answers, outside the lock: a data substitute's first request runs
  // Python, and another thread may hold the GIL while waiting for the lock.
  // Each list is built in request order; the two lists of skips are merged
  // at the end.
  using PlacedSkip = std::pair<std::size_t, SkippedName>;
  ExposeReport Report;
  std::vector<Candidate> Candidates;
  std::vector<PlacedSkip> EarlySkips, LateSkips;
  for (std::size_t Position = 0; Position < Names->size(); ++Position) {
    const std::string &Name = (*Names)[Position];
    FoundSymbol A = R.findUnregistered(Name);
    switch (A.Status) {
    case ResolutionStatus::Exact:
    case ResolutionStatus::Alias:
    case ResolutionStatus::Substitute:
      Candidates.push_back({Name, A, Position});
      continue;
    case ResolutionStatus::System:
      EarlySkips.push_back({Position, {Name, ExposeSkip::NotPythonApi,
                                "it resolves only outside the interpreter, at " + hex(A.Address)}});
      continue;
    case ResolutionStatus::Registered:  // findUnregistered never answers it
    case ResolutionStatus::Missing:
      break;
    }
    // apiNames lists only names that resolve once the data is ready.
    if (!Interpreter.ApiDataReady && std::binary_search(ApiNames.begin(), ApiNames.end(), Name))
      EarlySkips.push_back({Position, {Name, ExposeSkip::NotReady,
                                       "interpreter data is not initialised yet (PyPy: cpyext has "
                                       "not started); expose again once it is"}});
    else
      EarlySkips.push_back({Position, {Name, ExposeSkip::Missing,
                                       "the resolver has no answer for it (resolve() says why)"}});
  }

  ProcessExposure &State = processExposure();
  std::lock_guard<std::mutex> Lock(State.Mutex);
  // The default set leaves out what the interpreter exports itself, unless
  // an embedding host loaded it RTLD_LOCAL.
  const bool OmitExact = !Request.Names && interpreterIsGlobal(Candidates, State);
  std::vector<symtab::AbsoluteSymbol> NewSymbols;
  std::vector<ExposedName> Exposed;
  for (const Candidate &C : Candidates) {
    auto Known = State.Names.find(C.Name);
    if (Known != State.Names.end()) {
      Exposed.push_back(Known->second);
      Exposed.back().AddedNow = false;
      continue;
    }
    if (OmitExact && C.Answer.Status == ResolutionStatus::Exact)
      continue;
    if (void *Existing = dlsym(RTLD_DEFAULT, C.Name.c_str())) {
      std::uint64_t At = reinterpret_cast<std::uint64_t>(Existing);
      LateSkips.push_back(
          {C.Position, {C.Name, ExposeSkip::AlreadyDefined,
           "dlsym finds it at " + hex(At) + ", in " + imageOf(Existing) +
               (At == C.Answer.Address ? " (the address pysym would give)" : "")}});
      continue;
    }
    const bool IsData = C.Answer.Kind == SymbolKind::Data;
    NewSymbols.push_back({C.Name, C.Answer.Address, IsData, IsData ? sizeOfDataAt(C.Answer.Address) : 0});
    Exposed.push_back({C.Name, C.Answer.Address, C.Answer.Status, C.Answer.Kind, /*AddedNow=*/true});
  }

  if (!NewSymbols.empty()) {
    if (!State.InterpreterPinned) {
      // Exposed addresses point into the interpreter: keep it loaded for
      // good (the main program needs nothing and gives no handle here).
      dlopen(Interpreter.ImagePath.c_str(), RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
      State.InterpreterPinned = true;
    }
    const unsigned Sequence = State.ObjectsLoaded + 1;
    std::string Soname = "pysym-exposed-" + std::to_string(Sequence) + "-for-" +
                         baseName(Interpreter.ImagePath);
    Expected<Loaded> Done = load(Soname, Sequence, NewSymbols);
    if (!Done)
      return Done.takeError();
    State.ObjectsLoaded = Sequence;
    for (const ExposedName &E : Exposed)
      if (E.AddedNow)
        State.Names[E.Name] = E;
    Report.Added = NewSymbols.size();
    Report.Source = Done->Source;
    Report.FallbackReason = std::move(Done->FallbackReason);
    Report.Soname = std::move(Soname);
  }

  Report.Skipped.reserve(EarlySkips.size() + LateSkips.size());
  auto Early = EarlySkips.begin(), Late = LateSkips.begin();
  while (Early != EarlySkips.end() || Late != LateSkips.end()) {
    bool TakeEarly = Late == LateSkips.end() || (Early != EarlySkips.end() && Early->first < Late->first);
    Report.Skipped.push_back(std::move((TakeEarly ? Early++ : Late++)->second));
  }
  Report.Exposed = std::move(Exposed);
  Report.Seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return Report;
}

}  // namespace pysym
