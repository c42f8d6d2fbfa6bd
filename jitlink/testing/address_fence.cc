#include "pysym/jitlink/testing/address_fence.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace pysym::testing {

namespace {

// Where user mappings may go on x86-64 Linux (above vm.mmap_min_addr's
// usual 64 KiB, below the 47-bit user limit).
constexpr std::uint64_t LowestUserAddress = 0x10000;
constexpr std::uint64_t HighestUserAddress = 0x7ffffffff000;

llvm::Error failure(const std::string &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "address fence: %s", Why.c_str());
}

}  // namespace

llvm::Expected<std::vector<std::pair<std::uint64_t, std::uint64_t>>> currentMappings() {
  std::ifstream Maps("/proc/self/maps");
  if (!Maps)
    return failure("cannot read /proc/self/maps");
  std::vector<std::pair<std::uint64_t, std::uint64_t>> Ranges;
  std::string Line;
  while (std::getline(Maps, Line)) {
    std::istringstream Fields(Line);
    std::string Range;
    Fields >> Range;
    const std::size_t Dash = Range.find('-');
    if (Dash == std::string::npos)
      return failure("unexpected line in /proc/self/maps: " + Line);
    Ranges.emplace_back(std::stoull(Range.substr(0, Dash), nullptr, 16),
                        std::stoull(Range.substr(Dash + 1), nullptr, 16));
  }
  std::sort(Ranges.begin(), Ranges.end());
  return Ranges;
}

llvm::Expected<std::unique_ptr<AddressFence>> AddressFence::around(std::uint64_t Low,
                                                                   std::uint64_t High,
                                                                   std::uint64_t Radius) {
  std::unique_ptr<AddressFence> Fence(new AddressFence());
  // mmap wants page-aligned bounds; 64 KiB covers any x86-64 page size.
  constexpr std::uint64_t Align = 0x10000;
  const std::uint64_t From =
      (Low > LowestUserAddress + Radius ? Low - Radius : LowestUserAddress) & ~(Align - 1);
  const std::uint64_t To =
      High < HighestUserAddress - Radius - Align ? (High + Radius + Align - 1) & ~(Align - 1)
                                                 : HighestUserAddress;
  // Other threads may map into a gap between reading the maps and
  // reserving it; MAP_FIXED_NOREPLACE then refuses, and the next round
  // sees the new mapping.
  for (int Round = 0; Round < 8; ++Round) {
    auto Mappings = currentMappings();
    if (!Mappings)
      return Mappings.takeError();
    bool Raced = false;
    int Failed = 0;
    std::uint64_t Cursor = From;
    auto ReserveUpTo = [&](std::uint64_t End) {
      if (End <= Cursor)
        return;
      void *Want = reinterpret_cast<void *>(Cursor);
      void *Got = ::mmap(Want, End - Cursor, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
      if (Got == Want) {
        Fence->Reserved.emplace_back(Cursor, End);
      } else if (Got != MAP_FAILED) {  // an old kernel took the flag as a hint
        ::munmap(Got, End - Cursor);
        Raced = true;
      } else if (errno == EEXIST) {
        Raced = true;
      } else if (errno != ENOMEM) {
        Failed = errno;
      }
      // ENOMEM (the stack's guard gap, say) marks a range the kernel will
      // not hand to anyone else either.
    };
    for (const auto &[Start, End] : *Mappings) {
      if (End <= Cursor)
        continue;
      if (Start >= To)
        break;
      ReserveUpTo(std::min(Start, To));
      Cursor = std::max(Cursor, End);
    }
    ReserveUpTo(To);
    if (Failed)
      return failure(std::string("mmap refused a reservation: ") + std::strerror(Failed));
    if (!Raced)
      return Fence;
  }
  return failure("reservations kept racing with other mappings");
}

AddressFence::~AddressFence() {
  for (const auto &[Start, End] : Reserved)
    ::munmap(reinterpret_cast<void *>(Start), End - Start);
}

std::uint64_t AddressFence::reservedBytes() const {
  std::uint64_t Total = 0;
  for (const auto &[Start, End] : Reserved)
    Total += End - Start;
  return Total;
}

}  // namespace pysym::testing
