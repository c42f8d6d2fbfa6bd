#include "python/src/link_queries.h"

#include <array>
#include <string>
#include <vector>

#include "python/src/boundary.h"
#include "python/src/state.h"

namespace pysym::python {
namespace {

// One str per ResolutionStatus, in the enum's order; false with an error
// set when one cannot be made.
bool statusNames(std::array<OwnedRef, 6> &Statuses) {
  for (std::size_t S = 0; S < Statuses.size(); ++S) {
    std::string Text(toString(static_cast<ResolutionStatus>(S)));
    Statuses[S] = OwnedRef(PyUnicode_FromStringAndSize(Text.data(), static_cast<Py_ssize_t>(Text.size())));
    if (!Statuses[S])
      return false;
  }
  return true;
}

// The whole API in four objects rather than a tuple per name: on PyPy each
// object made through cpyext costs about a microsecond, so a list of ~1,900
// tuples took 26 ms where this takes a fraction of one.
PyObject *apiTable(PyObject *, PyObject *) {
  return guarded([&]() -> PyObject * {
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    R->createSubstituteData();  // every name is asked for below
    std::string Names;
    std::string Statuses;
    std::vector<std::uint64_t> Addresses;
    for (const std::string &Name : R->apiNames()) {
      // The list is one "\n"-separated str; no exported name has a newline,
      // but one that did would break the format, so it would be left out.
      if (Name.find('\n') != std::string::npos)
        continue;
      FoundSymbol A = R->find(Name);
      if (!Statuses.empty())
        Names.push_back('\n');
      Names.append(Name);
      Statuses.push_back(static_cast<char>(A.Status));
      Addresses.push_back(A.Address);
    }
    std::array<OwnedRef, 6> StatusNames;
    if (!statusNames(StatusNames))
      return nullptr;
    OwnedRef StatusTuple(PyTuple_New(static_cast<Py_ssize_t>(StatusNames.size())));
    if (!StatusTuple)
      return nullptr;
    for (std::size_t S = 0; S < StatusNames.size(); ++S)
      PyTuple_SET_ITEM(StatusTuple.get(), static_cast<Py_ssize_t>(S), StatusNames[S].release());
    OwnedRef NameText(PyUnicode_FromStringAndSize(Names.data(), static_cast<Py_ssize_t>(Names.size())));
    OwnedRef StatusBytes(
        PyBytes_FromStringAndSize(Statuses.data(), static_cast<Py_ssize_t>(Statuses.size())));
    OwnedRef AddressBytes(PyBytes_FromStringAndSize(reinterpret_cast<const char *>(Addresses.data()),
                                                    static_cast<Py_ssize_t>(Addresses.size() * sizeof(std::uint64_t))));
    if (!NameText || !StatusBytes || !AddressBytes)
      return nullptr;
    return PyTuple_Pack(4, NameText.get(), StatusBytes.get(), AddressBytes.get(), StatusTuple.get());
  });
}

// Appends (name, status, address) for `Name`.
bool appendAnswer(PyObject *List, const Resolver &R, PyObject *NameObject,
                  const std::array<OwnedRef, 6> &Statuses) {
  std::string Name;
  if (!utf8Argument(NameObject, "name", Name))
    return false;
  FoundSymbol A = R.find(Name);
  OwnedRef Address(A.found() ? PyLong_FromUnsignedLongLong(A.Address) : borrowed(Py_None).release());
  if (!Address)
    return false;
  PyObject *Status = Statuses[static_cast<std::size_t>(A.Status)].get();
  OwnedRef Entry(PyTuple_Pack(3, NameObject, Status, Address.get()));
  return Entry && PyList_Append(List, Entry.get()) == 0;
}

PyObject *apiSymbols(PyObject *, PyObject *Names) {
  return guarded([&]() -> PyObject * {
    if (PyUnicode_Check(Names))
      return raise(PyExc_TypeError, "_api_symbols() takes an iterable of names, not one str");
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    std::array<OwnedRef, 6> Statuses;
    if (!statusNames(Statuses))
      return nullptr;
    OwnedRef Result(PyList_New(0));
    OwnedRef Iterator(PyObject_GetIter(Names));
    if (!Result || !Iterator)
      return nullptr;
    while (OwnedRef Name{PyIter_Next(Iterator.get())})
      if (!appendAnswer(Result.get(), *R, Name.get(), Statuses))
        return nullptr;
    if (PyErr_Occurred())
      return nullptr;
    return Result.release();
  });
}

PyMethodDef LinkQueryFunctions[] = {
    {"_api_table", apiTable, METH_NOARGS,
     "_api_table() -> (names, statuses, addresses, status_names)\n\nEvery Python API name "
     "that resolves here without a registration (as CPython spells it and as the interpreter "
     "does) and how it resolves now: names is one str, the names separated by newlines; "
     "statuses is bytes, one index into status_names per name; addresses is bytes, one native "
     "uint64 per name, 0 when missing. For pysym.llvmlite."},
    {"_api_symbols", apiSymbols, METH_O,
     "_api_symbols(names) -> list of (name, status, address)\n\nHow each name of an "
     "iterable resolves, as address_of_symbol answers (address None when missing). For "
     "pysym.llvmlite."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

bool addLinkQueries(PyObject *Module) { return PyModule_AddFunctions(Module, LinkQueryFunctions) == 0; }

}  // namespace pysym::python
