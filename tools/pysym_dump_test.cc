// Runs the real pysym-dump binary and checks what it prints against what
// symtab::ElfFile reads from the same files on disk.
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "pysym/symtab/elf_file.h"
#include "pysym/version.h"
#include "third_party/llvm/compat.h"

namespace pysym {
namespace {

const char *const Libc = "/lib/x86_64-linux-gnu/libc.so.6";
const char *const LibPyPy = "/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so";
const char *const Python = "/usr/bin/python3.11";

std::string realPath(const std::string &Path) {
  char Resolved[PATH_MAX];
  return ::realpath(Path.c_str(), Resolved) ? Resolved : "";
}

bool exists(const char *Path) { return llvm::sys::fs::exists(Path); }

// The binary under test, from the data dependency's runfiles path.
std::string dumpBinary() {
  const char *Path = std::getenv("PYSYM_DUMP");
  return Path ? realPath(Path) : "";
}

// A new file in Bazel's per-test directory (the system's when run by hand).
std::string temporaryFile(llvm::StringRef Suffix) {
  const char *Directory = std::getenv("TEST_TMPDIR");
  std::string Model = std::string(Directory ? Directory : "/tmp") + "/pysym_dump_test-%%%%%%." +
                      Suffix.str();
  int Fd = -1;
  llvm::SmallString<128> Path;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, Fd, Path)) {
    ADD_FAILURE() << "cannot create " << Model << ": " << EC.message();
    return "";
  }
  ::close(Fd);
  return std::string(Path.str());
}

std::string readFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : "";
}

struct Outcome {
  int Status = -1;
  std::string Out, Err;
};

// Runs `Program` with `Arguments`, stdout to `Stdout` (a temporary file
// when empty), stdin from /dev/null; a crash is Status -2, a hang fails.
Outcome runProgram(const std::string &Program, const std::vector<std::string> &Arguments,
               std::string Stdout = "") {
  std::string OutPath = Stdout.empty() ? temporaryFile("out") : Stdout;
  std::string ErrPath = temporaryFile("err");
  std::vector<llvm::StringRef> Argv = {Program};
  for (const std::string &A : Arguments)
    Argv.push_back(A);
  llvm_compat::Optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(OutPath), llvm::StringRef(ErrPath)};
  std::string Message;
  Outcome Result;
  Result.Status = llvm::sys::ExecuteAndWait(Program, Argv, /*Env=*/{}, Redirects,
                                            /*SecondsToWait=*/120, 0, &Message);
  EXPECT_GE(Result.Status, 0) << Program << " did not finish normally: " << Message;
  if (Stdout.empty()) {
    Result.Out = readFile(OutPath);
    llvm::sys::fs::remove(OutPath);
  }
  Result.Err = readFile(ErrPath);
  llvm::sys::fs::remove(ErrPath);
  return Result;
}

Outcome dump(const std::vector<std::string> &Arguments, std::string Stdout = "") {
  return runProgram(dumpBinary(), Arguments, std::move(Stdout));
}

std::vector<llvm::StringRef> lines(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Text.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  return {Lines.begin(), Lines.end()};
}

// The table line that mentions every one of `Words` as a whole word.
std::string lineWith(llvm::StringRef Text, std::vector<std::string> Words) {
  for (llvm::StringRef Line : lines(Text)) {
    llvm::SmallVector<llvm::StringRef, 16> Fields;
    Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
    bool All = true;
    for (const std::string &Word : Words)
      All = All && llvm::is_contained(Fields, Word);
    if (All)
      return Line.str();
  }
  return "";
}

llvm::json::Object parseJson(const std::string &Text) {
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(Parsed.takeError()) << "\n" << Text;
    return {};
  }
  if (auto *Object = Parsed->getAsObject())
    return std::move(*Object);
  ADD_FAILURE() << "not a JSON object:\n" << Text;
  return {};
}

