// measureCoverage over either an interpreter's own exports or a name list,
// both as CPython names, so that the counts answer "would code written for
// CPython find these on B?".
#include "tools/pysym_dump_coverage.h"

#include <array>
#include <optional>
#include <vector>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "pysym/jitlink/core_error.h"
#include "pysym/resolver/coverage.h"
#include "tools/pysym_dump_offline.h"
#include "tools/pysym_dump_table.h"

namespace pysym::dump {
namespace {

constexpr ResolutionStatus OfflineStatuses[] = {ResolutionStatus::Exact, ResolutionStatus::Alias,
                                                ResolutionStatus::Substitute, ResolutionStatus::System,
                                                ResolutionStatus::Missing};

// Where the names came from.
struct Source {
  std::string Argument;                     // as given to --from or --names
  std::unique_ptr<OfflineInterpreter> From;  // null for a name list
  std::vector<ApiName> Names;
};

llvm::Expected<Source> readSource(const ParsedArguments &Arguments) {
  auto From = Arguments.value("--from");
  auto List = Arguments.value("--names");
  if (From.has_value() == List.has_value())
    return llvm::make_error<UsageError>(
        From ? "give --from or --names, not both" : "missing --from PATH|NAME or --names FILE");
  Source S;
  if (List) {
    S.Argument = List->str();
    auto Names = readNameList(List->str());
    if (!Names)
      return toLlvmError(Names.takeError());
    S.Names = std::move(*Names);
    return S;
  }
  S.Argument = From->str();
  auto Interpreter = analyzeInterpreter(*From);
  if (!Interpreter)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--from: " + llvm::toString(Interpreter.takeError()));
  S.From = std::move(*Interpreter);
  auto Names = cpythonApiNames(*S.From);
  if (!Names)
    return Names.takeError();
  S.Names = std::move(*Names);
  return S;
}

std::string share(unsigned Part, size_t Whole) {
  return Whole == 0 ? "-" : llvm::formatv("{0:f1}%", 100.0 * Part / Whole).str();
}

std::string detail(const Resolution &R) {
  if (!R.found())
    return whyMissing(R);
  if (R.Status == ResolutionStatus::Substitute)
    return R.Note;
  return R.Image;
}

void writeJson(const Source &S, llvm::StringRef ToArgument, const OfflineInterpreter &To,
               const Coverage &C, bool List, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema", JsonSchema);
    J.attribute("command", "coverage");
    J.attributeObject("source", [&] {
      J.attribute("kind", S.From ? "interpreter" : "name-list");
      J.attribute("argument", S.Argument);
      if (S.From) {
        J.attribute("path", S.From->images().front());
        J.attribute("implementation", S.From->info().Implementation);
        J.attribute("version", S.From->info().Version);
        J.attribute("debug", S.From->info().Debug);
      }
    });
    J.attributeObject("to", [&] {
      J.attribute("argument", ToArgument);
      J.attribute("path", To.images().front());
      J.attribute("implementation", To.info().Implementation);
      J.attribute("version", To.info().Version);
      J.attribute("debug", To.info().Debug);
      J.attribute("image", To.info().ImagePath);
    });
    J.attribute("total", int64_t(S.Names.size()));
    J.attributeObject("counts", [&] {
      for (ResolutionStatus Status : OfflineStatuses)
        J.attribute(toString(Status), int64_t(C.count(Status)));
    });
    J.attributeArray("kind_mismatches", [&] {
      for (const std::string &Name : C.KindMismatches)
        J.value(Name);
    });
    if (!List)
      return;
    J.attributeArray("names", [&] {
      for (size_t I = 0; I < C.Resolutions.size(); ++I) {
        const Resolution &R = C.Resolutions[I];
        const ApiName &Asked = S.Names[I];
        J.object([&] {
          J.attribute("name", R.Name);
          J.attribute("listed_kind", Asked.KindKnown ? llvm::json::Value(std::string(toString(Asked.Kind)))
                                                     : llvm::json::Value(nullptr));
          J.attribute("status", std::string(toString(R.Status)));
          bool Found = R.found();
          J.attribute("kind", Found ? llvm::json::Value(std::string(toString(R.Kind))) : nullptr);
          J.attribute("target", Found ? llvm::json::Value(R.Target) : nullptr);
          J.attribute("image", Found ? llvm::json::Value(R.Image) : nullptr);
          J.attribute("note", R.Note);
          J.attribute("why", Found ? llvm::json::Value(nullptr) : whyMissing(R));
        });
      }
    });
  });
  OS << '\n';
}

