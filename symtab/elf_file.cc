// ElfFile's entry points: a file is mapped read-only and handed to
// ElfFileParser (elf_file_parser.h) as a buffer.
#include "pysym/symtab/elf_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "symtab/elf_file_parser.h"

namespace pysym::symtab {
namespace {

// A file mapped read-only for the life of a read, so that only the pages
// holding headers and symbol tables are touched (libpypy3.9-c.so is 59 MB).
class MappedFile {
public:
  ~MappedFile() {
    if (Address != MAP_FAILED)
      munmap(Address, Size);
  }
  // Maps `Fd`'s `Length` bytes; false with errno set when mmap refuses.
  bool map(int Fd, std::size_t Length) {
    Size = Length;
    Address = mmap(nullptr, Length, PROT_READ, MAP_PRIVATE, Fd, 0);
    return Address != MAP_FAILED;
  }
  std::string_view bytes() const { return {static_cast<const char *>(Address), Size}; }

private:
  void *Address = MAP_FAILED;
  std::size_t Size = 0;
};

Error fileError(int Errno, const std::string &Path, const char *Step) {
  return makeError<StringError>(std::error_code(Errno, std::generic_category()),
                                Path + ": " + Step + ": " + std::strerror(Errno));
}

}  // namespace

Expected<std::unique_ptr<ElfFile>> ElfFile::read(const std::string &Path) {
  // Checked first so that a directory or a FIFO is named as such instead of
  // failing obscurely (or blocking) inside the read.
  struct stat Status {};
  if (stat(Path.c_str(), &Status) != 0)
    return fileError(errno, Path, "cannot open");
  if (S_ISDIR(Status.st_mode))
    return makeStringError(std::errc::is_a_directory, Path + ": is a directory");
  if (!S_ISREG(Status.st_mode))
    return makeStringError(std::errc::invalid_argument, Path + ": is not a regular file");
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return fileError(errno, Path, "cannot read");
  struct stat Opened {};
  if (fstat(Fd, &Opened) != 0) {
    int Errno = errno;
    close(Fd);
    return fileError(Errno, Path, "cannot read");
  }
  if (Opened.st_size == 0) {  // mmap refuses an empty mapping
    close(Fd);
    return ElfFileParser(std::string_view(), Path).parse();
  }
  MappedFile Mapped;
  bool Mapping = Mapped.map(Fd, static_cast<std::size_t>(Opened.st_size));
  int Errno = errno;
  close(Fd);  // the mapping stays valid without the descriptor
  if (!Mapping)
    return fileError(Errno, Path, "cannot read");
  return ElfFileParser(Mapped.bytes(), Path).parse();
}

Expected<std::unique_ptr<ElfFile>> ElfFile::readBuffer(std::string_view Bytes, const std::string &Name) {
  return ElfFileParser(Bytes, Name).parse();
}

std::vector<const Symbol *> ElfFile::findDynamic(std::string_view Name) const {
  std::vector<const Symbol *> Matches;
  for (const Symbol &Sym : Dynamic)
    if (Sym.Name == Name)
      Matches.push_back(&Sym);
  return Matches;
}

}  // namespace pysym::symtab
