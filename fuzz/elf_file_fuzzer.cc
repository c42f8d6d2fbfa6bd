// Fuzz target: symtab::ElfFile::readBuffer on arbitrary bytes.
//
// Properties, from symtab/elf_file.h: no crash, no hang, no leak; a failure
// names the buffer; a success is consistent with itself (each symbol
// reports the table it came from, and findDynamic finds every dynamic
// symbol by its name).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/outcome.h"
#include "pysym/symtab/elf_file.h"

namespace {

using pysym::fuzzing::Outcome;
using pysym::fuzzing::recordOutcome;

const std::string InputName = "<elf fuzz input>";

void checkSymbols(const pysym::symtab::ElfFile &File) {
  for (const pysym::symtab::Symbol &S : File.dynamicSymbols()) {
    PYSYM_FUZZ_CHECK(S.Table == pysym::symtab::SymbolTable::Dynamic,
                     "a .dynsym symbol reports another table: " + S.Name);
    bool Found = false;
    for (const pysym::symtab::Symbol *Match : File.findDynamic(S.Name))
      Found = Found || Match == &S;
    PYSYM_FUZZ_CHECK(Found, "findDynamic misses a dynamic symbol: " + S.Name);
  }
  for (const pysym::symtab::Symbol &S : File.staticSymbols())
    PYSYM_FUZZ_CHECK(S.Table == pysym::symtab::SymbolTable::Static,
                     "a .symtab symbol reports another table: " + S.Name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size) {
  auto File = pysym::symtab::ElfFile::readBuffer(
      std::string_view(reinterpret_cast<const char *>(Data), Size), InputName);
  if (!File) {
    std::string Message = pysym::toString(File.takeError());
    PYSYM_FUZZ_CHECK(Message.find(InputName) != std::string::npos,
                     "an ElfFile error does not name its input: " + Message);
    recordOutcome(Outcome::Rejected);
    return 0;
  }
  PYSYM_FUZZ_CHECK((*File)->path() == InputName, "ElfFile::path() is not the buffer's name");
  checkSymbols(**File);
  recordOutcome(Outcome::Accepted);
  return 0;
}
