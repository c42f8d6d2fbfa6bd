#include "python/src/ir_queries.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "llvm/IR/GlobalValue.h"
#include "pysym/jitlink/ir_reader.h"
#include "python/src/boundary.h"
#include "python/src/engine_boundary.h"
#include "python/src/engine_state.h"

namespace pysym::python {
namespace {

PyObject *undefinedSymbols(PyObject *, PyObject *Args, PyObject *Kwargs) {
  return guarded([&]() -> PyObject * {
    PYSYM_KEYWORDS("ir", "name");
    PyObject *TextObject = nullptr;
    const char *ModuleName = "ir";
    if (!PyArg_ParseTupleAndKeywords(Args, Kwargs, "O|s:_undefined_symbols", Keywords, &TextObject,
                                     &ModuleName))
      return nullptr;
    std::string Text;
    if (!utf8Argument(TextObject, "ir", Text))
      return nullptr;
    std::vector<std::pair<std::string, bool>> Undefined;
    {
      // Parsing needs no JIT, no target and no lock: a context of its own,
      // gone before any Python object is made.
      llvm::LLVMContext Context;
      auto M = readIRText(Text, ModuleName, Context);
      if (!M)
        return raiseEngineError(M.takeError(), Core->CompileError);
      // A declaration nothing uses leaves no undefined symbol in the object
      // code; intrinsics are the code generator's, never the linker's.
      auto Add = [&](const llvm::GlobalValue &G) {
        if (G.isDeclaration() && !G.use_empty() && G.getName().substr(0, 5) != "llvm.")
          Undefined.emplace_back(llvm::GlobalValue::dropLLVMManglingEscape(G.getName()).str(),
                                 G.hasExternalWeakLinkage());
      };
      for (const llvm::Function &F : (*M)->functions())
        Add(F);
      for (const llvm::GlobalVariable &G : (*M)->globals())
        Add(G);
    }
    std::sort(Undefined.begin(), Undefined.end());
    Undefined.erase(std::unique(Undefined.begin(), Undefined.end(),
                                [](const auto &A, const auto &B) { return A.first == B.first; }),
                    Undefined.end());
    OwnedRef Result(PyList_New(0));
    if (!Result)
      return nullptr;
    for (const auto &[Name, Weak] : Undefined) {
      OwnedRef Entry(Py_BuildValue("(s#O)", Name.data(), static_cast<Py_ssize_t>(Name.size()),
                                   Weak ? Py_True : Py_False));
      if (!Entry || PyList_Append(Result.get(), Entry.get()) < 0)
        return nullptr;
    }
    return Result.release();
  });
}

PyMethodDef IrQueryFunctions[] = {
    {"_undefined_symbols",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(undefinedSymbols)),
     METH_VARARGS | METH_KEYWORDS,
     "_undefined_symbols(ir, name='ir') -> list of (name, weak)\n\nThe declarations an LLVM "
     "IR module uses, sorted; weak is True for extern_weak. pysym.CompileError when the IR "
     "does not parse. For pysym.llvmlite."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

bool addIrQueries(PyObject *Module) { return PyModule_AddFunctions(Module, IrQueryFunctions) == 0; }

}  // namespace pysym::python
