#include "pysym/jitlink/compiler.h"

#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

namespace pysym {

void DiagnosticCollector::installIn(llvm::LLVMContext &Context) {
  Context.setDiagnosticHandler(std::make_unique<DiagnosticCollector>());
}

std::vector<std::string> DiagnosticCollector::takeErrorsOf(llvm::LLVMContext &Context) {
  // dynamic_cast: a context made elsewhere may carry any handler.
  auto *Collector =
      dynamic_cast<DiagnosticCollector *>(const_cast<llvm::DiagnosticHandler *>(
          Context.getDiagHandlerPtr()));
  if (!Collector)
    return {};
  std::lock_guard<std::mutex> Guard(Collector->Lock);
  return std::exchange(Collector->Errors, {});
}

bool DiagnosticCollector::handleDiagnostics(const llvm::DiagnosticInfo &Info) {
  if (Info.getSeverity() != llvm::DS_Error)
    return true;  // handled: warnings and remarks are not the host's output
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  llvm::DiagnosticPrinterRawOStream Printer(Out);
  Info.print(Printer);
  Out.flush();
  std::lock_guard<std::mutex> Guard(Lock);
  Errors.push_back(std::move(Text));
  return true;
}

static llvm::OptimizationLevel optimizationLevel(unsigned Level) {
  switch (Level) {
  case 0: return llvm::OptimizationLevel::O0;
  case 1: return llvm::OptimizationLevel::O1;
  case 2: return llvm::OptimizationLevel::O2;
  default: return llvm::OptimizationLevel::O3;
  }
}

llvm::Error optimizeModule(llvm::Module &M, unsigned Level,
                           llvm::orc::JITTargetMachineBuilder Target) {
  auto Machine = Target.createTargetMachine();
  if (!Machine)
    return Machine.takeError();
  llvm::LoopAnalysisManager Loops;
  llvm::FunctionAnalysisManager Functions;
  llvm::CGSCCAnalysisManager SCCs;
  llvm::ModuleAnalysisManager Modules;
  llvm::PassBuilder Builder(Machine->get());
  Builder.registerModuleAnalyses(Modules);
  Builder.registerCGSCCAnalyses(SCCs);
  Builder.registerFunctionAnalyses(Functions);
  Builder.registerLoopAnalyses(Loops);
  Builder.crossRegisterProxies(Loops, Functions, SCCs, Modules);
  llvm::ModulePassManager Pipeline =
      Level == 0 ? Builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                 : Builder.buildPerModuleDefaultPipeline(optimizationLevel(Level));
  Pipeline.run(M, Modules);
  return llvm::Error::success();
}

CheckedCompiler::CheckedCompiler(llvm::orc::JITTargetMachineBuilder Target)
    : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(Target.getOptions())),
      Target(std::move(Target)) {}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> CheckedCompiler::operator()(llvm::Module &M) {
  // A copy per call: createTargetMachine is not const, and ORC may compile
  // on several threads at once.
  auto Machine = llvm::orc::JITTargetMachineBuilder(Target).createTargetMachine();
  if (!Machine)
    return Machine.takeError();
  llvm::orc::SimpleCompiler Compile(**Machine);
  auto Object = Compile(M);
  std::vector<std::string> Errors = DiagnosticCollector::takeErrorsOf(M.getContext());
  if (!Errors.empty()) {
    std::string Message = "module '" + M.getModuleIdentifier() + "' does not compile:";
    for (const std::string &Error : Errors)
      Message += "\n  " + Error;
    if (!Object)  // the diagnostics already say why
      llvm::consumeError(Object.takeError());
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
  }
  return Object;
}

}  // namespace pysym
