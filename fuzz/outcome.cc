#include "fuzz/outcome.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include "llvm/Support/raw_ostream.h"

namespace pysym::fuzzing {

namespace {
std::atomic<Outcome> Last{Outcome::None};
}  // namespace

void recordOutcome(Outcome O) { Last.store(O); }

Outcome lastOutcome() { return Last.load(); }

const char *toString(Outcome O) {
  switch (O) {
  case Outcome::None: return "none";
  case Outcome::Rejected: return "rejected";
  case Outcome::Accepted: return "accepted";
  case Outcome::Linked: return "linked";
  }
  return "?";
}

void propertyFailed(const llvm::Twine &What) {
  // Escaped: names from fuzz inputs hold NULs and control bytes.
  llvm::errs() << "pysym fuzz property failed: ";
  llvm::errs().write_escaped(What.str()) << "\n";
  llvm::errs().flush();
  std::abort();
}

}  // namespace pysym::fuzzing
