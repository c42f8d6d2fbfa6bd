// The Python exception each typed error becomes is decided by its type, not
// its words: every error here carries the wording another type once had (the
// phrases engine_type.cc used to look for), and plain errors carry them all.
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/resolver/exposure.h"
#include "pysym/resolver/resolution.h"
#include "pysym/support/error.h"
#include "python/src/core_error_mapping.h"
#include "python/src/engine_error_mapping.h"

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

// What the core's table says for E, which must be a failure.
PythonException mappedInCore(Error E) {
  EXPECT_TRUE(bool(E)) << "a failure expected";
  std::unique_ptr<ErrorPayload> Payload = std::move(E).takePayload();
  return Payload ? coreExceptionFor(*Payload) : PythonException::Default;
}

// A core payload whose message is any text: what a changed wording looks like.
class Reworded : public ErrorKind<Reworded, ExposeFailed> {
public:
  static const char ID;
  Reworded(ExposeFailed::Reason Why, std::string Text) : ErrorKind(Why, ""), Text(std::move(Text)) {}
  std::string message() const override { return Text; }

private:
  std::string Text;
};
const char Reworded::ID = 0;

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

// The core extension's table: the resolver's failures, by payload type and
// reason. The engine's table maps only the engine's errors: the core's reach
// Python through the core extension (the engine's calls into the core,
// resolver/name_source.h, cannot fail).
TEST(ErrorMappingTest, CoreErrorsMapByTypeAndReason) {
  using Reason = ExposeFailed::Reason;
  for (const std::string &Words : OldPhrases) {
    SCOPED_TRACE(Words);
    for (auto [Why, Exception] : {std::pair{Reason::InvalidName, PythonException::ValueError},
                                  std::pair{Reason::WriteFailed, PythonException::OSError},
                                  std::pair{Reason::LoadRefused, PythonException::OSError}}) {
      EXPECT_EQ(mappedInCore(makeError<ExposeFailed>(Why, Words)), Exception);
    }
    // A plain failure is the caller's default, whatever it says.
    EXPECT_EQ(mappedInCore(makeStringError(std::errc::invalid_argument, Words)),
              PythonException::Default);
  }
}

// The exception follows the payload's type and reason, however its message
// is worded: the same reason with every other reason's message (and a
// plain failure's) maps the same.
TEST(ErrorMappingTest, ChangingACoreErrorsWordingKeepsItsException) {
  using Reason = ExposeFailed::Reason;
  std::vector<std::string> Messages;
  for (Reason Why : {Reason::InvalidName, Reason::WriteFailed, Reason::LoadRefused})
    Messages.push_back(ExposeFailed(Why, "detail").message());
  Messages.push_back("");
  for (const std::string &Text : Messages) {
    SCOPED_TRACE(Text);
    EXPECT_EQ(mappedInCore(makeError<Reworded>(Reason::InvalidName, Text)),
              PythonException::ValueError);
    EXPECT_EQ(mappedInCore(makeError<Reworded>(Reason::WriteFailed, Text)),
              PythonException::OSError);
    EXPECT_EQ(mappedInCore(makeError<Reworded>(Reason::LoadRefused, Text)),
              PythonException::OSError);
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
