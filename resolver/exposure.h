// Makes the resolver's answers visible to the whole process through the
// dynamic loader, so that code which never heard of pysym (LLVM's stock
// DynamicLibrarySearchGenerator, llvmlite, ctypes, extension modules in an
// embedding host) finds CPython's names with dlsym.
#ifndef PYSYM_RESOLVER_EXPOSURE_H
#define PYSYM_RESOLVER_EXPOSURE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pysym/resolver/resolution.h"
#include "pysym/resolver/resolver.h"
#include "pysym/support/error.h"

namespace pysym {

/// One name pysym's exposed objects define.
struct ExposedName {
  std::string Name;
  std::uint64_t Address = 0;
  ResolutionStatus Status = ResolutionStatus::Exact;  // Exact, Alias or Substitute
  SymbolKind Kind = SymbolKind::Function;
  bool AddedNow = false;  // by this call, rather than an earlier one
};

/// Why a requested name was not exposed.
enum class ExposeSkip {
  AlreadyDefined,  // an image in the global scope defines it: never shadowed
  NotReady,        // interpreter data before the interpreter initialised it
                   // (PyPy before cpyext starts); a later call exposes it
  NotPythonApi,    // resolves only outside the interpreter (memcpy): not pysym's to expose
  Missing,         // the resolver has no answer for it
};
std::string_view toString(ExposeSkip Why);

struct SkippedName {
  std::string Name;
  ExposeSkip Why = ExposeSkip::Missing;
  /// AlreadyDefined: the address dlsym(RTLD_DEFAULT) gives and the image
  /// it lies in. Otherwise a sentence for humans.
  std::string Detail;
};

/// Where the object of a call's new names was loaded from.
enum class ExposeSource {
  None,           // nothing new to expose: nothing was loaded
  Memfd,          // an anonymous file (memfd_create), nothing on disk
  TemporaryFile,  // memfd_create is unavailable: a file in $TMPDIR, unlinked once loaded
};
std::string_view toString(ExposeSource Source);

/// What one exposeToProcess call did.
struct ExposeReport {
  /// Every requested name that pysym's objects define, in request order,
  /// whether this call or an earlier one added it.
  std::vector<ExposedName> Exposed;
  /// Every requested name not exposed, in request order, with why.
  std::vector<SkippedName> Skipped;
  /// How many of Exposed this call added (one object holds them all).
  std::size_t Added = 0;
  ExposeSource Source = ExposeSource::None;
  /// Why memfd_create was not used, when Source is TemporaryFile.
  std::string FallbackReason;
  /// The DT_SONAME of the object loaded, empty when Source is None.
  std::string Soname;
  /// Wall-clock time of the call, including the resolver's answers (which
  /// create data substitutes on their first request).
  double Seconds = 0;
};

/// Which names to expose.
struct ExposeRequest {
  /// Unset: the default set, every Python API name (Py*, _Py*) the resolver
  /// answers as Alias or Substitute, and, when the interpreter image is not
  /// in the global scope (loaded RTLD_LOCAL by an embedding host), every
  /// name it exports exactly too. Set: exactly these names, in this order
  /// (repeats are ignored).
  std::optional<std::vector<std::string>> Names;
};

/// Why an exposeToProcess call failed. Whatever the reason, it changed
/// nothing: no name was exposed, and a later call may succeed.
class ExposeFailed : public ErrorKind<ExposeFailed> {
public:
  static const char ID;
  enum class Reason {
    InvalidName,  // a requested name is empty or contains a NUL byte
    WriteFailed,  // the object could not be written (memfd, temporary file, libelf)
    LoadRefused,  // the dynamic loader refused the object
  };
  ExposeFailed(Reason Why, std::string Detail) : Why(Why), Detail(std::move(Detail)) {}
  Reason reason() const { return Why; }
  std::string message() const override;
  /// invalid_argument for InvalidName, io_error otherwise.
  std::error_code errorCode() const override;

private:
  Reason Why;
  std::string Detail;
};

/// Defines the resolver's answers for the Python API in the process's global
/// scope: writes a shared object whose dynamic symbols are those names with
/// absolute values (symtab/absolute_object.h) and loads it
/// RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE, from memory (memfd_create) when
/// the kernel allows, otherwise from an unlinked temporary file. After it,
/// dlsym(RTLD_DEFAULT, "PyLong_FromLong") on PyPy is PyPyLong_FromLong's
/// address, and the loader binds extension modules' references likewise.
///
/// The rules:
///  - Never shadow: a name that dlsym(RTLD_DEFAULT) already finds is left
///    alone and reported AlreadyDefined, with the image that defines it.
///  - The C ABI's meaning only: `PyExc_TypeError` is the interpreter's
///    PyObject * cell and `_Py_NoneStruct` the object. Registrations
///    (Resolver::addSymbol, addObjectSymbol) are never exposed: they are
///    pysym's own linking convention (Numba's object convention included).
///  - Only final addresses: before the interpreter's data is initialised
///    (PyPy before cpyext starts), data names are skipped as NotReady and
///    functions are exposed; a call after cpyext starts adds the data.
///  - Permanent: an exposed name is never withdrawn and its object never
///    unloaded, since code may have bound to it. Process-wide: the exposed
///    names are shared by every Resolver in the process, and a name is
///    loaded once however many calls ask for it; a call with nothing new
///    loads nothing.
///
/// Safe to call from many threads at once, with or without the GIL: the
/// resolver's answers (which may run Python to create data substitutes) are
/// taken before the process-wide lock, and nothing under it runs Python.
///
/// Fails with ExposeFailed, having exposed nothing, for an invalid requested
/// name, when the object cannot be written, or when the loader refuses it.
/// A name that cannot be exposed is not a failure: it is in Skipped.
///
/// Example (an embedding host, after the interpreter and cpyext started):
///   auto R = Resolver::forCurrentProcess();
///   if (R) if (auto Report = exposeToProcess(**R)) ...
Expected<ExposeReport> exposeToProcess(const Resolver &R, const ExposeRequest &Request = {});

}  // namespace pysym

#endif  // PYSYM_RESOLVER_EXPOSURE_H
