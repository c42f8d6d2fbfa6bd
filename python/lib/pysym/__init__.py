"""pysym: links JIT-compiled kernels that call the CPython C API into whichever
interpreter hosts them (CPython or PyPy). See docs/python-jit-authors.md.

The package re-exports every name of its extension module, pysym._pysym, so
`pysym.Engine`, `pysym.resolve` and the rest are used as before. Its
pure-Python modules sit beside the extension: `pysym.llvmlite` registers
pysym's resolutions with llvmlite (docs/llvmlite.md), and `pysym.expose()`
(from pysym.exposure) defines CPython's names for everything that calls
dlsym, returning a `pysym.Exposed` report.
"""

from pysym import _pysym

# Every name of the extension, private ones included, so that the package is
# a drop-in for the single module pysym used to be.
globals().update({name: value for name, value in vars(_pysym).items()
                  if not (name.startswith("__") and name.endswith("__"))})

# expose() wraps the extension's _expose() in a report object.
from pysym.exposure import Exposed, expose  # noqa: E402
