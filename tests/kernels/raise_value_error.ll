; Raises ValueError the way the C API defines PyExc_ValueError: the exported
; data symbol is a cell holding the class object (PyObject *), so the kernel
; loads the class from it.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_ValueError = external global i8*
@message = private unnamed_addr constant [22 x i8] c"bad value from kernel\00"

declare void @PyErr_SetString(i8*, i8*)

define i8* @raise_value_error() {
entry:
  %class = load i8*, i8** @PyExc_ValueError
  %text = getelementptr inbounds [22 x i8], [22 x i8]* @message, i64 0, i64 0
  call void @PyErr_SetString(i8* %class, i8* %text)
  ret i8* null
}
