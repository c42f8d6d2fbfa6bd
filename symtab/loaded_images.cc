// Reads the loaded images' dynamic symbols from the process's own memory.
//
// Every value comes from memory the image itself supplied (its dynamic
// section, hash tables, version tables), so every address, count and offset is
// checked against the image's readable PT_LOAD segments before it is read.
#include "symtab/loaded_images.h"

#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "third_party/llvm/compat.h"

namespace pysym::symtab {

namespace {

using Dyn = ElfW(Dyn);
using Phdr = ElfW(Phdr);
using Sym = ElfW(Sym);
using Verdef = ElfW(Verdef);
using Verdaux = ElfW(Verdaux);
using Verneed = ElfW(Verneed);
using Vernaux = ElfW(Vernaux);

// A version index's high bit marks a hidden (non-default) definition.
constexpr std::uint16_t HiddenVersionBit = 0x8000;
constexpr std::uint16_t VersionIndexMask = 0x7fff;
// Indices 0 (local) and 1 (global base) mean "unversioned".
constexpr std::uint16_t FirstRealVersionIndex = 2;
// A bound on version-chain walks, above any real library's count.
constexpr unsigned MaxVersionEntries = VersionIndexMask + 1;

// The phdrs of the kernel's vDSO, which the loader reports like any image.
const void *vdsoProgramHeaders() {
  auto Base = static_cast<std::uintptr_t>(getauxval(AT_SYSINFO_EHDR));
  if (Base == 0)
    return nullptr;
  const auto *Header = reinterpret_cast<const ElfW(Ehdr) *>(Base);
  return reinterpret_cast<const void *>(Base + Header->e_phoff);
}

std::string absolutePath(llvm::StringRef LoaderName, bool IsMainProgram) {
  // The loader names the main program "" (or by the path it was given when
  // run as `ld.so prog`); /proc/self/exe is where it actually came from.
  llvm::StringRef Source = IsMainProgram ? "/proc/self/exe" : LoaderName;
  if (!IsMainProgram && llvm_compat::startsWith(Source, "/"))
    return Source.str();
  char Resolved[PATH_MAX];
  std::string SourceString = Source.str();
  if (::realpath(SourceString.c_str(), Resolved) != nullptr)
    return Resolved;
  // A relative name whose file has since gone: absolute against the current
  // directory is the best that can be said.
  llvm::SmallString<256> Absolute(Source);
  if (llvm::sys::fs::make_absolute(Absolute))
    return SourceString;
  return std::string(Absolute.str());
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

  llvm::Error fail(const llvm::Twine &Problem) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "loaded image %s: %s", Image.Path.c_str(),
                                   Problem.str().c_str());
  }

