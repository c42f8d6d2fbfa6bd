// An on-disk cache of compiled objects, keyed by what the compiler saw.
//
// pysym resolves interpreter names at link time, so a compiled object holds
// no interpreter address: one object, compiled in CPython, links unchanged
// in PyPy and the other way round. The key is therefore the module's bytes
// and every setting that changes the code the compiler emits (the LLVM
// version, target triple, CPU and features, optimisation level, linker and
// code model), and never anything about the interpreter.
//
// Entries are untrusted input. A truncated, corrupted or foreign entry is
// ignored, with a reason the caller can report, and the module is compiled
// again; the engine also passes every loaded object through the checks
// that `addObject` applies. Entries are written to a temporary file and
// renamed into place, so processes that store the same entry at once leave
// one whole entry. Nothing bounds the directory's size: delete it (or the
// files in it) to clear the cache, at any time.
#ifndef PYSYM_JITLINK_OBJECT_CACHE_H
#define PYSYM_JITLINK_OBJECT_CACHE_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

namespace pysym {

/// Everything besides the module's bytes that changes the compiled object.
struct CompileSettings {
  std::string LLVMVersion;  // "14.0.6"
  std::string Triple;
  std::string CPU;
  std::string Features;
  unsigned OptLevel = 2;
  std::string Linker;     // "rtdyld" or "jitlink"
  std::string CodeModel;  // "small", "large", ...
};

/// The SHA-256 of a module's bytes and its settings, as 64 hex digits.
/// Each field is length-prefixed, so no two different inputs share a key.
std::string objectCacheKey(llvm::StringRef ModuleBytes, const CompileSettings &Settings);

/// Why an entry was not used. Absent is the ordinary miss.
enum class CacheMissReason {
  Absent,      // no entry under this key
  Unreadable,  // the file exists but could not be read
  Truncated,   // shorter than its header says
  Corrupted,   // its payload does not match the hash it carries
  Foreign,     // not a pysym entry, or an entry of another key
  Rejected,    // whole, but its object fails the caller's checks
};
llvm::StringRef cacheMissReasonName(CacheMissReason Reason);

/// What the cache has done since it was opened.
struct ObjectCacheStatistics {
  std::uint64_t Hits = 0;
  std::uint64_t Misses = 0;         // absent entries
  std::uint64_t Ignored = 0;        // present but unusable (see LastIgnored)
  std::uint64_t Stores = 0;
  std::uint64_t StoreFailures = 0;  // see LastStoreFailure
  std::string LastIgnored;          // "<reason>: <detail>", "" when none
  std::string LastStoreFailure;
};

/// The cache directory could not be created or written: the caller works
/// uncached and reports why.
class ObjectCacheUnavailable : public llvm::ErrorInfo<ObjectCacheUnavailable> {
public:
  static char ID;
  ObjectCacheUnavailable(std::string Directory, std::string Why)
      : Directory(std::move(Directory)), Why(std::move(Why)) {}
  const std::string &directory() const { return Directory; }
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string Directory;
  std::string Why;
};

/// One cache directory. Thread-safe.
class DiskObjectCache {
public:
  /// Opens `Directory`, creating it (and its parents) when missing. Fails
  /// with ObjectCacheUnavailable when it cannot be created or written.
  static llvm::Expected<std::unique_ptr<DiskObjectCache>> open(llvm::StringRef Directory);

  /// The object stored under `Key`, or nothing, with the reason in `Why`
  /// (and, for an unusable entry, a detail in the statistics).
  std::unique_ptr<llvm::MemoryBuffer> load(llvm::StringRef Key, CacheMissReason &Why);

  /// Records that the entry `load` returned for `Key` failed the caller's
  /// own checks (`Why`): counted as ignored (Rejected), not as a hit.
  void noteRejected(llvm::StringRef Key, llvm::StringRef Why);

  /// Stores `Object` under `Key`, replacing any entry. A failure (a full
  /// disk, a directory removed meanwhile) is counted and returned; the
  /// caller has its object either way.
  llvm::Error store(llvm::StringRef Key, llvm::StringRef Object);

  /// Where an entry of `Key` lives.
  std::string entryPath(llvm::StringRef Key) const;
  const std::string &directory() const { return Directory; }
  ObjectCacheStatistics statistics() const;

private:
  explicit DiskObjectCache(std::string Directory) : Directory(std::move(Directory)) {}
  void noteIgnored(CacheMissReason Reason, const std::string &Detail);

  std::string Directory;
  mutable std::mutex Lock;  // guards Stats
  ObjectCacheStatistics Stats;
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_OBJECT_CACHE_H
