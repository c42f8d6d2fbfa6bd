; Raises ValueError in Numba's object convention: PyExc_ValueError is an i8
; whose address IS the class, which holds only once the host registers the
; class under that name, overriding the interpreter's own cell.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_ValueError = external global i8
@message = private unnamed_addr constant [22 x i8] c"bad value from kernel\00"

declare void @PyErr_SetString(i8*, i8*)

define i8* @raise_value_error(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %text = getelementptr inbounds [22 x i8], [22 x i8]* @message, i64 0, i64 0
  call void @PyErr_SetString(i8* @PyExc_ValueError, i8* %text)
  ret i8* null
}
