// What the core extension (pysym._pysym) lends the engine extension
// (pysym._engine), through a capsule: the process's one resolver, the
// pysym.Resolution type and the exception classes. Each extension is its own
// shared object with everything but PyInit_* hidden, so this is the only way
// the engine reaches the core's objects; the resolver is asked through
// NameSource's virtual functions, so that its code and its process-wide state
// (registrations, data substitutes) stay the core's alone.
#ifndef PYSYM_PYTHON_SRC_CORE_API_H
#define PYSYM_PYTHON_SRC_CORE_API_H

#include "python/src/python.h"

#include <cstddef>

#include "pysym/resolver/name_source.h"
#include "pysym/resolver/resolution.h"

namespace pysym::python {

/// The capsule's name, and where PyCapsule_Import finds it.
inline constexpr const char CoreApiCapsule[] = "pysym._pysym._core_api";

struct CoreApi {
  /// The layout both sides were built with; the engine refuses a core whose
  /// figures differ from its own (extensions of two different builds).
  std::size_t Size = sizeof(CoreApi);
  std::size_t ResolutionSize = sizeof(Resolution);
  std::size_t AnswerSize = sizeof(FoundSymbol);

  /// The process's resolver (state.h's processResolver), or null with
  /// RuntimeError set when the interpreter cannot be identified.
  const NameSource *(*TheResolver)() = nullptr;
  /// A new pysym.Resolution (resolution_type.h), or null with an error set.
  PyObject *(*NewResolution)(const Resolution &R) = nullptr;
  /// pysym.LinkError and pysym.CompileError, borrowed: the core's module
  /// keeps them for the process's lifetime.
  PyObject *LinkError = nullptr;
  PyObject *CompileError = nullptr;
};

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_CORE_API_H
