// Links the matrix's cases through pysym's Engine and Resolver in an embedded interpreter.
#include "tests/matrix/host_session.h"

#include <utility>
#include <vector>

#include "pysym/jitlink/core_error.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/resolver/exposure.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"

namespace pysym::matrix {
namespace {

using testing::PyObjectPtr;

// The matrix_check.Matrix object lives in __main__ under this name.
constexpr const char *MatrixName = "__pysym_matrix__";
// A wrapped kernel waits in __main__ under this name while it is judged.
constexpr const char *KernelName = "__pysym_kernel__";
constexpr int MethVarargsAndKeywords = 0x0001 | 0x0002;  // METH_VARARGS | METH_KEYWORDS
constexpr Linker Linkers[] = {Linker::RuntimeDyld, Linker::JITLink};

llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

// matrix_check's names for the linkers, as pysym.Engine(linker=...) spells them.
llvm::StringRef linkerName(Linker L) { return L == Linker::JITLink ? "jitlink" : "rtdyld"; }

// A Python expression for any text, whatever bytes it holds.
std::string pythonText(llvm::StringRef Text) {
  return "bytes.fromhex('" + llvm::toHex(Text, /*LowerCase=*/true) +
         "').decode('utf-8', 'replace')";
}

// A Python string literal for a plain name (plan.h guarantees no quote or
// backslash can occur).
std::string pythonName(llvm::StringRef PlainName) { return "'" + PlainName.str() + "'"; }

llvm::Expected<std::string> readFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read %s", Path.c_str());
  return (*Buffer)->getBuffer().str();
}

}  // namespace

llvm::Expected<std::unique_ptr<HostSession>> HostSession::start(testing::Flavor F,
                                                                llvm::StringRef Library,
                                                                const HostPaths &Paths) {
  auto Started = testing::EmbeddedPython::start(F, Library);
  if (!Started)
    return Started.takeError();
  // Never freed: the interpreter outlives everything that points into it.
  testing::EmbeddedPython &Python = *Started->release();
  if (F == testing::Flavor::PyPy)
    if (auto E = Python.run("import cpyext"))
      return E;
  if (!Python.cApiReady())
    return makeError("the C API of " + Library + " did not start");
  auto TheResolver = Resolver::forCurrentProcess();
  if (!TheResolver)
    return toLlvmError(TheResolver.takeError());
  std::unique_ptr<HostSession> Session(new HostSession(Python, std::move(*TheResolver), Paths));
  for (Linker L : Linkers) {
    auto Jit = Engine::create(*Session->TheResolver, EngineOptions{2, L});
    if (!Jit)
      return Jit.takeError();
    Session->Engines[L] = std::move(*Jit);
  }
  const std::string How = "C++ host embedding " + Library.str() + " RTLD_LOCAL";
  if (auto E = Python.run("import sys\n"
                          "sys.dont_write_bytecode = True\n"
                          "sys.path.insert(0, " + pythonText(Paths.CheckerDir) + ")\n"
                          "import matrix_check\n" +
                          MatrixName + " = matrix_check.Matrix(" + pythonText(Paths.Manifest) +
                          ", " + pythonText(Paths.Kernels) + ", " + pythonText(Paths.Results) +
                          ", " + pythonText(Paths.Column) + ", " + pythonText(How) + ")\n"))
    return E;
  return Session;
}

llvm::Error HostSession::runAll() {
  auto PlanText = evaluateText(std::string(MatrixName) + ".plan()");
  if (!PlanText)
    return PlanText.takeError();
  auto Plan = parsePlan(*PlanText);
  if (!Plan)
    return Plan.takeError();
  for (const PlannedCase &Case : *Plan) {
    for (Linker L : Linkers) {
      const std::string Where = pythonName(Case.Name) + ", " + pythonName(linkerName(L));
      if (auto E = call("begin", Where))
        return E;
      if (llvm::Error Failed = runCase(Case, L)) {
        // The case's own failure is its verdict; only failing to record it ends the run.
        if (auto E = call("record_failure",
                          Where + ", " + pythonText(llvm::toString(std::move(Failed)))))
          return E;
      }
    }
  }
  if (llvm::Error E = exposeAndJudge(*Plan))
    return E;
  return call("finish", "");
}

llvm::Error HostSession::exposeAndJudge(const std::vector<PlannedCase> &Plan) {
  auto Report = exposeToProcess(*TheResolver);
  if (!Report)
    return call("record_exposure_failure", pythonText(pysym::toString(Report.takeError())));
  // Every name a case checks, with the resolver's answer; matrix_check keeps
  // those it expects the interpreter or a substitute to answer.
  std::string Answers = "{";
  for (const PlannedCase &Case : Plan)
    for (const std::string &Name : Case.StatusNames)
      Answers += pythonText(Name) + ": " + std::to_string(TheResolver->find(Name).Address) + ", ";
  return call("judge_exposure", Answers + "}");
}

llvm::Error HostSession::runCase(const PlannedCase &Case, Linker Link) {
  std::vector<std::string> Registered;
  llvm::Error Result = registerAll(Case, Registered);
  if (!Result)
    Result = linkAndJudge(Case, Link, observedStatuses(Case));
  // Later cases, and the interpreter's own cells, must not see this case's names.
  // Removing an object registration releases the resolver's reference: GIL.
  if (!Registered.empty()) {
    auto Gil = Python.holdGil();
    if (!Gil)
      return llvm::joinErrors(std::move(Result), Gil.takeError());
    for (const std::string &Name : Registered)
      TheResolver->removeSymbol(Name);
  }
  return Result;
}