void writeText(const Source &S, const OfflineInterpreter &To, const Coverage &C, bool List,
               const Output &Out) {
  llvm::raw_ostream &OS = Out.Out;
  writeStyled(OS, "names", Style::Bold, Out.Colour);
  if (S.From)
    OS << "  " << S.Names.size() << " API names " << S.From->images().front() << " ("
       << describeInterpreter(S.From->info()) << ") exports, as CPython names\n";
  else
    OS << "  " << S.Names.size() << " names listed in " << S.Argument << '\n';
  writeStyled(OS, "on", Style::Bold, Out.Colour);
  OS << "     " << To.images().front() << " (" << describeInterpreter(To.info()) << "), C API from "
     << To.info().ImagePath << "\n\n";

  if (List && !C.Resolutions.empty()) {
    Table Names({{"NAME"}, {"KIND"}, {"STATUS"}, {"TARGET"}, {"FROM, OR WHY MISSING"}});
    for (size_t I = 0; I < C.Resolutions.size(); ++I) {
      const Resolution &R = C.Resolutions[I];
      const ApiName &Asked = S.Names[I];
      std::string Kind = R.found() ? std::string(toString(R.Kind))
                         : Asked.KindKnown ? std::string(toString(Asked.Kind))
                                           : "";
      Style Emphasis = R.found() ? Style::Plain : Style::Red;
      Names.addRow({R.Name, Kind, {std::string(toString(R.Status)), Emphasis},
                    R.found() && R.Target != R.Name ? R.Target : "", detail(R)});
    }
    Names.render(OS, Out.Colour);
    OS << '\n';
  }

  Table Counts({{"STATUS"}, {"NAMES", Align::Right}, {"SHARE", Align::Right}});
  for (ResolutionStatus Status : OfflineStatuses)
    Counts.addRow({std::string(toString(Status)), std::to_string(C.count(Status)),
                   share(C.count(Status), S.Names.size())});
  Counts.addRow({{"total", Style::Bold}, std::to_string(S.Names.size()), share(S.Names.size(), S.Names.size())});
  Counts.render(OS, Out.Colour);
  if (!C.KindMismatches.empty())
    OS << "\nFound with another kind than listed (code would misuse them): "
       << llvm::join(C.KindMismatches, ", ") << '\n';
}

llvm::Expected<ExitStatus> runCoverage(const ParsedArguments &Arguments, const Output &Out) {
  auto ToArgument = Arguments.value("--to");
  if (!ToArgument)
    return llvm::make_error<UsageError>("missing --to PATH|NAME");
  auto S = readSource(Arguments);
  if (!S)
    return S.takeError();
  auto To = analyzeInterpreter(*ToArgument);
  if (!To)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--to: " + llvm::toString(To.takeError()));
  Coverage C = measureCoverage(**To, S->Names);
  bool List = Arguments.has("--list");
  if (Out.Json)
    writeJson(*S, *ToArgument, **To, C, List, Out.Out);
  else
    writeText(*S, **To, C, List, Out);
  return ExitStatus::Success;
}

}  // namespace

Command coverageCommand() {
  Command C;
  C.Name = "coverage";
  C.Summary = "how many of an interpreter's API names, or of a name list, resolve on another "
              "interpreter, by status";
  C.Synopsis = "coverage (--from PATH|NAME | --names FILE) --to PATH|NAME [--list] [--json]";
  C.Arguments.Options = {
      OptionSpec::withValue("--from", "PATH|NAME",
                            "measure the API this interpreter exports, as CPython names"),
      OptionSpec::withValue("--names", "FILE",
                            "measure the names in FILE: 'NAME' or 'KIND NAME' a line, # comments"),
      OptionSpec::withValue("--to", "PATH|NAME", "the interpreter to resolve them on (required)"),
      OptionSpec::flag("--list", "list every name with its status and target"),
  };
  C.Run = runCoverage;
  return C;
}

}  // namespace pysym::dump