// The images array entry whose path is `Path` after realpath, or null.
const llvm::json::Object *imageAt(const llvm::json::Object &Document, const std::string &Path) {
  if (const llvm::json::Array *Images = Document.getArray("images"))
    for (const llvm::json::Value &Image : *Images)
      if (const llvm::json::Object *Entry = Image.getAsObject())
        if (auto ImagePath = Entry->getString("path"))
          if (realPath(ImagePath->str()) == Path)
            return Entry;
  return nullptr;
}

// What the file on disk says an image exports: its defined, non-local
// .dynsym entries by type, the same set the loader-side reader returns.
struct Exports {
  int64_t Function = 0, Object = 0, ThreadLocal = 0, Ifunc = 0, Total = 0;
};

Exports exportsOnDisk(const std::string &Path) {
  Exports Result;
  auto File = symtab::ElfFile::read(Path);
  if (!File) {
    ADD_FAILURE() << pysym::toString(File.takeError());
    return Result;
  }
  for (const symtab::Symbol &S : (*File)->dynamicSymbols()) {
    if (!S.Defined || S.Binding == symtab::SymbolBinding::Local)
      continue;
    ++Result.Total;
    Result.Function += S.Type == symtab::SymbolType::Function;
    Result.Object += S.Type == symtab::SymbolType::Object;
    Result.ThreadLocal += S.Type == symtab::SymbolType::ThreadLocal;
    Result.Ifunc += S.Type == symtab::SymbolType::GnuIndirectFunction;
  }
  return Result;
}

void expectCountsMatch(const llvm::json::Object &Image, const std::string &Path) {
  const llvm::json::Object *Symbols = Image.getObject("symbols");
  ASSERT_NE(Symbols, nullptr) << "no symbol counts for " << Path;
  Exports Disk = exportsOnDisk(Path);
  EXPECT_EQ(Symbols->getInteger("function"), Disk.Function) << Path;
  EXPECT_EQ(Symbols->getInteger("object"), Disk.Object) << Path;
  EXPECT_EQ(Symbols->getInteger("tls"), Disk.ThreadLocal) << Path;
  EXPECT_EQ(Symbols->getInteger("ifunc"), Disk.Ifunc) << Path;
  EXPECT_EQ(Symbols->getInteger("total"), Disk.Total) << Path;
}

class PysymDumpTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(dumpBinary().empty()) << "PYSYM_DUMP does not name the pysym-dump binary";
  }
};

TEST_F(PysymDumpTest, ImagesListsItsOwnMainProgramAndLibcWithTheirExports) {
  Outcome Json = dump({"images", "--json"});
  ASSERT_EQ(Json.Status, 0) << Json.Err;
  llvm::json::Object Document = parseJson(Json.Out);
  EXPECT_EQ(Document.getString("schema"), llvm_compat::Optional<llvm::StringRef>("pysym-dump/1"));

  const llvm::json::Object *Main = imageAt(Document, dumpBinary());
  ASSERT_NE(Main, nullptr) << "the main program is not listed:\n" << Json.Out;
  EXPECT_EQ(Main->getBoolean("main_program"), llvm_compat::Optional<bool>(true));
  EXPECT_EQ(Main->getInteger("index"), llvm_compat::Optional<int64_t>(0));
  expectCountsMatch(*Main, dumpBinary());

  std::string LibcPath = realPath(Libc);
  const llvm::json::Object *LibcImage = imageAt(Document, LibcPath);
  ASSERT_NE(LibcImage, nullptr) << "libc is not listed:\n" << Json.Out;
  EXPECT_EQ(LibcImage->getBoolean("main_program"), llvm_compat::Optional<bool>(false));
  EXPECT_EQ(LibcImage->getBoolean("visible_to_rtld_default"), llvm_compat::Optional<bool>(true));
  expectCountsMatch(*LibcImage, LibcPath);

  // The table says the same.
  Outcome Text = dump({"images"});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  EXPECT_NE(lineWith(Text.Out, {"main", dumpBinary()}), "") << Text.Out;
  std::string LibcLine;
  for (llvm::StringRef Line : lines(Text.Out))
    if (realPath(Line.rsplit(' ').second.str()) == LibcPath)
      LibcLine = Line.str();
  ASSERT_NE(LibcLine, "") << Text.Out;
  EXPECT_NE(lineWith(LibcLine, {"library", "yes"}), "") << LibcLine;
  EXPECT_EQ(Text.Out.find('\x1b'), std::string::npos) << "colour in output to a file";
}

