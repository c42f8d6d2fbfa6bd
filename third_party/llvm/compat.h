// LLVM ADT spellings for code that builds against both LLVM 14 and LLVM 19.
//
// LLVM 19 has StringRef::starts_with/ends_with and std::optional where
// LLVM 14 has only startswith/endswith and llvm::Optional (with getValueOr),
// so no member spelling compiles on both. These helpers do; the ORC and
// IR-reading differences live in jitlink/orc_compat.h.
#ifndef PYSYM_THIRD_PARTY_LLVM_COMPAT_H
#define PYSYM_THIRD_PARTY_LLVM_COMPAT_H

#include <optional>
#include <utility>

#include "llvm/ADT/StringRef.h"

#if __has_include("llvm/ADT/Optional.h")
#include "llvm/ADT/Optional.h"
#endif

namespace pysym::llvm_compat {

/// The optional type LLVM's own APIs take and return (json::Object's
/// getters, sys::ExecuteAndWait's redirects): llvm::Optional on LLVM 14,
/// std::optional once llvm::Optional became it.
#if __has_include("llvm/ADT/Optional.h")
template <typename T> using Optional = llvm::Optional<T>;
#else
template <typename T> using Optional = std::optional<T>;
#endif

inline bool startsWith(llvm::StringRef Text, llvm::StringRef Prefix) {
  return Text.take_front(Prefix.size()) == Prefix;
}

inline bool endsWith(llvm::StringRef Text, llvm::StringRef Suffix) {
  return Text.take_back(Suffix.size()) == Suffix;
}

/// *\p Value, or \p Default when it holds nothing.
template <typename T, typename U> T valueOr(const Optional<T> &Value, U &&Default) {
  return Value ? *Value : T(std::forward<U>(Default));
}

}  // namespace pysym::llvm_compat

#endif  // PYSYM_THIRD_PARTY_LLVM_COMPAT_H
