// JITLink memory for LLVM 14 that is given back when a module is removed.
// Part of orc_compat, built only against LLVM 14: LLVM 19's
// InProcessMemoryManager unmaps what it deallocates.
#ifndef PYSYM_JITLINK_ORC_COMPAT_MEMORY_LLVM14_H
#define PYSYM_JITLINK_ORC_COMPAT_MEMORY_LLVM14_H

#include <cstdint>
#include <memory>

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"
#include "llvm/Support/Error.h"

namespace pysym::orc_compat {

/// Like LLVM 14's jitlink::InProcessMemoryManager (one read-write slab per
/// graph, protections applied at finalization), except that deallocate()
/// unmaps the slab. 14's deallocate only releases slabs of allocations that
/// carry deallocation actions, and pysym's carry none, so with it removing
/// a module would leak its code and data.
class ReleasingMemoryManager : public llvm::jitlink::JITLinkMemoryManager {
public:
  /// Fails when the page size is unknown.
  static llvm::Expected<std::unique_ptr<ReleasingMemoryManager>> create();

  void allocate(const llvm::jitlink::JITLinkDylib *JD, llvm::jitlink::LinkGraph &G,
                OnAllocatedFunction OnAllocated) override;
  using JITLinkMemoryManager::allocate;
  void deallocate(std::vector<FinalizedAlloc> Allocs, OnDeallocatedFunction OnDeallocated) override;
  using JITLinkMemoryManager::deallocate;

private:
  class InFlight;
  explicit ReleasingMemoryManager(std::uint64_t PageSize) : PageSize(PageSize) {}
  const std::uint64_t PageSize;
};

}  // namespace pysym::orc_compat

#endif  // PYSYM_JITLINK_ORC_COMPAT_MEMORY_LLVM14_H
