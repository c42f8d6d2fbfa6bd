; Calls the C API's variadic functions: PyTuple_Pack, a NULL-terminated
; PyObject_CallFunctionObjArgs, and printf-style PyErr_Format.
target triple = "x86_64-unknown-linux-gnu"

@PyExc_TypeError = external global i8*
@format = private unnamed_addr constant [16 x i8] c"%s has %d items\00"
@subject = private unnamed_addr constant [6 x i8] c"thing\00"

declare i8* @PyTuple_Pack(i64, ...)
declare i8* @PyObject_CallFunctionObjArgs(i8*, ...)
declare i8* @PyErr_Format(i8*, i8*, ...)

define i8* @pack_three(i8* %a, i8* %b, i8* %c) {
entry:
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 3, i8* %a, i8* %b, i8* %c)
  ret i8* %tuple
}

define i8* @call_with_two(i8* %callable, i8* %first, i8* %second) {
entry:
  %result = call i8* (i8*, ...) @PyObject_CallFunctionObjArgs(i8* %callable, i8* %first,
                                                              i8* %second, i8* null)
  ret i8* %result
}

; Raises TypeError("thing has <count> items"); returns NULL like any raiser.
define i8* @raise_formatted(i32 %count) {
entry:
  %class = load i8*, i8** @PyExc_TypeError
  %fmt = getelementptr inbounds [16 x i8], [16 x i8]* @format, i64 0, i64 0
  %what = getelementptr inbounds [6 x i8], [6 x i8]* @subject, i64 0, i64 0
  %none = call i8* (i8*, i8*, ...) @PyErr_Format(i8* %class, i8* %fmt, i8* %what, i32 %count)
  ret i8* null
}
