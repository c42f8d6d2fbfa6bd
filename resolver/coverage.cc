#include "pysym/resolver/coverage.h"

#include "pysym/resolver/offline_interpreter.h"
#include "pysym/support/file.h"
#include "pysym/support/text.h"

namespace pysym {

Expected<std::vector<ApiName>> readNameList(const std::string &Path) {
  Expected<std::string> Text = readFile(Path);
  if (!Text)
    return Text.takeError();
  std::vector<ApiName> Names;
  std::vector<std::string_view> Lines = split(*Text, '\n', /*KeepEmpty=*/true);
  for (size_t I = 0; I < Lines.size(); ++I) {
    std::string_view Line = trim(Lines[I].substr(0, Lines[I].find('#')));
    if (Line.empty())
      continue;
    std::vector<std::string_view> Fields = split(Line, ' ', /*KeepEmpty=*/false);
    const std::string Where = Path + ":" + std::to_string(I + 1) + ": ";
    ApiName Entry;
    if (Fields.size() == 1) {
      Entry.Name = std::string(Fields[0]);
    } else if (Fields.size() == 2) {
      std::string_view Kind = Fields[0];
      Entry.KindKnown = true;
      if (Kind == "F" || Kind == "function")
        Entry.Kind = SymbolKind::Function;
      else if (Kind == "D" || Kind == "data")
        Entry.Kind = SymbolKind::Data;
      else
        return makeStringError(std::errc::invalid_argument,
                               Where + "unknown kind '" + std::string(Kind) + "' (F, D, function or data)");
      Entry.Name = std::string(Fields[1]);
    } else {
      return makeStringError(std::errc::invalid_argument,
                             Where + "expected 'NAME' or 'KIND NAME', got " +
                                 std::to_string(Fields.size()) + " fields");
    }
    Names.push_back(std::move(Entry));
  }
  return Names;
}

Coverage measureCoverage(const OfflineInterpreter &Interpreter, const std::vector<ApiName> &Names) {
  Coverage Result;
  for (const ApiName &N : Names) {
    Resolution R = Interpreter.resolve(N.Name);
    ++Result.Counts[static_cast<size_t>(R.Status)];
    if (R.found() && N.KindKnown && R.Kind != N.Kind)
      Result.KindMismatches.push_back(N.Name);
    Result.Resolutions.push_back(std::move(R));
  }
  return Result;
}

}  // namespace pysym
