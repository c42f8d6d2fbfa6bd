// The matrix's cases as matrix_check.py's Matrix.plan() lists them, for a C++ host that links them.
#ifndef PYSYM_TESTS_MATRIX_PLAN_H
#define PYSYM_TESTS_MATRIX_PLAN_H

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pysym::matrix {

/// `Name` is registered, before linking, at the address `Target` resolves to.
struct FunctionRegistration {
  std::string Name;
  std::string Target;
};

/// What a host needs to link one case; what to call it with and what to
/// expect stay in Python, with matrix_check.
struct PlannedCase {
  std::string Name;    // the manifest's [section]
  std::string Kernel;  // tests/kernels/<Kernel>.ll
  std::string Entry;   // the wrapper to call
  std::vector<FunctionRegistration> Functions;
  std::vector<std::string> Objects;      // registered from matrix_check's registered_object()
  std::vector<std::string> StatusNames;  // symbols whose resolution the case checks
};

/// Parses plan text: tab-separated records, one a line,
///   case <name> <kernel> <entry>
///   function <name> <target>     (belongs to the case above it)
///   object <name>
///   status <symbol>
/// Empty lines are ignored. Fails, naming the line, for an unknown record, a
/// wrong number of fields, a record before the first case, a repeated case,
/// or a field that is not a plain name ([A-Za-z_.$][A-Za-z0-9_.$]*): hosts
/// quote these names into Python source, so nothing else may pass.
/// Example: parsePlan("case\tobjects\tobjects\tbuild_objects\nstatus\tPyLong_FromLong\n")
/// gives one case with one status name.
llvm::Expected<std::vector<PlannedCase>> parsePlan(llvm::StringRef Text);

/// Whether \p Name is a plain name in the sense above.
bool isPlainName(llvm::StringRef Name);

}  // namespace pysym::matrix

#endif  // PYSYM_TESTS_MATRIX_PLAN_H
