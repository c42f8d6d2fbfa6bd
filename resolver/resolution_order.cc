#include "pysym/resolver/resolution_order.h"

namespace pysym {

std::string invalidNameReason(std::string_view Name) {
  if (Name.empty())
    return "the name is empty";
  size_t Nul = Name.find('\0');
  if (Nul != std::string_view::npos)
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
  // An attempt that failed, worth listing only in an explanation. Callers
  // that would compose the line check explaining() first, so that the hot
  // path builds no strings.
  void attempt(std::string_view Line) {
    if (Explain)
      Into->Tried.emplace_back(Line);
  }
  // Why the walk stopped without an answer: kept in every Resolution.
  void stop(std::string_view Line, std::string_view Why) {
    if (!Into)
      return;
    Into->Tried.emplace_back(Line);
    Into->Note = std::string(Why);
  }
  void answer(std::string_view Target, std::string_view Image) {
    if (!Into)
      return;
    Into->Target = std::string(Target);
    Into->Image = std::string(Image);
  }
  void note(std::string Text) {
    if (Into)
      Into->Note = std::move(Text);
  }

private:
  Resolution *Into;
  bool Explain;
};

void noteOtherDefinitions(const ResolutionSources &Sources, std::string_view Name, Narration &Text) {
  if (auto Other = Sources.findInOtherImages(Name))
    Text.note("also exported by " + Other->ImagePath + " (not used: " + Sources.imagePath() +
              " is the interpreter)");
}

// One candidate name in the interpreter image. Returns whether the walk ends
// here: found, or refused (a definition that exists but cannot be given out
// is final: falling through to a substitute would hide, say, PyPy's cpyext
// not started).
bool tryInInterpreter(const ResolutionSources &Sources, std::string_view Name, std::string_view Candidate,
                      bool IsAlias, FoundSymbol &Found, Narration &Text) {
  ResolutionSources::Definition Def;
  std::string Why;
  std::string_view Step = IsAlias ? "alias " : "exact ";
  switch (Sources.findInInterpreter(Candidate, Def, Why)) {
  case Lookup::Found:
    Found = {Def.Address, IsAlias ? ResolutionStatus::Alias : ResolutionStatus::Exact, Def.Kind};
    Text.answer(Candidate, Sources.imagePath());
    if (Text.explaining())
      noteOtherDefinitions(Sources, Name, Text);
    return true;
  case Lookup::Refused:
    Text.stop(std::string(Step) + std::string(Candidate) + " in " + Sources.imagePath() + ": " + Why,
              Why);
    return true;
  case Lookup::Absent:
    if (Text.explaining())  // the hot path's usual case: build no text
      Text.attempt(std::string(Step) + std::string(Candidate) + " in " + Sources.imagePath() +
                   ": not exported");
    return false;
  }
  return false;
}

FoundSymbol walkOrder(const ResolutionSources &Sources, std::string_view Name, Narration &Text) {
  FoundSymbol Found;
  if (Name.empty() || Name.find('\0') != std::string_view::npos) {
    std::string Invalid = invalidNameReason(Name);
    Text.stop("nothing: " + Invalid, Invalid);
    return Found;
  }

  // The name itself, then the profile's aliases for it, computed only when
  // the name itself is absent.
  if (tryInInterpreter(Sources, Name, Name, /*IsAlias=*/false, Found, Text))
    return Found;
  std::vector<std::string> Aliases;
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
  if (Text.explaining())
    Text.attempt("substitute: " + Sub.Explanation);

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
      Text.note(Other->ImagePath + " exports " + std::string(Name) +
                ", but it is not the interpreter, so it is not used");
  }
  return Found;
}

}  // namespace

Resolution resolveInOrder(const ResolutionSources &Sources, std::string_view Name, bool Explain) {
  Resolution R;
  R.Name = std::string(Name);
  Narration Text(&R, Explain);
  FoundSymbol Found = walkOrder(Sources, Name, Text);
  R.Status = Found.Status;
  R.Address = Found.Address;
  R.Kind = Found.Kind;
  return R;
}

FoundSymbol findInOrder(const ResolutionSources &Sources, std::string_view Name) {
  Narration Silent(nullptr, false);
  return walkOrder(Sources, Name, Silent);
}

}  // namespace pysym
