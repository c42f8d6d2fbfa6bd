#include "tools/pysym_dump_offline.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "pysym/jitlink/core_error.h"
#include "pysym/resolver/profile.h"
#include "pysym/resolver/profiles.h"
#include "third_party/llvm/compat.h"

namespace pysym::dump {
namespace {

// Whether `Path` starts with the ELF magic. Unreadable files are "no": the
// path search moves on to the next candidate, as a shell would.
bool startsWithElfMagic(const std::string &Path) {
  auto Head = llvm::MemoryBuffer::getFileSlice(Path, 4, 0);
  return Head && (*Head)->getBuffer() == "\x7f"
                                         "ELF";
}

// Interpreters pyenv installed under `Name`, to suggest when only its shim
// was found: <root>/versions/*/bin/<Name>.
std::vector<std::string> pyenvInterpretersNamed(llvm::StringRef Root, llvm::StringRef Name) {
  std::vector<std::string> Found;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Root + "/versions", EC), End; !EC && It != End;
       It.increment(EC)) {
    std::string Candidate = It->path() + "/bin/" + Name.str();
    if (startsWithElfMagic(Candidate))
      Found.push_back(Candidate);
  }
  std::sort(Found.begin(), Found.end());
  return Found;
}

void addUnique(std::vector<std::string> &Names, std::string Name) {
  if (!llvm::is_contained(Names, Name))
    Names.push_back(std::move(Name));
}

// CPython names that might reach `Exported` by alias: the inverse of the two
// renamings pysym knows. Only candidates; the profile's resolution decides.
std::vector<std::string> candidateCPythonNames(llvm::StringRef Exported) {
  std::vector<std::string> Candidates;
  if (llvm_compat::startsWith(Exported, "PyPy"))
    Candidates.push_back("Py" + Exported.drop_front(4).str());
  else if (llvm_compat::startsWith(Exported, "_PyPy"))
    Candidates.push_back("_Py" + Exported.drop_front(5).str());
  for (const CPythonRename &R : cpythonRenames()) {
    if (Exported == R.NewName)
      Candidates.push_back(R.OldName);
    if (Exported == R.OldName)
      Candidates.push_back(R.NewName);
  }
  return Candidates;
}

bool bindsNewReferences(const symtab::Symbol &S) {
  return S.Defined && (S.Version.empty() || S.VersionIsDefault) &&
         S.Binding != symtab::SymbolBinding::Local;
}

}  // namespace

std::string pyenvRoot() {
  if (const char *Root = std::getenv("PYENV_ROOT"); Root && *Root)
    return Root;
  // Bazel points HOME at a test's scratch directory, so ask passwd too.
  std::vector<std::string> Homes;
  if (const char *Home = std::getenv("HOME"))
    Homes.push_back(Home);
  if (const passwd *Entry = ::getpwuid(::getuid()))
    Homes.push_back(Entry->pw_dir);
  for (const std::string &Home : Homes)
    if (llvm::sys::fs::is_directory(Home + "/.pyenv"))
      return Home + "/.pyenv";
  return "";
}

llvm::Expected<std::string> findInterpreterFile(llvm::StringRef PathOrName, llvm::StringRef SearchPath) {
  if (PathOrName.empty())
    return llvm::createStringError(std::errc::invalid_argument, "the interpreter argument is empty");
  if (PathOrName.contains('/'))
    return PathOrName.str();
  llvm::SmallVector<llvm::StringRef, 16> Directories;
  SearchPath.split(Directories, ':', -1, /*KeepEmpty=*/true);
  std::vector<std::string> Skipped;
  for (llvm::StringRef Directory : Directories) {
    // An empty entry means the current directory, as in a shell.
    llvm::SmallString<256> Candidate(Directory.empty() ? "." : Directory);
    llvm::sys::path::append(Candidate, PathOrName);
    std::string Path = std::string(Candidate.str());
    if (!llvm::sys::fs::is_regular_file(Path) || !llvm::sys::fs::can_execute(Path))
      continue;
    if (startsWithElfMagic(Path))
      return Path;
    Skipped.push_back(Path);
  }
  std::string Message = "interpreter '" + PathOrName.str() + "': no ELF executable of that name on PATH";
  if (!Skipped.empty())
    Message += " (skipped, not ELF: " + llvm::join(Skipped, ", ") + ")";
  std::string Root = pyenvRoot();
  if (!Root.empty()) {
    std::vector<std::string> Installed = pyenvInterpretersNamed(Root, PathOrName);
    if (!Installed.empty())
      Message += "; pyenv has " + llvm::join(Installed, ", ") + ": give one by path";
  }
  return llvm::createStringError(std::make_error_code(std::errc::no_such_file_or_directory), Message);
}

