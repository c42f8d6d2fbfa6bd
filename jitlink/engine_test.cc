// The engine's contract: inputs that must fail cleanly, module lifetime,
// JITDylib isolation, and what it links against. The interpreter only has
// to be there for the Resolver, so this runs in CPython alone (BUILD).
#include "pysym/jitlink/engine.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/testing/object_testing.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "tests/error_testing.h"

// Exported from the test binary (BUILD: --export-dynamic-symbol), so that
// dlsym(RTLD_DEFAULT) finds it: a process-symbols generator would link it.
extern "C" __attribute__((visibility("default"), used)) int PyPysym_ProcessOnly() { return 7; }

namespace pysym::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char *Answer = R"(
define i64 @answer() {
  ret i64 42
}
)";

// Sum of 0..n-1, with a loop for the optimizer to work on.
constexpr const char *Triangle = R"(
define i64 @triangle(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %total = phi i64 [ 0, %entry ], [ %sum, %loop ]
  %sum = add i64 %total, %i
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, %n
  br i1 %more, label %loop, label %done
done:
  ret i64 %sum
}
)";

// Whether the page holding Address is mapped in this process.
bool isMapped(std::uint64_t Address) {
  const long Page = ::sysconf(_SC_PAGESIZE);
  void *Start = reinterpret_cast<void *>(Address & ~static_cast<std::uint64_t>(Page - 1));
  return ::msync(Start, static_cast<std::size_t>(Page), MS_ASYNC) == 0;
}

std::vector<std::uint8_t> bytesOf(llvm::StringRef Text) {
  return std::vector<std::uint8_t>(Text.bytes_begin(), Text.bytes_end());
}

class EngineTest : public ::testing::TestWithParam<Linker> {
protected:
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    TheResolver = N;
    auto Created = Engine::create(*TheResolver, EngineOptions{2, GetParam()});
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
    ::testing::internal::CaptureStderr();
  }
  void TearDown() override {
    if (Jit) {  // every failure must have been returned, none printed
      EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    }
  }

  // Adding `IR` fails with a message containing `Fragment`.
  ::testing::AssertionResult addFails(llvm::StringRef IR, llvm::StringRef Fragment) {
    auto Added = Jit->addIR(IR, "bad");
    return failedWith(Added, Fragment);
  }

  Resolver *TheResolver = nullptr;
  std::unique_ptr<Engine> Jit;
};

TEST_P(EngineTest, CompilesWithTheModelsItsLinkerNeeds) {
  if (GetParam() == Linker::RuntimeDyld) {
    EXPECT_EQ(Jit->codeModel(), llvm::CodeModel::Large);
    EXPECT_EQ(Jit->relocationModel(), llvm::Reloc::Static);
  } else {
    EXPECT_EQ(Jit->codeModel(), llvm::CodeModel::Small);
    EXPECT_EQ(Jit->relocationModel(), llvm::Reloc::PIC_);
  }
}

TEST_P(EngineTest, RunsTheSameKernelAtEveryOptimisationLevel) {
  for (unsigned Level = 0; Level <= 3; ++Level) {
    auto Leveled = Engine::create(*TheResolver, EngineOptions{Level, GetParam()});
    ASSERT_TRUE(succeeded(Leveled));
    auto Module = (*Leveled)->addIR(Triangle, "triangle");
    ASSERT_TRUE(succeeded(Module));
    auto Address = (*Leveled)->lookup(*Module, "triangle");
    ASSERT_TRUE(succeeded(Address)) << "level " << Level;
    EXPECT_EQ(kernel<std::int64_t(std::int64_t)>(*Address)(100), 4950) << "level " << Level;
  }
  EXPECT_TRUE(failedWith(Engine::create(*TheResolver, EngineOptions{4, GetParam()}).takeError(),
                         "optimisation level 4"));
}

TEST_P(EngineTest, RefusesIRThatDoesNotParse) {
  EXPECT_TRUE(addFails("define i64 @f() {\n  ret i64 %nowhere\n}\n", "bad:2:"));
  EXPECT_TRUE(addFails("this is not IR", "IR does not parse"));
  EXPECT_TRUE(addFails(llvm::StringRef("define void @f() {\0}", 20), "NUL byte"));
}

