#include "python/src/engine_type.h"

#include <map>
#include <memory>
#include <string>

#include "pysym/jitlink/engine.h"
#include "python/src/boundary.h"
#include "python/src/engine_cache.h"
#include "python/src/compiled_function.h"
#include "python/src/engine_boundary.h"
#include "python/src/engine_state.h"
#include "python/src/module_handle_type.h"

namespace pysym::python {
namespace {

// What the Python side knows of one added module.
struct ModuleRecord {
  std::string Kind;          // "ir", "bitcode" or "object"
  std::size_t LiveFunctions = 0;
};

// The C++ state of a pysym.Engine, kept apart from the PyObject so that its
// constructors and destructors run normally.
struct EngineState {
  std::unique_ptr<Engine> TheEngine;
  std::uint64_t Serial = 0;  // tells handles of different engines apart
  std::string LinkerName;    // as the user spells it: "rtdyld" or "jitlink"
  unsigned OptLevel = 2;
  std::map<std::uint64_t, ModuleRecord> Modules;  // live modules, by handle id
};

struct EngineObject {
  PyObject_HEAD
  EngineState *State;  // null only if construction failed
};

PyTypeObject *EngineType = nullptr;
std::uint64_t NextEngineSerial = 1;  // guarded by the GIL

constexpr const char *DefaultLinker = "rtdyld";

EngineState *stateOf(PyObject *Self) { return reinterpret_cast<EngineObject *>(Self)->State; }

// The module id of `Object`, a handle of this engine that is still live.
// Fails with TypeError for a non-handle and ValueError otherwise.
bool liveHandle(const EngineState &State, PyObject *Object, std::uint64_t &Id) {
  if (!handleOf(Object, State.Serial, Id))
    return false;
  if (!State.Modules.count(Id)) {
    PyErr_Format(PyExc_ValueError, "module #%llu was removed", static_cast<unsigned long long>(Id));
    return false;
  }
  return true;
}

// ---- pysym.Engine -----------------------------------------------------------

int initialiseEngine(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return guardedInt([&]() -> int {
    PYSYM_KEYWORDS("opt_level", "linker", "cache_dir");
    int OptLevel = 2;
    const char *LinkerName = DefaultLinker;
    PyObject *CacheDir = Py_None;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "|is$O:Engine", Keywords, &OptLevel, &LinkerName,
                                     &CacheDir))
      return -1;
    if (OptLevel < 0 || OptLevel > 3) {
      PyErr_Format(PyExc_ValueError, "opt_level must be 0, 1, 2 or 3, not %d", OptLevel);
      return -1;
    }
    EngineOptions Options;
    Options.OptLevel = static_cast<unsigned>(OptLevel);
    const std::string Requested = LinkerName;
    if (Requested == "rtdyld")
      Options.Link = Linker::RuntimeDyld;
    else if (Requested == "jitlink")
      Options.Link = Linker::JITLink;
    else {
      PyErr_Format(PyExc_ValueError, "linker must be 'rtdyld' or 'jitlink', not '%s'", LinkerName);
      return -1;
    }
    if (CacheDir != Py_None && !cacheDirectoryOf(CacheDir, Options.CacheDirectory))
      return -1;
    if (stateOf(Self)) {
      PyErr_SetString(PyExc_RuntimeError, "pysym.Engine is already initialised");
      return -1;
    }
    const NameSource *ProcessResolver = Core->TheResolver();
    if (!ProcessResolver)
      return -1;
    auto Made = Engine::create(*ProcessResolver, Options);
    if (!Made) {
      raiseEngineError(Made.takeError(), PyExc_RuntimeError);
      return -1;
    }
    auto State = std::make_unique<EngineState>();
    State->TheEngine = std::move(*Made);
    State->Serial = NextEngineSerial++;
    State->LinkerName = Requested;
    State->OptLevel = Options.OptLevel;
    const std::string Unavailable = State->TheEngine->cacheStatus().Unavailable;
    reinterpret_cast<EngineObject *>(Self)->State = State.release();
    if (!Unavailable.empty() &&
        PyErr_WarnFormat(PyExc_RuntimeWarning, 1, "%s; pysym.Engine works uncached",
                         Unavailable.c_str()) < 0)
      return -1;
    return 0;
  });
}

void deallocateEngine(PyObject *Self) {
  // Callables hold the engine, so none is alive here: unloading is safe.
  delete stateOf(Self);
  reinterpret_cast<EngineObject *>(Self)->State = nullptr;
  PyTypeObject *Type = Py_TYPE(Self);
  Type->tp_free(Self);
  Py_DECREF(Type);
}

