#include "pysym/support/text.h"

#include <cstdio>

namespace pysym {

std::vector<std::string_view> split(std::string_view Text, char Separator, bool KeepEmpty) {
  std::vector<std::string_view> Pieces;
  std::size_t Start = 0;
  while (true) {
    std::size_t End = Text.find(Separator, Start);
    std::string_view Piece = Text.substr(Start, End == std::string_view::npos ? End : End - Start);
    if (KeepEmpty || !Piece.empty())
      Pieces.push_back(Piece);
    if (End == std::string_view::npos)
      return Pieces;
    Start = End + 1;
  }
}

std::string_view trim(std::string_view Text) {
  constexpr std::string_view Space = " \t\n\v\f\r";
  std::size_t First = Text.find_first_not_of(Space);
  if (First == std::string_view::npos)
    return Text.substr(Text.size());
  return Text.substr(First, Text.find_last_not_of(Space) - First + 1);
}

std::string join(const std::vector<std::string> &Pieces, std::string_view Separator) {
  std::string Joined;
  for (std::size_t I = 0; I < Pieces.size(); ++I) {
    if (I)
      Joined += Separator;
    Joined += Pieces[I];
  }
  return Joined;
}

std::string hex(std::uint64_t Value) {
  char Text[2 + 16 + 1];
  std::snprintf(Text, sizeof(Text), "0x%llx", static_cast<unsigned long long>(Value));
  return Text;
}

}  // namespace pysym
