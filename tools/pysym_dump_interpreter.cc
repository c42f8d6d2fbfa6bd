// Everything here comes from OfflineInterpreter and the interpreter image's
// .dynsym: the interpreter is never run, so its full version string and
// anything decided at start-up (PyPy's cpyext) are not known.
#include "tools/pysym_dump_interpreter.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "tools/pysym_dump_offline.h"
#include "tools/pysym_dump_table.h"

namespace pysym::dump {
namespace {

const char *const DefaultReference = "/usr/bin/python3.11";

struct MissingReport {
  std::string Argument;
  std::unique_ptr<OfflineInterpreter> Reference;
  unsigned Names = 0;  // the reference's API names, as CPython names
  std::array<unsigned, 6> Counts{};
  std::vector<Resolution> Missing;
};

struct Report {
  std::string Argument;
  std::unique_ptr<OfflineInterpreter> Interpreter;
  ExportedApi Api;
  bool ListSymbols = false;
  std::optional<MissingReport> Missing;
};

std::string versionedName(const symtab::Symbol &S) {
  if (S.Version.empty())
    return S.Name;
  return S.Name + (S.VersionIsDefault ? "@@" : "@") + S.Version;
}

llvm::Expected<MissingReport> findMissing(const OfflineInterpreter &Here, llvm::StringRef Argument) {
  MissingReport Result;
  Result.Argument = Argument.str();
  auto Reference = analyzeInterpreter(Argument);
  if (!Reference)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "--reference: " +
                                                                       llvm::toString(Reference.takeError()));
  Result.Reference = std::move(*Reference);
  auto Names = cpythonApiNames(*Result.Reference);
  if (!Names)
    return Names.takeError();
  Result.Names = Names->size();
  for (const ApiName &Name : *Names) {
    Resolution R = Here.resolve(Name.Name);
    ++Result.Counts[static_cast<size_t>(R.Status)];
    if (!R.found()) {
      R.Kind = Name.Kind;  // a miss has no kind of its own; the reference's says what it is
      Result.Missing.push_back(std::move(R));
    }
  }
  return Result;
}

// The statuses an offline resolution can have, in the resolver's order.
constexpr ResolutionStatus OfflineStatuses[] = {ResolutionStatus::Exact, ResolutionStatus::Alias,
                                                ResolutionStatus::Substitute, ResolutionStatus::System,
                                                ResolutionStatus::Missing};

void writeJson(const Report &R, llvm::raw_ostream &OS) {
  const InterpreterInfo &Info = R.Interpreter->info();
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema", JsonSchema);
    J.attribute("command", "interpreter");
    J.attribute("argument", R.Argument);
    J.attribute("path", R.Interpreter->images().front());
    J.attribute("implementation", Info.Implementation);
    J.attribute("version", Info.Version);
    J.attribute("debug", Info.Debug);
    J.attribute("image", Info.ImagePath);
    J.attributeObject("abi", [&] {
      J.attribute("pointer_size", int64_t(Info.Abi.PointerSize));
      J.attribute("ssize_t_size", int64_t(Info.Abi.SsizeTSize));
      J.attribute("refcnt_offset", int64_t(Info.Abi.RefcntOffset));
      J.attribute("type_offset", int64_t(Info.Abi.TypeOffset));
      J.attribute("object_size", int64_t(Info.Abi.ObjectSize));
    });
    J.attributeArray("images", [&] {
      for (const std::string &Path : R.Interpreter->images())
        J.value(Path);
    });
    J.attributeArray("unresolved_libraries", [&] {
      for (const std::string &Library : R.Interpreter->unresolvedLibraries())
        J.value(Library);
    });
    J.attributeObject("api", [&] {
      J.attribute("functions", int64_t(R.Api.Functions));
      J.attribute("data", int64_t(R.Api.Data));
      J.attribute("total", int64_t(R.Api.Symbols.size()));
      J.attribute("aliased", int64_t(R.Api.Aliased));
    });
    if (R.ListSymbols)
      J.attributeArray("symbols", [&] {
        for (const ExportedApiSymbol &S : R.Api.Symbols)
          J.object([&] {
            J.attribute("name", S.Symbol->Name);
            J.attribute("value", hex(S.Symbol->Value));
            J.attribute("kind", std::string(toString(S.Kind)));
            J.attribute("type", std::string(symtab::toString(S.Symbol->Type)));
            J.attribute("version", S.Symbol->Version.empty() ? llvm::json::Value(nullptr)
                                                            : llvm::json::Value(S.Symbol->Version));
            J.attributeArray("cpython_names", [&] {
              for (const std::string &Name : S.CPythonNames)
                J.value(Name);
            });
          });
      });
    if (R.Missing)
      J.attributeObject("missing", [&] {
        const MissingReport &M = *R.Missing;
        J.attribute("reference", M.Argument);
        J.attribute("reference_path", M.Reference->images().front());
        J.attribute("reference_implementation", M.Reference->info().Implementation);
        J.attribute("reference_version", M.Reference->info().Version);
        J.attribute("total", int64_t(M.Names));
        J.attributeObject("counts", [&] {
          for (ResolutionStatus S : OfflineStatuses)
            J.attribute(toString(S), int64_t(M.Counts[static_cast<size_t>(S)]));
        });
        J.attributeArray("names", [&] {
          for (const Resolution &Miss : M.Missing)
            J.object([&] {
              J.attribute("name", Miss.Name);
              J.attribute("kind", std::string(toString(Miss.Kind)));
              J.attribute("why", whyMissing(Miss));
              J.attributeArray("tried", [&] {
                for (const std::string &Attempt : Miss.Tried)
                  J.value(Attempt);
              });
              J.attribute("note", Miss.Note);
            });
        });
      });
  });
  OS << '\n';
}

