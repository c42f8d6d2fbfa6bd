// The typed errors of the engine and of the checks in front of it, one class
// per failure a caller may handle differently (ORC's SymbolsNotFound and
// DuplicateDefinition are the model). A missing symbol has its own class in
// missing_symbols_error.h.
//
// Callers decide by type (`Err.isA<UndefinedSymbolError>()`, or a handler in
// llvm::handleErrors), never by message: the wording may change, the types
// and their accessors are the contract.
#ifndef PYSYM_JITLINK_ENGINE_ERRORS_H
#define PYSYM_JITLINK_ENGINE_ERRORS_H

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace pysym {

/// A module handle that names no live module: never issued, or removed.
/// Example message: "module 'kernel' (#3) was removed".
class UnknownModuleError : public llvm::ErrorInfo<UnknownModuleError> {
public:
  static char ID;
  enum class State { NeverAdded, Removed };

  /// \p Message is the whole text, naming the handle and what was asked.
  UnknownModuleError(std::uint64_t Id, State Why, std::string Message)
      : Id(Id), Why(Why), Message(std::move(Message)) {}

  std::uint64_t id() const { return Id; }
  State state() const { return Why; }

  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::uint64_t Id;
  State Why;
  std::string Message;
};

/// A lookup of a name the module asked (or, with no module given, every live
/// module) does not define. Example messages:
///   module 'kernel' (#1) defines no symbol 'question'
///   no module defines 'question'
class UndefinedSymbolError : public llvm::ErrorInfo<UndefinedSymbolError> {
public:
  static char ID;

  /// \p Module labels the module asked, as "'name' (#id)"; empty when the
  /// lookup asked every live module.
  UndefinedSymbolError(std::string Symbol, std::string Module)
      : Symbol(std::move(Symbol)), Module(std::move(Module)) {}

  const std::string &symbol() const { return Symbol; }
  const std::string &module() const { return Module; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string Symbol;
  std::string Module;
};

/// A lookup without a module of a name that several live modules define,
/// not all by the one-definition rule (see Engine::lookup). Example message:
///   'answer' is defined by several modules: 'one' (#1) 'other' (#2); look it
///   up through a module handle
class AmbiguousSymbolError : public llvm::ErrorInfo<AmbiguousSymbolError> {
public:
  static char ID;

  /// \p Definers label the defining modules, "'name' (#id)", oldest first.
  AmbiguousSymbolError(std::string Symbol, std::vector<std::string> Definers)
      : Symbol(std::move(Symbol)), Definers(std::move(Definers)) {}

  const std::string &symbol() const { return Symbol; }
  const std::vector<std::string> &definers() const { return Definers; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string Symbol;
  std::vector<std::string> Definers;
};

/// Input the engine refuses to add: which check refused it, and why.
/// Example message: "module 'kernel': the verifier rejects it: ...".
class RejectedInputError : public llvm::ErrorInfo<RejectedInputError> {
public:
  static char ID;
  enum class Check {
    Parse,        // IR text or bitcode that does not read (ir_reader.h)
    Module,       // a module LLVM cannot compile safely (module_checks.h)
    Object,       // an object unsafe to link (object_checks.h)
    Definitions,  // a name its JITDylib already defines
  };

  /// \p Message is the whole text: the input's name and the reason.
  RejectedInputError(Check Which, std::string Message)
      : Which(Which), Message(std::move(Message)) {}

  Check check() const { return Which; }

  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  Check Which;
  std::string Message;
};

/// A RejectedInputError of \p Which for the input labelled \p Input
/// ("module 'x'" or "object 'x'"), reading "<Input>: <Why>".
inline llvm::Error rejectInput(RejectedInputError::Check Which, const llvm::Twine &Input,
                               const llvm::Twine &Why) {
  return llvm::make_error<RejectedInputError>(Which, (Input + ": " + Why).str());
}

}  // namespace pysym

#endif  // PYSYM_JITLINK_ENGINE_ERRORS_H
