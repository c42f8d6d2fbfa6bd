#include "resolver/profile.h"

#include "resolver/profiles.h"
#include "third_party/llvm/compat.h"

namespace pysym {

PythonVersion parsePythonVersion(llvm::StringRef Text) {
  PythonVersion V;
  llvm::StringRef Rest = Text.ltrim();
  unsigned Major = 0, Minor = 0;
  // consumeInteger stops at the first non-digit, which is what lets "3.11.2 (main"
  // and "3.11" both parse.
  if (Rest.consumeInteger(10, Major) || !Rest.consume_front(".") || Rest.consumeInteger(10, Minor))
    return V;
  V.Major = Major;
  V.Minor = Minor;
  return V;
}

llvm::ArrayRef<const InterpreterProfile *> interpreterProfiles() {
  // PyPy first: its library also carries a few unprefixed CPython names, so the
  // stricter test decides.
  static const InterpreterProfile *const Profiles[] = {&pypyProfile(), &cpythonProfile()};
  return Profiles;
}

bool isPythonApiName(llvm::StringRef Name) {
  return llvm_compat::startsWith(Name, "Py") || llvm_compat::startsWith(Name, "_Py");
}

PythonVersion versionAfterMarker(llvm::StringRef Path, llvm::StringRef Marker) {
  llvm::StringRef FileName = Path.substr(Path.rfind('/') + 1);
  size_t At = FileName.find(Marker);
  if (At == llvm::StringRef::npos)
    return {};
  return parsePythonVersion(FileName.substr(At + Marker.size()));
}

}  // namespace pysym
