// How many rounds a test that races threads on purpose should run.
//
// A thread test proves something by its interleavings, not by its count: a
// few hundred rounds in which every thread overlaps the others find what a
// few thousand do. Under a sanitizer each round costs 5 to 100 times more
// (ThreadSanitizer serialises every intercepted call), so a count chosen for
// the plain build would make the sanitizer run minutes long and time out on
// a loaded two-core machine, testing the clock instead of the code.
#ifndef PYSYM_TESTS_STRESS_H
#define PYSYM_TESTS_STRESS_H

namespace pysym {
namespace testing {

/// True when this translation unit is built with ASan or TSan (gcc defines
/// __SANITIZE_*__; clang answers __has_feature).
constexpr bool underSanitizer() {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

/// `Plain` rounds in a plain build, a tenth of them (at least one) under a
/// sanitizer.
/// Example: for (int I = 0; I < stressRounds(2000); ++I) ...
constexpr int stressRounds(int Plain) {
  return underSanitizer() ? (Plain / 10 > 0 ? Plain / 10 : 1) : Plain;
}

}  // namespace testing
}  // namespace pysym

#endif  // PYSYM_TESTS_STRESS_H
