// Running the real pysym-dump binary from a test, and reading what it prints.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_TESTING_H
#define PYSYM_TOOLS_PYSYM_DUMP_TESTING_H

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

namespace pysym::dump::testing {

/// The binary under test, from $PYSYM_DUMP (a data dependency's rootpath),
/// made absolute; "" when unset.
std::string dumpBinary();

/// A new empty file in $TEST_TMPDIR (or /tmp) whose name ends in `Suffix`.
std::string temporaryFile(llvm::StringRef Suffix);

/// A new directory in $TEST_TMPDIR (or /tmp).
std::string temporaryDirectory();

/// Writes `Contents` to `Path`; a failure fails the test.
void writeFile(const std::string &Path, llvm::StringRef Contents);

/// The file's contents, or "" when it cannot be read.
std::string readFile(const std::string &Path);

struct Outcome {
  int Status = -1;  // the exit status; negative when the program crashed or hung
  std::string Out, Err;
};

/// Runs `Program` with `Arguments`, stdin from /dev/null, and waits at most
/// two minutes. `Environment`, when not empty, replaces the environment
/// ("NAME=value" entries). A crash or hang fails the test.
Outcome runProgram(const std::string &Program, const std::vector<std::string> &Arguments,
                   const std::vector<std::string> &Environment = {});

/// runProgram(dumpBinary(), Arguments, Environment).
Outcome dump(const std::vector<std::string> &Arguments,
             const std::vector<std::string> &Environment = {});

/// The non-empty lines of `Text`.
std::vector<llvm::StringRef> lines(llvm::StringRef Text);

/// The first line that has every one of `Words` as a whitespace-separated
/// field, or "".
std::string lineWith(llvm::StringRef Text, const std::vector<std::string> &Words);

/// `Text` parsed as one JSON object; a parse failure fails the test and
/// gives an empty object.
llvm::json::Object parseJson(const std::string &Text);

/// Whether `Path` exists.
bool exists(const std::string &Path);

/// pyenv's CPython executables, $(pyenv root)/versions/X.Y.Z/bin/pythonX.Y,
/// sorted; empty without pyenv.
std::vector<std::string> pyenvPythons();

}  // namespace pysym::dump::testing

#endif  // PYSYM_TOOLS_PYSYM_DUMP_TESTING_H
