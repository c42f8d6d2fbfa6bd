// The error a JIT link returns when names resolve nowhere, with the
// resolver's explanation of each.
#ifndef PYSYM_JITLINK_MISSING_SYMBOLS_ERROR_H
#define PYSYM_JITLINK_MISSING_SYMBOLS_ERROR_H

#include <string>
#include <system_error>
#include <vector>

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "pysym/resolver/resolution.h"

namespace pysym {

/// A module could not be linked because the names in `missing()` resolved
/// neither inside the JIT nor through the resolver. Each Resolution says what
/// was tried. Example message:
///
///   cannot link module 'kernel': 1 symbol not found
///     PyFoo_Bar (missing); <each attempt, as the resolver describes it>
class MissingSymbolsError : public llvm::ErrorInfo<MissingSymbolsError> {
public:
  static char ID;

  /// \p Missing must not be empty; it is reported in the order given.
  MissingSymbolsError(std::string Module, std::vector<Resolution> Missing);

  /// The module (as named when it was added) whose link failed.
  const std::string &module() const { return Module; }
  const std::vector<Resolution> &missing() const { return Missing; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string Module;
  std::vector<Resolution> Missing;
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_MISSING_SYMBOLS_ERROR_H