TEST_F(PysymDumpTest, LoadShowsLibpypyLoadedLocallyAndInvisibleToRtldDefault) {
  if (!exists(LibPyPy))
    GTEST_SKIP() << LibPyPy << " is not installed (Debian package pypy3)";
  std::string PyPyPath = realPath(LibPyPy);

  Outcome Without = dump({"images", "--json"});
  ASSERT_EQ(Without.Status, 0) << Without.Err;
  EXPECT_EQ(imageAt(parseJson(Without.Out), PyPyPath), nullptr) << "listed without --load";

  Outcome Json = dump({"images", "--load", LibPyPy, "--json"});
  ASSERT_EQ(Json.Status, 0) << Json.Err;
  llvm::json::Object Document = parseJson(Json.Out);
  const llvm::json::Object *PyPy = imageAt(Document, PyPyPath);
  ASSERT_NE(PyPy, nullptr) << Json.Out;
  EXPECT_EQ(PyPy->getString("role"), llvm_compat::Optional<llvm::StringRef>("--load"));
  EXPECT_EQ(PyPy->getBoolean("loaded_by_option"), llvm_compat::Optional<bool>(true));
  EXPECT_EQ(PyPy->getBoolean("visible_to_rtld_default"), llvm_compat::Optional<bool>(false))
      << "probe: " << llvm_compat::valueOr(PyPy->getString("visibility_probe"), "(none)").str();
  expectCountsMatch(*PyPy, PyPyPath);
  // FACTS.md measured 982 exports; the disk comparison above is the real
  // check, this one catches both readers drifting together.
  EXPECT_GT(llvm_compat::valueOr(PyPy->getObject("symbols")->getInteger("total"), 0), 900);

  Outcome Text = dump({"images", "--load", LibPyPy});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  std::string Line = lineWith(Text.Out, {"--load", "no"});
  EXPECT_NE(Line, "") << Text.Out;
  EXPECT_NE(Line.find(PyPyPath), std::string::npos) << Line;
  Exports Disk = exportsOnDisk(PyPyPath);
  EXPECT_NE(lineWith(Line, {std::to_string(Disk.Function), std::to_string(Disk.Total)}), "") << Line;
}

TEST_F(PysymDumpTest, SymbolsShowsPyPyLongFromLongAsADefinedFunction) {
  if (!exists(LibPyPy))
    GTEST_SKIP() << LibPyPy << " is not installed (Debian package pypy3)";
  auto File = symtab::ElfFile::read(LibPyPy);
  ASSERT_TRUE(bool(File)) << pysym::toString(File.takeError());
  std::vector<const symtab::Symbol *> OnDisk = (*File)->findDynamic("PyPyLong_FromLong");
  ASSERT_EQ(OnDisk.size(), 1u);

  Outcome Text = dump({"symbols", LibPyPy, "--match", "PyPyLong_FromLong"});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  std::string Line = lineWith(Text.Out, {"PyPyLong_FromLong"});
  ASSERT_NE(Line, "") << Text.Out;
  EXPECT_NE(lineWith(Line, {"function", "global", "default", ".text",
                            llvm::formatv("{0:x}", OnDisk[0]->Value).str()}),
            "")
      << Line;
  // The header describes the file.
  EXPECT_NE(lineWith(Text.Out, {"kind", "shared", "object"}), "") << Text.Out;
  EXPECT_NE(Text.Out.find("libc.so.6"), std::string::npos) << "needed libraries missing";

  Outcome Json = dump({"symbols", LibPyPy, "--match", "PyPyLong_FromLong", "--json"});
  ASSERT_EQ(Json.Status, 0) << Json.Err;
  llvm::json::Object Document = parseJson(Json.Out);
  bool Found = false;
  for (const llvm::json::Value &V : *Document.getArray("symbols")) {
    const llvm::json::Object &S = *V.getAsObject();
    EXPECT_TRUE(S.getString("name")->contains("PyPyLong_FromLong"));  // --match filters
    if (S.getString("name") == llvm_compat::Optional<llvm::StringRef>("PyPyLong_FromLong")) {
      Found = true;
      EXPECT_EQ(S.getString("type"), llvm_compat::Optional<llvm::StringRef>("function"));
      EXPECT_EQ(S.getBoolean("defined"), llvm_compat::Optional<bool>(true));
    }
  }
  EXPECT_TRUE(Found) << Json.Out;
  EXPECT_EQ(Document.getObject("file")->getInteger("dynamic_symbols"),
            llvm_compat::Optional<int64_t>((*File)->dynamicSymbols().size()));
}

