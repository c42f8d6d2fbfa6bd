// Reads the loaded images' dynamic symbols from the process's own memory.
//
// Every value comes from memory the image itself supplied (its dynamic
// section, hash tables, version tables), so every address, count and offset is
// checked against the image's readable PT_LOAD segments before it is read.
#include "pysym/symtab/loaded_images.h"

#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string_view>

#include "pysym/support/text.h"

namespace pysym::symtab {

namespace {

using Dyn = ElfW(Dyn);
using Phdr = ElfW(Phdr);
using Sym = ElfW(Sym);

// The phdrs of the kernel's vDSO, which the loader reports like any image.
const void *vdsoProgramHeaders() {
  auto Base = static_cast<std::uintptr_t>(getauxval(AT_SYSINFO_EHDR));
  if (Base == 0)
    return nullptr;
  const auto *Header = reinterpret_cast<const ElfW(Ehdr) *>(Base);
  return reinterpret_cast<const void *>(Base + Header->e_phoff);
}

std::string absolutePath(const std::string &LoaderName, bool IsMainProgram) {
  // The loader names the main program "" (or by the path it was given when
  // run as `ld.so prog`); /proc/self/exe is where it actually came from.
  const std::string Source = IsMainProgram ? "/proc/self/exe" : LoaderName;
  if (!IsMainProgram && startsWith(Source, "/"))
    return Source;
  char Resolved[PATH_MAX];
  if (::realpath(Source.c_str(), Resolved) != nullptr)
    return Resolved;
  // A relative name whose file has since gone: absolute against the current
  // directory is the best that can be said.
  char Directory[PATH_MAX];
  if (::getcwd(Directory, sizeof(Directory)) == nullptr)
    return Source;
  return std::string(Directory) + "/" + Source;
}

struct RawImage {
  std::string LoaderName;
  LoadedImage Image;
};

int collectImage(dl_phdr_info *Info, std::size_t, void *Out) {
  // This runs under the loader's lock, inside C code: nothing may escape.
  try {
    auto &Images = *static_cast<std::vector<RawImage> *>(Out);
    RawImage Raw;
    Raw.LoaderName = Info->dlpi_name ? Info->dlpi_name : "";
    Raw.Image.LoadBias = Info->dlpi_addr;
    Raw.Image.IsMainProgram = Images.empty();
    Raw.Image.IsVdso = Info->dlpi_phdr != nullptr && Info->dlpi_phdr == vdsoProgramHeaders();
    Raw.Image.ProgramHeaders = Info->dlpi_phdr;
    Raw.Image.ProgramHeaderCount = Info->dlpi_phdr ? Info->dlpi_phnum : 0;
    Images.push_back(std::move(Raw));
    return 0;
  } catch (const std::exception &) {
    return 1;  // out of memory: stop, keeping the images seen so far
  }
}

// The readable memory of one image, and checked reads from it.
class ImageMemory {
public:
  explicit ImageMemory(const LoadedImage &Image) : Image(Image) {
    const auto *Headers = static_cast<const Phdr *>(Image.ProgramHeaders);
    for (std::uint16_t I = 0; I < Image.ProgramHeaderCount; ++I) {
      const Phdr &Header = Headers[I];
      if (Header.p_type == PT_LOAD && (Header.p_flags & PF_R) != 0) {
        std::uintptr_t Begin = Image.LoadBias + Header.p_vaddr;
        std::uintptr_t End = Begin + Header.p_memsz;
        if (End >= Begin)  // a segment that wraps is ignored, so unreadable
          Segments.push_back({Begin, End});
      }
    }
  }

  Error fail(const std::string &Problem) const {
    return makeStringError(std::errc::invalid_argument, "loaded image " + Image.Path + ": " + Problem);
  }

  /// [Address, Address + Size) lies in one readable segment.
  bool contains(std::uintptr_t Address, std::uint64_t Size) const {
    for (const auto &Segment : Segments)
      if (Address >= Segment.Begin && Address <= Segment.End &&
          Size <= Segment.End - Address)
        return true;
    return false;
  }

  /// The readable bytes from `Address` to the end of the segment holding it;
  /// empty when no readable segment does.
  std::string_view bytesFrom(std::uintptr_t Address) const {
    for (const auto &Segment : Segments)
      if (Address >= Segment.Begin && Address < Segment.End)
        return std::string_view(reinterpret_cast<const char *>(Address), Segment.End - Address);
    return {};
  }

