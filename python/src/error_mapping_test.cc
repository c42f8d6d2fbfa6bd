// The Python exception each typed error becomes is decided by its type, not
// its words: every error here carries the wording another type once had (the
// phrases engine_type.cc used to look for), and plain errors carry them all.
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jitlink/engine_errors.h"
#include "jitlink/missing_symbols_error.h"
#include "python/src/core_error_mapping.h"
#include "python/src/engine_error_mapping.h"
#include "resolver/exposure.h"
#include "resolver/resolution.h"

namespace pysym::python {
namespace {

// The phrases the old mapping matched in messages.
const std::vector<std::string> OldPhrases = {
    "no module defines 'f'",
    "module 'k' (#1) defines no symbol 'f'",
    "'f' is defined by several modules: 'a' (#1) 'b' (#2)",
    "cannot link module 'k': 1 symbol not found",
};

using Table = std::function<PythonException(const llvm::ErrorInfoBase &)>;

// What `Mapping` says for E, which must be one error.
PythonException mappedBy(const Table &Mapping, llvm::Error E) {
  PythonException Result = PythonException::Default;
  bool First = true;
  llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
    EXPECT_TRUE(First) << "one error expected";
    First = false;
    Result = Mapping(Info);
  });
  return Result;
}

PythonException mapped(llvm::Error E) { return mappedBy(engineExceptionFor, std::move(E)); }
PythonException mappedInCore(llvm::Error E) { return mappedBy(coreExceptionFor, std::move(E)); }

TEST(ErrorMappingTest, EngineErrorsMapByTypeWhateverTheirWording) {
  for (const std::string &Words : OldPhrases) {
    SCOPED_TRACE(Words);
    Resolution Miss;
    Miss.Name = Words;
    EXPECT_EQ(mapped(llvm::make_error<MissingSymbolsError>(Words, std::vector<Resolution>{Miss})),
              PythonException::LinkError);
    EXPECT_EQ(mapped(llvm::make_error<UndefinedSymbolError>(Words, "")), PythonException::KeyError);
    EXPECT_EQ(mapped(llvm::make_error<UndefinedSymbolError>(Words, Words)),
              PythonException::KeyError);
    EXPECT_EQ(mapped(llvm::make_error<AmbiguousSymbolError>(Words, std::vector<std::string>{Words})),
              PythonException::ValueError);
    for (auto State : {UnknownModuleError::State::NeverAdded, UnknownModuleError::State::Removed})
      EXPECT_EQ(mapped(llvm::make_error<UnknownModuleError>(7, State, Words)),
                PythonException::ValueError);
    for (auto Check : {RejectedInputError::Check::Parse, RejectedInputError::Check::Module,
                       RejectedInputError::Check::Object, RejectedInputError::Check::Definitions})
      EXPECT_EQ(mapped(llvm::make_error<RejectedInputError>(Check, Words)),
                PythonException::CompileError);
    // A plain error is the caller's default, whatever it says.
    EXPECT_EQ(mapped(llvm::createStringError(llvm::inconvertibleErrorCode(), Words)),
              PythonException::Default);
  }
}

// The core extension's table: the resolver's errors; the engine's errors
// never reach it.
TEST(ErrorMappingTest, CoreErrorsMapByTypeAndReason) {
  for (const std::string &Words : OldPhrases) {
    SCOPED_TRACE(Words);
    EXPECT_EQ(mappedInCore(llvm::make_error<ExposeFailed>(ExposeFailed::Reason::InvalidName, Words)),
              PythonException::ValueError);
    EXPECT_EQ(mappedInCore(llvm::make_error<ExposeFailed>(ExposeFailed::Reason::WriteFailed, Words)),
              PythonException::OSError);
    EXPECT_EQ(mappedInCore(llvm::make_error<ExposeFailed>(ExposeFailed::Reason::LoadRefused, Words)),
              PythonException::OSError);
    EXPECT_EQ(mappedInCore(llvm::createStringError(llvm::inconvertibleErrorCode(), Words)),
              PythonException::Default);
    // Each table maps only its own side's types.
    EXPECT_EQ(mapped(llvm::make_error<ExposeFailed>(ExposeFailed::Reason::WriteFailed, Words)),
              PythonException::Default);
    EXPECT_EQ(mappedInCore(llvm::make_error<UndefinedSymbolError>(Words, "")),
              PythonException::Default);
  }
}

// The messages the engine composes keep their wording (callers show them),
// though nothing decides by it.
TEST(ErrorMappingTest, ComposedMessages) {
  EXPECT_EQ(llvm::toString(llvm::make_error<UndefinedSymbolError>("f", "")),
            "no module defines 'f'");
  EXPECT_EQ(llvm::toString(llvm::make_error<UndefinedSymbolError>("f", "'k' (#1)")),
            "module 'k' (#1) defines no symbol 'f'");
  EXPECT_EQ(llvm::toString(llvm::make_error<AmbiguousSymbolError>(
                "f", std::vector<std::string>{"'a' (#1)", "'b' (#2)"})),
            "'f' is defined by several modules: 'a' (#1) 'b' (#2); look it up through a module "
            "handle");
  EXPECT_EQ(llvm::toString(rejectInput(RejectedInputError::Check::Object, "object 'o'", "bad")),
            "object 'o': bad");
}

}  // namespace
}  // namespace pysym::python
