#include "python/src/exposure_function.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pysym/resolver/exposure.h"
#include "python/src/boundary.h"
#include "python/src/core_boundary.h"
#include "python/src/state.h"

namespace pysym::python {
namespace {

PyObject *newText(std::string_view Text) {
  return PyUnicode_DecodeUTF8(Text.data(), static_cast<Py_ssize_t>(Text.size()), "replace");
}

// Sets Dict[Key] = Value, consuming the new reference Value.
bool setItem(PyObject *Dict, const char *Key, PyObject *Value) {
  OwnedRef Owned(Value);
  return Owned && PyDict_SetItemString(Dict, Key, Owned.get()) == 0;
}

// The names of an iterable of str, every one checked, into `Names`; false
// with TypeError or ValueError set (or whatever the iteration raised).
bool namesArgument(PyObject *Object, std::vector<std::string> &Names) {
  if (PyUnicode_Check(Object) || PyBytes_Check(Object) || PyByteArray_Check(Object)) {
    PyErr_Format(PyExc_TypeError,
                 "names must be None or an iterable of str, not one %s: expose([name])",
                 Py_TYPE(Object)->tp_name);
    return false;
  }
  OwnedRef Iterator(PyObject_GetIter(Object));
  if (!Iterator) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "names must be None or an iterable of str, not %s",
                   Py_TYPE(Object)->tp_name);
    }
    return false;
  }
  while (OwnedRef Item{PyIter_Next(Iterator.get())}) {
    std::string Name;
    if (!utf8Argument(Item.get(), "each name", Name))
      return false;
    // The C++ API refuses these too (ExposeFailed InvalidName); checking
    // here names the argument, and nothing is exposed either way.
    if (Name.empty()) {
      PyErr_SetString(PyExc_ValueError, "a name must not be empty");
      return false;
    }
    if (Name.find('\0') != std::string::npos) {
      PyErr_Format(PyExc_ValueError, "a name must not contain a NUL byte: %R", Item.get());
      return false;
    }
    Names.push_back(std::move(Name));
  }
  return !PyErr_Occurred();
}

std::string_view skipKey(ExposeSkip Why) {
  switch (Why) {
  case ExposeSkip::AlreadyDefined: return "already_defined";
  case ExposeSkip::NotReady: return "not_ready";
  case ExposeSkip::NotPythonApi: return "not_python_api";
  case ExposeSkip::Missing: return "missing";
  }
  return "missing";
}

// Codes in `statuses`: a ResolutionStatus for an exposed name, this plus an
// ExposeSkip for a skipped one.
constexpr int SkipCodeBase = static_cast<int>(ResolutionStatus::Missing) + 1;
constexpr int CodeCount = SkipCodeBase + static_cast<int>(ExposeSkip::Missing) + 1;

// One requested name of the report, exposed or skipped.
struct Entry {
  const std::string *Name;
  int Code;
  std::uint64_t Address;  // 0 when skipped
};

// The report's two lists merged into request order: `Order` is what was
// requested (the names given, or the resolver's API names for the default
// set), in which each list already is.
std::vector<Entry> inRequestOrder(const ExposeReport &Report, const std::vector<std::string> &Order) {
  std::unordered_map<std::string_view, std::size_t> Position;
  for (std::size_t I = 0; I < Order.size(); ++I)
    Position.try_emplace(Order[I], I);
  auto At = [&](std::string_view Name) {
    auto Found = Position.find(Name);
    return Found == Position.end() ? Order.size() : Found->second;
  };
  std::vector<Entry> Entries;
  Entries.reserve(Report.Exposed.size() + Report.Skipped.size());
  auto E = Report.Exposed.begin();
  auto S = Report.Skipped.begin();
  while (E != Report.Exposed.end() || S != Report.Skipped.end()) {
    if (S == Report.Skipped.end() || (E != Report.Exposed.end() && At(E->Name) <= At(S->Name))) {
      Entries.push_back({&E->Name, static_cast<int>(E->Status), E->Address});
      ++E;
    } else {
      Entries.push_back({&S->Name, SkipCodeBase + static_cast<int>(S->Why), 0});
      ++S;
    }
  }
  return Entries;
}

