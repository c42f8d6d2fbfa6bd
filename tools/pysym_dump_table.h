// Aligned text tables for pysym-dump, coloured only when asked to be.
#ifndef PYSYM_TOOLS_PYSYM_DUMP_TABLE_H
#define PYSYM_TOOLS_PYSYM_DUMP_TABLE_H

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace pysym::dump {

/// How a piece of text is emphasised. Plain text is never wrapped in escape
/// sequences, so uncoloured output is exactly the text.
enum class Style { Plain, Bold, Dim, Red, Green, Yellow, Blue, Magenta, Cyan };

/// Whether output to file descriptor `Fd` should be coloured: only when it is
/// a terminal and the environment has no NO_COLOR variable (set to anything,
/// even empty: https://no-color.org asks for no colour when it is present).
bool colourWanted(int Fd);

/// Writes `Text` in `S` when `Colour`, else plain.
void writeStyled(llvm::raw_ostream &OS, llvm::StringRef Text, Style S, bool Colour);

/// "0x" and lower-case hex digits, without padding. Example: 0x1f0.
std::string hex(std::uint64_t Value);

enum class Align { Left, Right };

struct Column {
  std::string Header;
  Align Alignment = Align::Left;
};

struct Cell {
  Cell(std::string Text, Style S = Style::Plain) : Text(std::move(Text)), Emphasis(S) {}
  Cell(const char *Text, Style S = Style::Plain) : Text(Text), Emphasis(S) {}
  std::string Text;
  Style Emphasis;
};

/// A table whose columns are padded to their widest cell and separated by
/// two spaces, with a bold header row. The last column is never padded, so
/// lines carry no trailing blanks. Widths count bytes: pysym-dump's cells are
/// ASCII apart from file names, which may merely misalign.
///
/// Example:
///   Table T({{"NAME"}, {"SIZE", Align::Right}});
///   T.addRow({"realpath", "229"});
///   T.render(llvm::outs(), /*Colour=*/false);
/// prints
///   NAME       SIZE
///   realpath    229
class Table {
public:
  explicit Table(std::vector<Column> Columns) : Columns(std::move(Columns)) {}

  /// Adds a row; missing trailing cells are empty, extra ones are dropped.
  void addRow(std::vector<Cell> Cells);
  std::size_t rowCount() const { return Rows.size(); }

  void render(llvm::raw_ostream &OS, bool Colour) const;

private:
  std::vector<Column> Columns;
  std::vector<std::vector<Cell>> Rows;
};

}  // namespace pysym::dump

#endif  // PYSYM_TOOLS_PYSYM_DUMP_TABLE_H
