; A small kernel for the engine fuzz targets' tests and seed corpora: it
; calls the C API by CPython's names (a function, a variadic function and
; a data object), keeps module-local data, and defines two symbols, so that
; an input made from it is accepted, compiled and linked by both linkers.
target triple = "x86_64-unknown-linux-gnu"

@_Py_NoneStruct = external global i8
@counter = internal global i64 0

declare i8* @PyLong_FromLong(i64)
declare i8* @PyTuple_Pack(i64, ...)

define i8* @pair_with_none(i64 %value) {
entry:
  %n = load i64, i64* @counter
  %next = add i64 %n, 1
  store i64 %next, i64* @counter
  %number = call i8* @PyLong_FromLong(i64 %value)
  %pair = call i8* (i64, ...) @PyTuple_Pack(i64 2, i8* %number, i8* @_Py_NoneStruct)
  ret i8* %pair
}

define i64 @calls() {
entry:
  %n = load i64, i64* @counter
  ret i64 %n
}