// The state, or null with an error when __init__ never succeeded.
EngineState *readyState(PyObject *Self) {
  EngineState *State = stateOf(Self);
  if (!State)
    PyErr_SetString(PyExc_RuntimeError, "pysym.Engine was not initialised");
  return State;
}

using AddFunction = llvm::Expected<ModuleHandle> (*)(Engine &, PyObject *Data, const std::string &Name);

llvm::Expected<ModuleHandle> addText(Engine &TheEngine, PyObject *Data, const std::string &Name) {
  std::string Text;
  if (!utf8Argument(Data, "IR text", Text))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "");  // Python error set
  return TheEngine.addIR(Text, Name);
}

// Adds bytes from any object with the buffer protocol.
template <llvm::Expected<ModuleHandle> (Engine::*Add)(llvm::ArrayRef<std::uint8_t>, llvm::StringRef,
                                                      std::optional<ModuleHandle>)>
llvm::Expected<ModuleHandle> addBytes(Engine &TheEngine, PyObject *Data, const std::string &Name) {
  if (PyUnicode_Check(Data)) {
    PyErr_SetString(PyExc_TypeError, "expected bytes (or another buffer), not str");
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "");
  }
  Py_buffer View;
  if (PyObject_GetBuffer(Data, &View, PyBUF_SIMPLE) < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "");
  llvm::ArrayRef<std::uint8_t> Bytes(static_cast<const std::uint8_t *>(View.buf),
                                     static_cast<std::size_t>(View.len));
  auto Added = (TheEngine.*Add)(Bytes, Name, std::nullopt);
  PyBuffer_Release(&View);
  return Added;
}

PyObject *addModule(PyObject *Self, PyObject *Args, PyObject *Kwargs, const char *Kind,
                    const char *Format, AddFunction Add) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("data", "name");
    PyObject *Data = nullptr;
    PyObject *NameObject = nullptr;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, Format, Keywords, &Data, &NameObject))
      return nullptr;
    EngineState *State = readyState(Self);
    if (!State)
      return nullptr;
    // The engine numbers modules itself, so the kind is label enough.
    OwnedRef Name(NameObject ? borrowed(NameObject) : OwnedRef(PyUnicode_FromString(Kind)));
    std::string NameText;
    if (!Name || !utf8Argument(Name.get(), "name", NameText))
      return nullptr;
    auto Added = Add(*State->TheEngine, Data, NameText);
    if (!Added) {
      if (PyErr_Occurred()) {
        // The argument was refused on the Python side; the placeholder error
        // carries nothing more.
        llvm::consumeError(Added.takeError());
        return nullptr;
      }
      return raiseEngineError(Added.takeError(), Core->CompileError);
    }
    OwnedRef Handle(newHandle(State->Serial, Added->Id, Name.get(), Kind));
    if (!Handle) {
      // Without a handle nobody could remove the module: unload it now.
      llvm::consumeError(State->TheEngine->remove(*Added));  // the Python error says what went wrong
      return nullptr;
    }
    State->Modules[Added->Id] = ModuleRecord{Kind, 0};
    return Handle.release();
  });
}

PyObject *addIR(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return addModule(Self, Args, Kwargs, "ir", "O|O:add_ir", addText);
}

PyObject *addBitcode(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return addModule(Self, Args, Kwargs, "bitcode", "O|O:add_bitcode", addBytes<&Engine::addBitcode>);
}

PyObject *addObject(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return addModule(Self, Args, Kwargs, "object", "O|O:add_object", addBytes<&Engine::addObject>);
}

// Looks `Symbol` up in `ModuleArgument` (a handle, or null for the module
// the engine's definer names); sets the module's id and the address. A
// failed link raises pysym.LinkError (engine_boundary.h maps the typed errors).
bool lookupIn(EngineState &State, PyObject *SymbolObject, PyObject *ModuleArgument,
              std::uint64_t &ModuleId, std::uint64_t &Address) {
  std::string Symbol;
  if (!utf8Argument(SymbolObject, "symbol", Symbol))
    return false;
  if (ModuleArgument && ModuleArgument != Py_None) {
    if (!liveHandle(State, ModuleArgument, ModuleId))
      return false;
  } else {
    // A callable must pin the module that answers, so ask which one first.
    auto Definer = State.TheEngine->definer(Symbol);
    if (!Definer) {
      raiseEngineError(Definer.takeError(), Core->LinkError);
      return false;
    }
    ModuleId = Definer->Id;
  }
  auto Found = State.TheEngine->lookup(ModuleHandle{ModuleId}, Symbol);
  if (!Found) {
    raiseEngineError(Found.takeError(), Core->LinkError);
    return false;
  }
  Address = *Found;
  return true;
}

