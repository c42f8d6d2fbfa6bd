// Whether dlsym(RTLD_DEFAULT) can see a loaded image: the question an image
// loaded RTLD_LOCAL (an embedded libpypy) answers with "no".
#ifndef PYSYM_TOOLS_PYSYM_DUMP_VISIBILITY_H
#define PYSYM_TOOLS_PYSYM_DUMP_VISIBILITY_H

#include <string>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "pysym/symtab/loaded_images.h"
#include "pysym/symtab/symbol_index.h"

namespace pysym::dump {

enum class DefaultScope {
  Visible,    // dlsym(RTLD_DEFAULT) returned the image's own definition
  Invisible,  // it returned nothing for a name only this image defines
  Unknown,    // no name to ask about, or the answers pointed elsewhere
};

llvm::StringRef toString(DefaultScope Scope);

struct ScopeProbe {
  DefaultScope Scope = DefaultScope::Unknown;
  std::string Name;  // the function asked about (name or name@@V); empty when none
};

/// Asks dlsym(RTLD_DEFAULT) (dlvsym for a versioned name) about a few global
/// or weak functions and objects that `Image` defines, first those that
/// `Everything`, an index of every loaded image, says no other image defines,
/// so that interposition cannot confuse the answer. IFUNC and TLS symbols are
/// skipped, since dlsym does not return their table values, and so are
/// symbols at value 0, which glibc's lookup ignores. Visible at the first
/// name that comes back at the image's own address (a shared name counts
/// too: it proves the image is searched); Invisible when a name only this
/// image defines comes back null; Unknown when the image defines nothing to
/// ask about, or every answer pointed elsewhere (an executable's copy of an
/// object, or an earlier image's definition of a shared name).
/// `Symbols` are the image's definedDynamicSymbols.
ScopeProbe probeDefaultScope(const symtab::LoadedImage &Image,
                             llvm::ArrayRef<symtab::ImageSymbol> Symbols,
                             const symtab::SymbolIndex &Everything);

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_VISIBILITY_H