TEST_P(EngineTest, RefusesModulesTheVerifierRejects) {
  constexpr const char *UseBeforeDefinition = R"(
define i32 @f(i32 %a) {
entry:
  br label %next
next:
  ret i32 %x
other:
  %x = add i32 %a, 1
  br label %next
}
)";
  EXPECT_TRUE(addFails(UseBeforeDefinition, "does not dominate"));
  // The same with current debug info: LLVM 14's own readers would verify it
  // in UpgradeDebugInfo and call report_fatal_error.
  const std::string WithDebugInfoVersion =
      std::string(UseBeforeDefinition) +
      "!llvm.module.flags = !{!0}\n!0 = !{i32 2, !\"Debug Info Version\", i32 3}\n";
  EXPECT_TRUE(addFails(WithDebugInfoVersion, "invalid IR"));
}

TEST_P(EngineTest, RefusesModulesForAnotherTargetOrLayout) {
  EXPECT_TRUE(addFails(std::string("target triple = \"aarch64-unknown-linux-gnu\"\n") + Answer,
                       "target triple aarch64-unknown-linux-gnu is incompatible"));
  EXPECT_TRUE(addFails(std::string("target datalayout = \"E-m:e-i64:64-n32:64\"\n") + Answer,
                       "data layout"));
  // A vendor the JIT does not spell the same way is still this target.
  auto Added = Jit->addIR(std::string("target triple = \"x86_64-unknown-linux-gnu\"\n") + Answer,
                          "answer");
  EXPECT_TRUE(succeeded(Added));
}

TEST_P(EngineTest, RefusesWhatLLVM14WouldAbortOn) {
  EXPECT_TRUE(addFails(R"(
declare <4 x float> @llvm.aarch64.neon.frecpe.v4f32(<4 x float>)
define <4 x float> @f(<4 x float> %a) {
  %r = call <4 x float> @llvm.aarch64.neon.frecpe.v4f32(<4 x float> %a)
  ret <4 x float> %r
}
)",
                       "intrinsic of the aarch64 target"));
  EXPECT_TRUE(addFails(R"(
define i256 @f(i256 %a, i256 %b) {
  %r = udiv i256 %a, %b
  ret i256 %r
}
)",
                       "wider than 128 bits"));
  EXPECT_TRUE(addFails(R"(
define double @f(i129 %a) {
  %r = sitofp i129 %a to double
  ret double %r
}
)",
                       "wider than 128 bits"));
  EXPECT_TRUE(addFails("define cc 200 void @f() {\n  ret void\n}\n", "calling convention 200"));
  EXPECT_TRUE(addFails("define void @f() gc \"bogus\" {\n  ret void\n}\n", "garbage collector"));
  EXPECT_TRUE(addFails("@x = thread_local global i32 0\n", "thread-local"));
  EXPECT_TRUE(addFails(R"(
define void @init() {
  ret void
}
@llvm.global_ctors = appending global [1 x { i32, void ()*, i8* }] [{ i32, void ()*, i8* } { i32 65535, void ()* @init, i8* null }]
)",
                       "static constructors"));
}

TEST_P(EngineTest, ReportsCodeGeneratorErrorsAtLookupInsteadOfExiting) {
  auto Module = Jit->addIR(R"(
define void @bad_asm() {
  call void asm sideeffect "bogus_instruction %eax", ""()
  ret void
}
)",
                           "bad_asm");
  ASSERT_TRUE(succeeded(Module));
  EXPECT_TRUE(failedWith(Jit->lookup(*Module, "bad_asm").takeError(),
                         "invalid instruction mnemonic 'bogus_instruction'"));
}