PyObject *lookup(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("symbol", "module");
    PyObject *Symbol = nullptr, *Module = nullptr;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "O|O:lookup", Keywords, &Symbol, &Module))
      return nullptr;
    EngineState *State = readyState(Self);
    if (!State)
      return nullptr;
    std::uint64_t ModuleId = 0, Address = 0;
    if (!lookupIn(*State, Symbol, Module, ModuleId, Address))
      return nullptr;
    return PyLong_FromUnsignedLongLong(Address);
  });
}

// Finds the engine's record of a module a callable pins. Records outlive
// their callables, since remove() refuses pinned modules.
ModuleRecord *recordOf(PyObject *Engine, std::uint64_t ModuleId) {
  EngineState *State = stateOf(Engine);
  if (!State)
    return nullptr;
  auto It = State->Modules.find(ModuleId);
  return It == State->Modules.end() ? nullptr : &It->second;
}


// Called when a callable made from module `ModuleId` of `Engine` (a
// pysym.Engine) comes to life: remove() refuses that module until the
// matching releaseFunction.
void pinFunction(PyObject *Engine, std::uint64_t ModuleId) {
  if (ModuleRecord *Record = recordOf(Engine, ModuleId))
    ++Record->LiveFunctions;
}

// Called when that callable dies, so that remove() may unload the module.
void releaseFunction(PyObject *Engine, std::uint64_t ModuleId) {
  if (ModuleRecord *Record = recordOf(Engine, ModuleId); Record && Record->LiveFunctions)
    --Record->LiveFunctions;
}

PyObject *makeFunction(PyObject *Self, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("symbol", "name", "doc", "module");
    PyObject *Symbol = nullptr, *Name = Py_None, *Doc = Py_None, *Module = nullptr;
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "O|OO$O:make_function", Keywords, &Symbol,
                                     &Name, &Doc, &Module))
      return nullptr;
    if (Name != Py_None && !PyUnicode_Check(Name))
      return raise(PyExc_TypeError, "name must be str or None");
    if (Doc != Py_None && !PyUnicode_Check(Doc))
      return raise(PyExc_TypeError, "doc must be str or None");
    EngineState *State = readyState(Self);
    if (!State)
      return nullptr;
    std::uint64_t ModuleId = 0, Address = 0;
    if (!lookupIn(*State, Symbol, Module, ModuleId, Address))
      return nullptr;
    return newCompiledFunction(Self, ModuleId, Address, Name != Py_None ? Name : Symbol, Doc,
                               ModulePin{pinFunction, releaseFunction});
  });
}

PyObject *removeModule(PyObject *Self, PyObject *Handle) {
  return guarded([&]() -> PyObject * {
    EngineState *State = readyState(Self);
    if (!State)
      return nullptr;
    std::uint64_t Id = 0;
    if (!liveHandle(*State, Handle, Id))
      return nullptr;
    std::size_t Live = State->Modules[Id].LiveFunctions;
    if (Live)
      return raise(PyExc_RuntimeError,
                   "module #" + std::to_string(Id) + " has " + std::to_string(Live) +
                       " live function(s) made by make_function; delete them before removing it");
    State->Modules.erase(Id);
    if (llvm::Error E = State->TheEngine->remove(ModuleHandle{Id}))
      return raiseEngineError(std::move(E), PyExc_RuntimeError);
    Py_RETURN_NONE;
  });
}

PyObject *getLinker(PyObject *Self, void *) {
  EngineState *State = readyState(Self);
  return State ? PyUnicode_FromString(State->LinkerName.c_str()) : nullptr;
}

PyObject *getOptLevel(PyObject *Self, void *) {
  EngineState *State = readyState(Self);
  return State ? PyLong_FromUnsignedLong(State->OptLevel) : nullptr;
}

PyObject *getModules(PyObject *Self, void *) {
  EngineState *State = readyState(Self);
  return State ? PyLong_FromSize_t(State->Modules.size()) : nullptr;
}

PyObject *cacheInfo(PyObject *Self, PyObject *) {
  EngineState *State = readyState(Self);
  return State ? cacheStatusDict(State->TheEngine->cacheStatus()) : nullptr;
}

