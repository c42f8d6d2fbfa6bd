// What a pysym-dump subcommand is: its name, its arguments and how it runs.
//
// main dispatches on the name, parses the arguments against the command's
// ArgumentSpec (adding the options every command shares, --json and --help)
// and turns a returned error into "pysym-dump: <message>" and exit status 2.
// A new subcommand is one more pysym_dump_<name>.{h,cc} and one more entry
// in main's list.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_COMMAND_H
#define PYSYM_TOOLS_PYSYM_DUMP_COMMAND_H

#include <functional>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "tools/pysym_dump_args.h"

namespace pysym::dump {

/// The value of every JSON document's "schema" field. Bumped when a field
/// changes meaning or goes away; adding a field does not bump it.
inline constexpr llvm::StringLiteral JsonSchema = "pysym-dump/1";

/// pysym-dump's exit statuses. An error returned by a command means Failure.
enum class ExitStatus : int {
  Success = 0,
  MissingSymbols = 1,  // `check` only: it ran, and names are missing
  Failure = 2,         // usage error or bad input, with a message on stderr
};

/// Where a command writes, and how.
struct Output {
  llvm::raw_ostream &Out;
  bool Colour = false;  // stdout is a terminal and NO_COLOR is not set
  bool Json = false;    // --json: one JSON document instead of tables
};

struct Command {
  llvm::StringRef Name;      // "symbols"
  llvm::StringRef Summary;   // one line, for the list of subcommands
  llvm::StringRef Synopsis;  // "symbols FILE [--static] ...", after "usage: pysym-dump "
  ArgumentSpec Arguments;    // the command's own; --json and --help are added
  /// Runs the command. Writes only to Output; an error (bad input) must name
  /// what was wrong and is printed by main as one line.
  std::function<llvm::Expected<ExitStatus>(const ParsedArguments &, const Output &)> Run;
};

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_COMMAND_H