llvm::Error HostSession::registerAll(const PlannedCase &Case,
                                     std::vector<std::string> &Registered) {
  for (const FunctionRegistration &F : Case.Functions) {
    FoundSymbol Target = TheResolver->find(F.Target);
    if (!Target.found())
      return makeError("cannot register " + F.Name + ": " + F.Target + " does not resolve");
    if (Error E = TheResolver->addSymbol(F.Name, Target.Address))
      return toLlvmError(std::move(E));
    Registered.push_back(F.Name);
  }
  for (const std::string &Name : Case.Objects) {
    auto Object = Python.evaluate(std::string(MatrixName) + ".registered_object(" +
                                  pythonName(Case.Name) + ", " + pythonName(Name) + ")");
    if (!Object)
      return Object.takeError();
    // Registering takes a reference to the object, so it needs the GIL.
    auto Gil = Python.holdGil();
    if (!Gil)
      return Gil.takeError();
    llvm::Error Added = toLlvmError(TheResolver->addObjectSymbol(Name, *Object, /*AllowOverride=*/true));
    // The resolver holds its own reference once registered.
    Python.api<void(PyObjectPtr)>("Py_DecRef")(*Object);
    if (Added)
      return Added;
    Registered.push_back(Name);
  }
  return llvm::Error::success();
}

std::string HostSession::observedStatuses(const PlannedCase &Case) const {
  std::string Literal = "{";
  for (const std::string &Name : Case.StatusNames)
    Literal += pythonName(Name) + ": " + pythonName(toString(TheResolver->resolve(Name).Status)) + ", ";
  return Literal + "}";
}

llvm::Error HostSession::linkAndJudge(const PlannedCase &Case, Linker Link,
                                      const std::string &Statuses) {
  auto Text = readFile(Paths.Kernels + "/" + Case.Kernel + ".ll");
  if (!Text)
    return Text.takeError();
  Engine &Jit = *Engines.at(Link);
  auto Module = Jit.addIR(*Text, Case.Kernel);
  if (!Module)
    return Module.takeError();
  auto Address = Jit.lookup(*Module, Case.Entry);
  if (Address)
    return judgeCall(Case, Link, *Address, Statuses);

  llvm::Error Failed = Address.takeError();
  if (!Failed.isA<MissingSymbolsError>())
    return Failed;
  std::string Missing = "[";
  std::string Message;
  llvm::handleAllErrors(std::move(Failed), [&](const MissingSymbolsError &E) {
    for (const Resolution &R : E.missing())
      Missing += pythonText(R.Name) + ", ";
    Message = E.message();
  });
  return call("judge_link_failure", pythonName(Case.Name) + ", " + pythonName(linkerName(Link)) + ", " +
                                        Missing + "], " + pythonText(Message) + ", " + Statuses);
}

llvm::Error HostSession::judgeCall(const PlannedCase &Case, Linker Link, std::uint64_t Address,
                                   const std::string &Statuses) {
  FoundSymbol NewFunction = TheResolver->find("PyCFunction_NewEx");
  if (!NewFunction.found())
    return makeError("PyCFunction_NewEx does not resolve, so kernels cannot be wrapped");
  MethodNames.push_back(Case.Entry);
  Methods.push_back({MethodNames.back().c_str(), reinterpret_cast<void *>(Address),
                     MethVarargsAndKeywords, nullptr});
  {
    auto Gil = Python.holdGil();
    if (!Gil)
      return Gil.takeError();
    using NewExFn = PyObjectPtr(void *, PyObjectPtr, PyObjectPtr);
    PyObjectPtr Function = reinterpret_cast<NewExFn *>(NewFunction.Address)(&Methods.back(),
                                                                              nullptr, nullptr);
    PyObjectPtr Main = Python.api<PyObjectPtr(const char *)>("PyImport_AddModule")("__main__");
    int Stored = -1;
    if (Function && Main)
      Stored = Python.api<int(PyObjectPtr, const char *, PyObjectPtr)>("PyObject_SetAttrString")(
          Main, KernelName, Function);
    if (Function)
      Python.api<void(PyObjectPtr)>("Py_DecRef")(Function);
    if (Stored != 0) {
      Python.api<void()>("PyErr_Clear")();
      return makeError("cannot wrap " + Case.Entry + " as a builtin function in __main__");
    }
  }
  llvm::Error Judged = call("judge_call", pythonName(Case.Name) + ", " + pythonName(linkerName(Link)) +
                                              ", " + KernelName + ", " + Statuses);
  llvm::Error Deleted = Python.run(std::string("del ") + KernelName);
  if (Judged) {
    llvm::consumeError(std::move(Deleted));  // the judgement's failure says more
    return Judged;
  }
  return Deleted;
}

llvm::Expected<std::string> HostSession::evaluateText(llvm::StringRef Expression) {
  auto Value = Python.evaluate(Expression);
  if (!Value)
    return Value.takeError();
  auto Gil = Python.holdGil();
  if (!Gil)
    return Gil.takeError();
  const char *Utf8 = Python.api<const char *(PyObjectPtr)>("PyUnicode_AsUTF8")(*Value);
  std::string Text = Utf8 ? Utf8 : "";
  if (!Utf8)
    Python.api<void()>("PyErr_Clear")();
  Python.api<void(PyObjectPtr)>("Py_DecRef")(*Value);
  if (!Utf8)
    return makeError(Expression + " is not text");
  return Text;
}

llvm::Error HostSession::call(const llvm::Twine &Method, const llvm::Twine &Arguments) {
  return Python.run((llvm::Twine(MatrixName) + "." + Method + "(" + Arguments + ")").str());
}

}  // namespace pysym::matrix
