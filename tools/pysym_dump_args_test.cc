// Tests pysym-dump's argument parser: every way a command line can be wrong
// is a UsageError naming the argument, and never an exit.
#include "tools/pysym_dump_args.h"

#include "gtest/gtest.h"

namespace pysym::dump {
namespace {

ArgumentSpec symbolsLike() {
  ArgumentSpec Spec;
  Spec.Required = {"FILE"};
  Spec.Options = {OptionSpec::flag("--json", "json", "-j"),
                  OptionSpec::withValue("--match", "SUBSTRING", "match"),
                  OptionSpec::withValue("--load", "LIB", "load", /*Repeatable=*/true)};
  return Spec;
}

// The UsageError message of parsing `Arguments`, or "" when it parsed.
std::string usageError(std::vector<std::string> Arguments, const ArgumentSpec &Spec = symbolsLike()) {
  auto Parsed = parseArguments(Arguments, Spec);
  if (Parsed)
    return "";
  std::string Message;
  llvm::handleAllErrors(Parsed.takeError(), [&](const UsageError &E) { Message = E.message(); },
                        [&](const llvm::ErrorInfoBase &E) { Message = "not a UsageError: " + E.message(); });
  return Message;
}

TEST(PysymDumpArgsTest, SeparatesOptionsFromPositionalsInAnyOrder) {
  auto Parsed = parseArguments({"--match", "real", "libc.so.6", "--json"}, symbolsLike());
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  ASSERT_EQ(Parsed->positionals().size(), 1u);
  EXPECT_EQ(Parsed->positionals()[0], "libc.so.6");
  EXPECT_TRUE(Parsed->has("--json"));
  EXPECT_EQ(Parsed->value("--match").value_or(""), "real");
  EXPECT_FALSE(Parsed->has("--load"));
  EXPECT_FALSE(Parsed->value("--load").has_value());
}

TEST(PysymDumpArgsTest, AcceptsInlineValuesShortNamesAndRepeatedOptions) {
  auto Parsed = parseArguments({"--match=a=b", "-j", "--load", "x.so", "--load=y.so", "f"}, symbolsLike());
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  EXPECT_EQ(Parsed->value("--match").value_or(""), "a=b");  // split at the first '='
  EXPECT_TRUE(Parsed->has("--json"));                        // recorded under the long name
  ASSERT_EQ(Parsed->values("--load").size(), 2u);
  EXPECT_EQ(Parsed->values("--load")[0], "x.so");
  EXPECT_EQ(Parsed->values("--load")[1], "y.so");
}

TEST(PysymDumpArgsTest, DoubleDashEndsOptionsAndLoneDashIsPositional) {
  auto Parsed = parseArguments({"--", "--json"}, symbolsLike());
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  EXPECT_FALSE(Parsed->has("--json"));
  EXPECT_EQ(Parsed->positionals()[0], "--json");

  auto Dash = parseArguments({"-"}, symbolsLike());
  ASSERT_TRUE(bool(Dash)) << llvm::toString(Dash.takeError());
  EXPECT_EQ(Dash->positionals()[0], "-");
}

TEST(PysymDumpArgsTest, AValueMayLookLikeAnOption) {
  auto Parsed = parseArguments({"f", "--match", "--json"}, symbolsLike());
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  EXPECT_EQ(Parsed->value("--match").value_or(""), "--json");
  EXPECT_FALSE(Parsed->has("--json"));
}

TEST(PysymDumpArgsTest, EachMistakeIsAUsageErrorNamingIt) {
  EXPECT_EQ(usageError({"f", "--nope"}), "unknown option '--nope'");
  EXPECT_EQ(usageError({"f", "--nope=1"}), "unknown option '--nope'");
  EXPECT_EQ(usageError({"f", "-x"}), "unknown option '-x'");
  EXPECT_EQ(usageError({"f", "--json=yes"}), "option '--json' takes no value");
  EXPECT_EQ(usageError({"f", "--match"}), "option '--match' needs a value (SUBSTRING)");
  EXPECT_EQ(usageError({"f", "--match", "a", "--match=b"}), "option '--match' given twice");
  EXPECT_EQ(usageError({}), "missing FILE");
  EXPECT_EQ(usageError({"f", "g"}), "unexpected argument 'g'");
}

TEST(PysymDumpArgsTest, AFlagGivenTwiceIsHarmless) { EXPECT_EQ(usageError({"f", "--json", "-j"}), ""); }

TEST(PysymDumpArgsTest, RestTakesAnyNumberOfExtraPositionals) {
  ArgumentSpec Spec;
  Spec.Rest = "NAME...";
  auto None = parseArguments({}, Spec);
  ASSERT_TRUE(bool(None)) << llvm::toString(None.takeError());
  EXPECT_TRUE(None->positionals().empty());
  auto Three = parseArguments({"a", "b", "c"}, Spec);
  ASSERT_TRUE(bool(Three)) << llvm::toString(Three.takeError());
  EXPECT_EQ(Three->positionals().size(), 3u);
}

}  // namespace
}  // namespace pysym::dump
