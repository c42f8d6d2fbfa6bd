#include "fuzz/inputs.h"

#include <algorithm>
#include <system_error>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace pysym::fuzzing {

llvm::Expected<std::vector<std::string>> expandInputs(llvm::ArrayRef<std::string> Paths) {
  std::vector<std::string> Files;
  for (const std::string &Path : Paths) {
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(Path, Status))
      return llvm::createStringError(EC, "%s: %s", Path.c_str(), EC.message().c_str());
    if (!llvm::sys::fs::is_directory(Status)) {
      Files.push_back(Path);
      continue;
    }
    std::vector<std::string> InDirectory;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Path, EC), End; It != End && !EC; It.increment(EC)) {
      auto Entry = It->status();
      if (Entry && llvm::sys::fs::is_regular_file(*Entry))
        InDirectory.push_back(It->path());
    }
    if (EC)
      return llvm::createStringError(EC, "%s: %s", Path.c_str(), EC.message().c_str());
    std::sort(InDirectory.begin(), InDirectory.end());
    Files.insert(Files.end(), InDirectory.begin(), InDirectory.end());
  }
  return Files;
}

llvm::Expected<std::vector<std::uint8_t>> readInput(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: %s", Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  llvm::StringRef Bytes = (*Buffer)->getBuffer();
  return std::vector<std::uint8_t>(Bytes.bytes_begin(), Bytes.bytes_end());
}

}  // namespace pysym::fuzzing
