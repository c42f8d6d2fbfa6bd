// The core extension module pysym._pysym (whose names the package pysym
// re-exports): the resolver's functions, pysym.Resolution, the exception
// classes and the capsule that lends them to the engine extension
// (core_api.h); and PyInit__pysym, the only symbol the shared object
// exports. It links the resolver and not LLVM's code generator: the engine
// (engine_module.cc) is loaded only when something needs it.
#include "python/src/python.h"

#include <string>

#include "python/src/boundary.h"
#include "python/src/core_api.h"
#include "python/src/core_boundary.h"
#include "python/src/exposure_function.h"
#include "python/src/link_queries.h"
#include "python/src/resolution_type.h"
#include "python/src/state.h"

namespace pysym::python {
namespace {

PyObject *newText(const std::string &Text) {
  return PyUnicode_DecodeUTF8(Text.data(), static_cast<Py_ssize_t>(Text.size()), "replace");
}

// Sets Dict[Key] = Value, consuming the new reference Value.
bool setItem(PyObject *Dict, const char *Key, PyObject *Value) {
  OwnedRef Owned(Value);
  return Owned && PyDict_SetItemString(Dict, Key, Owned.get()) == 0;
}

PyObject *interpreterInfo(PyObject *, PyObject *) {
  return guarded([&]() -> PyObject * {
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    const InterpreterInfo &Info = R->interpreter();
    OwnedRef Abi(PyDict_New());
    OwnedRef Result(PyDict_New());
    if (!Abi || !Result)
      return nullptr;
    if (!setItem(Abi.get(), "pointer_size", PyLong_FromSize_t(Info.Abi.PointerSize)) ||
        !setItem(Abi.get(), "ssize_t_size", PyLong_FromSize_t(Info.Abi.SsizeTSize)) ||
        !setItem(Abi.get(), "refcnt_offset", PyLong_FromSize_t(Info.Abi.RefcntOffset)) ||
        !setItem(Abi.get(), "type_offset", PyLong_FromSize_t(Info.Abi.TypeOffset)) ||
        !setItem(Abi.get(), "object_size", PyLong_FromSize_t(Info.Abi.ObjectSize)))
      return nullptr;
    if (!setItem(Result.get(), "implementation", newText(Info.Implementation)) ||
        !setItem(Result.get(), "version", newText(Info.Version)) ||
        !setItem(Result.get(), "full_version", newText(Info.FullVersion)) ||
        !setItem(Result.get(), "image", newText(Info.ImagePath)) ||
        !setItem(Result.get(), "debug", PyBool_FromLong(Info.Debug)) ||
        !setItem(Result.get(), "api_data_ready", PyBool_FromLong(Info.ApiDataReady)) ||
        !setItem(Result.get(), "abi", Abi.release()))
      return nullptr;
    return Result.release();
  });
}

PyObject *resolveOne(Resolver &R, PyObject *NameObject) {
  std::string Name;
  if (!utf8Argument(NameObject, "name", Name))
    return nullptr;
  return newResolution(R.resolve(Name));
}

PyObject *resolve(PyObject *, PyObject *Name) {
  return guarded([&]() -> PyObject * {
    Resolver *R = processResolver();
    return R ? resolveOne(*R, Name) : nullptr;
  });
}

PyObject *report(PyObject *, PyObject *Names) {
  return guarded([&]() -> PyObject * {
    if (PyUnicode_Check(Names))
      return raise(PyExc_TypeError, "report() takes an iterable of names, not one str: "
                                    "use resolve(name) for one");
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    OwnedRef Iterator(PyObject_GetIter(Names));
    OwnedRef Result(PyList_New(0));
    if (!Iterator || !Result)
      return nullptr;
    while (OwnedRef Name{PyIter_Next(Iterator.get())}) {
      OwnedRef One(resolveOne(*R, Name.get()));
      if (!One || PyList_Append(Result.get(), One.get()) < 0)
        return nullptr;
    }
    if (PyErr_Occurred())
      return nullptr;
    return Result.release();
  });
}

// An address argument: an int in [1, 2**64).
bool addressArgument(PyObject *Object, std::uint64_t &Address) {
  if (!PyLong_Check(Object)) {
    PyErr_Format(PyExc_TypeError, "address must be int, not %s", Py_TYPE(Object)->tp_name);
    return false;
  }
  unsigned long long Value = PyLong_AsUnsignedLongLong(Object);
  if (PyErr_Occurred() || Value == 0) {
    PyErr_Clear();
    PyErr_SetString(PyExc_ValueError, "address must be an int in [1, 2**64)");
    return false;
  }
  Address = Value;
  return true;
}

PyObject *addSymbol(PyObject *, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("name", "address", "override");
    PyObject *NameObject = nullptr, *AddressObject = nullptr;
    int Override = 0;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "OO|$p:add_symbol", Keywords, &NameObject,
                                     &AddressObject, &Override))
      return nullptr;
    std::string Name;
    std::uint64_t Address = 0;
    if (!utf8Argument(NameObject, "name", Name) || !addressArgument(AddressObject, Address))
      return nullptr;
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    // As llvmlite's, a registration takes precedence over everything; but
    // replacing the interpreter's own export must be asked for, since it
    // changes that name for every kernel in the process.
    if (Error E = R->addSymbol(Name, Address, SymbolKind::Function, Override != 0))
      return raiseCoreError(std::move(E), PyExc_ValueError);
    Py_RETURN_NONE;
  });
}