PyObject *representEngine(PyObject *Self) {
  EngineState *State = stateOf(Self);
  if (!State)
    return PyUnicode_FromString("<pysym.Engine (not initialised)>");
  return PyUnicode_FromFormat("<pysym.Engine %llu: linker=%s, opt_level=%u, %zu module(s)>",
                              static_cast<unsigned long long>(State->Serial),
                              State->LinkerName.c_str(), State->OptLevel, State->Modules.size());
}

template <PyObject *(*F)(PyObject *, PyObject *, PyObject *)> PyCFunction withKeywords() {
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(F));
}

PyMethodDef EngineMethods[] = {
    {"add_ir", withKeywords<addIR>(), METH_VARARGS | METH_KEYWORDS,
     "add_ir(text, name=None) -> ModuleHandle\n\nAdds a module of LLVM IR text (LLVM 14 syntax). "
     "CompileError when it does not parse, verify or compile for this host."},
    {"add_bitcode", withKeywords<addBitcode>(), METH_VARARGS | METH_KEYWORDS,
     "add_bitcode(data, name=None) -> ModuleHandle\n\nAdds a module of LLVM bitcode "
     "(bytes or another buffer). CompileError when it does not load."},
    {"add_object", withKeywords<addObject>(), METH_VARARGS | METH_KEYWORDS,
     "add_object(data, name=None) -> ModuleHandle\n\nAdds an x86-64 ELF relocatable object "
     "(bytes or another buffer). CompileError when it is malformed or unsafe to link."},
    {"lookup", withKeywords<lookup>(), METH_VARARGS | METH_KEYWORDS,
     "lookup(symbol, *, module=None) -> int\n\nThe address of `symbol`, compiling and linking "
     "its module on first use. LinkError (with .missing) when the module references names "
     "that resolve nowhere; KeyError when no module (or not `module`) defines it; "
     "ValueError when several do, unless all by the one-definition rule (linkonce_odr, "
     "weak_odr): then the oldest live module's answers."},
    {"make_function", withKeywords<makeFunction>(), METH_VARARGS | METH_KEYWORDS,
     "make_function(symbol, name=None, doc=None, *, module=None) -> callable\n\n"
     "A Python callable for the compiled wrapper `symbol`, of the signature\n"
     "PyObject *(*)(PyObject *self, PyObject *args, PyObject *kwargs) that Numba emits.\n"
     "The callable keeps this engine and the defining module alive while it lives."},
    {"remove", removeModule, METH_O,
     "remove(handle)\n\nUnloads the module. RuntimeError while callables made from it are "
     "alive; ValueError for a removed handle or another engine's."},
    {"cache_info", cacheInfo, METH_NOARGS,
     "cache_info() -> dict\n\nWhat the object cache (cache_dir) has done: directory, enabled, "
     "unavailable (why cache_dir is not used), hits, misses, ignored, last_ignored, stores, "
     "store_failures, last_store_failure, and compiles (modules this engine compiled)."},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef EngineAttributes[] = {
    {"linker", getLinker, nullptr, "'rtdyld' or 'jitlink'", nullptr},
    {"opt_level", getOptLevel, nullptr, "0 to 3", nullptr},
    {"module_count", getModules, nullptr, "modules added and not removed", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

}  // namespace

bool addEngineTypes(PyObject *Module) {
  static PyType_Slot EngineSlots[] = {
      {Py_tp_new, reinterpret_cast<void *>(PyType_GenericNew)},
      {Py_tp_init, reinterpret_cast<void *>(initialiseEngine)},
      {Py_tp_dealloc, reinterpret_cast<void *>(deallocateEngine)},
      {Py_tp_repr, reinterpret_cast<void *>(representEngine)},
      {Py_tp_methods, EngineMethods},
      {Py_tp_getset, EngineAttributes},
      {Py_tp_doc, const_cast<char *>(
                      "Engine(opt_level=2, linker='rtdyld', *, cache_dir=None)\n\n"
                      "A JIT (LLVM ORC) that links modules against this interpreter through\n"
                      "pysym's resolver. linker: 'rtdyld' (RuntimeDyld, the default, as MCJIT\n"
                      "and llvmlite use) or 'jitlink' (JITLink). cache_dir: a directory of\n"
                      "compiled objects, shared by every interpreter (see cache_info()); one\n"
                      "that cannot be written leaves the engine uncached, with a RuntimeWarning.")},
      {0, nullptr},
  };
  static PyType_Spec EngineSpec = {"pysym.Engine", sizeof(EngineObject), 0, Py_TPFLAGS_DEFAULT,
                                   EngineSlots};
  return addType(Module, &EngineSpec, &EngineType, "Engine") && addModuleHandleType(Module);
}

}  // namespace pysym::python
