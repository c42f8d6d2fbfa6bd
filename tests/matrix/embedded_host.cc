// embedded_host: one column of the regression matrix, from a C++ application that embeds
// CPython or PyPy with dlopen(RTLD_LOCAL) and links kernels with pysym's Engine and Resolver.
//
// Usage: embedded_host --flavor=cpython|pypy --library=PATH --column=LABEL
//                      --manifest=PATH --kernels=DIR --checker=DIR --results=PATH
// Writes one verdict per case and linker to --results (see matrix_check.py).
// Exit status: 0 when every case has a verdict, or when the library is absent
// (then --results holds one `skip` record naming it); 2 for a bad command
// line or an interpreter, resolver or checker that does not start, with a
// one-line message on stderr.
#include <sys/stat.h>

#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include "tests/matrix/host_session.h"

namespace {

constexpr const char *Usage =
    "usage: embedded_host --flavor=cpython|pypy --library=PATH --column=LABEL "
    "--manifest=PATH --kernels=DIR --checker=DIR --results=PATH\n";
constexpr const char *Options[] = {"flavor",  "library", "column", "manifest",
                                   "kernels", "checker", "results"};

int fail(const std::string &Message) {
  std::string Line = Message;
  for (char &C : Line)
    if (C == '\n')
      C = ' ';
  std::fprintf(stderr, "embedded_host: %s\n", Line.c_str());
  return 2;
}

// --name=value arguments; every option in Options is required, once.
bool parseArguments(int Argc, char **Argv, std::map<std::string, std::string> &Values,
                    std::string &Problem) {
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Argument = Argv[I];
    auto [Name, Value] = Argument.split('=');
    if (!Name.consume_front("--") || Value.empty() || Argument.find('=') == llvm::StringRef::npos) {
      Problem = "expected --name=value, got '" + Argument.str() + "'";
      return false;
    }
    if (llvm::find(Options, Name) == std::end(Options)) {
      Problem = "unknown option --" + Name.str();
      return false;
    }
    if (!Values.emplace(Name.str(), Value.str()).second) {
      Problem = "--" + Name.str() + " given twice";
      return false;
    }
  }
  for (llvm::StringRef Name : Options)
    if (!Values.count(Name.str())) {
      Problem = "missing --" + Name.str();
      return false;
    }
  return true;
}

// Records that this column was skipped, naming what is absent.
int skip(const std::string &Results, const std::string &Column, const std::string &Reason) {
  std::error_code Error;
  llvm::raw_fd_ostream Out(Results, Error);
  if (Error)
    return fail("cannot write " + Results + ": " + Error.message());
  Out << "column\t" << Column << "\t(not started)\nskip\t" << Reason << "\n";
  std::printf("SKIPPED: %s\n", Reason.c_str());
  return 0;
}

int run(int Argc, char **Argv) {
  std::map<std::string, std::string> Values;
  std::string Problem;
  if (!parseArguments(Argc, Argv, Values, Problem))
    return fail(Problem + "\n" + Usage);
  std::optional<pysym::testing::Flavor> Flavor = pysym::testing::parseFlavor(Values["flavor"]);
  if (!Flavor)
    return fail("--flavor must be cpython or pypy, got '" + Values["flavor"] + "'");
  const std::string &Library = Values["library"];
  struct stat Info;
  if (stat(Library.c_str(), &Info) != 0)
    return skip(Values["results"], Values["column"],
                Values["column"] + ": " + Library + " is absent on this machine");

  pysym::matrix::HostPaths Paths{Values["column"], Values["manifest"], Values["kernels"],
                                 Values["checker"], Values["results"]};
  auto Session = pysym::matrix::HostSession::start(*Flavor, Library, Paths);
  if (!Session)
    return fail(llvm::toString(Session.takeError()));
  if (auto E = (*Session)->runAll())
    return fail(llvm::toString(std::move(E)));
  return 0;
}

}  // namespace

int main(int Argc, char **Argv) {
  try {
    return run(Argc, Argv);
  } catch (const std::exception &E) {
    return fail(std::string("unexpected exception: ") + E.what());
  } catch (...) {
    return fail("unexpected exception");
  }
}