  /// glibc 2.36 rewrites DT_SYMTAB, DT_STRTAB, DT_HASH, DT_GNU_HASH and
  /// DT_VERSYM to absolute addresses in every image, a PIE main program
  /// included, but not in the read-only vDSO, and never DT_VERDEF/DT_VERNEED.
  /// Those stay relative to the load bias, which no absolute address is below.
  std::uintptr_t runTimeAddress(std::uint64_t DynamicPointer) const {
    if (DynamicPointer < Image.LoadBias)
      return Image.LoadBias + DynamicPointer;
    return DynamicPointer;
  }

  /// `Count` objects of type T at `Address`, aligned and within one segment.
  template <typename T>
  Expected<const T *> array(std::uintptr_t Address, std::uint64_t Count, const char *What) const {
    if (Address % alignof(T) != 0)
      return fail(std::string(What) + " at " + hex(Address) + " is misaligned");
    if (Count > UINT64_MAX / sizeof(T) || !contains(Address, Count * sizeof(T)))
      return fail(std::string(What) + " at " + hex(Address) + " (" + std::to_string(Count) +
                  " entries) lies outside the image's loaded segments");
    return reinterpret_cast<const T *>(Address);
  }

  template <typename T>
  Expected<const T *> object(std::uintptr_t Address, const char *What) const {
    return array<T>(Address, 1, What);
  }

private:
  struct Segment {
    std::uintptr_t Begin;
    std::uintptr_t End;
  };
  const LoadedImage &Image;
  std::vector<Segment> Segments;
};

// The d_ptr/d_val entries this reader uses; zero when absent.
struct DynamicEntries {
  std::uint64_t SymbolTable = 0, StringTable = 0, StringTableSize = 0, SymbolEntrySize = 0;
  std::uint64_t GnuHash = 0, SysvHash = 0;
  std::uint64_t VersionSymbols = 0, VersionDefinitions = 0, VersionDefinitionCount = 0;
  std::uint64_t VersionNeeds = 0, VersionNeedCount = 0;
  bool HasStringTableSize = false;
};

Expected<bool> readDynamicSection(const LoadedImage &Image, const ImageMemory &Memory,
                                  DynamicEntries &Out) {
  const auto *Headers = static_cast<const Phdr *>(Image.ProgramHeaders);
  const Phdr *Dynamic = nullptr;
  for (std::uint16_t I = 0; I < Image.ProgramHeaderCount; ++I)
    if (Headers[I].p_type == PT_DYNAMIC)
      Dynamic = &Headers[I];
  if (Dynamic == nullptr)
    return false;
  std::uint64_t Count = Dynamic->p_memsz / sizeof(Dyn);
  auto Entries = Memory.array<Dyn>(Image.LoadBias + Dynamic->p_vaddr, Count, "PT_DYNAMIC");
  if (!Entries)
    return Entries.takeError();
  // Where a tag repeats, the last one wins, as in glibc's elf_get_dynamic_info.
  for (std::uint64_t I = 0; I < Count && (*Entries)[I].d_tag != DT_NULL; ++I) {
    const Dyn &Entry = (*Entries)[I];
    std::uint64_t Value = Entry.d_un.d_val;
    switch (Entry.d_tag) {
    case DT_SYMTAB: Out.SymbolTable = Value; break;
    case DT_STRTAB: Out.StringTable = Value; break;
    case DT_STRSZ: Out.StringTableSize = Value; Out.HasStringTableSize = true; break;
    case DT_SYMENT: Out.SymbolEntrySize = Value; break;
    case DT_GNU_HASH: Out.GnuHash = Value; break;
    case DT_HASH: Out.SysvHash = Value; break;
    case DT_VERSYM: Out.VersionSymbols = Value; break;
    case DT_VERDEF: Out.VersionDefinitions = Value; break;
    case DT_VERDEFNUM: Out.VersionDefinitionCount = Value; break;
    case DT_VERNEED: Out.VersionNeeds = Value; break;
    case DT_VERNEEDNUM: Out.VersionNeedCount = Value; break;
    default: break;
    }
  }
  return true;
}

// The number of .dynsym entries, which the dynamic section does not state:
// DT_HASH's nchain, or one past the last chain that DT_GNU_HASH's buckets reach.
Expected<std::uint64_t> countSymbols(const DynamicEntries &Entries, const ImageMemory &Memory) {
  if (Entries.GnuHash != 0) {
    std::uintptr_t Address = Memory.runTimeAddress(Entries.GnuHash);
    auto Header = Memory.array<std::uint32_t>(Address, 4, "DT_GNU_HASH header");
    if (!Header)
      return Header.takeError();
    std::uint32_t BucketCount = (*Header)[0], SymbolOffset = (*Header)[1];
    std::uint64_t BloomWords = (*Header)[2];
    std::uintptr_t BucketsAddress = Address + 4 * sizeof(std::uint32_t) + BloomWords * sizeof(ElfW(Addr));
    auto Buckets = Memory.array<std::uint32_t>(BucketsAddress, BucketCount, "DT_GNU_HASH buckets");
    if (!Buckets)
      return Buckets.takeError();
    std::uint32_t Highest = 0;
    for (std::uint32_t I = 0; I < BucketCount; ++I)
      Highest = std::max(Highest, (*Buckets)[I]);
    if (Highest == 0)
      return SymbolOffset;  // no hashed symbols: only the unhashed prefix
    if (Highest < SymbolOffset)
      return Memory.fail("DT_GNU_HASH bucket names symbol " + std::to_string(Highest) +
                         ", below its symbol offset " + std::to_string(SymbolOffset));
    std::uintptr_t Chains = BucketsAddress + std::uint64_t(BucketCount) * sizeof(std::uint32_t);
    for (std::uint64_t Index = Highest;; ++Index) {
      auto Link = Memory.object<std::uint32_t>(Chains + (Index - SymbolOffset) * sizeof(std::uint32_t),
                                               "DT_GNU_HASH chain");
      if (!Link)
        return Link.takeError();
      if ((**Link & 1) != 0)  // the low bit ends a chain
        return Index + 1;
    }
  }
  if (Entries.SysvHash != 0) {
    auto Header = Memory.array<std::uint32_t>(Memory.runTimeAddress(Entries.SysvHash), 2, "DT_HASH");
    if (!Header)
      return Header.takeError();
    return (*Header)[1];
  }
  // The loader finds nothing in an image without a hash table, so nothing of
  // it is reachable by name.
  return 0;
}

// Reads names from the image's dynamic string table.
class NameReader {
public:
  NameReader(const ImageMemory &Memory, std::string_view Strings) : Memory(Memory), Strings(Strings) {}

