#include "tools/pysym_dump_args.h"

#include "llvm/Support/raw_ostream.h"
#include "third_party/llvm/compat.h"

namespace pysym::dump {

char UsageError::ID = 0;

void UsageError::log(llvm::raw_ostream &OS) const { OS << Message; }

std::error_code UsageError::convertToErrorCode() const {
  return std::make_error_code(std::errc::invalid_argument);
}

llvm::ArrayRef<std::string> ParsedArguments::values(llvm::StringRef Option) const {
  auto Found = Given.find(Option);
  if (Found == Given.end())
    return {};
  return Found->second;
}

std::optional<llvm::StringRef> ParsedArguments::value(llvm::StringRef Option) const {
  llvm::ArrayRef<std::string> All = values(Option);
  if (All.empty())
    return std::nullopt;
  return llvm::StringRef(All.back());
}

namespace {

llvm::Error usage(const llvm::Twine &Message) {
  return llvm::make_error<UsageError>(Message.str());
}

const OptionSpec *findOption(const ArgumentSpec &Spec, llvm::StringRef Name) {
  for (const OptionSpec &Option : Spec.Options)
    if (Option.Name == Name || (!Option.ShortName.empty() && Option.ShortName == Name))
      return &Option;
  return nullptr;
}

}  // namespace

llvm::Expected<ParsedArguments> parseArguments(llvm::ArrayRef<std::string> Arguments,
                                               const ArgumentSpec &Spec) {
  ParsedArguments Parsed;
  bool OptionsEnded = false;
  for (std::size_t I = 0; I < Arguments.size(); ++I) {
    llvm::StringRef Argument = Arguments[I];
    // A lone "-" is an ordinary argument, by Unix convention.
    if (OptionsEnded || !llvm_compat::startsWith(Argument, "-") || Argument == "-") {
      Parsed.Positionals.push_back(Argument.str());
      continue;
    }
    if (Argument == "--") {
      OptionsEnded = true;
      continue;
    }
    auto [Name, InlineValue] = Argument.split('=');
    bool HasInlineValue = Argument.contains('=');
    const OptionSpec *Option = findOption(Spec, Name);
    if (Option == nullptr)
      return usage("unknown option '" + Name + "'");
    // A flag given twice is harmless; a value given twice is ambiguous.
    bool SeenBefore = Parsed.Given.count(Option->Name) != 0;
    std::vector<std::string> &Values = Parsed.Given[Option->Name];
    if (!Option->takesValue()) {
      if (HasInlineValue)
        return usage("option '" + Option->Name + "' takes no value");
      continue;  // present in Given, with no values
    }
    if (SeenBefore && !Option->Repeatable)
      return usage("option '" + Option->Name + "' given twice");
    if (HasInlineValue) {
      Values.push_back(InlineValue.str());
    } else if (I + 1 < Arguments.size()) {
      Values.push_back(Arguments[++I]);
    } else {
      return usage("option '" + Option->Name + "' needs a value (" + Option->ValueName + ")");
    }
  }
  if (Parsed.Positionals.size() < Spec.Required.size())
    return usage("missing " + Spec.Required[Parsed.Positionals.size()]);
  if (Spec.Rest.empty() && Parsed.Positionals.size() > Spec.Required.size())
    return usage("unexpected argument '" + Parsed.Positionals[Spec.Required.size()] + "'");
  return Parsed;
}

}  // namespace pysym::dump
