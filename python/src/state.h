// What the core extension keeps for the whole process: the resolver every
// engine shares (the engine extension reaches it through core_api.h), and
// the package's exception classes.
#ifndef PYSYM_PYTHON_SRC_STATE_H
#define PYSYM_PYTHON_SRC_STATE_H

#include "python/src/python.h"

#include "pysym/resolver/resolver.h"

namespace pysym::python {

/// The process's resolver, made on first use (not at import, which must stay
/// cheap) and kept until the process ends: registered symbols are
/// process-wide, as llvmlite's are. Returns null with RuntimeError set when
/// the interpreter cannot be identified; later calls retry.
Resolver *processResolver();

/// pysym.LinkError (a subclass of Exception), set by module init.
extern PyObject *LinkErrorType;
/// pysym.CompileError (a subclass of ValueError), set by module init.
extern PyObject *CompileErrorType;

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_STATE_H
