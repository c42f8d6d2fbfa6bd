// Fuzz target: pysym::Engine::addObject on arbitrary bytes, then lookups
// (compiling and linking) of what an accepted module defines, then its
// removal, with both linkers. The properties are in fuzz/engine_fuzzing.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/engine_fuzzing.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  pysym::fuzzing::startEngines();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size) {
  pysym::fuzzing::addLinkAndRemove(pysym::fuzzing::EngineInput::Object, {Data, Size});
  return 0;
}
