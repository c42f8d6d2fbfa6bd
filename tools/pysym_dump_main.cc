// pysym-dump: shows what the dynamic loader and ELF files say about symbols,
// as pysym sees them. Dispatches to a subcommand and owns the exit status:
// 0 success, 1 "check found missing symbols", 2 usage error or
// bad input, with a one-line message on stderr. Nothing here exits early.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"
#include "pysym/version.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_args.h"
#include "tools/pysym_dump_command.h"
#include "tools/pysym_dump_check.h"
#include "tools/pysym_dump_coverage.h"
#include "tools/pysym_dump_images.h"
#include "tools/pysym_dump_interpreter.h"
#include "tools/pysym_dump_symbols.h"
#include "tools/pysym_dump_table.h"

namespace pysym::dump {
namespace {

std::vector<Command> allCommands() {
  return {imagesCommand(), symbolsCommand(), interpreterCommand(), checkCommand(),
          coverageCommand()};
}

const OptionSpec JsonOption =
    OptionSpec::flag("--json", "print one JSON document (schema pysym-dump/1) instead of tables");
const OptionSpec HelpOption = OptionSpec::flag("--help", "describe this subcommand", "-h");

int status(ExitStatus S) { return static_cast<int>(S); }

// One line per message, however the message was built.
void printError(llvm::raw_ostream &Err, const llvm::Twine &Message) {
  std::string Line = Message.str();
  for (char &C : Line)
    if (C == '\n')
      C = ' ';
  Err << "pysym-dump: " << llvm::StringRef(Line).rtrim() << '\n';
}

void printUsage(llvm::raw_ostream &OS, llvm::ArrayRef<Command> Commands) {
  OS << "usage: pysym-dump <subcommand> [options]\n\n"
        "Shows what the dynamic loader and ELF files say about symbols, as pysym sees them.\n\n"
        "subcommands:\n";
  for (const Command &C : Commands)
    OS << "  " << llvm::left_justify(C.Name, 9) << ' ' << C.Summary << '\n';
  OS << "\n'pysym-dump <subcommand> --help' describes a subcommand's options;\n"
        "'pysym-dump --version' prints pysym's version.\n"
        "Exit status: 0 success, 1 check found missing symbols, 2 usage error or bad input.\n";
}

void printCommandUsage(llvm::raw_ostream &OS, const Command &C, const ArgumentSpec &Spec) {
  OS << "usage: pysym-dump " << C.Synopsis << "\n\n" << C.Summary << "\n\noptions:\n";
  for (const OptionSpec &Option : Spec.Options) {
    std::string Name = Option.Name.str();
    if (Option.takesValue())
      Name += " " + Option.ValueName.str();
    if (!Option.ShortName.empty())
      Name = Option.ShortName.str() + ", " + Name;
    OS << "  " << llvm::left_justify(Name, 18) << ' ' << Option.Help << '\n';
  }
}

int run(llvm::ArrayRef<std::string> Arguments) {
  llvm::raw_ostream &Err = llvm::errs();
  std::vector<Command> Commands = allCommands();
  if (Arguments.empty()) {
    printError(Err, "missing subcommand (see 'pysym-dump --help')");
    return status(ExitStatus::Failure);
  }
  llvm::StringRef Name = Arguments.front();
  if (Name == "--help" || Name == "-h" || Name == "help") {
    printUsage(llvm::outs(), Commands);
    return status(ExitStatus::Success);
  }
  if (Name == "--version") {
    llvm::outs() << "pysym-dump " << PYSYM_VERSION << '\n';
    return status(ExitStatus::Success);
  }
  const Command *Found = nullptr;
  for (const Command &C : Commands)
    if (C.Name == Name)
      Found = &C;
  if (Found == nullptr) {
    std::string Known;
    for (const Command &C : Commands)
      Known += (Known.empty() ? "" : ", ") + C.Name.str();
    if (llvm_compat::startsWith(Name, "-"))
      printError(Err, "option '" + Name + "' needs a subcommand before it (subcommands: " + Known +
                          ")");
    else
      printError(Err, "unknown subcommand '" + Name + "' (subcommands: " + Known + ")");
    return status(ExitStatus::Failure);
  }

  ArgumentSpec Spec = Found->Arguments;
  Spec.Options.push_back(JsonOption);
  Spec.Options.push_back(HelpOption);
  // --help wins over a missing FILE: ask first with no arguments required.
  ArgumentSpec AnyPositionals = Spec;
  AnyPositionals.Required.clear();
  AnyPositionals.Rest = "ARGUMENT...";
  auto Lenient = parseArguments(Arguments.drop_front(), AnyPositionals);
  if (Lenient && Lenient->has("--help")) {
    printCommandUsage(llvm::outs(), *Found, Spec);
    return status(ExitStatus::Success);
  }
  // Its error, if any, is the strict parse's too, which reports it below.
  llvm::consumeError(Lenient.takeError());

  auto Parsed = parseArguments(Arguments.drop_front(), Spec);
  if (!Parsed) {
    std::string Message = llvm::toString(Parsed.takeError());
    printError(Err, Name + ": " + Message + " (see 'pysym-dump " + Name + " --help')");
    return status(ExitStatus::Failure);
  }

  Output Out{llvm::outs(), colourWanted(STDOUT_FILENO), Parsed->has("--json")};
  auto Result = Found->Run(*Parsed, Out);
  if (!Result) {
    // Flush first, so a partial table comes before the reason it stopped.
    llvm::outs().flush();
    llvm::handleAllErrors(Result.takeError(),
                          [&](const llvm::ErrorInfoBase &E) { printError(Err, E.message()); });
    return status(ExitStatus::Failure);
  }
  return status(*Result);
}

// llvm::outs() calls report_fatal_error at exit when a write failed (a full
// disk, a closed pipe with SIGPIPE ignored); say so and fail instead.
int checkOutput(int Status) {
  llvm::raw_fd_ostream &Out = llvm::outs();
  Out.flush();
  if (!Out.has_error())
    return Status;
  std::string Reason = Out.error().message();
  Out.clear_error();
  printError(llvm::errs(), "cannot write to standard output: " + Reason);
  return status(ExitStatus::Failure);
}

}  // namespace
}  // namespace pysym::dump

int main(int argc, char **argv) {
  using namespace pysym::dump;
  // Under `bazel run`, the working directory is the runfiles tree; relative
  // paths on the command line mean the user's directory.
  if (const char *UserDirectory = std::getenv("BUILD_WORKING_DIRECTORY"))
    if (::chdir(UserDirectory) != 0)
      printError(llvm::errs(), std::string("cannot enter BUILD_WORKING_DIRECTORY ") + UserDirectory +
                                   "; relative paths are taken from the runfiles directory");
  try {
    std::vector<std::string> Arguments(argv + 1, argv + argc);
    return checkOutput(run(Arguments));
  } catch (const std::exception &E) {
    // Nothing below throws on bad input; this keeps a bug (or bad_alloc)
    // from ending in std::terminate.
    printError(llvm::errs(), std::string("internal error: ") + E.what());
    return status(ExitStatus::Failure);
  }
}
