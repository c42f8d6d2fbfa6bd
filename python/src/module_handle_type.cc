#include "python/src/module_handle_type.h"

namespace pysym::python {
namespace {

struct HandleObject {
  PyObject_HEAD
  std::uint64_t EngineSerial;
  std::uint64_t Id;
  PyObject *Name;  // str
  PyObject *Kind;  // str
};

PyTypeObject *HandleType = nullptr;

void deallocateHandle(PyObject *Self) {
  auto *Handle = reinterpret_cast<HandleObject *>(Self);
  Py_CLEAR(Handle->Name);
  Py_CLEAR(Handle->Kind);
  PyTypeObject *Type = Py_TYPE(Self);
  Type->tp_free(Self);
  Py_DECREF(Type);
}

PyObject *representHandle(PyObject *Self) {
  auto *Handle = reinterpret_cast<HandleObject *>(Self);
  if (!Handle->Name || !Handle->Kind)
    return PyUnicode_FromString("<pysym.ModuleHandle (empty)>");
  return PyUnicode_FromFormat("<pysym.ModuleHandle #%llu: %U %R of engine %llu>",
                              static_cast<unsigned long long>(Handle->Id), Handle->Kind,
                              Handle->Name, static_cast<unsigned long long>(Handle->EngineSerial));
}

PyObject *handleId(PyObject *Self, void *) {
  return PyLong_FromUnsignedLongLong(reinterpret_cast<HandleObject *>(Self)->Id);
}

PyObject *handleField(PyObject *Self, void *Which) {
  auto *Handle = reinterpret_cast<HandleObject *>(Self);
  PyObject *Value = Which ? Handle->Kind : Handle->Name;
  if (!Value)
    Value = Py_None;
  Py_INCREF(Value);
  return Value;
}

PyGetSetDef HandleAttributes[] = {
    {"id", handleId, nullptr, "the module's number in its engine", nullptr},
    {"name", handleField, nullptr, "the name given when it was added", nullptr},
    {"kind", handleField, nullptr, "'ir', 'bitcode' or 'object'", reinterpret_cast<void *>(1)},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

}  // namespace

bool addModuleHandleType(PyObject *Module) {
  static PyType_Slot HandleSlots[] = {
      {Py_tp_dealloc, reinterpret_cast<void *>(deallocateHandle)},
      {Py_tp_repr, reinterpret_cast<void *>(representHandle)},
      {Py_tp_getset, HandleAttributes},
      {Py_tp_doc, const_cast<char *>("A module added to a pysym.Engine; pass it to remove().")},
      {0, nullptr},
  };
  static PyType_Spec HandleSpec = {"pysym.ModuleHandle", sizeof(HandleObject), 0,
                                   Py_TPFLAGS_DEFAULT, HandleSlots};
  return addType(Module, &HandleSpec, &HandleType, "ModuleHandle");
}

PyObject *newHandle(std::uint64_t EngineSerial, std::uint64_t Id, PyObject *Name,
                    const char *Kind) {
  OwnedRef Made(PyType_GenericNew(HandleType, nullptr, nullptr));
  if (!Made)
    return nullptr;
  auto *Handle = reinterpret_cast<HandleObject *>(Made.get());
  Handle->EngineSerial = EngineSerial;
  Handle->Id = Id;
  Handle->Name = borrowed(Name).release();
  Handle->Kind = PyUnicode_FromString(Kind);
  return Handle->Kind ? Made.release() : nullptr;
}

bool handleOf(PyObject *Object, std::uint64_t EngineSerial, std::uint64_t &Id) {
  if (!PyObject_TypeCheck(Object, HandleType)) {
    PyErr_Format(PyExc_TypeError, "expected a pysym.ModuleHandle, not %s", Py_TYPE(Object)->tp_name);
    return false;
  }
  auto *Handle = reinterpret_cast<HandleObject *>(Object);
  if (Handle->EngineSerial != EngineSerial) {
    PyErr_Format(PyExc_ValueError, "module #%llu belongs to another engine",
                 static_cast<unsigned long long>(Handle->Id));
    return false;
  }
  Id = Handle->Id;
  return true;
}

}  // namespace pysym::python
