#include "pysym/jitlink/object_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

namespace pysym {

char ObjectCacheUnavailable::ID = 0;

void ObjectCacheUnavailable::log(llvm::raw_ostream &OS) const {
  OS << "object cache " << Directory << " is unavailable: " << Why;
}

std::error_code ObjectCacheUnavailable::convertToErrorCode() const {
  return std::make_error_code(std::errc::permission_denied);
}

namespace {

// An entry: Magic, the key's 32 bytes, the payload's size (8 bytes, little
// endian), the payload's SHA-256, then the payload. The key inside the
// entry catches a file copied or renamed under another key's name.
constexpr llvm::StringLiteral Magic("PYSYMOC1");
constexpr std::size_t DigestSize = 32;
constexpr std::size_t HeaderSize = 8 + DigestSize + 8 + DigestSize;

using Digest = std::array<std::uint8_t, DigestSize>;

Digest sha256(llvm::StringRef Bytes) {
  return llvm::SHA256::hash(llvm::ArrayRef<std::uint8_t>(
      reinterpret_cast<const std::uint8_t *>(Bytes.data()), Bytes.size()));
}

llvm::StringRef asText(const Digest &D) {
  return llvm::StringRef(reinterpret_cast<const char *>(D.data()), D.size());
}

void appendField(std::string &Out, llvm::StringRef Field) {
  char Size[8];
  llvm::support::endian::write64le(Size, Field.size());
  Out.append(Size, sizeof Size);
  Out.append(Field.data(), Field.size());
}

// The raw bytes of a key in hex, or nothing when `Key` is not 64 hex digits
// (so no caller-supplied key can name a path outside the directory).
std::optional<std::string> keyBytes(llvm::StringRef Key) {
  if (Key.size() != 2 * DigestSize) return std::nullopt;
  for (char C : Key)
    if (!llvm::isHexDigit(C)) return std::nullopt;
  return llvm::fromHex(Key);
}

std::string errnoText(const char *What) { return std::string(What) + ": " + std::strerror(errno); }

}  // namespace

std::string objectCacheKey(llvm::StringRef ModuleBytes, const CompileSettings &S) {
  std::string Material;
  appendField(Material, "pysym object cache 1");
  appendField(Material, asText(sha256(ModuleBytes)));
  for (llvm::StringRef Field : {llvm::StringRef(S.LLVMVersion), llvm::StringRef(S.Triple),
                                llvm::StringRef(S.CPU), llvm::StringRef(S.Features),
                                llvm::StringRef(S.Linker), llvm::StringRef(S.CodeModel)})
    appendField(Material, Field);
  appendField(Material, std::to_string(S.OptLevel));
  return llvm::toHex(asText(sha256(Material)), /*LowerCase=*/true);
}

llvm::StringRef cacheMissReasonName(CacheMissReason Reason) {
  switch (Reason) {
  case CacheMissReason::Absent: return "absent";
  case CacheMissReason::Unreadable: return "unreadable";
  case CacheMissReason::Truncated: return "truncated";
  case CacheMissReason::Corrupted: return "corrupted";
  case CacheMissReason::Foreign: return "foreign";
  case CacheMissReason::Rejected: return "rejected";
  }
  return "unknown";
}

llvm::Expected<std::unique_ptr<DiskObjectCache>> DiskObjectCache::open(llvm::StringRef Directory) {
  if (Directory.empty() || Directory.contains('\0'))
    return llvm::make_error<ObjectCacheUnavailable>(Directory.str(), "not a directory name");
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return llvm::make_error<ObjectCacheUnavailable>(Directory.str(), EC.message());
  if (!llvm::sys::fs::is_directory(Directory))
    return llvm::make_error<ObjectCacheUnavailable>(Directory.str(), "not a directory");
  // access() answers for the real user; a probe file answers for the
  // process as it will write (read-only mounts, effective ids, ACLs).
  std::string Probe = (Directory + "/.pysym-probe-" + std::to_string(::getpid())).str();
  int Fd = ::open(Probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (Fd < 0) return llvm::make_error<ObjectCacheUnavailable>(Directory.str(), errnoText("cannot write"));
  ::close(Fd);
  ::unlink(Probe.c_str());
  return std::unique_ptr<DiskObjectCache>(new DiskObjectCache(Directory.str()));
}

std::string DiskObjectCache::entryPath(llvm::StringRef Key) const {
  return Directory + "/" + Key.str() + ".o";
}

void DiskObjectCache::noteIgnored(CacheMissReason Reason, const std::string &Detail) {
  std::lock_guard<std::mutex> Guard(Lock);
  ++Stats.Ignored;
  Stats.LastIgnored = cacheMissReasonName(Reason).str() + ": " + Detail;
}

void DiskObjectCache::noteRejected(llvm::StringRef Key, llvm::StringRef Why) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Stats.Hits > 0) --Stats.Hits;  // load counted it
  }
  noteIgnored(CacheMissReason::Rejected, entryPath(Key) + ": " + Why.str());
}

