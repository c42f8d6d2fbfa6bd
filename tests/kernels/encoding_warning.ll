; raise_encoding_warning() raises EncodingWarning("from kernel") through
; the PyExc_EncodingWarning cell. CPython exports the cell from 3.10, when
; the class appeared. Python 3.9 (PyPy 7.3.11, CPython 3.6 to 3.9) has no
; such class, so the name is missing there and linking must fail naming it.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_EncodingWarning = external global i8*
@message = private unnamed_addr constant [12 x i8] c"from kernel\00"

declare void @PyErr_SetString(i8*, i8*)

define i8* @raise_encoding_warning(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %class = load i8*, i8** @PyExc_EncodingWarning
  %text = getelementptr inbounds [12 x i8], [12 x i8]* @message, i64 0, i64 0
  call void @PyErr_SetString(i8* %class, i8* %text)
  ret i8* null
}
