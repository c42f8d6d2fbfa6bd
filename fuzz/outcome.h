// How far the last fuzz input got, and the check that stops a fuzz target
// when one of its properties fails.
#ifndef PYSYM_FUZZ_OUTCOME_H
#define PYSYM_FUZZ_OUTCOME_H

#include "llvm/ADT/Twine.h"

namespace pysym::fuzzing {

/// What one input did. A fuzz target records it so that its replay test can
/// tell an input that reached the deep path from one refused at the door:
/// without that, a target broken into rejecting everything would still
/// "pass" every input.
enum class Outcome {
  None,      // nothing recorded yet
  Rejected,  // the reader or engine returned an error, as bad input should
  Accepted,  // read, parsed or added
  Linked,    // added, and at least one defined symbol looked up (compiled
             // and linked)
};

void recordOutcome(Outcome O);
Outcome lastOutcome();
const char *toString(Outcome O);

/// Prints "pysym fuzz property failed: <What>" on stderr and aborts, which
/// libFuzzer reports as a crash with the input that caused it, and which
/// fails a replay test.
[[noreturn]] void propertyFailed(const llvm::Twine &What);

}  // namespace pysym::fuzzing

/// Aborts through propertyFailed when \p Condition is false. Properties are
/// the contracts in the headers of the code under test (an error names its
/// input, an answer is consistent with itself), checked on every input.
#define PYSYM_FUZZ_CHECK(Condition, What)                                                          \
  do {                                                                                             \
    if (!(Condition))                                                                              \
      ::pysym::fuzzing::propertyFailed(What);                                                      \
  } while (false)

#endif  // PYSYM_FUZZ_OUTCOME_H
