; base_exception_group() returns the class in the PyExc_BaseExceptionGroup
; cell. CPython exports the cell from 3.11, when the class appeared; Python
; 3.10 and older (PyPy 7.3.11 included) have no such class, so the name is
; missing there and linking must fail naming it.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_BaseExceptionGroup = external global i8*

declare void @Py_IncRef(i8*)

define i8* @base_exception_group(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %class = load i8*, i8** @PyExc_BaseExceptionGroup
  call void @Py_IncRef(i8* %class)
  ret i8* %class
}
