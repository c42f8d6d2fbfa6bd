#include "resolver/resolution_order.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

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

// Where the walk writes its text. findInOrder passes none, so that the hot
// path builds no strings; resolveInOrder passes its Resolution, and asks for
// every attempt only when explaining.
class Narration {
public:
  Narration(Resolution *Into, bool Explain) : Into(Into), Explain(Into && Explain) {}

  bool explaining() const { return Explain; }
  // An attempt that failed, worth listing only in an explanation.
  void attempt(const llvm::Twine &Line) {
    if (Explain)
      Into->Tried.push_back(Line.str());
  }
  // Why the walk stopped without an answer: kept in every Resolution.
  void stop(const llvm::Twine &Line, llvm::StringRef Why) {
    if (!Into)
      return;
    Into->Tried.push_back(Line.str());
    Into->Note = Why.str();
  }
  void answer(llvm::StringRef Target, llvm::StringRef Image) {
    if (!Into)
      return;
    Into->Target = Target.str();
    Into->Image = Image.str();
  }
  void note(std::string Text) {
    if (Into)
      Into->Note = std::move(Text);
  }

private:
  Resolution *Into;
  bool Explain;
};

void noteOtherDefinitions(const ResolutionSources &Sources, llvm::StringRef Name, Narration &Text) {
  if (auto Other = Sources.findInOtherImages(Name))
    Text.note("also exported by " + Other->ImagePath + " (not used: " + Sources.imagePath() +
              " is the interpreter)");
}

// One candidate name in the interpreter image. Returns whether the walk ends
// here: found, or refused (a definition that exists but cannot be given out
// is final: falling through to a substitute would hide, say, PyPy's cpyext
// not started).
bool tryInInterpreter(const ResolutionSources &Sources, llvm::StringRef Name, llvm::StringRef Candidate,
                      bool IsAlias, FoundSymbol &Found, Narration &Text) {
  ResolutionSources::Definition Def;
  std::string Why;
  llvm::StringRef Step = IsAlias ? "alias " : "exact ";
  switch (Sources.findInInterpreter(Candidate, Def, Why)) {
  case Lookup::Found:
    Found = {Def.Address, IsAlias ? ResolutionStatus::Alias : ResolutionStatus::Exact, Def.Kind};
    Text.answer(Candidate, Sources.imagePath());
    if (Text.explaining())
      noteOtherDefinitions(Sources, Name, Text);
    return true;
  case Lookup::Refused:
    Text.stop(Step + Candidate + " in " + Sources.imagePath() + ": " + Why, Why);
    return true;
  case Lookup::Absent:
    if (Text.explaining())  // the hot path's usual case: skip even the Twine
      Text.attempt(Step + Candidate + " in " + Sources.imagePath() + ": not exported");
    return false;
  }
  return false;
}

FoundSymbol walkOrder(const ResolutionSources &Sources, llvm::StringRef Name, Narration &Text) {
  FoundSymbol Found;
  if (Name.empty() || Name.contains('\0')) {
    std::string Invalid = invalidNameReason(Name);
    Text.stop(llvm::Twine("nothing: ") + Invalid, Invalid);
    return Found;
  }

  // The name itself, then the profile's aliases for it, computed only when
  // the name itself is absent.
  if (tryInInterpreter(Sources, Name, Name, /*IsAlias=*/false, Found, Text))
    return Found;
  llvm::SmallVector<std::string, 2> Aliases;
  Sources.profile().aliasesFor(Name, Sources.version(), Aliases);
  for (const std::string &Alias : Aliases)
    if (tryInInterpreter(Sources, Name, Alias, /*IsAlias=*/true, Found, Text))
      return Found;

  ResolutionSources::SubstituteOffer Sub = Sources.findSubstitute(Name);
  if (Sub.Offered) {
    Found = {Sub.Address, ResolutionStatus::Substitute, Sub.Kind};
    Text.answer(Name, "<pysym substitute>");
    Text.note(std::move(Sub.Explanation));
    return Found;
  }
  Text.attempt(llvm::Twine("substitute: ") + Sub.Explanation);

  if (!isPythonApiName(Name)) {
    if (auto Other = Sources.findInOtherImages(Name)) {
      Found = {Other->Address, ResolutionStatus::System, Other->Kind};
      Text.answer(Name, Other->ImagePath);
      return Found;
    }
    Text.attempt("other loaded images: not defined");
    return Found;
  }

  if (Text.explaining()) {
    Text.attempt("other loaded images: not searched, since Python API names resolve only "
                 "from the interpreter image");
    if (auto Other = Sources.findInOtherImages(Name))
      Text.note(Other->ImagePath + " exports " + Name.str() +
                ", but it is not the interpreter, so it is not used");
  }
  return Found;
}

}  // namespace

Resolution resolveInOrder(const ResolutionSources &Sources, llvm::StringRef Name, bool Explain) {
  Resolution R;
  R.Name = Name.str();
  Narration Text(&R, Explain);
  FoundSymbol Found = walkOrder(Sources, Name, Text);
  R.Status = Found.Status;
  R.Address = Found.Address;
  R.Kind = Found.Kind;
  return R;
}

FoundSymbol findInOrder(const ResolutionSources &Sources, llvm::StringRef Name) {
  Narration Silent(nullptr, false);
  return walkOrder(Sources, Name, Silent);
}

}  // namespace pysym
