#include "jitlink/orc_compat_memory_llvm14.h"

#include <utility>
#include <vector>

#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/Orc/Shared/AllocationActions.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/Process.h"

#if LLVM_VERSION_MAJOR != 14
#error "jitlink/orc_compat_memory_llvm14.cc is for LLVM 14, whose InProcessMemoryManager leaks"
#endif

namespace pysym::orc_compat {

using llvm::sys::Memory;
using llvm::sys::MemoryBlock;

namespace {

// What a FinalizedAlloc's address points at.
struct FinalizedSlab {
  MemoryBlock Standard;
  std::vector<llvm::orc::shared::WrapperFunctionCall> DeallocActions;
};

llvm::Error release(MemoryBlock &Block) {
  if (auto EC = Memory::releaseMappedMemory(Block))
    return llvm::errorCodeToError(EC);
  return llvm::Error::success();
}

}  // namespace

class ReleasingMemoryManager::InFlight : public InFlightAlloc {
public:
  InFlight(std::uint64_t PageSize, llvm::jitlink::BasicLayout Layout, MemoryBlock Standard,
           MemoryBlock FinalizeOnly)
      : PageSize(PageSize), Layout(std::move(Layout)), Standard(Standard),
        FinalizeOnly(FinalizeOnly) {}

  void finalize(OnFinalizedFunction OnFinalized) override {
    for (auto &[Group, Segment] : Layout.segments()) {
      const std::uint64_t Size =
          llvm::alignTo(Segment.ContentSize + Segment.ZeroFillSize, PageSize);
      if (Size == 0)
        continue;
      const auto Protection = llvm::jitlink::toSysMemoryProtectionFlags(Group.getMemProt());
      MemoryBlock Block(Segment.WorkingMem, Size);
      if (auto EC = Memory::protectMappedMemory(Block, Protection))
        return OnFinalized(llvm::errorCodeToError(EC));
      if (Protection & Memory::MF_EXEC)
        Memory::InvalidateInstructionCache(Block.base(), Block.allocatedSize());
    }
    auto DeallocActions = llvm::orc::shared::runFinalizeActions(Layout.graphAllocActions());
    if (!DeallocActions)
      return OnFinalized(DeallocActions.takeError());
    if (auto Err = release(FinalizeOnly))
      return OnFinalized(std::move(Err));
    auto *Slab = new FinalizedSlab{Standard, std::move(*DeallocActions)};
    OnFinalized(FinalizedAlloc(llvm::orc::ExecutorAddr::fromPtr(Slab)));
  }

  void abandon(OnAbandonedFunction OnAbandoned) override {
    llvm::Error Err = release(Standard);
    OnAbandoned(llvm::joinErrors(std::move(Err), release(FinalizeOnly)));
  }

private:
  const std::uint64_t PageSize;
  llvm::jitlink::BasicLayout Layout;
  MemoryBlock Standard, FinalizeOnly;
};

llvm::Expected<std::unique_ptr<ReleasingMemoryManager>> ReleasingMemoryManager::create() {
  auto PageSize = llvm::sys::Process::getPageSize();
  if (!PageSize)
    return PageSize.takeError();
  return std::unique_ptr<ReleasingMemoryManager>(new ReleasingMemoryManager(*PageSize));
}

void ReleasingMemoryManager::allocate(const llvm::jitlink::JITLinkDylib *,
                                      llvm::jitlink::LinkGraph &G,
                                      OnAllocatedFunction OnAllocated) {
  llvm::jitlink::BasicLayout Layout(G);
  auto Sizes = Layout.getContiguousPageBasedLayoutSizes(PageSize);
  if (!Sizes)
    return OnAllocated(Sizes.takeError());
  std::error_code EC;
  MemoryBlock Slab =
      Memory::allocateMappedMemory(Sizes->total(), nullptr, Memory::MF_READ | Memory::MF_WRITE, EC);
  if (EC)
    return OnAllocated(llvm::errorCodeToError(EC));
  // Standard segments first, then the ones only needed until finalization.
  char *Base = static_cast<char *>(Slab.base());
  MemoryBlock Standard(Base, Sizes->StandardSegs);
  MemoryBlock FinalizeOnly(Base + Sizes->StandardSegs, Sizes->FinalizeSegs);
  char *NextStandard = Base;
  char *NextFinalizeOnly = Base + Sizes->StandardSegs;
  for (auto &[Group, Segment] : Layout.segments()) {
    char *&Next = Group.getMemDeallocPolicy() == llvm::jitlink::MemDeallocPolicy::Standard
                      ? NextStandard
                      : NextFinalizeOnly;
    Segment.WorkingMem = Next;
    Segment.Addr = llvm::orc::ExecutorAddr::fromPtr(Next);
    Next += llvm::alignTo(Segment.ContentSize + Segment.ZeroFillSize, PageSize);
  }
  if (auto Err = Layout.apply()) {
    Err = llvm::joinErrors(std::move(Err), release(Standard));
    return OnAllocated(llvm::joinErrors(std::move(Err), release(FinalizeOnly)));
  }
  OnAllocated(std::make_unique<InFlight>(PageSize, std::move(Layout), Standard, FinalizeOnly));
}

void ReleasingMemoryManager::deallocate(std::vector<FinalizedAlloc> Allocs,
                                        OnDeallocatedFunction OnDeallocated) {
  llvm::Error Err = llvm::Error::success();
  for (FinalizedAlloc &Alloc : Allocs) {
    std::unique_ptr<FinalizedSlab> Slab(Alloc.release().toPtr<FinalizedSlab *>());
    Err = llvm::joinErrors(std::move(Err),
                           llvm::orc::shared::runDeallocActions(Slab->DeallocActions));
    Err = llvm::joinErrors(std::move(Err), release(Slab->Standard));
  }
  OnDeallocated(std::move(Err));
}

}  // namespace pysym::orc_compat
