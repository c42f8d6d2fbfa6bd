#include "jitlink/ir_reader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

namespace pysym {

namespace {

llvm::Error fail(llvm::StringRef Name, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "module '" + Name + "': " + Why);
}

// An anonymous in-memory file holding some text, for LLVM's one parser
// entry point that skips the debug-info upgrade (it takes a path).
class MemoryFile {
public:
  static llvm::Expected<MemoryFile> holding(llvm::StringRef Text) {
    int Fd = ::memfd_create("pysym-ir", MFD_CLOEXEC);
    if (Fd < 0)
      return llvm::errorCodeToError(std::error_code(errno, std::generic_category()));
    MemoryFile File(Fd);
    for (std::size_t Done = 0; Done < Text.size();) {
      ssize_t Wrote = ::write(Fd, Text.data() + Done, Text.size() - Done);
      if (Wrote < 0 && errno == EINTR)
        continue;
      if (Wrote <= 0)
        return llvm::errorCodeToError(std::error_code(errno, std::generic_category()));
      Done += static_cast<std::size_t>(Wrote);
    }
    return File;
  }
  MemoryFile(MemoryFile &&Other) noexcept : Fd(std::exchange(Other.Fd, -1)) {}
  MemoryFile &operator=(MemoryFile &&) = delete;
  ~MemoryFile() {
    if (Fd >= 0)
      ::close(Fd);
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(Fd); }

private:
  explicit MemoryFile(int Fd) : Fd(Fd) {}
  int Fd;
};

}  // namespace

llvm::Expected<std::unique_ptr<llvm::Module>> readIRText(llvm::StringRef Text, llvm::StringRef Name,
                                                         llvm::LLVMContext &Context) {
  if (std::size_t Nul = Text.find('\0'); Nul != llvm::StringRef::npos)
    return fail(Name, "IR text contains a NUL byte at offset " + llvm::Twine(Nul));
  auto File = MemoryFile::holding(Text);
  if (!File)
    return fail(Name, "cannot stage IR text for the parser: " + llvm::toString(File.takeError()));
  const std::string Path = File->path();
  llvm::SMDiagnostic Diagnostic;
  llvm::ParsedModuleAndIndex Parsed = llvm::parseAssemblyFileWithIndexNoUpgradeDebugInfo(
      Path, Diagnostic, Context, nullptr, [](llvm::StringRef) { return llvm::None; });
  if (!Parsed.Mod)
    return fail(Name, "IR does not parse: " + Name + ":" + llvm::Twine(Diagnostic.getLineNo()) +
                          ":" + llvm::Twine(Diagnostic.getColumnNo() + 1) + ": " +
                          Diagnostic.getMessage());
  Parsed.Mod->setModuleIdentifier(Name);
  if (Parsed.Mod->getSourceFileName() == Path)
    Parsed.Mod->setSourceFileName(Name);
  return std::move(Parsed.Mod);
}

llvm::Expected<std::unique_ptr<llvm::Module>> readBitcode(llvm::ArrayRef<std::uint8_t> Bytes,
                                                          llvm::StringRef Name,
                                                          llvm::LLVMContext &Context) {
  if (!llvm::isBitcode(Bytes.begin(), Bytes.end()))
    return fail(Name, "not LLVM bitcode (no bitcode magic)");
  auto Lazy = llvm::getOwningLazyBitcodeModule(
      llvm::MemoryBuffer::getMemBufferCopy(llvm::toStringRef(Bytes), Name), Context);
  if (!Lazy)
    return fail(Name, "bitcode does not load: " + llvm::toString(Lazy.takeError()));
  std::unique_ptr<llvm::Module> M = std::move(*Lazy);
  // With any other version, materializeAll strips debug info instead of
  // verifying the module (see the header).
  if (llvm::getDebugMetadataVersionFromModule(*M) == llvm::DEBUG_METADATA_VERSION)
    M->setModuleFlag(llvm::Module::Warning, "Debug Info Version",
                     llvm::ConstantAsMetadata::get(
                         llvm::ConstantInt::get(llvm::Type::getInt32Ty(Context), 0)));
  if (llvm::Error Err = M->materializeAll())
    return fail(Name, "bitcode does not load: " + llvm::toString(std::move(Err)));
  M->setModuleIdentifier(Name);
  return M;
}

}  // namespace pysym