std::unique_ptr<llvm::MemoryBuffer> DiskObjectCache::load(llvm::StringRef Key, CacheMissReason &Why) {
  auto Ignore = [&](CacheMissReason Reason, const std::string &Detail) {
    Why = Reason;
    noteIgnored(Reason, Detail);
    return std::unique_ptr<llvm::MemoryBuffer>();
  };
  std::optional<std::string> Raw = keyBytes(Key);
  if (!Raw)
    return Ignore(CacheMissReason::Foreign, "'" + Key.str() + "' is not a cache key");
  std::string Path = entryPath(Key);
  auto File = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!File) {
    if (File.getError() == std::errc::no_such_file_or_directory) {
      Why = CacheMissReason::Absent;
      std::lock_guard<std::mutex> Guard(Lock);
      ++Stats.Misses;
      return nullptr;
    }
    return Ignore(CacheMissReason::Unreadable, Path + ": " + File.getError().message());
  }
  llvm::StringRef Bytes = (*File)->getBuffer();
  if (Bytes.substr(0, Magic.size()) != Magic)
    return Ignore(CacheMissReason::Foreign, Path + ": not a pysym cache entry");
  if (Bytes.size() < HeaderSize)
    return Ignore(CacheMissReason::Truncated,
                  Path + ": " + std::to_string(Bytes.size()) + " bytes, shorter than the header");
  llvm::StringRef StoredKey = Bytes.substr(Magic.size(), DigestSize);
  std::uint64_t Size = llvm::support::endian::read64le(Bytes.data() + Magic.size() + DigestSize);
  llvm::StringRef StoredHash = Bytes.substr(Magic.size() + DigestSize + 8, DigestSize);
  llvm::StringRef Payload = Bytes.substr(HeaderSize);
  if (StoredKey != *Raw)
    return Ignore(CacheMissReason::Foreign, Path + ": the entry is another key's");
  if (Payload.size() != Size)
    return Ignore(CacheMissReason::Truncated, Path + ": " + std::to_string(Payload.size()) +
                                                  " of " + std::to_string(Size) + " bytes");
  if (asText(sha256(Payload)) != StoredHash)
    return Ignore(CacheMissReason::Corrupted, Path + ": the object does not match its hash");
  {
    std::lock_guard<std::mutex> Guard(Lock);
    ++Stats.Hits;
  }
  return llvm::MemoryBuffer::getMemBufferCopy(Payload, Path);
}

llvm::Error DiskObjectCache::store(llvm::StringRef Key, llvm::StringRef Object) {
  auto Fail = [&](std::string Why) -> llvm::Error {
    std::lock_guard<std::mutex> Guard(Lock);
    ++Stats.StoreFailures;
    Stats.LastStoreFailure = Why;
    return llvm::make_error<ObjectCacheUnavailable>(Directory, std::move(Why));
  };
  std::optional<std::string> Raw = keyBytes(Key);
  if (!Raw) return Fail("'" + Key.str() + "' is not a cache key");

  std::string Entry;
  Entry.reserve(HeaderSize + Object.size());
  Entry.append(Magic.data(), Magic.size());
  Entry.append(*Raw);
  char Size[8];
  llvm::support::endian::write64le(Size, Object.size());
  Entry.append(Size, sizeof Size);
  Entry.append(asText(sha256(Object)).str());
  Entry.append(Object.data(), Object.size());

  // A name no other writer uses, then an atomic rename over the entry.
  static std::atomic<unsigned> Counter{0};
  std::string Temporary = Directory + "/.tmp-" + Key.str() + "-" + std::to_string(::getpid()) + "-" +
                          std::to_string(Counter++);
  int Fd = ::open(Temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (Fd < 0) return Fail(errnoText(("cannot create " + Temporary).c_str()));
  std::size_t Written = 0;
  while (Written < Entry.size()) {
    ssize_t N = ::write(Fd, Entry.data() + Written, Entry.size() - Written);
    if (N < 0 && errno == EINTR) continue;
    if (N <= 0) {
      std::string Why = errnoText(("cannot write " + Temporary).c_str());
      ::close(Fd);
      ::unlink(Temporary.c_str());
      return Fail(std::move(Why));
    }
    Written += static_cast<std::size_t>(N);
  }
  if (::close(Fd) != 0) {
    std::string Why = errnoText(("cannot write " + Temporary).c_str());
    ::unlink(Temporary.c_str());
    return Fail(std::move(Why));
  }
  if (::rename(Temporary.c_str(), entryPath(Key).c_str()) != 0) {
    std::string Why = errnoText(("cannot rename " + Temporary).c_str());
    ::unlink(Temporary.c_str());
    return Fail(std::move(Why));
  }
  std::lock_guard<std::mutex> Guard(Lock);
  ++Stats.Stores;
  return llvm::Error::success();
}

ObjectCacheStatistics DiskObjectCache::statistics() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return Stats;
}

}  // namespace pysym