TEST_F(PysymDumpTest, SymbolsMarksTheDefaultVersionOfLibcRealpath) {
  auto File = symtab::ElfFile::read(Libc);
  ASSERT_TRUE(bool(File)) << pysym::toString(File.takeError());
  std::vector<const symtab::Symbol *> Versions = (*File)->findDynamic("realpath");
  ASSERT_GE(Versions.size(), 2u) << "libc's realpath should have two versions";

  Outcome Text = dump({"symbols", Libc, "--match", "realpath"});
  ASSERT_EQ(Text.Status, 0) << Text.Err;
  int Defaults = 0;
  for (const symtab::Symbol *S : Versions) {
    std::string Shown = "realpath" + std::string(S->VersionIsDefault ? "@@" : "@") + S->Version;
    Defaults += S->VersionIsDefault;
    EXPECT_NE(lineWith(Text.Out, {Shown}), "") << Shown << " not shown in\n" << Text.Out;
  }
  EXPECT_EQ(Defaults, 1);

  Outcome Json = dump({"symbols", Libc, "--match", "realpath", "--json"});
  ASSERT_EQ(Json.Status, 0) << Json.Err;
  llvm::json::Object Document = parseJson(Json.Out);
  int JsonDefaults = 0, JsonVersions = 0;
  for (const llvm::json::Value &V : *Document.getArray("symbols")) {
    const llvm::json::Object &S = *V.getAsObject();
    if (S.getString("name") != llvm_compat::Optional<llvm::StringRef>("realpath"))
      continue;
    ++JsonVersions;
    JsonDefaults += llvm_compat::valueOr(S.getBoolean("version_default"), false);
  }
  EXPECT_EQ(JsonVersions, int(Versions.size()));
  EXPECT_EQ(JsonDefaults, 1);
}

TEST_F(PysymDumpTest, DefinedAndStaticChooseWhatIsListed) {
  auto File = symtab::ElfFile::read(Libc);
  ASSERT_TRUE(bool(File)) << pysym::toString(File.takeError());
  int64_t Defined = 0;
  for (const symtab::Symbol &S : (*File)->dynamicSymbols())
    Defined += S.Defined;
  Outcome All = dump({"symbols", Libc, "--defined", "--json"});
  ASSERT_EQ(All.Status, 0) << All.Err;
  EXPECT_EQ(int64_t(parseJson(All.Out).getArray("symbols")->size()), Defined);

  // This test's own executable keeps a .symtab that names its tests.
  std::string Self = realPath("/proc/self/exe");
  auto SelfFile = symtab::ElfFile::read(Self);
  ASSERT_TRUE(bool(SelfFile)) << pysym::toString(SelfFile.takeError());
  int64_t Named = 0;
  for (const symtab::Symbol &S : (*SelfFile)->staticSymbols())
    Named += llvm::StringRef(S.Name).contains("PysymDumpTest");
  if (Named == 0)
    GTEST_SKIP() << Self << " has no .symtab (stripped build)";
  Outcome Static = dump({"symbols", Self, "--static", "--match", "PysymDumpTest", "--json"});
  ASSERT_EQ(Static.Status, 0) << Static.Err;
  llvm::json::Object Document = parseJson(Static.Out);
  EXPECT_EQ(Document.getString("table"), llvm_compat::Optional<llvm::StringRef>(".symtab"));
  EXPECT_EQ(int64_t(Document.getArray("symbols")->size()), Named);
}

