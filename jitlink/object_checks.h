// Checks a relocatable object before a JIT linker sees it, so that a
// truncated, foreign or malformed object is an error instead of an abort.
#ifndef PYSYM_JITLINK_OBJECT_CHECKS_H
#define PYSYM_JITLINK_OBJECT_CHECKS_H

#include <cstdint>

#include "jitlink/linker.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

namespace pysym {

/// The most memory one object may ask the linker to allocate; RuntimeDyld
/// aborts when an allocation fails, so larger requests are refused up front.
constexpr std::uint64_t MaxObjectAllocation = std::uint64_t(1) << 30;

/// Fails, naming the buffer's identifier and the offending section, symbol
/// or relocation, unless \p Object is a well-formed 64-bit little-endian ELF
/// relocatable object for x86-64 that \p For can link safely:
///   - every section header, name, content range, symbol table, string
///     table and relocation table is within the file, every symbol's
///     section index and every relocation's symbol index exists, and every
///     relocation's target bytes lie inside its section (the LLVM 14
///     linkers trust these, and some report_fatal_error or read out of
///     bounds otherwise);
///   - section alignments are 0 or powers of two no larger than 64 KiB,
///     common symbols' alignments powers of two no larger than 64 KiB (and
///     STT_COMMON symbols in SHN_COMMON only), and allocated sections total
///     at most
///     MaxObjectAllocation bytes;
///   - .eh_frame is loaded (SHF_ALLOC, not NOBITS: RuntimeDyld registers
///     it with the unwinder wherever it is), its records fit in it, are
///     32-bit DWARF, and each FDE's CIE
///     pointer leads to the start of an earlier CIE (LLVM 14's JITLink
///     follows it unchecked);
///   - every symbol local, global or weak, section and file symbols local,
///     and section symbols in a section; no name starting with byte 1, and no global definition
///     without a name; every defined symbol inside its section, and a global one
///     at a byte of it (not at its end);
///   - no thread-local symbols or GNU indirect functions, no symbols in a
///     reserved section index other than SHN_ABS and SHN_COMMON, no REL
///     sections;
///   - no global symbol defined in, and no relocation in a loaded section
///     against a symbol in, a section that is not loaded (no SHF_ALLOC):
///     its address would be 0;
///   - no relocations of an SHT_NOBITS section;
///   - relocations in loaded sections each name a symbol (not index 0) and
///     are of the types both linkers
///     implement (64, PC64, PC32, PLT32, GOTPCREL, GOTPCRELX,
///     REX_GOTPCRELX, 32, 32S, NONE).
/// For RuntimeDyld additionally, since its release builds silently
/// truncate what does not fit: no R_X86_64_32/32S (a 32-bit absolute
/// address cannot hold JIT memory or interpreter data), and no
/// R_X86_64_PC32 against an undefined symbol (interpreter data may lie more
/// than 2 GiB away): compile with the large code model, or link with
/// JITLink, which reports out-of-range references itself.
llvm::Error checkObject(llvm::MemoryBufferRef Object, Linker For);

}  // namespace pysym

#endif  // PYSYM_JITLINK_OBJECT_CHECKS_H
