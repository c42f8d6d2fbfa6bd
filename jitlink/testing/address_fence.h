// Test support: keeps new mappings away from an address range, so a test
// can guarantee that JIT memory lands far from interpreter data.
#ifndef PYSYM_JITLINK_TESTING_ADDRESS_FENCE_H
#define PYSYM_JITLINK_TESTING_ADDRESS_FENCE_H

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "llvm/Support/Error.h"

namespace pysym::testing {

/// Reserves every unmapped page within `Radius` bytes of [Low, High) as
/// PROT_NONE, MAP_NORESERVE (address space only, no memory), so that the
/// kernel places any mapping made while the fence stands at least `Radius`
/// away from the range. Embedded interpreters and mmap'd JIT memory both
/// sit in the shared-library area, usually well within 2 GiB of each other;
/// a fence of 2 GiB and more around the interpreter's data forces the
/// distance a small-code-model reference cannot span.
class AddressFence {
public:
  /// Fails when /proc/self/maps cannot be read or the reservations keep
  /// racing with other threads' mappings.
  static llvm::Expected<std::unique_ptr<AddressFence>> around(std::uint64_t Low,
                                                              std::uint64_t High,
                                                              std::uint64_t Radius);
  ~AddressFence();
  AddressFence(const AddressFence &) = delete;
  AddressFence &operator=(const AddressFence &) = delete;

  /// Bytes of address space reserved.
  std::uint64_t reservedBytes() const;

private:
  AddressFence() = default;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> Reserved;  // [start, end)
};

/// The mappings of this process, [start, end), in address order.
llvm::Expected<std::vector<std::pair<std::uint64_t, std::uint64_t>>> currentMappings();

}  // namespace pysym::testing

#endif  // PYSYM_JITLINK_TESTING_ADDRESS_FENCE_H