  // The name of symbol `Symbol`, which a failure names; described only when
  // it fails, so that reading a name costs no string building.
  Expected<std::string_view> name(std::uint64_t Offset, std::uint64_t Symbol) const {
    const ElfString Read = readString(Strings, Offset);
    const auto What = [&] { return "symbol " + std::to_string(Symbol) + ": string "; };
    switch (Read.Problem) {
    case ElfString::Defect::None: break;
    case ElfString::Defect::PastTheEnd:
      return Memory.fail(What() + "offset " + std::to_string(Offset) + " is past DT_STRSZ " +
                         std::to_string(Strings.size()));
    case ElfString::Defect::Unterminated:
      return Memory.fail(What() + "at offset " + std::to_string(Offset) + " is unterminated");
    }
    if (Read.Text.size() > UINT32_MAX)  // no real name is; indexes key names by 32-bit length
      return Memory.fail(What() + "at offset " + std::to_string(Offset) + " is " +
                         std::to_string(Read.Text.size()) + " bytes long");
    return std::string_view(Read.Text);
  }

private:
  const ImageMemory &Memory;
  std::string_view Strings;
};

using VersionChainWalk = VersionChain (*)(std::string_view Chain, std::uint64_t Count,
                                         std::string_view Strings);

// Adds to `Out` the versions of the chain that dynamic entry `Tag` points at
// (`Pointer`, a d_ptr), walked by `Walk`, the walk the file reader uses too.
// Copy-relocated objects defined in an executable carry a version it needs,
// which is why DT_VERNEED counts as well as DT_VERDEF.
Error readVersions(const ImageMemory &Memory, const char *Tag, VersionChainWalk Walk,
                         std::uint64_t Pointer, std::uint64_t Count, std::string_view Strings,
                         VersionTable &Out) {
  if (Pointer == 0)
    return Error::success();
  const std::uintptr_t Address = Memory.runTimeAddress(Pointer);
  const VersionChain Read = Walk(Memory.bytesFrom(Address), Count, Strings);
  if (Read.Defect)
    return Memory.fail(Read.Defect->describe(std::string(Tag) + " (at " + hex(Address) + ")"));
  Out.add(Read.Versions);
  return Error::success();
}

}  // namespace

std::vector<LoadedImage> loadedImages() {
  std::vector<RawImage> Raw;
  dl_iterate_phdr(collectImage, &Raw);
  std::vector<LoadedImage> Images;
  Images.reserve(Raw.size());
  for (auto &Entry : Raw) {
    // The vDSO has no file; the loader's name for it is all there is.
    Entry.Image.Path = Entry.Image.IsVdso ? Entry.LoaderName
                                          : absolutePath(Entry.LoaderName, Entry.Image.IsMainProgram);
    Images.push_back(std::move(Entry.Image));
  }
  return Images;
}

Expected<std::vector<ImageSymbol>> definedDynamicSymbols(const LoadedImage &Image) {
  ImageMemory Memory(Image);
  DynamicEntries Entries;
  auto HasDynamic = readDynamicSection(Image, Memory, Entries);
  if (!HasDynamic)
    return HasDynamic.takeError();
  if (!*HasDynamic || (Entries.SymbolTable == 0 && Entries.StringTable == 0))
    return std::vector<ImageSymbol>();
  if (Entries.SymbolTable == 0 || Entries.StringTable == 0 || !Entries.HasStringTableSize)
    return Memory.fail("the dynamic section lacks one of DT_SYMTAB, DT_STRTAB, DT_STRSZ");
  if (Entries.SymbolEntrySize != 0 && Entries.SymbolEntrySize != sizeof(Sym))
    return Memory.fail("DT_SYMENT is " + std::to_string(Entries.SymbolEntrySize) + ", not " +
                       std::to_string(sizeof(Sym)));

  auto Strings = Memory.array<char>(Memory.runTimeAddress(Entries.StringTable),
                                    Entries.StringTableSize, "DT_STRTAB");
  if (!Strings)
    return Strings.takeError();
  auto Count = countSymbols(Entries, Memory);
  if (!Count)
    return Count.takeError();
  auto Symbols = Memory.array<Sym>(Memory.runTimeAddress(Entries.SymbolTable), *Count, "DT_SYMTAB");
  if (!Symbols)
    return Symbols.takeError();
  const std::string_view StringTable(*Strings, Entries.StringTableSize);
  NameReader Names(Memory, StringTable);

  const std::uint16_t *VersionIndices = nullptr;
  VersionTable Versions;
  if (Entries.VersionSymbols != 0) {
    auto Indices = Memory.array<std::uint16_t>(Memory.runTimeAddress(Entries.VersionSymbols), *Count,
                                               "DT_VERSYM");
    if (!Indices)
      return Indices.takeError();
    VersionIndices = *Indices;
    if (auto Err = readVersions(Memory, "DT_VERDEF", readVersionDefinitions,
                                Entries.VersionDefinitions, Entries.VersionDefinitionCount,
                                StringTable, Versions))
      return Err;
    if (auto Err = readVersions(Memory, "DT_VERNEED", readVersionRequirements, Entries.VersionNeeds,
                                Entries.VersionNeedCount, StringTable, Versions))
      return Err;
  }

  std::vector<ImageSymbol> Result;
  Result.reserve(*Count);
  for (std::uint64_t I = 0; I < *Count; ++I) {
    const Sym &Entry = (*Symbols)[I];
    const SymbolBinding Binding = symbolBinding(Entry.st_info);
    if (Entry.st_shndx == SHN_UNDEF || Binding == SymbolBinding::Local || Entry.st_name == 0)
      continue;
    const SymbolType Type = symbolType(Entry.st_info);
    if (Type == SymbolType::Section || Type == SymbolType::File)
      continue;  // they describe the file, and define nothing
    auto Name = Names.name(Entry.st_name, I);
    if (!Name)
      return Name.takeError();
    ImageSymbol Symbol;
    Symbol.Name = *Name;
    Symbol.Size = Entry.st_size;
    Symbol.Type = Type;
    Symbol.Binding = Binding;
    Symbol.Visibility = symbolVisibility(Entry.st_other);
    // A TLS value is an offset in the module's TLS block, and an SHN_ABS value
    // is absolute: the load bias applies to neither (glibc agrees).
    bool Relocated = Type != SymbolType::ThreadLocal && Entry.st_shndx != SHN_ABS;
    Symbol.Address = Relocated ? Image.LoadBias + Entry.st_value : Entry.st_value;
    if (VersionIndices != nullptr) {
      const std::optional<SymbolVersion> Version =
          Versions.versionOf(VersionIndices[I], /*Defined=*/true);
      if (!Version)
        return Memory.fail("symbol " + std::string(*Name) + " has version index " +
                           std::to_string(versionIndex(VersionIndices[I])) +
                           ", which no DT_VERDEF or DT_VERNEED entry defines");
      Symbol.Version = Version->Name;
      Symbol.VersionIsDefault = Version->IsDefault;
    }
    Result.push_back(Symbol);
  }
  return Result;
}

}  // namespace pysym::symtab
