#include "python/src/compiled_function.h"

#include <cstring>

#include "python/src/boundary.h"

namespace pysym::python {
namespace {

// Owns what a compiled function's PyMethodDef points at, and keeps the
// engine and the module alive while the function lives.
struct CompiledCodeObject {
  PyObject_HEAD
  PyMethodDef Definition;
  PyObject *Engine;      // strong
  PyObject *NameBytes;   // UTF-8 of the name; Definition.ml_name points into it
  PyObject *DocBytes;    // UTF-8 of the doc, or null; Definition.ml_doc points into it
  std::uint64_t ModuleId;
  std::uint64_t Address;
  ModulePin Pin;
};

PyTypeObject *CompiledCodeType = nullptr;

void deallocate(PyObject *Self) {
  auto *Code = reinterpret_cast<CompiledCodeObject *>(Self);
  if (Code->Engine) {
    Code->Pin.Release(Code->Engine, Code->ModuleId);
    Py_CLEAR(Code->Engine);
  }
  Py_CLEAR(Code->NameBytes);
  Py_CLEAR(Code->DocBytes);
  PyTypeObject *Type = Py_TYPE(Self);
  Type->tp_free(Self);
  Py_DECREF(Type);
}

PyObject *represent(PyObject *Self) {
  auto *Code = reinterpret_cast<CompiledCodeObject *>(Self);
  if (!Code->NameBytes)
    return PyUnicode_FromString("<pysym.CompiledCode (empty)>");
  return PyUnicode_FromFormat("<pysym.CompiledCode '%s' at 0x%llx, module #%llu>",
                              PyBytes_AsString(Code->NameBytes),
                              static_cast<unsigned long long>(Code->Address),
                              static_cast<unsigned long long>(Code->ModuleId));
}

// UTF-8 bytes of `Text`, refusing embedded NULs (ml_name is a C string).
PyObject *cStringBytes(PyObject *Text, const char *What) {
  OwnedRef Bytes(PyUnicode_AsUTF8String(Text));
  if (!Bytes)
    return nullptr;
  if (static_cast<Py_ssize_t>(strlen(PyBytes_AsString(Bytes.get()))) != PyBytes_Size(Bytes.get())) {
    PyErr_Format(PyExc_ValueError, "%s must not contain NUL characters", What);
    return nullptr;
  }
  return Bytes.release();
}

}  // namespace

bool addCompiledCodeType(PyObject *Module) {
  static PyType_Slot Slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void *>(deallocate)},
      {Py_tp_repr, reinterpret_cast<void *>(represent)},
      {Py_tp_doc, const_cast<char *>(
                      "The compiled code behind a function made by Engine.make_function\n"
                      "(its __self__). Keeps the engine and the defining module alive.")},
      {0, nullptr},
  };
  static PyType_Spec Spec = {"pysym.CompiledCode", sizeof(CompiledCodeObject), 0,
                             Py_TPFLAGS_DEFAULT, Slots};
  CompiledCodeType = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&Spec));
  if (!CompiledCodeType)
    return false;
  Py_INCREF(CompiledCodeType);
  if (PyModule_AddObject(Module, "CompiledCode", reinterpret_cast<PyObject *>(CompiledCodeType)) < 0) {
    Py_DECREF(CompiledCodeType);
    return false;
  }
  return true;
}

PyObject *newCompiledFunction(PyObject *Engine, std::uint64_t ModuleId, std::uint64_t Address,
                              PyObject *Name, PyObject *Doc, ModulePin Pin) {
  OwnedRef NameBytes(cStringBytes(Name, "name"));
  if (!NameBytes)
    return nullptr;
  OwnedRef DocBytes;
  if (Doc != Py_None) {
    DocBytes = OwnedRef(cStringBytes(Doc, "doc"));
    if (!DocBytes)
      return nullptr;
  }
  OwnedRef Made(PyType_GenericNew(CompiledCodeType, nullptr, nullptr));
  if (!Made)
    return nullptr;
  auto *Code = reinterpret_cast<CompiledCodeObject *>(Made.get());
  Code->NameBytes = NameBytes.release();
  Code->DocBytes = DocBytes.release();
  Code->ModuleId = ModuleId;
  Code->Address = Address;
  Code->Definition.ml_name = PyBytes_AsString(Code->NameBytes);
  // The compiled wrapper has exactly the METH_VARARGS | METH_KEYWORDS
  // signature; the cast through an integer is how JIT addresses become code.
  Code->Definition.ml_meth =
      reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(Address));
  Code->Definition.ml_flags = METH_VARARGS | METH_KEYWORDS;
  Code->Definition.ml_doc = Code->DocBytes ? PyBytes_AsString(Code->DocBytes) : nullptr;
  // Taking the engine last: from here on, deallocation releases the module.
  Code->Pin = Pin;
  Pin.Take(Engine, ModuleId);
  Py_INCREF(Engine);
  Code->Engine = Engine;
  return PyCFunction_NewEx(&Code->Definition, Made.get(), nullptr);
}

}  // namespace pysym::python
