#include "pysym/jitlink/ir_reader.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>

#include "pysym/jitlink/engine_errors.h"
#include "pysym/jitlink/orc_compat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace pysym {

namespace {

// The input's fault: it does not read.
llvm::Error fail(llvm::StringRef Name, const llvm::Twine &Why) {
  return rejectInput(RejectedInputError::Check::Parse, "module '" + Name + "'", Why);
}

// The system's fault (staging files, the reader's process): a plain error.
llvm::Error failToRead(llvm::StringRef Name, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "module '" + Name + "': " + Why);
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
  int descriptor() const { return Fd; }

private:
  explicit MemoryFile(int Fd) : Fd(Fd) {}
  int Fd;
};

// Loads bitcode the way LLVM's readers do, minus their verify-or-abort
// debug-info upgrade: with any version but the current one, materializeAll
// strips debug info instead of verifying the module (see the header).
llvm::Expected<std::unique_ptr<llvm::Module>> loadBitcode(llvm::StringRef Bytes,
                                                          llvm::StringRef Name,
                                                          llvm::LLVMContext &Context) {
  auto Lazy =
      llvm::getOwningLazyBitcodeModule(llvm::MemoryBuffer::getMemBufferCopy(Bytes, Name), Context);
  if (!Lazy)
    return Lazy.takeError();
  std::unique_ptr<llvm::Module> M = std::move(*Lazy);
  if (llvm::getDebugMetadataVersionFromModule(*M) == llvm::DEBUG_METADATA_VERSION)
    M->setModuleFlag(llvm::Module::Warning, "Debug Info Version",
                     llvm::ConstantAsMetadata::get(
                         llvm::ConstantInt::get(llvm::Type::getInt32Ty(Context), 0)));
  if (llvm::Error Err = M->materializeAll())
    return Err;
  return M;
}

// Why bitcode is read in a child process first: LLVM 14's bitcode reader
// trusts its input. Malformed abbreviations reach report_fatal_error ("Invalid
// abbrev number", "Invalid encoding", ...) and some malformed records make it
// read out of bounds (both found by fuzz/engine_bitcode_fuzzer). A forked
// child reads the bytes, so such a crash ends only the child; the parent
// then reads what LLVM's writer made of the module the child loaded, which
// is well-formed by construction.
constexpr std::chrono::seconds ChildReaderTimeout{20};
constexpr int ChildLoaded = 0;
constexpr int ChildRefused = 3;  // distinct from 1, which sanitizers and exit(1) use

constexpr int ChildFatal = 4;

// Set only when a sanitizer runtime is linked in.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*)(void));