TEST_P(EngineTest, AddsBitcodeAndRefusesBytesThatAreNot) {
  llvm::LLVMContext Context;
  llvm::SMDiagnostic Diagnostic;
  auto M = llvm::parseAssemblyString(Answer, Diagnostic, Context);
  ASSERT_NE(M, nullptr);
  llvm::SmallVector<char, 0> Bitcode;
  llvm::raw_svector_ostream Out(Bitcode);
  llvm::WriteBitcodeToFile(*M, Out);
  std::vector<std::uint8_t> Bytes(Bitcode.begin(), Bitcode.end());

  auto Module = Jit->addBitcode(Bytes, "answer_bc");
  ASSERT_TRUE(succeeded(Module));
  auto Address = Jit->lookup(*Module, "answer");
  ASSERT_TRUE(succeeded(Address));
  EXPECT_EQ(kernel<std::int64_t()>(*Address)(), 42);

  std::vector<std::uint8_t> Truncated(Bytes.begin(), Bytes.begin() + Bytes.size() / 2);
  EXPECT_TRUE(failedWith(Jit->addBitcode(Truncated, "half").takeError(), "module 'half'"));
  EXPECT_TRUE(failedWith(Jit->addBitcode(bytesOf(Answer), "text").takeError(),
                         "not LLVM bitcode"));
  std::vector<std::uint8_t> Scrambled = Bytes;
  for (std::size_t I = 8; I < Scrambled.size(); I += 7)
    Scrambled[I] ^= 0x5a;
  auto Added = Jit->addBitcode(Scrambled, "scrambled");
  EXPECT_FALSE(Added);
  if (!Added) {
    EXPECT_THAT(llvm::toString(Added.takeError()), HasSubstr("module 'scrambled'"));
  }
}

TEST_P(EngineTest, AddsObjectsAndRefusesTruncatedOrForeignOnes) {
  auto Object = compileToObject(Answer, Jit->codeModel(), Jit->relocationModel());
  ASSERT_TRUE(succeeded(Object));
  auto Module = Jit->addObject(*Object, "answer_o");
  ASSERT_TRUE(succeeded(Module));
  auto Address = Jit->lookup(*Module, "answer");
  ASSERT_TRUE(succeeded(Address));
  EXPECT_EQ(kernel<std::int64_t()>(*Address)(), 42);

  std::vector<std::uint8_t> Truncated(Object->begin(), Object->begin() + Object->size() / 2);
  EXPECT_TRUE(failedWith(Jit->addObject(Truncated, "half.o").takeError(), "object 'half.o'"));
  std::vector<std::uint8_t> Foreign = *Object;
  Foreign[18] = 183;  // e_machine: EM_AARCH64
  Foreign[19] = 0;
  EXPECT_TRUE(failedWith(Jit->addObject(Foreign, "arm.o").takeError(), "is not x86-64"));
  EXPECT_TRUE(failedWith(Jit->addObject(bytesOf("hello"), "hello.o").takeError(),
                         "object 'hello.o'"));
}

TEST_P(EngineTest, NeverLinksFarDataThroughA32BitDisplacementWithRuntimeDyld) {
  // Small code model, static relocations: the class in PyExc_TypeError is
  // loaded through R_X86_64_PC32, which RuntimeDyld would truncate for data
  // more than 2 GiB away, and None's address is an R_X86_64_32 immediate.
  for (const char *IR : {R"(
@PyExc_TypeError = external dso_local global i8*
define i8* @type_error_class() {
  %class = load i8*, i8** @PyExc_TypeError
  ret i8* %class
}
)",
                         R"(
@_Py_NoneStruct = external dso_local global i8
define i8* @none_address() {
  ret i8* @_Py_NoneStruct
}
)"}) {
    auto Object = compileToObject(IR, llvm::CodeModel::Small, llvm::Reloc::Static);
    ASSERT_TRUE(succeeded(Object));
    auto Module = Jit->addObject(*Object, "small.o");
    if (GetParam() == Linker::RuntimeDyld) {
      EXPECT_TRUE(failedWith(Module, "silently truncate"));
      continue;
    }
    // JITLink checks each fixup: the value is right, or it says why not.
    ASSERT_TRUE(succeeded(Module));
    const bool IsNone = llvm::StringRef(IR).contains("none_address");
    auto Address = Jit->lookup(*Module, IsNone ? "none_address" : "type_error_class");
    if (!Address) {
      const std::string Message = llvm::toString(Address.takeError());
      EXPECT_TRUE(llvm::StringRef(Message).contains("out of range") ||
                  llvm::StringRef(Message).contains("Unsupported x86-64 relocation"))
          << Message;
      continue;
    }
    const std::uint64_t Cell = TheResolver->resolve(IsNone ? "_Py_NoneStruct" : "PyExc_TypeError").Address;
    void *Expected = IsNone ? reinterpret_cast<void *>(Cell) : *reinterpret_cast<void **>(Cell);
    EXPECT_EQ(kernel<void *()>(*Address)(), Expected);
  }
}