void writeField(const Output &Out, llvm::StringRef Label, llvm::StringRef Text) {
  writeStyled(Out.Out, Label, Style::Bold, Out.Colour);
  Out.Out.indent(16 - std::min<size_t>(Label.size(), 15)) << (Text.empty() ? "-" : Text) << '\n';
}

void writeList(const Output &Out, llvm::StringRef Label, const std::vector<std::string> &Items) {
  if (Items.empty()) {
    writeField(Out, Label, "-");
    return;
  }
  for (size_t I = 0; I < Items.size(); ++I)
    writeField(Out, I == 0 ? Label : "", Items[I]);
}

void writeText(const Report &R, const Output &Out) {
  const InterpreterInfo &Info = R.Interpreter->info();
  llvm::raw_ostream &OS = Out.Out;
  writeField(Out, "argument", R.Argument);
  writeField(Out, "file", R.Interpreter->images().front());
  writeField(Out, "implementation", Info.Implementation);
  writeField(Out, "version", Info.Version.empty() ? "unknown (not in the file names)"
                                                  : Info.Version + " (from the file names)");
  writeField(Out, "debug build", Info.Debug ? "yes" : "no");
  writeField(Out, "C-API image", Info.ImagePath);
  writeField(Out, "ABI", llvm::formatv("pointer {0}, Py_ssize_t {1}; PyObject {2} bytes, ob_refcnt at "
                                       "{3}, ob_type at {4}",
                                       Info.Abi.PointerSize, Info.Abi.SsizeTSize, Info.Abi.ObjectSize,
                                       Info.Abi.RefcntOffset, Info.Abi.TypeOffset)
                             .str());
  writeList(Out, "files read", R.Interpreter->images());
  writeList(Out, "not found", R.Interpreter->unresolvedLibraries());
  writeField(Out, "exported API",
             llvm::formatv("{0} Py*/_Py* names: {1} functions, {2} data; {3} reached from CPython "
                           "names by alias",
                           R.Api.Symbols.size(), R.Api.Functions, R.Api.Data, R.Api.Aliased)
                 .str());

  if (R.ListSymbols) {
    OS << '\n';
    Table Symbols({{"VALUE", Align::Right}, {"KIND"}, {"TYPE"}, {"NAME"}, {"CPYTHON NAMES"}});
    for (const ExportedApiSymbol &S : R.Api.Symbols) {
      Style Emphasis = S.Kind == SymbolKind::Function ? Style::Green : Style::Cyan;
      std::string From = S.CPythonNames.empty() ? "" : "<- " + llvm::join(S.CPythonNames, ", ");
      Symbols.addRow({hex(S.Symbol->Value), {std::string(toString(S.Kind)), Emphasis},
                      std::string(symtab::toString(S.Symbol->Type)), versionedName(*S.Symbol), From});
    }
    Symbols.render(OS, Out.Colour);
    OS << "\nVALUE is the file's symbol value (relative to the load bias). CPYTHON NAMES: the "
          "names code written for CPython uses that resolve to this symbol by alias.\n";
  }

  if (R.Missing) {
    const MissingReport &M = *R.Missing;
    OS << '\n';
    if (!M.Missing.empty()) {
      Table Missing({{"NAME"}, {"KIND"}, {"WHY"}});
      for (const Resolution &Miss : M.Missing)
        Missing.addRow({{Miss.Name, Style::Red}, std::string(toString(Miss.Kind)), whyMissing(Miss)});
      Missing.render(OS, Out.Colour);
      OS << '\n';
    }
    std::vector<std::string> Counts;
    for (ResolutionStatus S : OfflineStatuses)
      if (unsigned N = M.Counts[static_cast<size_t>(S)])
        Counts.push_back(std::to_string(N) + " " + std::string(toString(S)));
    OS << M.Missing.size() << " of the " << M.Names << " API names "
       << M.Reference->images().front() << " (" << describeInterpreter(M.Reference->info())
       << ") exports are missing here (" << llvm::join(Counts, ", ") << ").\n";
  }
}

