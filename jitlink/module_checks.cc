#include "pysym/jitlink/module_checks.h"

#include <vector>

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/CallingConv.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "pysym/jitlink/engine_errors.h"
#include "third_party/llvm/compat.h"

namespace pysym {

namespace {

// The widest integer LLVM 14's x86-64 backend divides or converts to and
// from floating point: beyond it there is no library call, and it aborts.
constexpr unsigned WidestLoweredInteger = 128;

llvm::Error reject(llvm::StringRef Name, const llvm::Twine &Why) {
  return rejectInput(RejectedInputError::Check::Module, "module '" + Name + "'", Why);
}

bool isImplementedCallingConvention(unsigned CC) {
  switch (CC) {
  case llvm::CallingConv::C:
  case llvm::CallingConv::Fast:
  case llvm::CallingConv::Cold:
  case llvm::CallingConv::GHC:
  case llvm::CallingConv::PreserveMost:
  case llvm::CallingConv::PreserveAll:
  case llvm::CallingConv::Swift:
  case llvm::CallingConv::SwiftTail:
  case llvm::CallingConv::Tail:
  case llvm::CallingConv::X86_64_SysV:
    return true;
  default:
    return false;
  }
}

// The host features an x86 intrinsic family (llvm.x86.<family>.*) needs.
// Families not listed need the feature of their own name; the baseline
// families of x86-64 need nothing.
std::vector<llvm::StringRef> featuresForX86Family(llvm::StringRef Family) {
  if (Family == "sse" || Family == "sse2" || Family == "mmx")
    return {};
  if (Family == "sse41")
    return {"sse4.1"};
  if (Family == "sse42")
    return {"sse4.2"};
  if (Family == "aesni")
    return {"aes"};
  if (Family == "avx512")  // the unsuffixed family spans these extensions
    return {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"};
  return {Family};
}

llvm::Error checkIntrinsic(const llvm::Function &F, llvm::StringRef Name,
                           const llvm::StringSet<> &HostFeatures) {
  if (!F.isIntrinsic() || !llvm::Function::isTargetIntrinsic(F.getIntrinsicID()))
    return llvm::Error::success();
  llvm::StringRef Rest = F.getName().drop_front(llvm::StringRef("llvm.").size());
  auto [Target, AfterTarget] = Rest.split('.');
  if (Target != "x86")
    return reject(Name, "calls " + F.getName() + ", an intrinsic of the " + Target +
                            " target; this JIT compiles for x86-64");
  llvm::StringRef Family = AfterTarget.split('.').first;
  for (llvm::StringRef Feature : featuresForX86Family(Family))
    if (!HostFeatures.contains(Feature))
      return reject(Name, "calls " + F.getName() + ", which needs the CPU feature '" + Feature +
                              "' that this host lacks");
  return llvm::Error::success();
}

bool isWideInteger(const llvm::Type *T) {
  const llvm::Type *Scalar = T->getScalarType();
  return Scalar->isIntegerTy() && Scalar->getIntegerBitWidth() > WidestLoweredInteger;
}

// Whether an operation with this opcode on these types needs a library call
// that LLVM 14 does not have.
bool needsMissingLibcall(unsigned Opcode, const llvm::Type *Result, const llvm::Type *Operand) {
  switch (Opcode) {
  case llvm::Instruction::UDiv:
  case llvm::Instruction::SDiv:
  case llvm::Instruction::URem:
  case llvm::Instruction::SRem:
  case llvm::Instruction::FPToUI:
  case llvm::Instruction::FPToSI:
    return isWideInteger(Result);
  case llvm::Instruction::UIToFP:
  case llvm::Instruction::SIToFP:
    return isWideInteger(Operand);
  default:
    return false;
  }
}

// Looks through constant expressions too: the backend lowers them like
// instructions.
bool usesMissingLibcall(const llvm::User &U, unsigned Depth = 0) {
  const llvm::Type *Operand = U.getNumOperands() ? U.getOperand(0)->getType() : U.getType();
  if (const auto *I = llvm::dyn_cast<llvm::Instruction>(&U))
    if (needsMissingLibcall(I->getOpcode(), I->getType(), Operand))
      return true;
  if (const auto *CE = llvm::dyn_cast<llvm::ConstantExpr>(&U))
    if (needsMissingLibcall(CE->getOpcode(), CE->getType(), Operand))
      return true;
  if (Depth > 16)  // constant expressions nest; deeper ones are not worth the time
    return false;
  for (const llvm::Use &Op : U.operands())
    if (const auto *CE = llvm::dyn_cast<llvm::ConstantExpr>(Op.get()))
      if (usesMissingLibcall(*CE, Depth + 1))
        return true;
  return false;
}

llvm::Error checkFunction(const llvm::Function &F, llvm::StringRef Name,
                          const llvm::StringSet<> &HostFeatures) {
  if (auto Err = checkIntrinsic(F, Name, HostFeatures))
    return Err;
  if (!isImplementedCallingConvention(F.getCallingConv()))
    return reject(Name, "function " + F.getName() + " uses calling convention " +
                            llvm::Twine(F.getCallingConv()) +
                            ", which the x86-64 backend does not implement");
  if (F.hasGC())
    return reject(Name, "function " + F.getName() + " uses the garbage collector '" + F.getGC() +
                            "'; this JIT supports none");
  for (const llvm::Instruction &I : llvm::instructions(F)) {
    if (usesMissingLibcall(I))
      return reject(Name, "function " + F.getName() +
                              " divides or converts an integer wider than 128 bits, which "
                              "LLVM 14 cannot compile for x86-64");
    if (const auto *Call = llvm::dyn_cast<llvm::CallBase>(&I))
      if (!isImplementedCallingConvention(Call->getCallingConv()))
        return reject(Name, "function " + F.getName() + " makes a call with calling convention " +
                                llvm::Twine(Call->getCallingConv()) +
                                ", which the x86-64 backend does not implement");
  }
  return llvm::Error::success();
}

llvm::Error checkTarget(const llvm::Module &M, llvm::StringRef Name, const JitTarget &Target) {
  if (!M.getTargetTriple().empty()) {
    llvm::Triple Wanted(M.getTargetTriple());
    const bool SameOS = Wanted.getOS() == llvm::Triple::UnknownOS ||
                        Wanted.getOS() == Target.Triple.getOS();
    if (Wanted.getArch() != Target.Triple.getArch() || !SameOS ||
        Wanted.getObjectFormat() != Target.Triple.getObjectFormat())
      return reject(Name, "its target triple " + M.getTargetTriple() +
                              " is incompatible with the JIT's " + Target.Triple.str());
  }
  if (!M.getDataLayoutStr().empty() && M.getDataLayout() != Target.Layout)
    return reject(Name, "its data layout \"" + M.getDataLayoutStr() +
                            "\" differs from the JIT's \"" +
                            Target.Layout.getStringRepresentation() + "\"");
  return llvm::Error::success();
}

std::string escapedName(llvm::StringRef Name) {
  std::string Escaped;
  llvm::raw_string_ostream Out(Escaped);
  Out.write_escaped(Name);
  return Out.str();
}

}  // namespace

llvm::Error checkModule(const llvm::Module &M, llvm::StringRef Name, const JitTarget &Target) {
  std::string Problems;
  llvm::raw_string_ostream Out(Problems);
  bool BrokenDebugInfo = false;
  if (llvm::verifyModule(M, &Out, &BrokenDebugInfo)) {
    Out.flush();
    return reject(Name, "invalid IR: " + llvm::StringRef(Problems).rtrim());
  }
  if (auto Err = checkTarget(M, Name, Target))
    return Err;

  llvm::StringSet<> HostFeatures;
  for (const std::string &Feature : Target.Features.getFeatures())
    if (llvm_compat::startsWith(Feature, "+"))
      HostFeatures.insert(llvm::StringRef(Feature).drop_front());
  for (const llvm::Function &F : M)
    if (auto Err = checkFunction(F, Name, HostFeatures))
      return Err;

  for (const llvm::GlobalValue &G : M.global_values())
    if (G.getName().contains('\0'))
      return reject(Name, "the name \"" + escapedName(G.getName()) +
                              "\" holds a NUL byte, which an object file's symbol table cannot "
                              "hold (its names end at the first NUL)");
  for (const llvm::GlobalVariable &G : M.globals())
    if (G.isThreadLocal())
      return reject(Name, "global " + G.getName() +
                              " is thread-local, which this JIT cannot link");
  for (llvm::StringRef Table : {"llvm.global_ctors", "llvm.global_dtors"})
    if (const llvm::GlobalVariable *G = M.getNamedGlobal(Table))
      if (G->hasInitializer() && !G->getInitializer()->isNullValue())
        return reject(Name, "it has static constructors or destructors (" + Table +
                                "), which this JIT does not run");
  return llvm::Error::success();
}

void prepareModule(llvm::Module &M, const JitTarget &Target) {
  if (M.getTargetTriple().empty())
    M.setTargetTriple(Target.Triple.str());
  if (M.getDataLayoutStr().empty())
    M.setDataLayout(Target.Layout);

  // What llvm::UpgradeDebugInfo does, without its printing to stderr.
  bool BrokenDebugInfo = false;
  if (llvm::getDebugMetadataVersionFromModule(M) != llvm::DEBUG_METADATA_VERSION ||
      (llvm::verifyModule(M, nullptr, &BrokenDebugInfo), BrokenDebugInfo))
    llvm::StripDebugInfo(M);

  std::vector<llvm::GlobalValue *> Promised;
  for (llvm::GlobalValue &G : M.global_values()) {
    if (G.isDeclaration()) {
      // Non-default visibility implies dso_local, so it goes too.
      G.setVisibility(llvm::GlobalValue::DefaultVisibility);
      G.setDSOLocal(false);
      continue;
    }
    if (G.hasLocalLinkage() || G.hasAvailableExternallyLinkage() || G.hasAppendingLinkage())
      continue;
    if (G.isDiscardableIfUnused())
      Promised.push_back(&G);
  }
  if (!Promised.empty())
    llvm::appendToCompilerUsed(M, Promised);
}

}  // namespace pysym
