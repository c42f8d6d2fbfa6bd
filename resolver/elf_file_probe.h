// An ExportProbe over the defined dynamic symbols of an ELF file on disk.
#ifndef PYSYM_RESOLVER_ELF_FILE_PROBE_H
#define PYSYM_RESOLVER_ELF_FILE_PROBE_H

#include "pysym/resolver/profile.h"
#include "pysym/symtab/elf_file.h"

namespace pysym {

class ElfFileProbe final : public ExportProbe {
public:
  explicit ElfFileProbe(const symtab::ElfFile &File) : File(File) {}
  bool defines(std::string_view Name) const override {
    for (const symtab::Symbol *S : File.findDynamic(Name))
      if (S->Defined)
        return true;
    return false;
  }
  std::string_view path() const override { return File.path(); }

private:
  const symtab::ElfFile &File;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_ELF_FILE_PROBE_H