// Every requested name in three objects rather than a tuple per name: on
// PyPy each object made through cpyext is costly (see link_queries.cc).
bool addNames(PyObject *Result, const std::vector<Entry> &Entries) {
  std::string Names;
  std::string Codes;
  std::vector<std::uint64_t> Addresses;
  for (const Entry &E : Entries) {
    if (!Codes.empty())
      Names.push_back('\0');
    Names.append(*E.Name);
    Codes.push_back(static_cast<char>(E.Code));
    Addresses.push_back(E.Address);
  }
  OwnedRef CodeNames(PyTuple_New(CodeCount));
  if (!CodeNames)
    return false;
  for (int C = 0; C < CodeCount; ++C) {
    PyObject *Text =
        newText(C < SkipCodeBase ? std::string_view(toString(static_cast<ResolutionStatus>(C)))
                                 : skipKey(static_cast<ExposeSkip>(C - SkipCodeBase)));
    if (!Text)
      return false;
    PyTuple_SET_ITEM(CodeNames.get(), C, Text);
  }
  return setItem(Result, "names", newText(Names)) &&
         setItem(Result, "statuses",
                 PyBytes_FromStringAndSize(Codes.data(), static_cast<Py_ssize_t>(Codes.size()))) &&
         setItem(Result, "addresses",
                 PyBytes_FromStringAndSize(reinterpret_cast<const char *>(Addresses.data()),
                                           static_cast<Py_ssize_t>(Addresses.size() * sizeof(std::uint64_t)))) &&
         setItem(Result, "status_names", CodeNames.release());
}

bool addWhy(PyObject *Result, const std::vector<SkippedName> &Skipped) {
  OwnedRef Why(PyDict_New());
  if (!Why)
    return false;
  for (const SkippedName &S : Skipped) {
    std::string Text(toString(S.Why));
    if (!S.Detail.empty())
      Text += ": " + S.Detail;
    OwnedRef Name(newText(S.Name)), Sentence(newText(Text));
    if (!Name || !Sentence || PyDict_SetItem(Why.get(), Name.get(), Sentence.get()) < 0)
      return false;
  }
  return setItem(Result, "why", Why.release());
}

PyObject *newReport(const ExposeReport &Report, const std::vector<std::string> &Order) {
  OwnedRef Result(PyDict_New());
  if (!Result || !addNames(Result.get(), inRequestOrder(Report, Order)) ||
      !addWhy(Result.get(), Report.Skipped))
    return nullptr;
  if (!setItem(Result.get(), "added", PyLong_FromSize_t(Report.Added)) ||
      !setItem(Result.get(), "source", newText(toString(Report.Source))) ||
      !setItem(Result.get(), "fallback_reason", newText(Report.FallbackReason)) ||
      !setItem(Result.get(), "soname", newText(Report.Soname)) ||
      !setItem(Result.get(), "seconds", PyFloat_FromDouble(Report.Seconds)))
    return nullptr;
  return Result.release();
}

PyObject *expose(PyObject *, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("names");
    PyObject *NamesObject = Py_None;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "|O:expose", Keywords, &NamesObject))
      return nullptr;
    ExposeRequest Request;
    if (NamesObject != Py_None) {
      Request.Names.emplace();
      if (!namesArgument(NamesObject, *Request.Names))
        return nullptr;
    }
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    // With the GIL held, as the header allows: the call takes it again
    // (PyGILState_Ensure) only to create data substitutes, before its
    // process-wide lock, and whoever holds that lock never needs the GIL,
    // so waiting for it with the GIL held cannot deadlock.
    Expected<ExposeReport> Report = exposeToProcess(*R, Request);
    if (!Report)
      // ExposeFailed by reason (core_boundary.h); anything else breaks the
      // header's contract, a pysym bug.
      return raiseCoreError(Report.takeError(), PyExc_RuntimeError);
    return newReport(*Report, Request.Names ? *Request.Names : R->apiNames());
  });
}

PyMethodDef ExposureFunctions[] = {
    {"_expose", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(expose)),
     METH_VARARGS | METH_KEYWORDS,
     "_expose(names=None) -> dict\n\nDefines the resolver's answers for Python API names in "
     "the process's global scope (dlsym finds them). The extension's side of pysym.expose(), "
     "which wraps the dict in a pysym.Exposed: use that."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

bool addExposureFunction(PyObject *Module) {
  return PyModule_AddFunctions(Module, ExposureFunctions) == 0;
}

}  // namespace pysym::python
