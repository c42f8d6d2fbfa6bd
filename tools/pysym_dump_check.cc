// IR goes through jitlink's reader rather than llvm::parseIR: LLVM 14's
// parseIR verifies any module that carries "Debug Info Version" 3 and calls
// report_fatal_error when the verifier fails (jitlink/ir_reader.h), and a
// tool must not abort on a bad kernel.
#include "tools/pysym_dump_check.h"

#include <algorithm>
#include <array>
#include <map>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "pysym/jitlink/ir_reader.h"
#include "third_party/llvm/compat.h"
#include "tools/pysym_dump_offline.h"
#include "tools/pysym_dump_table.h"

namespace pysym::dump {
namespace {

llvm::Error fail(llvm::StringRef Path, const llvm::Twine &Problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Path + ": " + Problem);
}

void sortUnique(std::vector<UndefinedSymbol> &Symbols) {
  std::sort(Symbols.begin(), Symbols.end(),
            [](const UndefinedSymbol &A, const UndefinedSymbol &B) { return A.Name < B.Name; });
  Symbols.erase(std::unique(Symbols.begin(), Symbols.end(),
                            [](const UndefinedSymbol &A, const UndefinedSymbol &B) {
                              return A.Name == B.Name;
                            }),
                Symbols.end());
}

// Declarations the module uses: an unused declaration leaves no undefined
// symbol in the object code generation makes of it.
std::vector<UndefinedSymbol> undefinedInModule(const llvm::Module &M) {
  std::vector<UndefinedSymbol> Symbols;
  auto add = [&](const llvm::GlobalValue &G, SymbolKind Kind) {
    if (!G.isDeclaration() || G.use_empty() || llvm_compat::startsWith(G.getName(), "llvm."))
      return;
    Symbols.push_back({llvm::GlobalValue::dropLLVMManglingEscape(G.getName()).str(), Kind,
                       G.hasExternalWeakLinkage()});
  };
  for (const llvm::Function &F : M.functions())
    add(F, SymbolKind::Function);
  for (const llvm::GlobalVariable &G : M.globals())
    add(G, SymbolKind::Data);
  return Symbols;
}

llvm::Expected<std::vector<UndefinedSymbol>> undefinedInObject(llvm::StringRef Path,
                                                               llvm::MemoryBufferRef Bytes) {
  auto Object = llvm::object::ObjectFile::createObjectFile(Bytes);
  if (!Object)
    return fail(Path, "not a valid ELF object: " + llvm::toString(Object.takeError()));
  const llvm::object::ObjectFile &File = **Object;
  if (!File.isELF())
    return fail(Path, "not an ELF object");
  if (!File.isRelocatableObject())
    return fail(Path, "an ELF executable or shared object, not a relocatable object (.o); check "
                      "reads kernels: LLVM IR, bitcode or relocatable objects");
  if (File.getArch() != llvm::Triple::x86_64)
    return fail(Path, "an object for " +
                          llvm::Triple::getArchTypeName(llvm::Triple::ArchType(File.getArch())) +
                          ", not x86-64");
  std::vector<UndefinedSymbol> Symbols;
  for (const llvm::object::SymbolRef &Symbol : File.symbols()) {
    auto Flags = Symbol.getFlags();
    if (!Flags)
      return fail(Path, "bad symbol: " + llvm::toString(Flags.takeError()));
    if (!(*Flags & llvm::object::SymbolRef::SF_Undefined))
      continue;
    auto Name = Symbol.getName();
    if (!Name)
      return fail(Path, "bad symbol name: " + llvm::toString(Name.takeError()));
    // The null symbol has no name; the linker defines the GOT symbol.
    if (Name->empty() || *Name == "_GLOBAL_OFFSET_TABLE_")
      continue;
    UndefinedSymbol Entry{Name->str(), std::nullopt,
                          (*Flags & llvm::object::SymbolRef::SF_Weak) != 0};
    auto Type = Symbol.getType();
    if (!Type)
      return fail(Path, "bad symbol " + *Name + ": " + llvm::toString(Type.takeError()));
    if (*Type == llvm::object::SymbolRef::ST_Function)
      Entry.Declared = SymbolKind::Function;
    else if (*Type == llvm::object::SymbolRef::ST_Data)
      Entry.Declared = SymbolKind::Data;
    Symbols.push_back(std::move(Entry));
  }
  return Symbols;
}

struct Checked {
  UndefinedSymbol Symbol;
  Resolution R;
  // A miss that fails the check: a weak reference that nothing defines
  // links as null, which the kernel is written to test for.
  bool fails() const { return !R.found() && !Symbol.Weak; }
};

struct KernelResult {
  Kernel K;
  std::vector<Checked> Symbols;
};

constexpr ResolutionStatus OfflineStatuses[] = {ResolutionStatus::Exact, ResolutionStatus::Alias,
                                                ResolutionStatus::Substitute, ResolutionStatus::System,
                                                ResolutionStatus::Missing};

Style statusStyle(ResolutionStatus S) {
  switch (S) {
  case ResolutionStatus::Exact: return Style::Green;
  case ResolutionStatus::Alias: return Style::Cyan;
  case ResolutionStatus::Substitute: return Style::Yellow;
  case ResolutionStatus::Missing: return Style::Red;
  default: return Style::Plain;
  }
}

// Where a found name comes from, or why a missing one is missing.
std::string whereOrWhy(const Checked &C) {
  if (!C.R.found())
    return (C.Symbol.Weak ? "weak, links as null: " : "") + whyMissing(C.R);
  if (C.R.Status == ResolutionStatus::Substitute)
    return C.R.Image + ": " + C.R.Note;
  return C.R.Image;
}

void writeJson(const OfflineInterpreter &I, llvm::StringRef Argument,
               const std::vector<KernelResult> &Results, const std::array<unsigned, 6> &Counts,
               unsigned Failing, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema", JsonSchema);
    J.attribute("command", "check");
    J.attributeObject("interpreter", [&] {
      J.attribute("argument", Argument);
      J.attribute("path", I.images().front());
      J.attribute("implementation", I.info().Implementation);
      J.attribute("version", I.info().Version);
      J.attribute("image", I.info().ImagePath);
    });
    J.attributeArray("kernels", [&] {
      for (const KernelResult &K : Results)
        J.object([&] {
          J.attribute("path", K.K.Path);
          J.attribute("format", K.K.Format);
          J.attributeArray("symbols", [&] {
            for (const Checked &C : K.Symbols)
              J.object([&] {
                J.attribute("name", C.Symbol.Name);
                J.attribute("declared_kind", C.Symbol.Declared
                                                 ? llvm::json::Value(std::string(toString(*C.Symbol.Declared)))
                                                 : llvm::json::Value(nullptr));
                J.attribute("weak", C.Symbol.Weak);
                J.attribute("status", std::string(toString(C.R.Status)));
                bool Found = C.R.found();
                J.attribute("kind", Found ? llvm::json::Value(std::string(toString(C.R.Kind))) : nullptr);
                J.attribute("target", Found ? llvm::json::Value(C.R.Target) : nullptr);
                J.attribute("image", Found ? llvm::json::Value(C.R.Image) : nullptr);
                // Substitutes have no address until pysym binds them in a process.
                J.attribute("value", Found && C.R.Status != ResolutionStatus::Substitute
                                         ? llvm::json::Value(hex(C.R.Address))
                                         : nullptr);
                J.attribute("note", C.R.Note);
                J.attribute("why", Found ? llvm::json::Value(nullptr) : whyMissing(C.R));
                J.attributeArray("tried", [&] {
                  for (const std::string &Attempt : C.R.Tried)
                    J.value(Attempt);
                });
              });
          });
        });
    });
    J.attributeObject("counts", [&] {
      for (ResolutionStatus S : OfflineStatuses)
        J.attribute(toString(S), int64_t(Counts[static_cast<size_t>(S)]));
    });
    J.attribute("failing", int64_t(Failing));
    J.attribute("links", Failing == 0);
  });
  OS << '\n';
}