llvm::Expected<std::unique_ptr<OfflineInterpreter>> analyzeInterpreter(llvm::StringRef PathOrName) {
  const char *Path = std::getenv("PATH");
  auto File = findInterpreterFile(PathOrName, Path ? Path : "/usr/local/bin:/usr/bin:/bin");
  if (!File)
    return File.takeError();
  return toLlvmExpected(OfflineInterpreter::analyze(*File));
}

llvm::Expected<ExportedApi> exportedApi(const OfflineInterpreter &Interpreter) {
  ExportedApi Api;
  auto Image = symtab::ElfFile::read(Interpreter.imagePath());
  if (!Image)
    return toLlvmError(Image.takeError());
  Api.Image = std::move(*Image);
  // The same definition OfflineInterpreter binds: the first default or
  // unversioned one of each name.
  std::set<llvm::StringRef> Seen;
  for (const symtab::Symbol &S : Api.Image->dynamicSymbols()) {
    if (!bindsNewReferences(S) || !isPythonApiName(S.Name) || !Seen.insert(S.Name).second)
      continue;
    ExportedApiSymbol Entry;
    Entry.Symbol = &S;
    Entry.Kind = S.Type == symtab::SymbolType::Function ||
                         S.Type == symtab::SymbolType::GnuIndirectFunction
                     ? SymbolKind::Function
                     : SymbolKind::Data;
    for (const std::string &Candidate : candidateCPythonNames(S.Name)) {
      Resolution R = Interpreter.resolve(Candidate);
      if (R.Status == ResolutionStatus::Alias && R.Target == S.Name)
        addUnique(Entry.CPythonNames, Candidate);
    }
    (Entry.Kind == SymbolKind::Function ? Api.Functions : Api.Data) += 1;
    Api.Aliased += !Entry.CPythonNames.empty();
    Api.Symbols.push_back(std::move(Entry));
  }
  std::sort(Api.Symbols.begin(), Api.Symbols.end(),
            [](const ExportedApiSymbol &A, const ExportedApiSymbol &B) {
              return A.Symbol->Name < B.Symbol->Name;
            });
  return Api;
}

llvm::Expected<std::vector<ApiName>> cpythonApiNames(const OfflineInterpreter &Interpreter) {
  auto Api = exportedApi(Interpreter);
  if (!Api)
    return Api.takeError();
  std::vector<ApiName> Names;
  auto add = [&](const std::string &Name, SymbolKind Kind) {
    ApiName Entry;
    Entry.Name = Name;
    Entry.KindKnown = true;
    Entry.Kind = Kind;
    Names.push_back(std::move(Entry));
  };
  // CPython's own exports are CPython names by definition: 3.11's PyCode_New
  // stays PyCode_New, although 3.12's PyUnstable_Code_New reaches it too.
  bool IsCPython = &Interpreter.profile() == &cpythonProfile();
  for (const ExportedApiSymbol &S : Api->Symbols) {
    if (IsCPython || S.CPythonNames.empty())
      add(S.Symbol->Name, S.Kind);
    else
      for (const std::string &Name : S.CPythonNames)
        add(Name, S.Kind);
  }
  std::sort(Names.begin(), Names.end(),
            [](const ApiName &A, const ApiName &B) { return A.Name < B.Name; });
  Names.erase(std::unique(Names.begin(), Names.end(),
                          [](const ApiName &A, const ApiName &B) { return A.Name == B.Name; }),
              Names.end());
  return Names;
}

std::string whyMissing(const Resolution &R) {
  std::vector<std::string> NotExported, Reasons;
  for (llvm::StringRef Attempt : R.Tried) {
    if (Attempt.consume_front("exact ") || Attempt.consume_front("alias ")) {
      auto [What, Why] = Attempt.rsplit(": ");
      if (Why == "not exported")
        NotExported.push_back(What.split(' ').first.str());
      else
        Reasons.push_back(What.split(' ').first.str() + ": " + Why.str());
    } else if (Attempt.consume_front("substitute: ")) {
      // The usual case says only that there is none; the name is already known.
      Reasons.push_back(llvm_compat::startsWith(Attempt, "pysym has no definition of ") ? "no substitute"
                                                                           : Attempt.str());
    } else if (Attempt == "other loaded images: not defined") {
      Reasons.push_back("no library the interpreter loads defines it");
    }
  }
  std::string Why;
  if (!NotExported.empty())
    Why = "not exported (tried " + llvm::join(NotExported, ", ") + ")";
  for (const std::string &Reason : Reasons)
    Why += (Why.empty() ? "" : "; ") + Reason;
  if (!R.Note.empty() && Why.find(R.Note) == std::string::npos)
    Why += (Why.empty() ? "" : "; ") + R.Note;
  return Why.empty() ? "missing" : Why;
}

std::string describeInterpreter(const InterpreterInfo &Info) {
  std::string Text = Info.Implementation;
  if (!Info.Version.empty())
    Text += " " + Info.Version;
  if (Info.Debug)
    Text += " (debug)";
  return Text;
}

}  // namespace pysym::dump
