#include "python/src/engine_cache.h"

#include <cstdint>
#include <string>

namespace pysym::python {
namespace {

// `Text` as str, or None when empty.
PyObject *textOrNone(const std::string &Text) {
  if (Text.empty())
    Py_RETURN_NONE;
  return PyUnicode_DecodeFSDefaultAndSize(Text.data(), static_cast<Py_ssize_t>(Text.size()));
}

bool put(PyObject *Dict, const char *Key, PyObject *New) {
  OwnedRef Value(New);
  return Value && PyDict_SetItemString(Dict, Key, Value.get()) == 0;
}

}  // namespace

bool cacheDirectoryOf(PyObject *Path, std::string &Directory) {
  // os.fspath by hand: PyPy's PyUnicode_FSConverter takes no os.PathLike.
  OwnedRef FsPath;
  if (!PyUnicode_Check(Path) && !PyBytes_Check(Path)) {
    if (!PyObject_HasAttrString(Path, "__fspath__")) {
      PyErr_Format(PyExc_TypeError, "cache_dir must be a path, not %s", Py_TYPE(Path)->tp_name);
      return false;
    }
    FsPath = OwnedRef(PyObject_CallMethod(Path, "__fspath__", nullptr));
    if (!FsPath)
      return false;
    Path = FsPath.get();
  }
  PyObject *Converted = nullptr;  // bytes
  if (!PyUnicode_FSConverter(Path, &Converted))
    return false;
  OwnedRef Bytes(Converted);
  Directory = PyBytes_AS_STRING(Bytes.get());
  return true;
}

PyObject *cacheStatusDict(const EngineCacheStatus &Status) {
  OwnedRef Dict(PyDict_New());
  if (!Dict)
    return nullptr;
  const ObjectCacheStatistics &S = Status.Statistics;
  auto Count = [](std::uint64_t N) { return PyLong_FromUnsignedLongLong(N); };
  if (!put(Dict.get(), "directory", textOrNone(Status.Directory)) ||
      !put(Dict.get(), "enabled", PyBool_FromLong(Status.Enabled)) ||
      !put(Dict.get(), "unavailable", textOrNone(Status.Unavailable)) ||
      !put(Dict.get(), "hits", Count(S.Hits)) || !put(Dict.get(), "misses", Count(S.Misses)) ||
      !put(Dict.get(), "ignored", Count(S.Ignored)) ||
      !put(Dict.get(), "last_ignored", textOrNone(S.LastIgnored)) ||
      !put(Dict.get(), "stores", Count(S.Stores)) ||
      !put(Dict.get(), "store_failures", Count(S.StoreFailures)) ||
      !put(Dict.get(), "last_store_failure", textOrNone(S.LastStoreFailure)) ||
      !put(Dict.get(), "compiles", Count(Status.Compiles)))
    return nullptr;
  return Dict.release();
}

}  // namespace pysym::python