void writeText(const OfflineInterpreter &I, const std::vector<KernelResult> &Results,
               const std::array<unsigned, 6> &Counts, unsigned Failing, const Output &Out) {
  llvm::raw_ostream &OS = Out.Out;
  writeStyled(OS, "interpreter", Style::Bold, Out.Colour);
  OS << "  " << describeInterpreter(I.info()) << ", C API from " << I.info().ImagePath << '\n';
  unsigned Total = 0;
  for (const KernelResult &K : Results) {
    OS << '\n';
    writeStyled(OS, K.K.Path, Style::Bold, Out.Colour);
    OS << " (" << K.K.Format << "): " << K.Symbols.size() << " undefined symbol"
       << (K.Symbols.size() == 1 ? "" : "s") << '\n';
    Total += K.Symbols.size();
    if (K.Symbols.empty())
      continue;
    Table T({{"SYMBOL"}, {"KIND"}, {"STATUS"}, {"TARGET"}, {"FROM, OR WHY MISSING"}});
    for (const Checked &C : K.Symbols) {
      // A declared kind is shown when nothing was found to say the kind.
      std::string Kind = C.R.found()        ? std::string(toString(C.R.Kind))
                         : C.Symbol.Declared ? std::string(toString(*C.Symbol.Declared))
                                             : "";
      std::string Target = C.R.found() && C.R.Target != C.Symbol.Name ? C.R.Target : "";
      T.addRow({C.Symbol.Name, Kind, {std::string(toString(C.R.Status)), statusStyle(C.R.Status)}, Target,
                whereOrWhy(C)});
    }
    T.render(OS, Out.Colour);
  }
  std::vector<std::string> ByStatus;
  for (ResolutionStatus S : OfflineStatuses)
    if (unsigned N = Counts[static_cast<size_t>(S)])
      ByStatus.push_back(std::to_string(N) + " " + std::string(toString(S)));
  OS << '\n'
     << Results.size() << " kernel" << (Results.size() == 1 ? "" : "s") << ", " << Total
     << " undefined symbols" << (ByStatus.empty() ? "" : ": " + llvm::join(ByStatus, ", ")) << ".\n";
  if (Failing == 0)
    writeStyled(OS, "Every symbol resolves: the kernels will link.", Style::Green, Out.Colour);
  else
    writeStyled(OS,
                std::to_string(Failing) + " symbol" + (Failing == 1 ? "" : "s") +
                    " missing: linking would fail.",
                Style::Red, Out.Colour);
  OS << '\n';
}

