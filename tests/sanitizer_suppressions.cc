// The sanitizers' suppressions for every process that embeds an interpreter
// (tests/embedded_python.h: the embedded tests and the fuzz targets). Linked
// into the executable itself (tests/BUILD: linkstatic, alwayslink): a
// sanitizer runtime that is a shared library finds these hooks only there,
// since its own weak defaults come before any other shared library's.

// LeakSanitizer (--config=asan, --config=fuzz). The interpreter is never
// finalized (see embedded_python.h), so what CPython allocated while
// starting is still live at exit, reachable only through obmalloc's arenas,
// which are mmap'd and which LeakSanitizer does not scan: it would report
// about 250 blocks (400 KB) from libpython3.11 at every exit. The pattern
// matches any stack through libpython, so it also hides Python objects that
// pysym makes and never releases; reference counts are for the tests to
// check, not LeakSanitizer.
//
// libpypy3: PyPy's objects are not malloc'd, but its C-API layer mallocs a
// few buffers of its own and refers to them from its garbage-collected
// heap, which is mmap'd and not scanned either. 20 bytes in 2 blocks,
// allocated inside libpypy with no pysym frame, show up at exit after
// //resolver/substitutes:text_functions_test_pypy's PyUnicode_Translate
// cases; whether PyPy still holds them is not something LeakSanitizer can
// see, so they are suppressed like libpython's.
//
// libedit: lib-dynload's readline module, which the embedding-host tests
// import, sets up libedit's history once per process and never frees it.
extern "C" const char *__lsan_default_suppressions() { return "leak:libpython3\nleak:libpypy3\nleak:libedit\n"; }

// ThreadSanitizer (--config=tsan). PyPy takes its GIL and attaches foreign
// threads (PyGILState_Ensure) with atomic instructions in uninstrumented
// code, which ThreadSanitizer cannot see, so two threads that each hold the
// GIL in turn look to it as racing on PyPy's nursery. Suppressed when a
// frame of either access is in libpypy; races between pysym's own accesses
// are still reported.
extern "C" const char *__tsan_default_suppressions() { return "race:libpypy3\n"; }
