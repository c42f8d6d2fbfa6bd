#include "tools/pysym_dump_visibility.h"

#include <dlfcn.h>

namespace pysym::dump {
namespace {

// Enough to get past a name or two that another image answers for, without
// asking about every export of a large library.
constexpr unsigned MaxProbesPerPass = 4;

// Functions and objects have one address that dlsym returns as is; an IFUNC
// comes back as its implementation and a TLS symbol as this thread's copy.
// glibc's lookup skips a symbol whose st_value is 0, such as the absolute
// symbol that names each version a library defines (ZLIB_1.2.2), so dlsym
// never returns one.
bool isAskable(const symtab::LoadedImage &Image, const symtab::ImageSymbol &Symbol) {
  return Symbol.Address != 0 && Symbol.Address != Image.LoadBias &&
         (Symbol.Type == symtab::SymbolType::Function || Symbol.Type == symtab::SymbolType::Object) &&
         symtab::bindsAcrossImages(Symbol.Binding) &&
         (Symbol.Version.empty() || Symbol.VersionIsDefault);
}

enum class Answer { Here, Absent, Elsewhere };

Answer ask(const symtab::ImageSymbol &Symbol, std::string &Asked) {
  // Copies: the names point into mapped string tables, and dlsym wants
  // NUL-terminated strings.
  std::string Name = std::string(Symbol.Name);
  std::string Version = std::string(Symbol.Version);
  void *Found = Version.empty() ? ::dlsym(RTLD_DEFAULT, Name.c_str())
                                : ::dlvsym(RTLD_DEFAULT, Name.c_str(), Version.c_str());
  Asked = Version.empty() ? Name : Name + "@@" + Version;
  if (Found == nullptr)
    return Answer::Absent;
  return reinterpret_cast<std::uintptr_t>(Found) == Symbol.Address ? Answer::Here : Answer::Elsewhere;
}

}  // namespace

llvm::StringRef toString(DefaultScope Scope) {
  switch (Scope) {
  case DefaultScope::Visible: return "yes";
  case DefaultScope::Invisible: return "no";
  case DefaultScope::Unknown: return "-";
  }
  return "-";
}

ScopeProbe probeDefaultScope(const symtab::LoadedImage &Image,
                             llvm::ArrayRef<symtab::ImageSymbol> Symbols,
                             const symtab::SymbolIndex &Everything) {
  ScopeProbe Result;
  // Pass 1 asks about names no other image defines, whose answer is
  // conclusive either way. Pass 2 (for images that define only shared names,
  // such as an executable's template instances) can only prove visibility:
  // another image earlier in the scope may answer first.
  for (bool UniqueOnly : {true, false}) {
    unsigned Probes = 0;
    for (const symtab::ImageSymbol &Symbol : Symbols) {
      if (Probes == MaxProbesPerPass)
        break;
      if (!isAskable(Image, Symbol) || (Everything.lookup(Symbol.Name).size() == 1) != UniqueOnly)
        continue;
      ++Probes;
      switch (ask(Symbol, Result.Name)) {
      case Answer::Here:
        Result.Scope = DefaultScope::Visible;
        return Result;
      case Answer::Absent:
        if (UniqueOnly) {
          // Only this image defines the name, so the loader's global scope
          // does not contain the image.
          Result.Scope = DefaultScope::Invisible;
          return Result;
        }
        break;
      case Answer::Elsewhere:
        break;
      }
    }
  }
  return Result;
}

}  // namespace pysym::dump