PyObject *addObjectSymbol(PyObject *, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("name", "obj", "override");
    PyObject *NameObject = nullptr, *Object = nullptr;
    int Override = 0;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "OO|$p:add_object_symbol", Keywords,
                                     &NameObject, &Object, &Override))
      return nullptr;
    std::string Name;
    if (!utf8Argument(NameObject, "name", Name))
      return nullptr;
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    // The resolver takes its own reference, released when the name is
    // registered again or removed.
    if (Error E = R->addObjectSymbol(Name, Object, Override != 0))
      return raiseCoreError(std::move(E), PyExc_ValueError);
    Py_RETURN_NONE;
  });
}

PyObject *addressOfSymbol(PyObject *, PyObject *NameObject) {
  return guarded([&]() -> PyObject * {
    std::string Name;
    if (!utf8Argument(NameObject, "name", Name))
      return nullptr;
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    FoundSymbol A = R->find(Name);
    if (!A.found())
      Py_RETURN_NONE;
    return PyLong_FromUnsignedLongLong(A.Address);
  });
}

PyObject *removeSymbol(PyObject *, PyObject *NameObject) {
  return guarded([&]() -> PyObject * {
    std::string Name;
    if (!utf8Argument(NameObject, "name", Name))
      return nullptr;
    Resolver *R = processResolver();
    if (!R)
      return nullptr;
    return PyBool_FromLong(R->removeSymbol(Name));
  });
}

