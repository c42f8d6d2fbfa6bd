#include "python/src/resolution_type.h"

#include "python/src/boundary.h"

namespace pysym::python {
namespace {

// Attribute order; also the order of the fields in the repr.
enum Field { Name, Status, Kind, Address, Target, Image, Tried, Note, Found, FieldCount };
constexpr const char *FieldNames[FieldCount] = {"name",  "status", "kind", "address", "target",
                                                "image", "tried",  "note", "found"};
// Fields left out of the repr, which stays one readable line.
constexpr bool InRepr[FieldCount] = {true, true, true, true, true, true, false, false, false};

struct ResolutionObject {
  PyObject_HEAD
  PyObject *Fields[FieldCount];
};

PyTypeObject *ResolutionType = nullptr;

PyObject *getField(PyObject *Self, void *Index) {
  PyObject *Value = reinterpret_cast<ResolutionObject *>(Self)->Fields[reinterpret_cast<intptr_t>(Index)];
  // Null only for an instance made by calling the type from Python.
  if (!Value)
    Value = Py_None;
  Py_INCREF(Value);
  return Value;
}

void deallocate(PyObject *Self) {
  auto *Object = reinterpret_cast<ResolutionObject *>(Self);
  for (PyObject *&F : Object->Fields)
    Py_CLEAR(F);
  PyTypeObject *Type = Py_TYPE(Self);
  Type->tp_free(Self);
  Py_DECREF(Type);  // heap types are owned by their instances
}

PyObject *represent(PyObject *Self) {
  return guarded([&]() -> PyObject * {
    OwnedRef Text(PyUnicode_FromString("pysym.Resolution("));
    bool First = true;
    for (int I = 0; I < FieldCount && Text; ++I) {
      if (!InRepr[I])
        continue;
      OwnedRef Value(getField(Self, reinterpret_cast<void *>(static_cast<intptr_t>(I))));
      // Addresses read best in hex.
      OwnedRef Shown(I == Address && PyLong_Check(Value.get())
                         ? PyNumber_ToBase(Value.get(), 16)
                         : PyObject_Repr(Value.get()));
      if (!Shown)
        return nullptr;
      Text = OwnedRef(PyUnicode_FromFormat("%U%s%s=%U", Text.get(), First ? "" : ", ",
                                           FieldNames[I], Shown.get()));
      First = false;
    }
    if (!Text)
      return nullptr;
    return PyUnicode_FromFormat("%U)", Text.get());
  });
}

PyGetSetDef Attributes[] = {
    {"name", getField, nullptr, "the name asked for", reinterpret_cast<void *>(Name)},
    {"status", getField, nullptr,
     "how it resolved: registered, exact, alias, substitute, system or missing",
     reinterpret_cast<void *>(Status)},
    {"kind", getField, nullptr, "'function' or 'data'", reinterpret_cast<void *>(Kind)},
    {"address", getField, nullptr, "the address (int), None when missing",
     reinterpret_cast<void *>(Address)},
    {"target", getField, nullptr, "the name actually found, e.g. PyPyLong_FromLong",
     reinterpret_cast<void *>(Target)},
    {"image", getField, nullptr, "the file it came from, or <pysym substitute>/<registered>",
     reinterpret_cast<void *>(Image)},
    {"tried", getField, nullptr, "each attempt, in order, with why it failed",
     reinterpret_cast<void *>(Tried)},
    {"note", getField, nullptr, "anything else worth saying", reinterpret_cast<void *>(Note)},
    {"found", getField, nullptr, "False exactly when status is 'missing'",
     reinterpret_cast<void *>(Found)},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyObject *newString(const std::string &Text) {
  return PyUnicode_DecodeUTF8(Text.data(), static_cast<Py_ssize_t>(Text.size()), "replace");
}

}  // namespace

bool addResolutionType(PyObject *Module) {
  static PyType_Slot Slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void *>(deallocate)},
      {Py_tp_repr, reinterpret_cast<void *>(represent)},
      {Py_tp_getset, Attributes},
      {Py_tp_doc, const_cast<char *>("How one C-API name resolved in this interpreter, and why.\n"
                                     "Made by pysym.resolve and pysym.report; read-only.")},
      {0, nullptr},
  };
  static PyType_Spec Spec = {"pysym.Resolution", sizeof(ResolutionObject), 0, Py_TPFLAGS_DEFAULT,
                             Slots};
  ResolutionType = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&Spec));
  if (!ResolutionType)
    return false;
  Py_INCREF(ResolutionType);  // one for the module, which steals it; one kept here
  if (PyModule_AddObject(Module, "Resolution", reinterpret_cast<PyObject *>(ResolutionType)) < 0) {
    Py_DECREF(ResolutionType);
    return false;
  }
  return true;
}

PyObject *newResolution(const Resolution &R) {
  OwnedRef Made(PyType_GenericNew(ResolutionType, nullptr, nullptr));
  if (!Made)
    return nullptr;
  PyObject **Fields = reinterpret_cast<ResolutionObject *>(Made.get())->Fields;
  Fields[Name] = newString(R.Name);
  Fields[Status] = newString(std::string(toString(R.Status)));
  Fields[Kind] = newString(std::string(toString(R.Kind)));
  Fields[Address] = R.found() ? PyLong_FromUnsignedLongLong(R.Address) : borrowed(Py_None).release();
  Fields[Target] = newString(R.Target);
  Fields[Image] = newString(R.Image);
  Fields[Note] = newString(R.Note);
  Fields[Found] = PyBool_FromLong(R.found());
  Fields[Tried] = PyTuple_New(static_cast<Py_ssize_t>(R.Tried.size()));
  for (size_t I = 0; Fields[Tried] && I < R.Tried.size(); ++I) {
    PyObject *Attempt = newString(R.Tried[I]);
    if (!Attempt)
      return nullptr;
    PyTuple_SET_ITEM(Fields[Tried], static_cast<Py_ssize_t>(I), Attempt);
  }
  for (int I = 0; I < FieldCount; ++I)
    if (!Fields[I])
      return nullptr;  // Made's destructor releases the fields already made
  return Made.release();
}

}  // namespace pysym::python