llvm::Expected<ExitStatus> runCheck(const ParsedArguments &Arguments, const Output &Out) {
  auto InterpreterArgument = Arguments.value("--interpreter");
  if (!InterpreterArgument)
    return llvm::make_error<UsageError>("missing --interpreter PATH|NAME");
  std::vector<KernelResult> Results;
  for (const std::string &Path : Arguments.positionals()) {
    auto K = readKernel(Path);
    if (!K)
      return K.takeError();
    Results.push_back({std::move(*K), {}});
  }
  auto Interpreter = analyzeInterpreter(*InterpreterArgument);
  if (!Interpreter)
    return Interpreter.takeError();
  std::array<unsigned, 6> Counts{};
  unsigned Failing = 0;
  for (KernelResult &K : Results)
    for (const UndefinedSymbol &Symbol : K.K.Undefined) {
      Checked C{Symbol, (*Interpreter)->resolve(Symbol.Name)};
      ++Counts[static_cast<size_t>(C.R.Status)];
      Failing += C.fails();
      K.Symbols.push_back(std::move(C));
    }
  if (Out.Json)
    writeJson(**Interpreter, *InterpreterArgument, Results, Counts, Failing, Out.Out);
  else
    writeText(**Interpreter, Results, Counts, Failing, Out);
  return Failing == 0 ? ExitStatus::Success : ExitStatus::MissingSymbols;
}

}  // namespace

llvm::Expected<Kernel> readKernel(llvm::StringRef Path) {
  if (llvm::sys::fs::is_directory(Path))
    return fail(Path, "is a directory, not a kernel");
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return fail(Path, Buffer.getError().message());
  llvm::StringRef Bytes = (*Buffer)->getBuffer();
  Kernel K;
  K.Path = Path.str();
  // isBitcode reads a 4-byte magic without checking the length.
  if (Bytes.size() >= 4 && llvm::isBitcode(Bytes.bytes_begin(), Bytes.bytes_end())) {
    K.Format = "llvm-bitcode";
    llvm::LLVMContext Context;
    auto M = readBitcode(llvm::arrayRefFromStringRef(Bytes), Path, Context);
    if (!M)
      return M.takeError();
    K.Undefined = undefinedInModule(**M);
  } else if (llvm_compat::startsWith(Bytes, "\x7f"
                              "ELF")) {
    K.Format = "elf-relocatable";
    auto Symbols = undefinedInObject(Path, (*Buffer)->getMemBufferRef());
    if (!Symbols)
      return Symbols.takeError();
    K.Undefined = std::move(*Symbols);
  } else {
    K.Format = "llvm-ir";
    llvm::LLVMContext Context;
    auto M = readIRText(Bytes, Path, Context);
    if (!M)
      return M.takeError();
    K.Undefined = undefinedInModule(**M);
  }
  sortUnique(K.Undefined);
  return K;
}

Command checkCommand() {
  Command C;
  C.Name = "check";
  C.Summary = "whether kernels (LLVM IR, bitcode, ELF .o) link on an interpreter: each undefined "
              "symbol's resolution";
  C.Synopsis = "check KERNEL... --interpreter PATH|NAME [--json]";
  C.Arguments.Required = {"KERNEL"};
  C.Arguments.Rest = "KERNEL...";
  C.Arguments.Options = {
      OptionSpec::withValue("--interpreter", "PATH|NAME",
                            "the interpreter to check against (required), analysed offline"),
  };
  C.Run = runCheck;
  return C;
}

}  // namespace pysym::dump
