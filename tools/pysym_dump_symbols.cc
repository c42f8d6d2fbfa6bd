// Reads the file with symtab::ElfFile, which checks every field, so a
// malformed file arrives here as an error that already names it.
#include "tools/pysym_dump_symbols.h"

#include <elf.h>

#include <vector>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "pysym/jitlink/core_error.h"
#include "pysym/symtab/elf_file.h"
#include "tools/pysym_dump_table.h"

namespace pysym::dump {
namespace {

using symtab::ElfFile;
using symtab::ElfKind;
using symtab::Symbol;
using symtab::SymbolType;

llvm::StringRef kindKey(ElfKind Kind) {
  switch (Kind) {
  case ElfKind::Relocatable: return "relocatable";
  case ElfKind::Executable: return "executable";
  case ElfKind::PositionIndependentExecutable: return "pie-executable";
  case ElfKind::SharedObject: return "shared-object";
  case ElfKind::Other: return "other";
  }
  return "other";
}

llvm::StringRef kindText(ElfKind Kind) {
  switch (Kind) {
  case ElfKind::Relocatable: return "relocatable object";
  case ElfKind::Executable: return "executable";
  case ElfKind::PositionIndependentExecutable: return "position-independent executable";
  case ElfKind::SharedObject: return "shared object";
  case ElfKind::Other: return "other";
  }
  return "other";
}

// What readelf shows in its Ndx column, but by name.
std::string sectionText(const Symbol &S) {
  if (!S.Defined)
    return "UND";
  if (!S.SectionName.empty())
    return S.SectionName;
  if (S.SectionIndex == SHN_ABS)
    return "ABS";
  if (S.SectionIndex == SHN_COMMON)
    return "COMMON";
  return "#" + std::to_string(S.SectionIndex);
}

// `name@@V` for the default version, `name@V` for a hidden one (and for a
// version an undefined symbol requires), as binutils writes them.
std::string versionedName(const Symbol &S) {
  if (S.Version.empty())
    return S.Name;
  return S.Name + (S.VersionIsDefault ? "@@" : "@") + S.Version;
}

Style typeStyle(const Symbol &S) {
  if (!S.Defined)
    return Style::Dim;
  switch (S.Type) {
  case SymbolType::Function: return Style::Green;
  case SymbolType::Object: return Style::Cyan;
  case SymbolType::ThreadLocal: return Style::Yellow;
  case SymbolType::GnuIndirectFunction: return Style::Magenta;
  default: return Style::Plain;
  }
}

struct Filter {
  bool Static = false;
  bool DefinedOnly = false;
  std::optional<std::string> Match;

  bool keeps(const Symbol &S) const {
    return (!DefinedOnly || S.Defined) && (!Match || llvm::StringRef(S.Name).contains(*Match));
  }
  llvm::StringRef tableName() const { return Static ? ".symtab" : ".dynsym"; }
};

std::size_t countDefined(const std::vector<Symbol> &Symbols) {
  std::size_t Count = 0;
  for (const Symbol &S : Symbols)
    Count += S.Defined;
  return Count;
}

void writeJson(const ElfFile &File, const Filter &Wanted, const std::vector<const Symbol *> &Shown,
               llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema", JsonSchema);
    J.attribute("command", "symbols");
    J.attributeObject("file", [&] {
      J.attribute("path", File.path());
      J.attribute("kind", kindKey(File.kind()));
      J.attribute("soname", File.soname());
      J.attributeArray("needed", [&] {
        for (const std::string &Library : File.neededLibraries())
          J.value(Library);
      });
      J.attribute("runpath", File.runPath());
      J.attribute("dynamic_symbols", int64_t(File.dynamicSymbols().size()));
      J.attribute("dynamic_defined", int64_t(countDefined(File.dynamicSymbols())));
      J.attribute("static_symbols", int64_t(File.staticSymbols().size()));
    });
    J.attribute("table", Wanted.tableName());
    J.attribute("defined_only", Wanted.DefinedOnly);
    J.attribute("match", Wanted.Match ? llvm::json::Value(*Wanted.Match) : llvm::json::Value(nullptr));
    J.attributeArray("symbols", [&] {
      for (const Symbol *S : Shown)
        J.object([&] {
          J.attribute("name", S->Name);
          J.attribute("value", hex(S->Value));
          J.attribute("size", int64_t(S->Size));
          J.attribute("type", std::string(symtab::toString(S->Type)));
          J.attribute("binding", std::string(symtab::toString(S->Binding)));
          J.attribute("visibility", std::string(symtab::toString(S->Visibility)));
          J.attribute("defined", S->Defined);
          J.attribute("section", sectionText(*S));
          J.attribute("version", S->Version.empty() ? llvm::json::Value(nullptr)
                                                    : llvm::json::Value(S->Version));
          J.attribute("version_default", S->Version.empty() ? llvm::json::Value(nullptr)
                                                            : llvm::json::Value(S->VersionIsDefault));
        });
    });
  });
  OS << '\n';
}

