#include "tools/pysym_dump_table.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "llvm/Support/FormatVariadic.h"

namespace pysym::dump {

bool colourWanted(int Fd) { return ::isatty(Fd) == 1 && std::getenv("NO_COLOR") == nullptr; }

void writeStyled(llvm::raw_ostream &OS, llvm::StringRef Text, Style S, bool Colour) {
  if (!Colour || S == Style::Plain || Text.empty()) {
    OS << Text;
    return;
  }
  // SGR codes; written by hand because raw_ostream::changeColor only colours
  // when it judges the stream itself a terminal, which is the caller's call.
  const char *Code = "";
  switch (S) {
  case Style::Plain: break;
  case Style::Bold: Code = "1"; break;
  case Style::Dim: Code = "2"; break;
  case Style::Red: Code = "31"; break;
  case Style::Green: Code = "32"; break;
  case Style::Yellow: Code = "33"; break;
  case Style::Blue: Code = "34"; break;
  case Style::Magenta: Code = "35"; break;
  case Style::Cyan: Code = "36"; break;
  }
  OS << "\x1b[" << Code << 'm' << Text << "\x1b[0m";
}

std::string hex(std::uint64_t Value) { return llvm::formatv("{0:x}", Value).str(); }

void Table::addRow(std::vector<Cell> Cells) {
  Cells.resize(Columns.size(), Cell(""));
  Rows.push_back(std::move(Cells));
}

void Table::render(llvm::raw_ostream &OS, bool Colour) const {
  std::vector<std::size_t> Widths;
  for (const Column &C : Columns)
    Widths.push_back(C.Header.size());
  for (const auto &Row : Rows)
    for (std::size_t I = 0; I < Row.size(); ++I)
      Widths[I] = std::max(Widths[I], Row[I].Text.size());

  // Cells after the last non-empty one are left out, so no line ends in blanks.
  auto writeLine = [&](auto TextOf, auto StyleOf) {
    std::size_t End = Columns.size();
    while (End > 0 && TextOf(End - 1).empty())
      --End;
    for (std::size_t I = 0; I < End; ++I) {
      llvm::StringRef Text = TextOf(I);
      std::size_t Padding = Widths[I] - Text.size();
      if (I > 0)
        OS << "  ";
      if (Columns[I].Alignment == Align::Right)
        OS.indent(Padding);
      writeStyled(OS, Text, StyleOf(I), Colour);
      if (Columns[I].Alignment == Align::Left && I + 1 != End)
        OS.indent(Padding);
    }
    OS << '\n';
  };
  writeLine([&](std::size_t I) { return llvm::StringRef(Columns[I].Header); },
            [](std::size_t) { return Style::Bold; });
  for (const auto &Row : Rows)
    writeLine([&](std::size_t I) { return llvm::StringRef(Row[I].Text); },
              [&](std::size_t I) { return Row[I].Emphasis; });
}

}  // namespace pysym::dump