PyMethodDef Functions[] = {
    {"interpreter", interpreterInfo, METH_NOARGS,
     "interpreter() -> dict\n\nThe interpreter hosting this process, as pysym identified it "
     "from its exports: implementation, version, full_version, image, debug, api_data_ready "
     "and abi (pointer_size, ssize_t_size, refcnt_offset, type_offset, object_size)."},
    {"resolve", resolve, METH_O,
     "resolve(name) -> Resolution\n\nWhere the C-API name resolves in this interpreter, and "
     "why. A miss is a Resolution with status 'missing', not an error."},
    {"report", report, METH_O,
     "report(names) -> list of Resolution\n\nresolve() for each name of an iterable."},
    {"add_symbol", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(addSymbol)),
     METH_VARARGS | METH_KEYWORDS,
     "add_symbol(name, address, *, override=False)\n\nAs llvmlite.binding.add_symbol: "
     "JIT-compiled code that references `name` gets `address`, ahead of everything else. "
     "Registering a name again replaces it. ValueError for an empty name, address 0, or a name "
     "the interpreter itself exports (directly or under an alias) unless override=True."},
    {"add_object_symbol",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(addObjectSymbol)),
     METH_VARARGS | METH_KEYWORDS,
     "add_object_symbol(name, obj, *, override=False)\n\nRegisters the C address of `obj` "
     "itself (the PyObject *, which id() is not on PyPy) as data named `name`, and keeps a "
     "reference to obj until the name is registered again or removed. Refuses (ValueError) "
     "a name the interpreter exports unless override=True."},
    {"address_of_symbol", addressOfSymbol, METH_O,
     "address_of_symbol(name) -> int or None\n\nAs llvmlite.binding.address_of_symbol: the "
     "address JIT-compiled code gets for `name`, or None when it would not link."},
    {"remove_symbol", removeSymbol, METH_O,
     "remove_symbol(name) -> bool\n\nForgets a registration made by add_symbol or "
     "add_object_symbol; returns whether there was one."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef Definition = {
    PyModuleDef_HEAD_INIT,
    "pysym._pysym",
    "Links JIT-compiled kernels that call the CPython C API into whichever interpreter\n"
    "hosts them (CPython or PyPy). See docs/python-jit-authors.md.",
    -1,
    Functions,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

// Creates pysym.<Name>, a subclass of `Base`, and adds it to the module.
PyObject *addException(PyObject *Module, const char *Name, PyObject *Base, const char *Doc) {
  std::string Qualified = std::string("pysym.") + Name;
  PyObject *Type = PyErr_NewExceptionWithDoc(Qualified.c_str(), Doc, Base, nullptr);
  if (!Type)
    return nullptr;
  Py_INCREF(Type);  // one kept for raising, one stolen by the module
  if (PyModule_AddObject(Module, Name, Type) < 0) {
    Py_DECREF(Type);
    Py_DECREF(Type);
    return nullptr;
  }
  return Type;
}

const NameSource *processNames() { return processResolver(); }

// Adds _core_api, the capsule the engine extension imports.
bool addCoreApi(PyObject *Module) {
  static CoreApi Api;
  Api.TheResolver = processNames;
  Api.NewResolution = newResolution;
  Api.LinkError = LinkErrorType;
  Api.CompileError = CompileErrorType;
  PyObject *Capsule = PyCapsule_New(&Api, CoreApiCapsule, nullptr);
  return Capsule && PyModule_AddObject(Module, "_core_api", Capsule) == 0;
}

PyObject *initialise() {
  OwnedRef Module(PyModule_Create(&Definition));
  if (!Module)
    return nullptr;
  LinkErrorType = addException(
      Module.get(), "LinkError", PyExc_Exception,
      "JIT-compiled code references names that resolve nowhere in this interpreter.\n"
      "`missing` is the list of pysym.Resolution for them, each saying what was tried.");
  if (!LinkErrorType)
    return nullptr;
  CompileErrorType = addException(
      Module.get(), "CompileError", PyExc_ValueError,
      "LLVM IR, bitcode or an object file that is malformed or cannot be compiled.");
  if (!CompileErrorType)
    return nullptr;
  if (!addResolutionType(Module.get()) || !addLinkQueries(Module.get()) ||
      !addExposureFunction(Module.get()) || !addCoreApi(Module.get()))
    return nullptr;
  return Module.release();
}

}  // namespace
}  // namespace pysym::python

// Declared by hand rather than with PyMODINIT_FUNC, which before 3.9 does not
// give default visibility, while everything here is built -fvisibility=hidden.
extern "C" __attribute__((visibility("default"))) PyObject *PyInit__pysym() {
  return pysym::python::guarded(pysym::python::initialise);
}
