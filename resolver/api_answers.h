// The resolver's cache of what the interpreter's Python API resolves to.
#ifndef PYSYM_RESOLVER_API_ANSWERS_H
#define PYSYM_RESOLVER_API_ANSWERS_H

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/resolver/interpreter_image.h"
#include "pysym/resolver/resolution.h"
#include "pysym/support/borrowed_string_map.h"

namespace pysym {

/// The Python API names that resolve in one interpreter image, and the
/// answer findInOrder gives for each, each computed once. Neither can change
/// while the image is loaded. Thread-safe; `Image` must outlive this object.
class ApiAnswers {
public:
  explicit ApiAnswers(const InterpreterImage &Image) : Image(Image) {}

  /// The Python API names (Py*, _Py*) that resolve without a registration,
  /// sorted and unique: each name the image exports that new code binds to,
  /// each CPython name the profile aliases to one of those (PyPy:
  /// PyLong_FromLong for PyPyLong_FromLong), and each substitute the image
  /// offers. Names only: data may still be refused until the interpreter is
  /// ready, and a data substitute may fail when first created. Listed on
  /// first use.
  const std::vector<std::string> &names() const;

  /// The answer findInOrder would give for `Name`, in one hash probe, or
  /// nullopt when `Name` needs the full walk: before the interpreter's data
  /// is ready, for names that are not Python API (the system step), and for
  /// data substitutes (created on first request, with the GIL). Every other
  /// Python API name that resolves is in the table, built once from names()
  /// when the data first is ready, so a name absent from it is a definite
  /// miss.
  std::optional<FoundSymbol> precomputed(std::string_view Name) const;

private:
  void buildTable() const;

  const InterpreterImage &Image;
  mutable std::once_flag NamesListed;
  mutable std::vector<std::string> Names;  // written once, under NamesListed
  mutable std::once_flag TableBuilt;
  mutable std::atomic<bool> TableReady{false};
  // Keys borrow Names' strings and the catalogue's names, which outlive both.
  mutable BorrowedStringMap<FoundSymbol> Table;  // written once, under TableBuilt
  mutable BorrowedStringMap<bool> LazyData;      // data substitutes: always the full walk
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_API_ANSWERS_H