TEST_F(PysymDumpTest, JsonParsesWithPythonAndNamesItsSchema) {
  if (!exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  std::vector<std::vector<std::string>> Commands = {
      {"images", "--json"}, {"symbols", Libc, "--json"}, {"symbols", Libc, "--match", "zz-none", "--json"}};
  if (exists(LibPyPy))
    Commands.push_back({"images", "--load", LibPyPy, "--json"});
  for (const auto &Command : Commands) {
    std::string Out = temporaryFile("json");
    Outcome Dump = dump(Command, Out);
    ASSERT_EQ(Dump.Status, 0) << llvm::join(Command, " ") << ": " << Dump.Err;
    Outcome Check = runProgram(Python, {"-c",
                                    "import json, sys\n"
                                    "d = json.load(open(sys.argv[1]))\n"
                                    "print(d['schema'], d['command'])\n",
                                    Out});
    llvm::sys::fs::remove(Out);
    EXPECT_EQ(Check.Status, 0) << llvm::join(Command, " ") << ": " << Check.Err;
    EXPECT_EQ(Check.Out, "pysym-dump/1 " + Command[0] + "\n") << llvm::join(Command, " ");
  }
}

TEST_F(PysymDumpTest, BadInputExitsTwoWithOneLineNamingTheProblem) {
  std::string Text = temporaryFile("txt");
  // Longer than an ELF header, so that the loader looks at the magic.
  std::ofstream(Text) << "This is a text file, not a shared library; pysym-dump must say so.\n";
  std::string Truncated = temporaryFile("so");
  std::ofstream(Truncated) << readFile(Libc).substr(0, 40);
  std::string Directory = llvm::sys::path::parent_path(Text).str();
  std::string Missing = Directory + "/pysym-dump-test-no-such-file";

  struct Case {
    std::vector<std::string> Arguments;
    std::vector<std::string> Fragments;  // each must appear in the message
  };
  const Case Cases[] = {
      {{"symbols", Missing}, {Missing, "No such file"}},
      {{"symbols", Directory}, {Directory, "directory"}},
      {{"symbols", Text}, {Text, "not an ELF file"}},
      {{"symbols", Truncated}, {Truncated, "truncated"}},
      {{"frobnicate"}, {"unknown subcommand 'frobnicate'"}},
      {{"symbols", Libc, "--frobnicate"}, {"unknown option '--frobnicate'"}},
      {{"symbols"}, {"missing FILE"}},
      {{"images", "--load"}, {"'--load' needs a value"}},
      {{"images", "--load", Text}, {"--load " + Text, "invalid ELF header"}},
      {{"images", "--load", Missing}, {"--load " + Missing, "No such file"}},
      {{"images", "--load", dumpBinary()}, {"--load " + dumpBinary(), "executable"}},
      {{}, {"missing subcommand"}},
  };
  for (const Case &C : Cases) {
    std::string Command = "pysym-dump " + llvm::join(C.Arguments, " ");
    Outcome R = dump(C.Arguments);
    EXPECT_EQ(R.Status, 2) << Command;
    EXPECT_EQ(R.Out, "") << Command;
    EXPECT_TRUE(llvm_compat::startsWith(R.Err, "pysym-dump: ")) << Command << ": " << R.Err;
    EXPECT_EQ(std::count(R.Err.begin(), R.Err.end(), '\n'), 1) << Command << ": " << R.Err;
    for (const std::string &Fragment : C.Fragments)
      EXPECT_NE(R.Err.find(Fragment), std::string::npos) << Command << ": " << R.Err;
  }
  llvm::sys::fs::remove(Text);
  llvm::sys::fs::remove(Truncated);
}

TEST_F(PysymDumpTest, AFailedWriteExitsTwoInsteadOfAborting) {
  if (!exists("/dev/full"))
    GTEST_SKIP() << "/dev/full is absent";
  Outcome R = dump({"symbols", Libc}, "/dev/full");
  EXPECT_EQ(R.Status, 2);
  EXPECT_NE(R.Err.find("cannot write to standard output"), std::string::npos) << R.Err;
}

TEST_F(PysymDumpTest, HelpExitsZeroAndListsEverySubcommand) {
  Outcome Top = dump({"--help"});
  EXPECT_EQ(Top.Status, 0) << Top.Err;
  EXPECT_NE(lineWith(Top.Out, {"images"}), "") << Top.Out;
  EXPECT_NE(lineWith(Top.Out, {"symbols"}), "") << Top.Out;
  // A subcommand's --help needs none of its required arguments.
  Outcome Symbols = dump({"symbols", "--help"});
  EXPECT_EQ(Symbols.Status, 0) << Symbols.Err;
  EXPECT_NE(Symbols.Out.find("--match SUBSTRING"), std::string::npos) << Symbols.Out;
}

// VERSION, the header generated from it and the binary agree.
TEST_F(PysymDumpTest, VersionIsTheOneInTheVersionFile) {
  const char *VersionFile = std::getenv("PYSYM_VERSION_FILE");
  ASSERT_NE(VersionFile, nullptr) << "PYSYM_VERSION_FILE is not set (see tools/BUILD)";
  std::string Version = llvm::StringRef(readFile(VersionFile)).rtrim("\n").str();
  EXPECT_EQ(Version, "0.1.0") << VersionFile;
  EXPECT_EQ(Version, PYSYM_VERSION);
  EXPECT_EQ(llvm::formatv("{0}.{1}.{2}", PYSYM_VERSION_MAJOR, PYSYM_VERSION_MINOR,
                          PYSYM_VERSION_PATCH)
                .str(),
            Version);
  Outcome R = dump({"--version"});
  EXPECT_EQ(R.Status, 0) << R.Err;
  EXPECT_EQ(R.Out, "pysym-dump " + Version + "\n");
  EXPECT_EQ(R.Err, "");
}

// Colour needs a terminal: python3.11's pty module supplies one.
TEST_F(PysymDumpTest, ColourOnlyOnATerminalWithoutNoColor) {
  if (!exists(Python))
    GTEST_SKIP() << Python << " is not installed (Debian package python3.11)";
  const char *OnTerminal =
      "import os, pty, subprocess, sys\n"
      "env = {k: v for k, v in os.environ.items() if k != 'NO_COLOR'}\n"
      "if sys.argv[2] != 'unset': env['NO_COLOR'] = sys.argv[2]\n"
      "main, child = pty.openpty()\n"
      "p = subprocess.Popen([sys.argv[1], 'symbols', sys.argv[3], '--match', 'realpath'],\n"
      "                     stdout=child, stderr=subprocess.DEVNULL, env=env)\n"
      "os.close(child)\n"
      "data = b''\n"
      "while True:\n"
      "    try:\n"
      "        chunk = os.read(main, 4096)\n"
      "    except OSError:\n"
      "        break\n"
      "    if not chunk:\n"
      "        break\n"
      "    data += chunk\n"
      "status = p.wait()\n"
      "print(status, 'colour' if b'\\x1b[' in data else 'plain')\n";
  auto onTerminal = [&](const std::string &NoColor) {
    Outcome R = runProgram(Python, {"-c", OnTerminal, dumpBinary(), NoColor, Libc});
    EXPECT_EQ(R.Status, 0) << R.Err;
    return R.Out;
  };
  EXPECT_EQ(onTerminal("unset"), "0 colour\n");
  EXPECT_EQ(onTerminal("1"), "0 plain\n");
  EXPECT_EQ(onTerminal(""), "0 plain\n");  // present but empty still means no colour
}

}  // namespace
}  // namespace pysym
