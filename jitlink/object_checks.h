// Checks a relocatable object before a JIT linker sees it, so that a
// truncated, foreign or malformed object is an error instead of an abort.
#ifndef PYSYM_JITLINK_OBJECT_CHECKS_H
#define PYSYM_JITLINK_OBJECT_CHECKS_H

#include <cstdint>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "pysym/jitlink/linker.h"

namespace pysym {

/// The most memory one object may ask the linker to allocate; RuntimeDyld
/// aborts when an allocation fails, so larger requests are refused up front.
constexpr std::uint64_t MaxObjectAllocation = std::uint64_t(1) << 30;

/// Fails, naming the buffer's identifier and the offending section, symbol
/// or relocation, unless \p Object is a well-formed 64-bit little-endian ELF
/// object that \p For can link safely. The LLVM 14 linkers trust what they
/// read: given less, some report_fatal_error, read out of bounds or place
/// a symbol at address 0. Compilers emit none of what is refused.
///
/// Whatever llvm::object cannot read (section headers, a symbol table, its
/// string table, a symbol's name, a relocation table) is refused with
/// llvm::object's reason. Then the rules below run, in this order, and the
/// first refusal is the error returned (object_check_rules.cc holds them, in
/// one table of the same order). The rules on symbols run on each symbol of
/// a symbol table and those on relocations on each relocation of a table,
/// right after that table's section passed the rules on sections.
///
/// The ELF header:
///   - refuseWhatIsNotRelocatable: only ET_REL; JIT linkers link .o files.
///   - refuseOtherMachines: only EM_X86_64.
/// Each section:
///   - refuseUnreadableSectionNames, refuseSectionBytesOutsideTheFile: every
///     name within the name table, and the bytes of every section but
///     SHT_NOBITS and SHT_NULL within the file.
///   - refuseLoadedSectionsWithBadAlignment: loaded (SHF_ALLOC) sections
///     aligned to 0 or a power of two up to 64 KiB.
///   - refuseThreadLocalSections: no loaded SHF_TLS; the linkers have no TLS.
///   - refuseOversizedSections: no loaded section over MaxObjectAllocation.
///   - refuseUnwindTablesNotLoaded: .eh_frame is SHF_ALLOC and not NOBITS;
///     RuntimeDyld registers it with the unwinder wherever it is.
///   - refuseMalformedUnwindRecords: .eh_frame's records fit in it, are
///     32-bit DWARF, and each FDE's CIE pointer leads to the start of an
///     earlier CIE (LLVM 14's JITLink follows it unchecked).
///   - refuseRelRelocations: no SHT_REL; x86-64 uses RELA.
/// Each symbol:
///   - refuseLocalAndGlobalOfOneName (RuntimeDyld only): no name both local
///     and global, where a section symbol without a name goes by its
///     section's; RuntimeDyld files both in one table by name, and the
///     global then looks up at 0 or binds to the local.
///   - refuseNamesWithTheDoNotMangleMarker: no name starting with byte 1,
///     which LLVM strips from objects; RuntimeDyld looked one up at 0.
///   - refuseUnnamedGlobalDefinitions: every global definition named.
///   - refuseUnknownBindings: only local, global and weak.
///   - refuseNonLocalSectionAndFileSymbols: section and file symbols local.
///   - refuseSectionSymbolsOutsideAnySection: a section symbol is in a
///     section; RuntimeDyld reaches report_fatal_error relocating against one
///     that is not.
///   - refuseThreadLocalSymbols, refuseIndirectFunctions: no STT_TLS and no
///     STT_GNU_IFUNC, which the linkers do not implement.
///   - refuseExtendedSectionIndices: no SHN_XINDEX.
///   - refuseReservedSectionIndices: of the reserved indices, SHN_ABS and
///     SHN_COMMON only, the ones the linkers place.
///   - refuseCommonTypeOutsideCommon: STT_COMMON in SHN_COMMON only;
///     RuntimeDyld takes it for common anywhere and divides by alignment 0.
///   - refuseBadCommonAlignments, refuseOversizedCommonSymbols: a common
///     symbol aligned to a power of two up to 64 KiB, and no larger than
///     MaxObjectAllocation.
///   - refuseSymbolsInMissingSections: its section index exists.
///   - refuseSymbolsOutsideTheirSection: a defined symbol lies inside its
///     section, and a global one at a byte of it (not at its end), or
///     JITLink places it at 0.
///   - refuseGlobalsInUnloadedSections: no global defined in a section that
///     is not loaded; the linkers place loaded sections only.
/// Each relocation table:
///   - refuseRelocationsOfMissingSections: sh_info names a section.
///   - refuseRelocationsWithoutASymbolTable: sh_link names a readable
///     SHT_SYMTAB.
///   - refuseRelocationsOfNoBitsSections: no relocations of an SHT_NOBITS
///     section, whose bytes RuntimeDyld would write anyway.
/// Each relocation:
///   - refuseRelocationsOfMissingSymbols: its symbol index exists.
///   - refuseRelocationsOutsideTheirSection: the bytes it writes lie inside
///     its section (8 for a type pysym does not take).
///   - refuseStubsInUnloadedSections: in a section that is not loaded, no
///     PLT32 or GOTPCREL(X) type, for which RuntimeDyld builds a stub at 0.
///     The rules below apply to relocations of loaded sections only.
///   - refuseRelocationsWithoutASymbol: not symbol 0; LLVM 14's JITLink
///     dereferences a null symbol reporting it.
///   - refuseRelocationsAgainstUnloadedSymbols: no symbol defined in a
///     section that is not loaded, whose address would be 0.
///   - refuseUnsupportedRelocationTypes: only types both linkers implement:
///     64, PC64, PC32, PLT32, GOTPCREL, GOTPCRELX, REX_GOTPCRELX, 32, 32S and
///     NONE.
///   - refuseTruncated32BitAddresses (RuntimeDyld only): no R_X86_64_32/32S;
///     RuntimeDyld's release builds silently truncate JIT memory or
///     interpreter data addresses to 32 bits.
///   - refuseTruncatedPC32ToExternals (RuntimeDyld only): no R_X86_64_PC32
///     against an undefined symbol, since interpreter data may lie more than
///     2 GiB away. For both of these, compile with the large code model, or
///     link with JITLink, which reports out-of-range references itself.
/// The whole object:
///   - refuseObjectsTooLargeToAllocate: loaded sections and common symbols
///     total at most MaxObjectAllocation bytes.
/// Each failure is a RejectedInputError of Check::Object (engine_errors.h).
llvm::Error checkObject(llvm::MemoryBufferRef Object, Linker For);

}  // namespace pysym

#endif  // PYSYM_JITLINK_OBJECT_CHECKS_H
