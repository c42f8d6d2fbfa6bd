// The one vocabulary pysym's ELF readers describe symbols in, and the one
// decoding of the ELF fields behind it: st_info's type and binding,
// st_other's visibility, string tables, and the GNU version tables.
//
// Three readers use it: the file reader (elf_file.h, libelf), the process
// reader (loaded_images.h, the loader's mapped tables) and the JIT's object
// checks (jitlink/object_checks.h, llvm::object). Each finds the fields its
// own way; none maps an STT_*, STB_* or STV_* constant or walks a version
// chain itself.
//
// Only <elf.h> and the standard library, so that code without LLVM can use
// it. Every field decoded here is untrusted: an unknown constant maps to an
// explicit Unknown, every offset is checked against the bytes given, and a
// malformed table is a described defect, never undefined behaviour.
#ifndef PYSYM_SYMTAB_ELF_VOCABULARY_H
#define PYSYM_SYMTAB_ELF_VOCABULARY_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pysym::symtab {

/// What a symbol names: ELF's STT_*, the low 4 bits of st_info. STT_GNU_IFUNC
/// (10) is GNU's: its value is a resolver to call, not the function itself.
/// The other values of the OS and processor ranges are Unknown.
enum class SymbolType : std::uint8_t {
  NoType,               // STT_NOTYPE
  Object,               // STT_OBJECT
  Function,             // STT_FUNC
  Section,              // STT_SECTION
  File,                 // STT_FILE
  Common,               // STT_COMMON
  ThreadLocal,          // STT_TLS
  GnuIndirectFunction,  // STT_GNU_IFUNC
  Unknown,
};

/// Who may bind to a symbol: ELF's STB_*, the high 4 bits of st_info.
/// STB_GNU_UNIQUE (10) is GNU's: global, and one definition per process.
enum class SymbolBinding : std::uint8_t {
  Local,      // STB_LOCAL
  Global,     // STB_GLOBAL
  Weak,       // STB_WEAK
  GnuUnique,  // STB_GNU_UNIQUE
  Unknown,
};

/// ELF's STV_*, the low 2 bits of st_other: every value has a name.
enum class SymbolVisibility : std::uint8_t { Default, Internal, Hidden, Protected };

SymbolType symbolType(unsigned char Info);
SymbolBinding symbolBinding(unsigned char Info);
SymbolVisibility symbolVisibility(unsigned char Other);

/// Whether the dynamic loader lets another image bind to a definition of
/// this binding: global, weak and unique do; local, and what it does not
/// know, do not.
bool bindsAcrossImages(SymbolBinding Binding);

/// Lower-case names as pysym-dump prints them: "notype", "object",
/// "function", "section", "file", "common", "tls", "ifunc", "unknown";
/// "local", "global", "weak", "unique", "unknown"; "default", "internal",
/// "hidden", "protected".
std::string_view toString(SymbolType Type);
std::string_view toString(SymbolBinding Binding);
std::string_view toString(SymbolVisibility Visibility);

/// A NUL-terminated string at `Offset` of string table `Table`, read without
/// trusting either. `Text` points into `Table` and is valid while it is.
struct ElfString {
  enum class Defect { None, PastTheEnd, Unterminated };
  std::string_view Text;
  Defect Problem = Defect::None;
};
ElfString readString(std::string_view Table, std::uint64_t Offset);

/// One version a version chain names.
struct NamedVersion {
  std::uint16_t Index = 0;  // what symbols' .gnu.version entries carry
  std::string_view Name;    // in the string table the walk was given
};

/// Why a version chain could not be read, for an error message.
struct VersionChainDefect {
  enum class Kind {
    EntryOutside,       // an entry does not lie inside the chain's bytes
    NoName,             // a definition with vd_cnt 0
    UnknownLayout,      // vd_version/vn_version is not 1
    NamePastTheEnd,     // a name offset past the end of the string table
    UnterminatedName,   // a name that runs off the end of the string table
  };
  Kind What = Kind::EntryOutside;
  std::string_view Entry;  // "version definition", "required version", ...
  std::uint64_t Number = 0;  // the entry's position in its walk, from 0
  std::uint64_t Offset = 0;  // of the entry, from the chain's start
  std::uint64_t Value = 0;   // the bad vd_version/vn_version or name offset

  /// A sentence naming the entry and the problem, with `Where` naming the
  /// chain. Example: describe("section 7 (.gnu.version_d)") gives "version
  /// definition 1 at offset 0x7ffffff0 lies outside section 7
  /// (.gnu.version_d) (or the chain loops)".
  std::string describe(std::string_view Where) const;
};

/// What a walk of a version chain found: its versions, in chain order, or
/// the first defect (Versions then holds those before it).
struct VersionChain {
  std::vector<NamedVersion> Versions;
  std::optional<VersionChainDefect> Defect;
};

/// At most this many entries of a chain are read: a .gnu.version entry has
/// 15 bits of index, so no more versions can be told apart.
constexpr std::uint64_t MaxVersionEntries = 0x8000;

/// Walks a .gnu.version_d (DT_VERDEF) chain: at most `Count` entries
/// (sh_info, DT_VERDEFNUM) and MaxVersionEntries, ending early at a zero
/// vd_next. `Chain` holds the bytes the walk may read, from the chain's
/// first entry: its section, or the image's segment from there on. Names are
/// read from `Strings`. The base definition (VER_FLG_BASE) names the file,
/// not a version, and is left out.
VersionChain readVersionDefinitions(std::string_view Chain, std::uint64_t Count,
                                    std::string_view Strings);

/// Walks a .gnu.version_r (DT_VERNEED) chain as above: at most `Count` files
/// (sh_info, DT_VERNEEDNUM), each with vn_cnt required versions, ending a
/// list early at a zero vn_next or vna_next.
VersionChain readVersionRequirements(std::string_view Chain, std::uint64_t Count,
                                     std::string_view Strings);

/// The version index a .gnu.version entry names: its low 15 bits, without
/// the bit that hides a definition.
std::uint16_t versionIndex(std::uint16_t Entry);

/// The version a symbol has: none (Name empty) or a name, and whether it is
/// the default one that unversioned lookups bind to (`name@@V`, not `name@V`).
struct SymbolVersion {
  std::string_view Name;
  bool IsDefault = false;
};

/// The versions of one file or image by index, from its definitions and its
/// requirements (a copy-relocated object defined in an executable carries a
/// version it requires).
class VersionTable {
public:
  /// Adds `Chain`'s versions; where two name one index, the first added stays.
  void add(const std::vector<NamedVersion> &Chain);

  /// What a .gnu.version entry says of a symbol. Indices 0 (local) and 1
  /// (the global base) are unversioned. Otherwise the version is default
  /// when the symbol is defined and bit 15 is clear: glibc's unversioned
  /// lookup takes any such definition, whether its index names a definition
  /// or a requirement. nullopt when no version has the index.
  std::optional<SymbolVersion> versionOf(std::uint16_t Entry, bool Defined) const;

private:
  std::vector<std::optional<NamedVersion>> ByIndex;
};

}  // namespace pysym::symtab

#endif  // PYSYM_SYMTAB_ELF_VOCABULARY_H
