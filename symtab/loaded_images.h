// The images (executable and shared objects) loaded in the running process,
// and their defined dynamic symbols at run-time addresses.
#ifndef PYSYM_SYMTAB_LOADED_IMAGES_H
#define PYSYM_SYMTAB_LOADED_IMAGES_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/support/error.h"
#include "pysym/symtab/elf_vocabulary.h"

namespace pysym::symtab {

/// One image as the dynamic loader reports it through dl_iterate_phdr.
/// Images loaded RTLD_LOCAL are included: that is why this exists, since
/// dlsym(RTLD_DEFAULT) cannot see them.
struct LoadedImage {
  // Absolute; the main program's is /proc/self/exe resolved. The vDSO has no
  // file, so its Path is the loader's name for it ("linux-vdso.so.1").
  std::string Path;
  std::uintptr_t LoadBias = 0;
  bool IsMainProgram = false;
  bool IsVdso = false;        // the kernel's vDSO: no file on disk
  // ElfW(Phdr) array, in the image's memory. The one thing taken on trust:
  // it must hold ProgramHeaderCount entries (the loader guarantees it).
  const void *ProgramHeaders = nullptr;
  std::uint16_t ProgramHeaderCount = 0;
};

/// The images loaded now, in the loader's order (the main program first).
/// A snapshot: images loaded or unloaded later are not reflected.
std::vector<LoadedImage> loadedImages();

/// A defined dynamic symbol of a loaded image, in the vocabulary of
/// elf_vocabulary.h that the file reader's Symbol (symbol.h) shares;
/// symbol.h says why they are two structs.
struct ImageSymbol {
  // Points into the image's mapped string table: valid while the image stays
  // loaded, which is why holders of an index pin the images they index.
  std::string_view Name;
  // Load bias + st_value. For GnuIndirectFunction it is the resolver's address,
  // not the implementation; for ThreadLocal it is an offset in the image's TLS
  // block; for an absolute (SHN_ABS) symbol it is st_value, as glibc has it.
  std::uintptr_t Address = 0;
  std::uint64_t Size = 0;
  SymbolType Type = SymbolType::NoType;
  SymbolBinding Binding = SymbolBinding::Global;  // never Local: those are skipped
  SymbolVisibility Visibility = SymbolVisibility::Default;
  std::string_view Version;       // empty when unversioned
  bool VersionIsDefault = false;  // `@@` versus hidden `@` (VersionTable::versionOf)
};

/// The defined dynamic symbols of `Image`, read from its mapped dynamic
/// section (DT_SYMTAB, DT_STRTAB, DT_STRSZ, DT_GNU_HASH or DT_HASH for the
/// count, DT_VERSYM with DT_VERDEF and DT_VERNEED for versions). Local,
/// undefined, STT_SECTION and STT_FILE entries are skipped. Every table must
/// lie in the image's readable PT_LOAD segments. Fails, naming the image, when
/// the dynamic section is inconsistent (a table outside the segments, a string
/// offset past DT_STRSZ, a version index no definition names, ...); an image
/// without one has no symbols, which is not an error. Example: for libc,
/// `realpath` comes back twice, as GLIBC_2.3 (default) and GLIBC_2.2.5.
Expected<std::vector<ImageSymbol>> definedDynamicSymbols(const LoadedImage &Image);

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_LOADED_IMAGES_H
