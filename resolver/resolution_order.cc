#include "resolver/resolution_order.h"

#include "llvm/ADT/SmallVector.h"

namespace pysym {

std::string invalidNameReason(llvm::StringRef Name) {
  if (Name.empty())
    return "the name is empty";
  size_t Nul = Name.find('\0');
  if (Nul != llvm::StringRef::npos)
    return "the name contains a NUL byte at offset " + std::to_string(Nul);
  return "";
}

namespace {

using Lookup = ResolutionSources::Lookup;

// Looks `Target` up in the interpreter image, filling R on a hit. On Refused,
// `Why` says why a definition exists but cannot be given out.
Lookup lookInInterpreter(const ResolutionSources &Sources, llvm::StringRef Target, Resolution &R,
                         std::string &Why) {
  ResolutionSources::Definition Def;
  Lookup Outcome = Sources.findInInterpreter(Target, Def, Why);
  if (Outcome == Lookup::Found) {
    R.Address = Def.Address;
    R.Kind = Def.Kind;
    R.Target = Target.str();
    R.Image = Sources.imagePath();
  }
  return Outcome;
}

void noteOtherDefinitions(const ResolutionSources &Sources, Resolution &R) {
  if (auto Other = Sources.findInOtherImages(R.Name))
    R.Note = "also exported by " + Other->ImagePath + " (not used: " + R.Image +
             " is the interpreter)";
}

}  // namespace

Resolution resolveInOrder(const ResolutionSources &Sources, llvm::StringRef Name, bool Explain) {
  Resolution R;
  R.Name = Name.str();
  if (std::string Invalid = invalidNameReason(Name); !Invalid.empty()) {
    R.Tried.push_back("nothing: " + Invalid);
    R.Note = Invalid;
    return R;
  }
  const std::string &ImagePath = Sources.imagePath();

  // The name itself, then the profile's aliases for it.
  llvm::SmallVector<std::string, 3> Candidates{R.Name};
  Sources.profile().aliasesFor(Name, Sources.version(), Candidates);
  for (size_t I = 0; I < Candidates.size(); ++I) {
    const std::string &Candidate = Candidates[I];
    const char *Step = I == 0 ? "exact " : "alias ";
    std::string Why;
    switch (lookInInterpreter(Sources, Candidate, R, Why)) {
    case Lookup::Found:
      R.Status = I == 0 ? ResolutionStatus::Exact : ResolutionStatus::Alias;
      if (Explain)
        noteOtherDefinitions(Sources, R);
      return R;
    case Lookup::Refused:
      // A definition that exists but cannot be given out is final: falling
      // through to a substitute would hide, say, PyPy's cpyext not started.
      R.Tried.push_back(Step + Candidate + " in " + ImagePath + ": " + Why);
      R.Note = Why;
      return R;
    case Lookup::Absent:
      if (Explain)
        R.Tried.push_back(Step + Candidate + " in " + ImagePath + ": not exported");
      break;
    }
  }

  ResolutionSources::SubstituteOffer Sub = Sources.findSubstitute(Name);
  if (Sub.Offered) {
    R.Status = ResolutionStatus::Substitute;
    R.Address = Sub.Address;
    R.Kind = Sub.Kind;
    R.Target = R.Name;
    R.Image = "<pysym substitute>";
    R.Note = std::move(Sub.Explanation);
    return R;
  }
  if (Explain)
    R.Tried.push_back("substitute: " + Sub.Explanation);

  if (!isPythonApiName(Name)) {
    if (auto Found = Sources.findInOtherImages(Name)) {
      R.Status = ResolutionStatus::System;
      R.Address = Found->Address;
      R.Kind = Found->Kind;
      R.Target = R.Name;
      R.Image = Found->ImagePath;
      return R;
    }
    if (Explain)
      R.Tried.push_back("other loaded images: not defined");
    return R;
  }

  if (Explain) {
    R.Tried.push_back("other loaded images: not searched, since Python API names resolve only "
                      "from the interpreter image");
    if (auto Found = Sources.findInOtherImages(Name))
      R.Note = Found->ImagePath + " exports " + R.Name +
               ", but it is not the interpreter, so it is not used";
  }
  return R;
}

}  // namespace pysym