void writeHeaderLine(llvm::raw_ostream &OS, llvm::StringRef Label, llvm::StringRef Text, bool Colour) {
  writeStyled(OS, Label, Style::Bold, Colour);
  OS.indent(Label.size() < 9 ? 9 - Label.size() : 1) << (Text.empty() ? "-" : Text) << '\n';
}

void writeText(const ElfFile &File, const Filter &Wanted, const std::vector<const Symbol *> &Shown,
               const Output &Out) {
  llvm::raw_ostream &OS = Out.Out;
  const auto &Dynamic = File.dynamicSymbols();
  const auto &Static = File.staticSymbols();
  writeHeaderLine(OS, "file", File.path(), Out.Colour);
  writeHeaderLine(OS, "kind", kindText(File.kind()), Out.Colour);
  writeHeaderLine(OS, "soname", File.soname(), Out.Colour);
  writeHeaderLine(OS, "needed", llvm::join(File.neededLibraries(), " "), Out.Colour);
  writeHeaderLine(OS, "runpath", File.runPath(), Out.Colour);
  std::size_t DynamicDefined = countDefined(Dynamic);
  writeHeaderLine(OS, ".dynsym",
                  llvm::formatv("{0} symbols: {1} defined, {2} undefined", Dynamic.size(),
                                DynamicDefined, Dynamic.size() - DynamicDefined)
                      .str(),
                  Out.Colour);
  writeHeaderLine(OS, ".symtab",
                  Static.empty() ? std::string("absent or empty (stripped)")
                                 : llvm::formatv("{0} symbols (diagnostics only: dlsym cannot "
                                                 "reach what only .symtab lists)",
                                                 Static.size())
                                       .str(),
                  Out.Colour);
  OS << '\n';

  Table Symbols({{"VALUE", Align::Right},
                 {"SIZE", Align::Right},
                 {"TYPE"},
                 {"BIND"},
                 {"VIS"},
                 {"SECTION"},
                 {"NAME"}});
  bool AnyVersioned = false;
  for (const Symbol *S : Shown) {
    AnyVersioned |= !S->Version.empty();
    Style Emphasis = typeStyle(*S);
    Symbols.addRow({hex(S->Value), std::to_string(S->Size),
                    {std::string(symtab::toString(S->Type)), Emphasis},
                    std::string(symtab::toString(S->Binding)),
                    std::string(symtab::toString(S->Visibility)), sectionText(*S),
                    {versionedName(*S), Emphasis}});
  }
  if (Symbols.rowCount() > 0)
    Symbols.render(OS, Out.Colour);

  const auto &All = Wanted.Static ? Static : Dynamic;
  OS << (Symbols.rowCount() > 0 ? "\n" : "") << Shown.size() << " of " << All.size() << ' '
     << Wanted.tableName() << " symbols shown";
  if (Wanted.DefinedOnly || Wanted.Match) {
    OS << " (";
    if (Wanted.DefinedOnly)
      OS << "defined" << (Wanted.Match ? ", " : "");
    if (Wanted.Match)
      OS << "name contains \"" << *Wanted.Match << '"';
    OS << ')';
  }
  OS << ".\n";
  if (AnyVersioned)
    OS << "name@@V is the default version V, which new links bind; name@V is a hidden (older) "
          "version, or the version an undefined symbol requires.\n";
}

llvm::Expected<ExitStatus> runSymbols(const ParsedArguments &Arguments, const Output &Out) {
  Filter Wanted;
  Wanted.Static = Arguments.has("--static");
  Wanted.DefinedOnly = Arguments.has("--defined");
  if (auto Match = Arguments.value("--match"))
    Wanted.Match = Match->str();

  auto File = ElfFile::read(Arguments.positionals()[0]);
  if (!File)
    return toLlvmError(File.takeError());
  const auto &All = Wanted.Static ? (*File)->staticSymbols() : (*File)->dynamicSymbols();
  std::vector<const Symbol *> Shown;
  for (const Symbol &S : All)
    if (Wanted.keeps(S))
      Shown.push_back(&S);

  if (Out.Json)
    writeJson(**File, Wanted, Shown, Out.Out);
  else
    writeText(**File, Wanted, Shown, Out);
  return ExitStatus::Success;
}

}  // namespace

Command symbolsCommand() {
  Command C;
  C.Name = "symbols";
  C.Summary = "the symbol table of an ELF file: versions, types, sections, needed libraries";
  C.Synopsis = "symbols FILE [--static] [--defined] [--match SUBSTRING] [--json]";
  C.Arguments.Required = {"FILE"};
  C.Arguments.Options = {
      OptionSpec::flag("--static", "list .symtab (diagnostics only) instead of .dynsym"),
      OptionSpec::flag("--defined", "only symbols the file defines"),
      OptionSpec::withValue("--match", "SUBSTRING", "only symbols whose name contains SUBSTRING"),
  };
  C.Run = runSymbols;
  return C;
}

}  // namespace pysym::dump
