; Reads interpreter data that may lie more than 2 GiB from the JIT's code:
; the address of None (an object) and the class in PyExc_TypeError (a cell).
target triple = "x86_64-unknown-linux-gnu"

@_Py_NoneStruct = external global i8
@PyExc_TypeError = external global i8*

define i8* @none_address() {
entry:
  ret i8* @_Py_NoneStruct
}

define i8* @type_error_class() {
entry:
  %class = load i8*, i8** @PyExc_TypeError
  ret i8* %class
}
