#include "pysym/support/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace pysym {
namespace {

Error failure(const std::string &Path, int Errno) {
  return makeError<StringError>(std::error_code(Errno, std::generic_category()),
                                Path + ": " + std::strerror(Errno));
}

}  // namespace

Expected<std::string> readFile(const std::string &Path) {
  int Fd = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return failure(Path, errno);
  struct stat Status {};
  if (fstat(Fd, &Status) == 0 && S_ISDIR(Status.st_mode)) {
    close(Fd);
    return failure(Path, EISDIR);
  }
  std::string Bytes;
  char Buffer[1 << 16];
  while (true) {
    ssize_t Read = read(Fd, Buffer, sizeof(Buffer));
    if (Read < 0 && errno == EINTR)
      continue;
    if (Read < 0) {
      int Errno = errno;
      close(Fd);
      return failure(Path, Errno);
    }
    if (Read == 0)
      break;
    Bytes.append(Buffer, static_cast<std::size_t>(Read));
  }
  close(Fd);
  return Bytes;
}

}  // namespace pysym
