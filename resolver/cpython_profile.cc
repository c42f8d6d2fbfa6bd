// CPython: exports the C API under its own names, from the executable
// (static builds) or from libpythonX.Y.so (shared builds).
#include "pysym/resolver/profiles.h"

namespace pysym {
namespace {

// Checked against pyenv's 3.11.7, 3.12.1 and 3.13.0 exports (resolver tests
// assert each entry). Only true renames: the same function under a new name.
const CPythonRename Renames[] = {
    {"PyCode_New", "PyUnstable_Code_New", {3, 12}},
    {"PyCode_NewWithPosOnlyArgs", "PyUnstable_Code_NewWithPosOnlyArgs", {3, 12}},
    {"_PyCode_GetExtra", "PyUnstable_Code_GetExtra", {3, 12}},
    {"_PyCode_SetExtra", "PyUnstable_Code_SetExtra", {3, 12}},
    {"_PyEval_RequestCodeExtraIndex", "PyUnstable_Eval_RequestCodeExtraIndex", {3, 12}},
    {"_PyLong_AsInt", "PyLong_AsInt", {3, 13}},
    {"_Py_IsFinalizing", "Py_IsFinalizing", {3, 13}},
    {"_PyThreadState_UncheckedGet", "PyThreadState_GetUnchecked", {3, 13}},
    {"_PyObject_VisitManagedDict", "PyObject_VisitManagedDict", {3, 13}},
};

class CPythonProfile final : public InterpreterProfile {
public:
  std::string_view name() const override { return "cpython"; }

  bool recognizes(const ExportProbe &Image) const override {
    // An extension module may export an API name or two; only the interpreter
    // exports its version function, the None object and the GIL entry points.
    return Image.defines("Py_GetVersion") && Image.defines("_Py_NoneStruct") &&
           Image.defines("PyLong_FromLong") && Image.defines("PyEval_SaveThread");
  }

  std::string_view versionFunction() const override { return "Py_GetVersion"; }

  PythonVersion versionFromPath(std::string_view Path) const override {
    return versionAfterMarker(Path, "python");
  }

  bool isDebugBuild(const ExportProbe &Image) const override {
    // Py_DEBUG implies Py_REF_DEBUG, whose negative-refcount hook every
    // version from 3.6 to 3.13 exports.
    return Image.defines("_Py_NegativeRefcount");
  }

  AbiFacts abiFacts(const ExportProbe &Image) const override {
    AbiFacts Facts;
    Facts.PointerSize = 8;
    Facts.SsizeTSize = 8;
    // Py_TRACE_REFS prepends _ob_next/_ob_prev to every object.
    std::size_t TraceRefs = Image.defines("_Py_ForgetReference") ? 16 : 0;
    Facts.RefcntOffset = TraceRefs;
    Facts.TypeOffset = TraceRefs + 8;
    Facts.ObjectSize = TraceRefs + 16;
    return Facts;
  }

  void aliasesFor(std::string_view Name, PythonVersion Version,
                  std::vector<std::string> &Out) const override {
    for (const CPythonRename &R : Renames) {
      bool Newer = !Version.known() || Version.atLeast(R.Since.Major, R.Since.Minor);
      bool Older = !Version.known() || !Version.atLeast(R.Since.Major, R.Since.Minor);
      if (Name == R.OldName && Newer)
        Out.push_back(R.NewName);
      else if (Name == R.NewName && Older)
        Out.push_back(R.OldName);
    }
  }

  void cpythonNamesFor(std::string_view Exported,
                       std::vector<std::string> &Out) const override {
    // A rename reaches either side from the other, depending on the version.
    for (const CPythonRename &R : Renames) {
      if (Exported == R.NewName)
        Out.push_back(R.OldName);
      else if (Exported == R.OldName)
        Out.push_back(R.NewName);
    }
  }
};

}  // namespace

const InterpreterProfile &cpythonProfile() {
  static const CPythonProfile Profile;
  return Profile;
}

Span<CPythonRename> cpythonRenames() { return Renames; }

}  // namespace pysym
