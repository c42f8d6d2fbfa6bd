// Tests pysym-dump's table layout and its colour switch.
#include "tools/pysym_dump_table.h"

#include <fcntl.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace pysym::dump {
namespace {

std::string render(const Table &T, bool Colour) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  T.render(OS, Colour);
  return OS.str();
}

TEST(PysymDumpTableTest, PadsColumnsToTheirWidestCellWithoutTrailingBlanks) {
  Table T({{"NAME"}, {"SIZE", Align::Right}, {"NOTE"}});
  T.addRow({"realpath", "1966", "default"});
  T.addRow({"f", "3"});  // a missing last cell leaves no padding behind
  EXPECT_EQ(render(T, false),
            "NAME      SIZE  NOTE\n"
            "realpath  1966  default\n"
            "f            3\n");
}

TEST(PysymDumpTableTest, ColourWrapsOnlyStyledNonEmptyText) {
  Table T({{"A"}, {"B"}});
  T.addRow({{"x", Style::Green}, "y"});
  std::string Coloured = render(T, true);
  EXPECT_EQ(Coloured, "\x1b[1mA\x1b[0m  \x1b[1mB\x1b[0m\n\x1b[32mx\x1b[0m  y\n");
  // Without colour the same table is plain text, escape-free.
  EXPECT_EQ(render(T, false), "A  B\nx  y\n");
}

TEST(PysymDumpTableTest, HexHasAPrefixAndNoPadding) {
  EXPECT_EQ(hex(0), "0x0");
  EXPECT_EQ(hex(0x3d560), "0x3d560");
  EXPECT_EQ(hex(UINT64_MAX), "0xffffffffffffffff");
}

TEST(PysymDumpTableTest, NoColourForAFileDescriptorThatIsNotATerminal) {
  int Fd = ::open("/dev/null", O_WRONLY);
  ASSERT_GE(Fd, 0);
  EXPECT_FALSE(colourWanted(Fd));
  ::close(Fd);
}

}  // namespace
}  // namespace pysym::dump
