; Raises from an exception cell with printf-style, variadic PyErr_Format:
; raise_formatted(*items) raises TypeError("thing has <len(items)> items").
; PyExc_TypeError is the C API's cell (PyObject *), so the class is loaded
; from it.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_TypeError = external global i8*
@format = private unnamed_addr constant [17 x i8] c"%s has %zd items\00"
@subject = private unnamed_addr constant [6 x i8] c"thing\00"

declare i64 @PyTuple_Size(i8*)
declare i8* @PyErr_Format(i8*, i8*, ...)

define i8* @raise_formatted(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %count = call i64 @PyTuple_Size(i8* %args)
  %class = load i8*, i8** @PyExc_TypeError
  %fmt = getelementptr inbounds [17 x i8], [17 x i8]* @format, i64 0, i64 0
  %what = getelementptr inbounds [6 x i8], [6 x i8]* @subject, i64 0, i64 0
  %always_null = call i8* (i8*, i8*, ...) @PyErr_Format(i8* %class, i8* %fmt, i8* %what,
                                                        i64 %count)
  ret i8* null
}