TEST_P(EngineTest, ModulesBesideEachOtherLinkButCannotRedefine) {
  auto First = Jit->addIR(Answer, "first");
  ASSERT_TRUE(succeeded(First));
  auto Clash = Jit->addIR(Answer, "second", *First);
  EXPECT_TRUE(failedWith(Clash, "module 'second' defines 'answer', which module 'first' (#"));
  auto User = Jit->addIR(R"(
declare i64 @answer()
define i64 @twice() {
  %a = call i64 @answer()
  %r = mul i64 %a, 2
  ret i64 %r
}
)",
                         "user", *First);
  ASSERT_TRUE(succeeded(User));
  auto Twice = Jit->lookup(*User, "twice");
  ASSERT_TRUE(succeeded(Twice));
  EXPECT_EQ(kernel<std::int64_t()>(*Twice)(), 84);
}

TEST_P(EngineTest, TwoModulesMayDefineTheSameName) {
  auto One = Jit->addIR(Answer, "one");
  auto Other = Jit->addIR("define i64 @answer() {\n  ret i64 7\n}\n", "other");
  ASSERT_TRUE(succeeded(One));
  ASSERT_TRUE(succeeded(Other));
  auto A = Jit->lookup(*One, "answer");
  auto B = Jit->lookup(*Other, "answer");
  ASSERT_TRUE(succeeded(A));
  ASSERT_TRUE(succeeded(B));
  EXPECT_EQ(kernel<std::int64_t()>(*A)(), 42);
  EXPECT_EQ(kernel<std::int64_t()>(*B)(), 7);
  EXPECT_TRUE(failedWith(Jit->lookup("answer"), "defined by several modules"));
  EXPECT_TRUE(failedAs<AmbiguousSymbolError>(Jit->lookup("answer"), [](const auto &E) {
    return E.symbol() == "answer" && E.definers().size() == 2;
  }));
  ASSERT_TRUE(succeeded(Jit->remove(*One)));
  auto Remaining = Jit->lookup("answer");
  ASSERT_TRUE(succeeded(Remaining));
  EXPECT_EQ(*Remaining, *B);
}

// By the one-definition rule, linkonce_odr and weak_odr definitions of a name
// are interchangeable (Numba repeats NRT_incref in every module), so a lookup
// without a handle answers with the oldest live module's.
TEST_P(EngineTest, OneDefinitionRuleNamesAnswerFromTheOldestModule) {
  for (const char *Linkage : {"linkonce_odr", "weak_odr"}) {
    SCOPED_TRACE(Linkage);
    const std::string Shared = std::string("define ") + Linkage +
                               " i64 @shared() {\n  ret i64 5\n}\n"
                               "define i64 @user_";
    auto First = Jit->addIR(Shared + "a() {\n  %r = call i64 @shared()\n  ret i64 %r\n}\n",
                            "first");
    auto Second = Jit->addIR(Shared + "b() {\n  %r = call i64 @shared()\n  ret i64 %r\n}\n",
                             "second");
    ASSERT_TRUE(succeeded(First));
    ASSERT_TRUE(succeeded(Second));
    auto Definer = Jit->definer("shared");
    ASSERT_TRUE(succeeded(Definer));
    EXPECT_EQ(*Definer, *First);
    auto Any = Jit->lookup("shared");
    ASSERT_TRUE(succeeded(Any));
    auto OfFirst = Jit->lookup(*First, "shared");
    ASSERT_TRUE(succeeded(OfFirst));
    EXPECT_EQ(*Any, *OfFirst);
    EXPECT_EQ(kernel<std::int64_t()>(*Any)(), 5);
    ASSERT_TRUE(succeeded(Jit->remove(*First)));
    auto Remaining = Jit->lookup("shared");
    ASSERT_TRUE(succeeded(Remaining));
    auto OfSecond = Jit->lookup(*Second, "shared");
    ASSERT_TRUE(succeeded(OfSecond));
    EXPECT_EQ(*Remaining, *OfSecond);
    ASSERT_TRUE(succeeded(Jit->remove(*Second)));
  }
}

