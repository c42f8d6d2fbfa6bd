// Binds substitutes to the embedded interpreter for tests.
#include "pysym/resolver/substitutes/substitute_testing.h"

#include "gtest/gtest.h"

namespace pysym::substitutes::testing {

std::uint64_t lookupInEmbedded(const EmbeddedPython &Python, llvm::StringRef CPythonName) {
  if (Python.flavor() == Flavor::PyPy)
    if (void *Alias = Python.symbol(EmbeddedPython::pypyName(CPythonName)))
      return reinterpret_cast<std::uint64_t>(Alias);
  return reinterpret_cast<std::uint64_t>(Python.symbol(CPythonName));
}

llvm::Expected<std::unique_ptr<SubstituteSet>> bindToEmbedded(EmbeddedPython &Python) {
  if (!Python.cApiReady())
    if (llvm::Error E = Python.run("import cpyext"))
      return E;
  Options Opts;
  Opts.Interpreter = pysym::testing::toString(Python.flavor()).str();
  Opts.ApiDataReady = [&Python] { return Python.cApiReady(); };
  return SubstituteSet::bind(
      [&Python](llvm::StringRef Name) { return lookupInEmbedded(Python, Name); }, std::move(Opts));
}

Owned &Owned::operator=(Owned &&Other) noexcept {
  if (this != &Other) {
    reset();
    Python = Other.Python;
    Object = Other.Object;
    Other.Object = nullptr;
  }
  return *this;
}

void Owned::reset() {
  if (!Object)
    return;
  auto Gil = Python->holdGil();
  if (!Gil) {
    ADD_FAILURE() << "cannot release a reference: " << llvm::toString(Gil.takeError());
    return;
  }
  Python->api<void(PyObjectPtr)>("Py_DecRef")(Object);
  Object = nullptr;
}

Owned evaluate(EmbeddedPython &Python, llvm::StringRef Expression) {
  llvm::Expected<PyObjectPtr> Value = Python.evaluate(Expression);
  if (!Value) {
    ADD_FAILURE() << "evaluating `" << Expression.str() << "`: " << llvm::toString(Value.takeError());
    return Owned();
  }
  return Owned(Python, *Value);
}

int truth(EmbeddedPython &Python, llvm::StringRef Expression) {
  Owned Value = evaluate(Python, "bool(" + Expression.str() + ")");
  if (!Value)
    return -1;
  auto Gil = Python.holdGil();
  if (!Gil) {
    ADD_FAILURE() << llvm::toString(Gil.takeError());
    return -1;
  }
  return Python.api<int(PyObjectPtr)>("PyObject_IsTrue")(Value.get());
}

std::string strOf(EmbeddedPython &Python, PyObjectPtr Object) {
  auto Gil = Python.holdGil();
  if (!Gil) {
    ADD_FAILURE() << llvm::toString(Gil.takeError());
    return "";
  }
  PyObjectPtr Text = Python.api<PyObjectPtr(PyObjectPtr)>("PyObject_Str")(Object);
  if (!Text) {
    Python.api<void()>("PyErr_Clear")();
    ADD_FAILURE() << "str() raised";
    return "";
  }
  const char *Utf8 = Python.api<const char *(PyObjectPtr)>("PyUnicode_AsUTF8")(Text);
  std::string Out = Utf8 ? Utf8 : "";
  Python.api<void(PyObjectPtr)>("Py_DecRef")(Text);
  return Out;
}

bool dataCannotBeCreatedHere(Flavor F, const std::string &Name, const std::string &Explanation) {
  if (F == Flavor::CPython)
    return Name.rfind("PyContext", 0) == 0 && Explanation.find("_contextvars") != std::string::npos;
  return (Name == "PyExc_BaseExceptionGroup" || Name == "PyExc_EncodingWarning") &&
         Explanation.find("NameError") != std::string::npos;
}

RecipesBlocked::RecipesBlocked(EmbeddedPython &Python) : Python(Python) {
  if (llvm::Error E = Python.run("import sys as _pysym_sys\n"
                                 "_pysym_builtins = _pysym_sys.modules['builtins']\n"
                                 "_pysym_sys.modules['builtins'] = None\n"))
    ADD_FAILURE() << "cannot block recipes: " << llvm::toString(std::move(E));
}

RecipesBlocked::~RecipesBlocked() {
  if (llvm::Error E = Python.run("_pysym_sys.modules['builtins'] = _pysym_builtins\n"))
    ADD_FAILURE() << "cannot unblock recipes: " << llvm::toString(std::move(E));
}

}  // namespace pysym::substitutes::testing
