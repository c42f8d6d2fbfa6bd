// PyPy: cpyext exports most of the C API from libpypy3.X-c.so with a prefix
// (PyPyLong_FromLong, _PyPy_NoneStruct), a few names without one, and fills
// its data objects in only when cpyext starts.
#include "resolver/profiles.h"
#include "third_party/llvm/compat.h"

namespace pysym {
namespace {

class PyPyProfile final : public InterpreterProfile {
public:
  llvm::StringRef name() const override { return "pypy"; }

  bool recognizes(const ExportProbe &Image) const override {
    return Image.defines("PyPy_GetVersion") && Image.defines("_PyPy_NoneStruct") &&
           Image.defines("PyPyLong_FromLong");
  }

  llvm::StringRef versionFunction() const override { return "PyPy_GetVersion"; }

  PythonVersion versionFromPath(llvm::StringRef Path) const override {
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

  void aliasesFor(llvm::StringRef Name, PythonVersion,
                  llvm::SmallVectorImpl<std::string> &Out) const override {
    // The renaming pypy_decl.h declares: PyX -> PyPyX and _PyX -> _PyPyX.
    if (llvm_compat::startsWith(Name, "Py"))
      Out.push_back("PyPy" + Name.drop_front(2).str());
    else if (llvm_compat::startsWith(Name, "_Py"))
      Out.push_back("_PyPy" + Name.drop_front(3).str());
  }

  void cpythonNamesFor(llvm::StringRef Exported,
                       llvm::SmallVectorImpl<std::string> &Out) const override {
    if (llvm_compat::startsWith(Exported, "PyPy"))
      Out.push_back("Py" + Exported.drop_front(4).str());
    else if (llvm_compat::startsWith(Exported, "_PyPy"))
      Out.push_back("_Py" + Exported.drop_front(5).str());
  }

  llvm::StringRef apiReadinessObject() const override { return "_PyPy_NoneStruct"; }

  llvm::StringRef apiReadinessAdvice() const override {
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
