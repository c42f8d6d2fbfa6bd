#include "fuzz/outcome.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

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
  std::string Text = What.str();
  std::fprintf(stderr, "pysym fuzz property failed: %s\n", Text.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace pysym::fuzzing