llvm::Expected<ExitStatus> runInterpreter(const ParsedArguments &Arguments, const Output &Out) {
  if (Arguments.has("--reference") && !Arguments.has("--missing"))
    return llvm::make_error<UsageError>("--reference needs --missing");
  Report R;
  R.Argument = Arguments.positionals()[0];
  auto Interpreter = analyzeInterpreter(R.Argument);
  if (!Interpreter)
    return Interpreter.takeError();
  R.Interpreter = std::move(*Interpreter);
  auto Api = exportedApi(*R.Interpreter);
  if (!Api)
    return Api.takeError();
  R.Api = std::move(*Api);
  R.ListSymbols = Arguments.has("--symbols");
  if (Arguments.has("--missing")) {
    auto Missing = findMissing(*R.Interpreter, Arguments.value("--reference").value_or(DefaultReference));
    if (!Missing)
      return Missing.takeError();
    R.Missing = std::move(*Missing);
  }
  if (Out.Json)
    writeJson(R, Out.Out);
  else
    writeText(R, Out);
  return ExitStatus::Success;
}

}  // namespace

Command interpreterCommand() {
  Command C;
  C.Name = "interpreter";
  C.Summary = "an interpreter on disk, analysed without running it: version, ABI, exported API";
  C.Synopsis = "interpreter PATH|NAME [--symbols] [--missing [--reference PATH|NAME]] [--json]";
  C.Arguments.Required = {"PATH|NAME"};
  C.Arguments.Options = {
      OptionSpec::flag("--symbols", "list every exported API symbol and the CPython names it answers"),
      OptionSpec::flag("--missing", "list the reference's API names this interpreter cannot resolve"),
      OptionSpec::withValue("--reference", "PATH|NAME",
                            "the interpreter --missing compares with (default /usr/bin/python3.11)"),
  };
  C.Run = runInterpreter;
  return C;
}

}  // namespace pysym::dump
