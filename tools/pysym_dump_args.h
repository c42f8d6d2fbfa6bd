// Command-line parsing for pysym-dump's subcommands, without ever exiting.
//
// llvm::cl calls exit() on a bad argument; this parser returns a UsageError
// instead, so that main decides the exit status (2) and the message format.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_ARGS_H
#define PYSYM_TOOLS_PYSYM_DUMP_ARGS_H

#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pysym::dump {

/// One option a subcommand accepts.
struct OptionSpec {
  llvm::StringRef Name;        // "--load"
  llvm::StringRef ValueName;   // "LIB"; empty for a flag, which takes no value
  bool Repeatable = false;     // may be given more than once
  llvm::StringRef Help;        // one line for --help
  llvm::StringRef ShortName;   // "-h", or empty
  bool takesValue() const { return !ValueName.empty(); }

  static OptionSpec flag(llvm::StringRef Name, llvm::StringRef Help, llvm::StringRef ShortName = "") {
    return {Name, "", false, Help, ShortName};
  }
  static OptionSpec withValue(llvm::StringRef Name, llvm::StringRef ValueName, llvm::StringRef Help,
                              bool Repeatable = false) {
    return {Name, ValueName, Repeatable, Help, ""};
  }
};

/// The arguments a subcommand accepts: options, then positional arguments,
/// all of `Required` and, when `Rest` is not empty, any number more.
struct ArgumentSpec {
  std::vector<OptionSpec> Options;
  std::vector<llvm::StringRef> Required;  // e.g. {"FILE"}
  llvm::StringRef Rest;                   // e.g. "NAME..."; empty for none
};

/// A command line that matched its ArgumentSpec.
class ParsedArguments {
public:
  /// Whether `Option` (its long name) was given, as a flag or with a value.
  bool has(llvm::StringRef Option) const { return Given.count(Option) != 0; }
  /// Every value given for `Option`, in order; empty when it was not given.
  llvm::ArrayRef<std::string> values(llvm::StringRef Option) const;
  /// The value of a non-repeatable `Option`, or std::nullopt.
  std::optional<llvm::StringRef> value(llvm::StringRef Option) const;
  /// Positional arguments, in order: the required ones first.
  llvm::ArrayRef<std::string> positionals() const { return Positionals; }

private:
  friend llvm::Expected<ParsedArguments> parseArguments(llvm::ArrayRef<std::string>,
                                                        const ArgumentSpec &);
  llvm::StringMap<std::vector<std::string>> Given;  // a flag maps to no values
  std::vector<std::string> Positionals;
};

/// The user asked for something the command line cannot mean: an unknown
/// option, a missing value or argument, one too many. Distinct from bad
/// input (an unreadable file), which is a plain error; both exit with 2.
class UsageError : public llvm::ErrorInfo<UsageError> {
public:
  static char ID;
  explicit UsageError(std::string Message) : Message(std::move(Message)) {}
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string Message;
};

/// Matches `Arguments` (those after the subcommand's name) to `Spec`.
/// Accepts `--name value`, `--name=value`, a ShortName for a flag, and `--`
/// to end options (so a file named "-x" can be given). Fails with a
/// UsageError naming the offending argument for: an unknown option, a flag
/// given a value, an option missing its value, a non-repeatable option given
/// twice, a missing required argument, or an unexpected extra one.
/// Example: {"FILE", "--match", "real"} with Options {--match VALUE} and
/// Required {"FILE"} gives positionals() == {"FILE"}, value("--match") == "real".
llvm::Expected<ParsedArguments> parseArguments(llvm::ArrayRef<std::string> Arguments,
                                               const ArgumentSpec &Spec);

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_ARGS_H