  /// [Address, Address + Size) lies in one readable segment.
  bool contains(std::uintptr_t Address, std::uint64_t Size) const {
    for (const auto &Segment : Segments)
      if (Address >= Segment.Begin && Address <= Segment.End &&
          Size <= Segment.End - Address)
        return true;
    return false;
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
  llvm::Expected<const T *> array(std::uintptr_t Address, std::uint64_t Count,
                                  llvm::StringRef What) const {
    if (Address % alignof(T) != 0)
      return fail(llvm::formatv("{0} at {1:x} is misaligned", What, Address));
    if (Count > UINT64_MAX / sizeof(T) || !contains(Address, Count * sizeof(T)))
      return fail(llvm::formatv("{0} at {1:x} ({2} entries) lies outside the image's "
                                "loaded segments",
                                What, Address, Count));
    return reinterpret_cast<const T *>(Address);
  }

  template <typename T>
  llvm::Expected<const T *> object(std::uintptr_t Address, llvm::StringRef What) const {
    return array<T>(Address, 1, What);
  }

private:
  struct Segment {
    std::uintptr_t Begin;
    std::uintptr_t End;
  };
  const LoadedImage &Image;
  llvm::SmallVector<Segment, 8> Segments;
};

// The d_ptr/d_val entries this reader uses; zero when absent.
struct DynamicEntries {
  std::uint64_t SymbolTable = 0, StringTable = 0, StringTableSize = 0, SymbolEntrySize = 0;
  std::uint64_t GnuHash = 0, SysvHash = 0;
  std::uint64_t VersionSymbols = 0, VersionDefinitions = 0, VersionDefinitionCount = 0;
  std::uint64_t VersionNeeds = 0, VersionNeedCount = 0;
  bool HasStringTableSize = false;
};

llvm::Expected<bool> readDynamicSection(const LoadedImage &Image, const ImageMemory &Memory,
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
llvm::Expected<std::uint64_t> countSymbols(const DynamicEntries &Entries, const ImageMemory &Memory) {
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
      return Memory.fail(llvm::formatv("DT_GNU_HASH bucket names symbol {0}, below its "
                                       "symbol offset {1}",
                                       Highest, SymbolOffset));
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

// Version names by version index, from DT_VERDEF and DT_VERNEED. The latter
// matter too: a copy-relocated object defined in an executable carries the
// version it needed.
class VersionNames {
public:
  llvm::StringRef name(std::uint16_t Index) const {
    return Index < Names.size() ? Names[Index] : llvm::StringRef();
  }
  bool has(std::uint16_t Index) const { return Index < Known.size() && Known[Index]; }

  void set(std::uint16_t Index, llvm::StringRef Name) {
    if (Index >= Names.size()) {
      Names.resize(Index + 1);
      Known.resize(Index + 1);
    }
    Names[Index] = Name;
    Known[Index] = true;
  }

private:
  std::vector<llvm::StringRef> Names;
  std::vector<bool> Known;
};

class SymbolReader {
public:
  SymbolReader(const ImageMemory &Memory, const char *Strings, std::uint64_t StringsSize)
      : Memory(Memory), Strings(Strings), StringsSize(StringsSize) {}

  // `What` is a Twine so that describing a symbol costs nothing unless it fails.
  llvm::Expected<llvm::StringRef> string(std::uint64_t Offset, const llvm::Twine &What) const {
    if (Offset >= StringsSize)
      return Memory.fail(What + llvm::formatv(": string offset {0} is past DT_STRSZ {1}", Offset,
                                              StringsSize));
    std::size_t Length = ::strnlen(Strings + Offset, StringsSize - Offset);
    if (Length == StringsSize - Offset)
      return Memory.fail(What + llvm::formatv(": string at offset {0} is unterminated", Offset));
    if (Length > UINT32_MAX)  // no real name is; indexes key names by 32-bit length
      return Memory.fail(What + llvm::formatv(": string at offset {0} is {1} bytes long", Offset, Length));
    return llvm::StringRef(Strings + Offset, Length);
  }

  llvm::Error readDefinitions(std::uintptr_t Address, std::uint64_t Count, VersionNames &Out) const {
    for (std::uint64_t I = 0; I < Count && I < MaxVersionEntries; ++I) {
      auto Definition = Memory.object<Verdef>(Address, "DT_VERDEF entry");
      if (!Definition)
        return Definition.takeError();
      const Verdef &D = **Definition;
      if (D.vd_version != VER_DEF_CURRENT)
        return Memory.fail(llvm::formatv("DT_VERDEF entry has unknown version {0}", D.vd_version));
      if (D.vd_cnt > 0) {
        auto Aux = Memory.object<Verdaux>(Address + D.vd_aux, "DT_VERDEF name");
        if (!Aux)
          return Aux.takeError();
        auto Name = string((*Aux)->vda_name, "DT_VERDEF name");
        if (!Name)
          return Name.takeError();
        Out.set(D.vd_ndx & VersionIndexMask, *Name);
      }
      if (D.vd_next == 0)
        break;
      Address += D.vd_next;
    }
    return llvm::Error::success();
  }

  llvm::Error readNeeds(std::uintptr_t Address, std::uint64_t Count, VersionNames &Out) const {
    for (std::uint64_t I = 0; I < Count && I < MaxVersionEntries; ++I) {
      auto Need = Memory.object<Verneed>(Address, "DT_VERNEED entry");
      if (!Need)
        return Need.takeError();
      const Verneed &N = **Need;
      std::uintptr_t AuxAddress = Address + N.vn_aux;
      for (unsigned K = 0; K < N.vn_cnt; ++K) {
        auto Aux = Memory.object<Vernaux>(AuxAddress, "DT_VERNEED version");
        if (!Aux)
          return Aux.takeError();
        auto Name = string((*Aux)->vna_name, "DT_VERNEED version name");
        if (!Name)
          return Name.takeError();
        Out.set((*Aux)->vna_other & VersionIndexMask, *Name);
        if ((*Aux)->vna_next == 0)
          break;
        AuxAddress += (*Aux)->vna_next;
      }
      if (N.vn_next == 0)
        break;
      Address += N.vn_next;
    }
    return llvm::Error::success();
  }

private:
  const ImageMemory &Memory;
  const char *Strings;
  std::uint64_t StringsSize;
};

std::optional<SymbolType> definedType(unsigned ElfType) {
  switch (ElfType) {
  case STT_NOTYPE: return SymbolType::Other;
  case STT_OBJECT: return SymbolType::Object;
  case STT_FUNC: return SymbolType::Function;
  case STT_COMMON: return SymbolType::Common;
  case STT_TLS: return SymbolType::ThreadLocal;
  case STT_GNU_IFUNC: return SymbolType::GnuIndirectFunction;
  case STT_SECTION:
  case STT_FILE: return std::nullopt;  // describe the file, define nothing
  default: return SymbolType::Other;
  }
}

SymbolBinding bindingOf(unsigned ElfBinding) {
  switch (ElfBinding) {
  case STB_GLOBAL:
  case STB_GNU_UNIQUE: return SymbolBinding::Global;
  case STB_WEAK: return SymbolBinding::Weak;
  default: return SymbolBinding::Other;
  }
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

llvm::Expected<std::vector<ImageSymbol>> definedDynamicSymbols(const LoadedImage &Image) {
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
    return Memory.fail(llvm::formatv("DT_SYMENT is {0}, not {1}", Entries.SymbolEntrySize, sizeof(Sym)));

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
  SymbolReader Reader(Memory, *Strings, Entries.StringTableSize);

  const std::uint16_t *VersionIndices = nullptr;
  VersionNames Versions;
  if (Entries.VersionSymbols != 0) {
    auto Indices = Memory.array<std::uint16_t>(Memory.runTimeAddress(Entries.VersionSymbols), *Count,
                                               "DT_VERSYM");
    if (!Indices)
      return Indices.takeError();
    VersionIndices = *Indices;
    if (Entries.VersionDefinitions != 0)
      if (auto Err = Reader.readDefinitions(Memory.runTimeAddress(Entries.VersionDefinitions),
                                            Entries.VersionDefinitionCount, Versions))
        return Err;
    if (Entries.VersionNeeds != 0)
      if (auto Err = Reader.readNeeds(Memory.runTimeAddress(Entries.VersionNeeds),
                                      Entries.VersionNeedCount, Versions))
        return Err;
  }

  std::vector<ImageSymbol> Result;
  Result.reserve(*Count);
  for (std::uint64_t I = 0; I < *Count; ++I) {
    const Sym &Entry = (*Symbols)[I];
    unsigned Binding = ELF64_ST_BIND(Entry.st_info);
    if (Entry.st_shndx == SHN_UNDEF || Binding == STB_LOCAL || Entry.st_name == 0)
      continue;
    std::optional<SymbolType> Type = definedType(ELF64_ST_TYPE(Entry.st_info));
    if (!Type)
      continue;
    auto Name = Reader.string(Entry.st_name, llvm::Twine("symbol ") + llvm::Twine(I));
    if (!Name)
      return Name.takeError();
    ImageSymbol Symbol;
    Symbol.Name = *Name;
    Symbol.Size = Entry.st_size;
    Symbol.Type = *Type;
    Symbol.Binding = bindingOf(Binding);
    // A TLS value is an offset in the module's TLS block, and an SHN_ABS value
    // is absolute: the load bias applies to neither (glibc agrees).
    bool Relocated = *Type != SymbolType::ThreadLocal && Entry.st_shndx != SHN_ABS;
    Symbol.Address = Relocated ? Image.LoadBias + Entry.st_value : Entry.st_value;
    if (VersionIndices != nullptr) {
      std::uint16_t Index = VersionIndices[I] & VersionIndexMask;
      if (Index >= FirstRealVersionIndex) {
        if (!Versions.has(Index))
          return Memory.fail(llvm::formatv("symbol {0} has version index {1}, which no "
                                           "DT_VERDEF or DT_VERNEED entry defines",
                                           *Name, Index));
        Symbol.Version = Versions.name(Index);
        Symbol.VersionIsDefault = (VersionIndices[I] & HiddenVersionBit) == 0;
      }
    }
    Result.push_back(Symbol);
  }
  return Result;
}

}  // namespace pysym::symtab
