// What a linker asks pysym's resolver, as an interface: code built into
// another shared object (the Python engine extension, which links LLVM and
// not the resolver) asks the process's one resolver through it, so that the
// resolver's code and process-wide state (registrations, data substitutes)
// exist once, in the object that made the resolver.
#ifndef PYSYM_RESOLVER_NAME_SOURCE_H
#define PYSYM_RESOLVER_NAME_SOURCE_H

#include <cstdint>
#include <string_view>

#include "pysym/resolver/resolution.h"

namespace pysym {

/// Where a C-API name is, for a linker. Implemented by Resolver
/// (resolver.h), whose header describes the answers. Implementations are
/// safe to call from many threads at once.
class NameSource {
public:
  /// Where `Name` is, or Missing, without the explanation: for hot paths
  /// such as a JIT's definition generator. Never fails.
  virtual FoundSymbol find(std::string_view Name) const = 0;

  /// find's first step alone: where a registration (Resolver::addSymbol)
  /// puts `Name`, or Missing when none does. Cheap when nothing is
  /// registered. Never fails.
  virtual FoundSymbol findRegistered(std::string_view Name) const = 0;

  /// find without its first step: what `Name` is whatever is registered,
  /// never status Registered. A found answer stays valid and the same
  /// while the images it names stay loaded (a Missing one may become
  /// found, e.g. PyPy data once cpyext starts). Never fails.
  virtual FoundSymbol findUnregistered(std::string_view Name) const = 0;

  /// As find, with what was tried and why: a miss is a Resolution with
  /// status Missing. Never fails.
  virtual Resolution resolve(std::string_view Name) const = 0;

protected:
  NameSource() = default;
  NameSource(const NameSource &) = delete;
  NameSource &operator=(const NameSource &) = delete;
  ~NameSource() = default;  // owners destroy the implementation, never this
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_NAME_SOURCE_H