// One definition not by the rule makes the name ambiguous again.
TEST_P(EngineTest, AnODRDefinitionBesideAPlainOneIsAmbiguous) {
  auto Odr = Jit->addIR("define linkonce_odr i64 @answer() {\n  ret i64 42\n}\n", "odr");
  auto Plain = Jit->addIR(Answer, "plain");
  auto Weak = Jit->addIR("define weak i64 @other() {\n  ret i64 1\n}\n", "weak");
  auto WeakToo = Jit->addIR("define weak i64 @other() {\n  ret i64 2\n}\n", "weak_too");
  ASSERT_TRUE(succeeded(Odr));
  ASSERT_TRUE(succeeded(Plain));
  ASSERT_TRUE(succeeded(Weak));
  ASSERT_TRUE(succeeded(WeakToo));
  EXPECT_TRUE(failedAs<AmbiguousSymbolError>(Jit->lookup("answer")));
  EXPECT_TRUE(failedAs<AmbiguousSymbolError>(Jit->definer("answer")));
  // weak without _odr promises nothing about the other definitions.
  EXPECT_TRUE(failedAs<AmbiguousSymbolError>(Jit->lookup("other")));
}

// Each failure a caller may handle differently has its type.
TEST_P(EngineTest, FailuresHaveTheirTypes) {
  using Check = RejectedInputError::Check;
  auto checked = [](Check Expected) {
    return std::function<bool(const RejectedInputError &)>(
        [Expected](const RejectedInputError &E) { return E.check() == Expected; });
  };
  EXPECT_TRUE(failedAs<RejectedInputError>(Jit->addIR("this is not IR", "bad"), checked(Check::Parse)));
  EXPECT_TRUE(failedAs<RejectedInputError>(Jit->addBitcode(bytesOf("BC"), "bad"),
                                           checked(Check::Parse)));
  EXPECT_TRUE(failedAs<RejectedInputError>(
      Jit->addIR("define i32 @f() {\n  ret i32 %x\nother:\n  %x = add i32 1, 1\n  ret i32 %x\n}\n",
                 "unverified"),
      checked(Check::Module)));
  EXPECT_TRUE(failedAs<RejectedInputError>(Jit->addObject(bytesOf("hello"), "hello.o"),
                                           checked(Check::Object)));
  auto First = Jit->addIR(Answer, "first");
  ASSERT_TRUE(succeeded(First));
  EXPECT_TRUE(failedAs<RejectedInputError>(Jit->addIR(Answer, "second", *First),
                                           checked(Check::Definitions)));
  EXPECT_TRUE(failedAs<UndefinedSymbolError>(Jit->lookup(*First, "question"),
                                             [](const UndefinedSymbolError &E) {
                                               return E.symbol() == "question" && !E.module().empty();
                                             }));
  EXPECT_TRUE(failedAs<UndefinedSymbolError>(Jit->lookup("question"),
                                             [](const UndefinedSymbolError &E) {
                                               return E.symbol() == "question" && E.module().empty();
                                             }));
  using State = UnknownModuleError::State;
  auto inState = [](State Expected) {
    return std::function<bool(const UnknownModuleError &)>(
        [Expected](const UnknownModuleError &E) { return E.state() == Expected; });
  };
  EXPECT_TRUE(failedAs<UnknownModuleError>(Jit->lookup(ModuleHandle{9999}, "answer"),
                                           inState(State::NeverAdded)));
  EXPECT_TRUE(failedAs<UnknownModuleError>(Jit->remove(ModuleHandle{9999}), inState(State::NeverAdded)));
  ASSERT_TRUE(succeeded(Jit->remove(*First)));
  EXPECT_TRUE(failedAs<UnknownModuleError>(Jit->lookup(*First, "answer"), inState(State::Removed)));
  EXPECT_TRUE(failedAs<UnknownModuleError>(Jit->remove(*First), inState(State::Removed)));
  EXPECT_TRUE(failedAs<UnknownModuleError>(Jit->addIR(Answer, "late", *First), inState(State::Removed)));
}

