// A hash map from borrowed strings to small values, for tables built once and
// read many times (the symbol index's names point into mapped string tables).
#ifndef PYSYM_SUPPORT_BORROWED_STRING_MAP_H
#define PYSYM_SUPPORT_BORROWED_STRING_MAP_H

#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace pysym {

/// Maps string_view keys to values of `V` without copying the keys: the
/// bytes a key points to must outlive the map. Open addressing with linear
/// probing over a power-of-two array, at most half full; each slot keeps its
/// key's hash, which a probe compares before the bytes, so a lookup is one
/// hash of the name and, almost always, one memcmp. Not thread-safe to
/// modify; const lookups from many threads are safe.
///
/// Keys must be shorter than 4 GiB (tryEmplace refuses longer ones; find
/// never finds them).
template <typename V> class BorrowedStringMap {
public:
  /// Room for `Count` keys without rehashing.
  void reserve(std::size_t Count) {
    std::size_t Needed = capacityFor(Count);
    if (Needed > Slots.size())
      rehash(Needed);
  }

  /// Maps `Key` to `Value` unless `Key` is present. Returns the stored value
  /// and whether it was inserted; {nullptr, false} for a key of 4 GiB or more.
  std::pair<V *, bool> tryEmplace(std::string_view Key, V Value) {
    if (Key.size() >= std::numeric_limits<std::uint32_t>::max())
      return {nullptr, false};
    if (capacityFor(Count + 1) > Slots.size())
      rehash(capacityFor(Count + 1));
    const std::uint32_t Hash = hashOf(Key);
    Slot *S = &Slots[slotOf(Key, Hash)];
    if (S->Data)
      return {&S->Value, false};
    // An empty key may have no data pointer; any non-null one will do.
    S->Data = Key.data() ? Key.data() : "";
    S->Size = static_cast<std::uint32_t>(Key.size());
    S->Hash = Hash;
    S->Value = std::move(Value);
    ++Count;
    return {&S->Value, true};
  }

  /// The value for `Key`, or null when absent ("not found" is not an error).
  const V *find(std::string_view Key) const {
    if (Slots.empty() || Key.size() >= std::numeric_limits<std::uint32_t>::max())
      return nullptr;
    const Slot &S = Slots[slotOf(Key, hashOf(Key))];
    return S.Data ? &S.Value : nullptr;
  }

  std::size_t size() const { return Count; }

  /// Calls `Visit(std::string_view Key, V &Value)` for every entry, in no
  /// particular order.
  template <typename F> void forEach(F &&Visit) {
    for (Slot &S : Slots)
      if (S.Data)
        Visit(std::string_view(S.Data, S.Size), S.Value);
  }

private:
  struct Slot {
    const char *Data = nullptr;  // null: the slot is empty
    std::uint32_t Size = 0;
    std::uint32_t Hash = 0;
    V Value{};
  };

  static std::uint32_t hashOf(std::string_view Key) {
    const std::size_t Full = std::hash<std::string_view>{}(Key);
    // Mixes the high half in, since the low bits choose the slot.
    return static_cast<std::uint32_t>(Full ^ (Full >> 32));
  }

  // A power of two holding `Keys` at most half full.
  static std::size_t capacityFor(std::size_t Keys) {
    std::size_t Capacity = 16;
    while (Capacity < Keys * 2)
      Capacity *= 2;
    return Capacity;
  }

  // The slot holding `Key`, or the empty slot where it would go. The array
  // is never full, so the probe ends.
  std::size_t slotOf(std::string_view Key, std::uint32_t Hash) const {
    const std::size_t Mask = Slots.size() - 1;
    for (std::size_t I = Hash & Mask;; I = (I + 1) & Mask) {
      const Slot &S = Slots[I];
      if (!S.Data)
        return I;
      if (S.Hash == Hash && S.Size == Key.size() &&
          (Key.empty() || std::memcmp(S.Data, Key.data(), Key.size()) == 0))
        return I;
    }
  }

  void rehash(std::size_t Capacity) {
    std::vector<Slot> Old(Capacity);
    Old.swap(Slots);
    const std::size_t Mask = Slots.size() - 1;
    for (Slot &S : Old) {
      if (!S.Data)
        continue;
      std::size_t I = S.Hash & Mask;
      while (Slots[I].Data)
        I = (I + 1) & Mask;
      Slots[I] = std::move(S);
    }
  }

  std::vector<Slot> Slots;
  std::size_t Count = 0;
};

}  // namespace pysym

#endif  // PYSYM_SUPPORT_BORROWED_STRING_MAP_H
