#include "pysym/jitlink/testing/object_testing.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

namespace pysym::testing {

llvm::Expected<std::vector<std::uint8_t>> compileToObject(llvm::StringRef IR,
                                                          llvm::CodeModel::Model Code,
                                                          llvm::Reloc::Model Relocation) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto Builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!Builder)
    return Builder.takeError();
  Builder->setCodeModel(Code);
  Builder->setRelocationModel(Relocation);
  auto Machine = Builder->createTargetMachine();
  if (!Machine)
    return Machine.takeError();
  llvm::LLVMContext Context;
  llvm::SMDiagnostic Diagnostic;
  auto M = llvm::parseAssemblyString(IR, Diagnostic, Context);
  if (!M)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "test IR does not parse: %s",
                                   Diagnostic.getMessage().str().c_str());
  M->setDataLayout((*Machine)->createDataLayout());
  M->setTargetTriple((*Machine)->getTargetTriple().str());
  // ORC's compiler: the same on every LLVM version, unlike the file-type
  // enum addPassesToEmitFile takes.
  auto Object = llvm::orc::SimpleCompiler(**Machine)(*M);
  if (!Object)
    return Object.takeError();
  llvm::StringRef Bytes = (*Object)->getBuffer();
  return std::vector<std::uint8_t>(Bytes.begin(), Bytes.end());
}

}  // namespace pysym::testing
