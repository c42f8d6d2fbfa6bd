; References a C-API-looking name that no interpreter exports, next to one
; that every interpreter provides: linking must fail and say which is
; missing and what was tried.
target triple = "x86_64-unknown-linux-gnu"

declare i8* @PyLong_FromLong(i64)
declare i8* @PyPysym_NoSuchFunction(i8*)

define i8* @uses_missing(i64 %value) {
entry:
  %object = call i8* @PyLong_FromLong(i64 %value)
  %result = call i8* @PyPysym_NoSuchFunction(i8* %object)
  ret i8* %result
}