TEST_P(EngineTest, LookupsOfAbsentNamesAndDeadHandlesFail) {
  auto Module = Jit->addIR(Answer, "answer");
  ASSERT_TRUE(succeeded(Module));
  EXPECT_TRUE(failedWith(Jit->lookup(*Module, "question"), "defines no symbol 'question'"));
  // A name the generator could resolve is still not the module's.
  EXPECT_TRUE(failedWith(Jit->lookup(*Module, "PyLong_FromLong"), "defines no symbol"));
  EXPECT_TRUE(failedWith(Jit->lookup("question"), "no module defines 'question'"));
  EXPECT_TRUE(failedWith(Jit->lookup(ModuleHandle{9999}, "answer"), "no module has handle #9999"));
  ASSERT_TRUE(succeeded(Jit->remove(*Module)));
  EXPECT_TRUE(failedWith(Jit->lookup(*Module, "answer"), "'answer' (#"));
  EXPECT_TRUE(failedWith(Jit->lookup(*Module, "answer"), "was removed"));
  EXPECT_TRUE(failedWith(Jit->remove(*Module), "already removed"));
  EXPECT_TRUE(failedWith(Jit->remove(ModuleHandle{9999}), "no module has handle"));
  EXPECT_TRUE(failedWith(Jit->addIR(Answer, "late", *Module), "removed"));
}

// The engine names removed modules in its errors, but keeps only the most
// recent names: a process that adds and removes kernels for ever must not
// grow (found by //jitlink:soak_benchmark, 111 bytes a kernel).
TEST_P(EngineTest, ForgetsTheNamesOfLongRemovedModulesButNotThatTheyWereRemoved) {
  auto First = Jit->addIR(Answer, "first");
  ASSERT_TRUE(succeeded(First));
  ASSERT_TRUE(succeeded(Jit->remove(*First)));
  for (int I = 0; I < 1100; ++I) {
    auto Module = Jit->addIR(Answer, "again");
    ASSERT_TRUE(succeeded(Module));
    ASSERT_TRUE(succeeded(Jit->remove(*Module)));
  }
  const std::string Handle = "#" + std::to_string(First->Id);
  EXPECT_TRUE(failedWith(Jit->lookup(*First, "answer"), "module " + Handle + " was removed"));
  EXPECT_TRUE(failedWith(Jit->remove(*First), "module " + Handle + " was already removed"));
  EXPECT_TRUE(failedWith(Jit->addIR(Answer, "late", *First), "which is removed"));
}

TEST_P(EngineTest, RemoveUnmapsTheModulesCode) {
  auto Module = Jit->addIR(Triangle, "triangle");
  ASSERT_TRUE(succeeded(Module));
  auto Address = Jit->lookup(*Module, "triangle");
  ASSERT_TRUE(succeeded(Address));
  EXPECT_EQ(kernel<std::int64_t(std::int64_t)>(*Address)(4), 6);
  ASSERT_TRUE(isMapped(*Address));
  ASSERT_TRUE(succeeded(Jit->remove(*Module)));
  EXPECT_FALSE(isMapped(*Address));
}

TEST_P(EngineTest, LinksNoProcessSymbolsOnlyWhatTheResolverAnswers) {
  ASSERT_NE(::dlsym(RTLD_DEFAULT, "PyPysym_ProcessOnly"), nullptr)
      << "precondition: the test binary exports it";
  auto Module = Jit->addIR(R"(
declare i32 @PyPysym_ProcessOnly()
define i32 @calls_process_symbol() {
  %r = call i32 @PyPysym_ProcessOnly()
  ret i32 %r
}
)",
                           "process_only");
  ASSERT_TRUE(succeeded(Module));
  auto Address = Jit->lookup(*Module, "calls_process_symbol");
  ASSERT_FALSE(Address);
  llvm::Error Err = Address.takeError();
  EXPECT_TRUE(Err.isA<MissingSymbolsError>());
  EXPECT_TRUE(failedWith(std::move(Err), "PyPysym_ProcessOnly"));

  // A system name goes through the resolver too, which finds it in libc.
  auto System = Jit->addIR(R"(
declare i32 @getpid()
define i32 @my_pid() {
  %r = call i32 @getpid()
  ret i32 %r
}
)",
                           "system");
  ASSERT_TRUE(succeeded(System));
  auto Pid = Jit->lookup(*System, "my_pid");
  ASSERT_TRUE(succeeded(Pid));
  EXPECT_EQ(kernel<int()>(*Pid)(), ::getpid());
  EXPECT_EQ(TheResolver->resolve("getpid").Status, ResolutionStatus::System);
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, EngineTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
