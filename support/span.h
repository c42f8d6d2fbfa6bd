// A read-only view of contiguous elements someone else owns: what the core
// returns where a std::vector would copy and C++17 has no std::span.
#ifndef PYSYM_SUPPORT_SPAN_H
#define PYSYM_SUPPORT_SPAN_H

#include <cstddef>
#include <vector>

namespace pysym {

/// `Size` elements from `Data`, valid while their owner keeps them. Empty by
/// default. Implicit from a vector or an array, so a function taking a Span
/// accepts either.
template <typename T> class Span {
public:
  using value_type = T;
  using iterator = const T *;

  constexpr Span() = default;
  constexpr Span(const T *Data, std::size_t Size) : Elements(Data), Count(Size) {}
  Span(const std::vector<T> &Vector) : Elements(Vector.data()), Count(Vector.size()) {}
  template <std::size_t N> constexpr Span(const T (&Array)[N]) : Elements(Array), Count(N) {}

  constexpr const T *data() const { return Elements; }
  constexpr std::size_t size() const { return Count; }
  constexpr bool empty() const { return Count == 0; }
  constexpr const T *begin() const { return Elements; }
  constexpr const T *end() const { return Elements + Count; }
  /// Only when not empty.
  constexpr const T &front() const { return Elements[0]; }
  constexpr const T &back() const { return Elements[Count - 1]; }
  /// Only for Index < size().
  constexpr const T &operator[](std::size_t Index) const { return Elements[Index]; }

  std::vector<T> toVector() const { return std::vector<T>(begin(), end()); }

private:
  const T *Elements = nullptr;
  std::size_t Count = 0;
};

}  // namespace pysym

#endif  // PYSYM_SUPPORT_SPAN_H
