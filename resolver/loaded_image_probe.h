// Asks the dynamic loader what one loaded image defines.
#ifndef PYSYM_RESOLVER_LOADED_IMAGE_PROBE_H
#define PYSYM_RESOLVER_LOADED_IMAGE_PROBE_H

#include <cstdint>

#include "pysym/resolver/profile.h"
#include "pysym/symtab/loaded_images.h"

namespace pysym {

/// Whether `Address` lies in one of `Image`'s PT_LOAD segments.
bool imageContains(const symtab::LoadedImage &Image, std::uintptr_t Address);

/// Whether `Address` lies in an executable segment of some loaded image: how
/// a definition found through dlsym is told apart as code or data, since
/// dladdr names the nearest symbol, not the one looked up.
bool isInExecutableSegment(std::uintptr_t Address);

/// An ExportProbe over a loaded image, through dlsym on a handle that pins it.
/// `defines` is true only for definitions in the image itself, since dlsym on
/// a handle also searches the image's dependencies.
class LoadedImageProbe final : public ExportProbe {
public:
  /// Opens a handle without loading anything (RTLD_NOLOAD). An image the
  /// loader will not hand out (the vDSO) gets a probe that defines nothing.
  explicit LoadedImageProbe(const symtab::LoadedImage &Image);
  ~LoadedImageProbe() override;
  LoadedImageProbe(const LoadedImageProbe &) = delete;
  LoadedImageProbe &operator=(const LoadedImageProbe &) = delete;

  bool defines(std::string_view Name) const override;
  std::string_view path() const override { return Image.Path; }

  /// The address the loader gives `Name` in this image (for an IFUNC, the
  /// implementation it selected), or 0. `Version` picks a version with dlvsym.
  std::uintptr_t address(std::string_view Name, std::string_view Version = "") const;

  /// Releases the handle to the caller, who keeps the image loaded with it.
  void *releaseHandle();

private:
  const symtab::LoadedImage &Image;
  void *Handle = nullptr;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_LOADED_IMAGE_PROBE_H