[[noreturn]] void readInChild(llvm::StringRef Bytes, llvm::StringRef Name, int BitcodeFd,
                              int MessageFd) {
  // The child's crash is the parent's to report, as an error. Handlers
  // inherited from the host would report it as the host's own, or run the
  // host's atexit hooks: a fuzzer, for one, would save the input as a crash.
  // So signals kill, report_fatal_error exits at once, and a sanitizer's
  // report calls nobody back.
  for (int Signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    std::signal(Signal, SIG_DFL);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  llvm::remove_fatal_error_handler();
  llvm::install_fatal_error_handler(
      [](void *, const char *Reason, bool) {
        const std::string Line = "LLVM ERROR: " + std::string(Reason) + "\n";
        // Best effort: the parent reports the crash with or without the reason.
        [[maybe_unused]] ssize_t Wrote = ::write(STDERR_FILENO, Line.data(), Line.size());
        ::_exit(ChildFatal);
      },
      nullptr);
  // Whatever LLVM or a sanitizer prints becomes the parent's error message,
  // not text on the host's stderr.
  ::dup2(MessageFd, STDERR_FILENO);
  llvm::LLVMContext Context;
  auto M = loadBitcode(Bytes, Name, Context);
  if (!M) {
    llvm::raw_fd_ostream Message(MessageFd, /*shouldClose=*/false);
    Message << llvm::toString(M.takeError());
    Message.flush();
    ::_exit(ChildRefused);
  }
  llvm::raw_fd_ostream Bitcode(BitcodeFd, /*shouldClose=*/false);
  llvm::WriteBitcodeToFile(**M, Bitcode);
  Bitcode.flush();
  ::_exit(Bitcode.has_error() ? ChildRefused : ChildLoaded);
}

llvm::Expected<std::string> contentsOf(const MemoryFile &File) {
  auto Buffer = llvm::MemoryBuffer::getFile(File.path(), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return llvm::errorCodeToError(Buffer.getError());
  return (*Buffer)->getBuffer().str();
}

// The last line of what the child printed, e.g. "LLVM ERROR: Invalid abbrev
// number"; empty when it printed nothing.
std::string lastLine(llvm::StringRef Text) {
  Text = Text.rtrim();
  return Text.substr(Text.rfind('\n') + 1).str();
}

// Reads Bytes in a forked child and returns the bitcode LLVM's writer made
// of the module, or an error naming Name: what the reader said when it
// refused the bytes, or how the child ended when it crashed or hung.
llvm::Expected<std::string> rewriteInChild(llvm::StringRef Bytes, llvm::StringRef Name) {
  auto Bitcode = MemoryFile::holding("");
  if (!Bitcode)
    return failToRead(Name, "cannot stage bitcode for the reader: " + llvm::toString(Bitcode.takeError()));
  auto Message = MemoryFile::holding("");
  if (!Message)
    return failToRead(Name, "cannot stage bitcode for the reader: " + llvm::toString(Message.takeError()));
  const pid_t Child = ::fork();
  if (Child < 0)
    return failToRead(Name, "cannot start the bitcode reader's process: " + llvm::Twine(std::strerror(errno)));
  if (Child == 0)
    readInChild(Bytes, Name, Bitcode->descriptor(), Message->descriptor());

  int Status = 0;
  const auto Deadline = std::chrono::steady_clock::now() + ChildReaderTimeout;
  auto Pause = std::chrono::microseconds(50);
  for (;;) {
    const pid_t Done = ::waitpid(Child, &Status, WNOHANG);
    if (Done == Child)
      break;
    if (Done < 0 && errno != EINTR)
      return failToRead(Name, "lost the bitcode reader's process: " + llvm::Twine(std::strerror(errno)));
    if (std::chrono::steady_clock::now() > Deadline) {
      ::kill(Child, SIGKILL);
      while (::waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
      }
      return fail(Name, "bitcode does not load: LLVM's bitcode reader did not finish in " +
                            llvm::Twine(ChildReaderTimeout.count()) + " s");
    }
    std::this_thread::sleep_for(Pause);
    Pause = std::min(Pause * 2, std::chrono::microseconds(5000));
  }
  auto Said = contentsOf(*Message);
  const std::string Reader = Said ? *Said : llvm::toString(Said.takeError());
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == ChildLoaded) {
    auto Written = contentsOf(*Bitcode);
    if (!Written)
      return failToRead(Name, "cannot read back the reader's bitcode: " +
                            llvm::toString(Written.takeError()));
    return std::move(*Written);
  }
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == ChildRefused)
    return fail(Name, "bitcode does not load: " + Reader);
  const std::string How = WIFSIGNALED(Status)
                              ? "signal " + std::to_string(WTERMSIG(Status))
                              : "exit status " + std::to_string(WEXITSTATUS(Status));
  const std::string LastWords = lastLine(Reader);
  return fail(Name, "bitcode does not load: LLVM's bitcode reader crashed on it (" + How +
                        (LastWords.empty() ? "" : ": " + LastWords) + ")");
}

}  // namespace

llvm::Expected<std::unique_ptr<llvm::Module>> readIRText(llvm::StringRef Text, llvm::StringRef Name,
                                                         llvm::LLVMContext &Context) {
  if (std::size_t Nul = Text.find('\0'); Nul != llvm::StringRef::npos)
    return fail(Name, "IR text contains a NUL byte at offset " + llvm::Twine(Nul));
  auto File = MemoryFile::holding(Text);
  if (!File)
    return failToRead(Name, "cannot stage IR text for the parser: " + llvm::toString(File.takeError()));
  const std::string Path = File->path();
  llvm::SMDiagnostic Diagnostic;
  std::unique_ptr<llvm::Module> Parsed =
      orc_compat::parseIRFileNoUpgradeDebugInfo(Path, Diagnostic, Context);
  if (!Parsed)
    return fail(Name, "IR does not parse: " + Name + ":" + llvm::Twine(Diagnostic.getLineNo()) +
                          ":" + llvm::Twine(Diagnostic.getColumnNo() + 1) + ": " +
                          Diagnostic.getMessage());
  Parsed->setModuleIdentifier(Name);
  if (Parsed->getSourceFileName() == Path)
    Parsed->setSourceFileName(Name);
  return Parsed;
}

llvm::Expected<std::unique_ptr<llvm::Module>> readBitcode(llvm::ArrayRef<std::uint8_t> Bytes,
                                                          llvm::StringRef Name,
                                                          llvm::LLVMContext &Context) {
  // Both magics (raw and wrapper) are 4 bytes, and LLVM's isBitcode reads
  // them without checking the length: "BC" alone would be read past its end.
  if (Bytes.size() < 4 || !llvm::isBitcode(Bytes.begin(), Bytes.end()))
    return fail(Name, "not LLVM bitcode (no bitcode magic)");
  auto Rewritten = rewriteInChild(llvm::toStringRef(Bytes), Name);
  if (!Rewritten)
    return Rewritten.takeError();
  auto M = loadBitcode(*Rewritten, Name, Context);
  if (!M)
    return fail(Name, "bitcode does not load: " + llvm::toString(M.takeError()));
  (*M)->setModuleIdentifier(Name);
  return M;
}

}  // namespace pysym
