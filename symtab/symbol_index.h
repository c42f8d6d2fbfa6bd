// An index from symbol name to every definition in a set of loaded images.
#ifndef PYSYM_SYMTAB_SYMBOL_INDEX_H
#define PYSYM_SYMTAB_SYMBOL_INDEX_H

#include <cstddef>
#include <memory>
#include <vector>

#include <string_view>

#include "pysym/support/error.h"
#include "pysym/support/span.h"
#include "pysym/symtab/loaded_images.h"

namespace pysym::symtab {

/// One definition found by the index, with the image that holds it.
struct IndexedSymbol {
  ImageSymbol Symbol;
  std::size_t ImageIndex = 0;  // into SymbolIndex::images()
};

/// Maps names to all their definitions across a fixed set of loaded images.
/// Built once; lookups are O(1) and safe from many threads, since the index
/// is immutable after `build`. When several images (or several versions in
/// one image) define a name, all definitions are kept, in image order.
class SymbolIndex {
public:
  /// Indexes the defined dynamic symbols of `Images`. Fails when an image's
  /// dynamic section is inconsistent, naming the image.
  static Expected<std::unique_ptr<SymbolIndex>> build(std::vector<LoadedImage> Images);

  /// Every definition of `Name`, in image order; empty when there is none
  /// ("not found" is not an error).
  Span<IndexedSymbol> lookup(std::string_view Name) const;

  /// Every definition, grouped by name (image order within a name; the
  /// groups in no particular order), for callers that enumerate the images'
  /// exports.
  Span<IndexedSymbol> definitions() const;

  const std::vector<LoadedImage> &images() const;

  ~SymbolIndex();

private:
  SymbolIndex();
  struct Impl;
  std::unique_ptr<Impl> State;
};

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_SYMBOL_INDEX_H
