/* A shared library that is not an interpreter but exports Python API names,
 * like an extension module that happens to. The resolver must never use them.
 *
 * Loaded RTLD_GLOBAL before the interpreter, these really do interpose on the
 * interpreter's own calls, so the names are ones the interpreter never calls
 * itself: CPython uses the Py_INCREF macro internally, never Py_IncRef. */
void Py_IncRef(void *Object) { (void)Object; }
void *PyHijack_OnlyHere(void) { return 0; }
int pysym_hijack_marker(void) { return 42; }
