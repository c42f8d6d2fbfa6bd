// PyPy: cpyext exports most of the C API from libpypy3.X-c.so with a prefix
// (PyPyLong_FromLong, _PyPy_NoneStruct), a few names without one, and fills
// its data objects in only when cpyext starts.
#include "pysym/resolver/profiles.h"
#include "pysym/support/text.h"

namespace pysym {
namespace {

class PyPyProfile final : public InterpreterProfile {
public:
  std::string_view name() const override { return "pypy"; }

  bool recognizes(const ExportProbe &Image) const override {
    return Image.defines("PyPy_GetVersion") && Image.defines("_PyPy_NoneStruct") &&
           Image.defines("PyPyLong_FromLong");
  }

  std::string_view versionFunction() const override { return "PyPy_GetVersion"; }

  PythonVersion versionFromPath(std::string_view Path) const override {
    return versionAfterMarker(Path, "pypy");
  }

  bool isDebugBuild(const ExportProbe &) const override { return false; }

  AbiFacts abiFacts(const ExportProbe &) const override {
    // PyPy's PyObject is {ob_refcnt, ob_pypy_link, ob_type} (pypy3.9/object.h).
    AbiFacts Facts;
    Facts.PointerSize = 8;
    Facts.SsizeTSize = 8;
    Facts.RefcntOffset = 0;
    Facts.TypeOffset = 16;
    Facts.ObjectSize = 24;
    return Facts;
  }

  void aliasesFor(std::string_view Name, PythonVersion,
                  std::vector<std::string> &Out) const override {
    // The renaming pypy_decl.h declares: PyX -> PyPyX and _PyX -> _PyPyX.
    if (startsWith(Name, "Py"))
      Out.push_back("PyPy" + std::string(Name.substr(2)));
    else if (startsWith(Name, "_Py"))
      Out.push_back("_PyPy" + std::string(Name.substr(3)));
  }

  void cpythonNamesFor(std::string_view Exported,
                       std::vector<std::string> &Out) const override {
    if (startsWith(Exported, "PyPy"))
      Out.push_back("Py" + std::string(Exported.substr(4)));
    else if (startsWith(Exported, "_PyPy"))
      Out.push_back("_Py" + std::string(Exported.substr(5)));
  }

  std::string_view apiReadinessObject() const override { return "_PyPy_NoneStruct"; }

  std::string_view apiReadinessAdvice() const override {
    return "PyPy's cpyext has not started, so its C-API objects are still zeroed "
           "storage: run `import cpyext` (or import any C extension) first";
  }

  bool callsWaitForApiData() const override { return true; }
};

}  // namespace

const InterpreterProfile &pypyProfile() {
  static const PyPyProfile Profile;
  return Profile;
}

}  // namespace pysym
