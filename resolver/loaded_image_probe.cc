#include "pysym/resolver/loaded_image_probe.h"

#include <dlfcn.h>
#include <link.h>

#include <string>

namespace pysym {

bool imageContains(const symtab::LoadedImage &Image, std::uintptr_t Address) {
  const auto *Headers = static_cast<const ElfW(Phdr) *>(Image.ProgramHeaders);
  for (std::uint16_t I = 0; Headers && I < Image.ProgramHeaderCount; ++I) {
    if (Headers[I].p_type != PT_LOAD)
      continue;
    std::uintptr_t Start = Image.LoadBias + Headers[I].p_vaddr;
    if (Address >= Start && Address - Start < Headers[I].p_memsz)
      return true;
  }
  return false;
}

bool isInExecutableSegment(std::uintptr_t Address) {
  struct Query {
    std::uintptr_t Address;
    bool Executable = false;
  } Q{Address};
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        auto *Q = static_cast<Query *>(Data);
        for (ElfW(Half) I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &H = Info->dlpi_phdr[I];
          std::uintptr_t Start = Info->dlpi_addr + H.p_vaddr;
          if (H.p_type == PT_LOAD && Q->Address >= Start && Q->Address - Start < H.p_memsz) {
            Q->Executable = (H.p_flags & PF_X) != 0;
            return 1;
          }
        }
        return 0;
      },
      &Q);
  return Q.Executable;
}

LoadedImageProbe::LoadedImageProbe(const symtab::LoadedImage &Image) : Image(Image) {
  if (Image.IsVdso)
    return;
  Handle = dlopen(Image.IsMainProgram ? nullptr : Image.Path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
}

LoadedImageProbe::~LoadedImageProbe() {
  if (Handle)
    dlclose(Handle);
}

void *LoadedImageProbe::releaseHandle() {
  void *H = Handle;
  Handle = nullptr;
  return H;
}

std::uintptr_t LoadedImageProbe::address(std::string_view Name, std::string_view Version) const {
  if (!Handle)
    return 0;
  std::string Key(Name);
  void *Found = Version.empty() ? dlsym(Handle, Key.c_str())
                                : dlvsym(Handle, Key.c_str(), std::string(Version).c_str());
  auto Address = reinterpret_cast<std::uintptr_t>(Found);
  return Found && imageContains(Image, Address) ? Address : 0;
}

bool LoadedImageProbe::defines(std::string_view Name) const { return address(Name) != 0; }

}  // namespace pysym
