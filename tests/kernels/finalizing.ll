; is_finalizing() returns bool(_Py_IsFinalizing()): False while the
; interpreter runs. The name has a history: CPython 3.7 to 3.12 export it,
; 3.13 renamed it Py_IsFinalizing (an alias), PyPy exports _PyPy_IsFinalizing
; (an alias), and CPython 3.6 has no such function (missing).
target triple = "x86_64-unknown-linux-gnu"

declare i32 @_Py_IsFinalizing()
declare i8* @PyBool_FromLong(i64)

define i8* @is_finalizing(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %finalizing = call i32 @_Py_IsFinalizing()
  %set = icmp ne i32 %finalizing, 0
  %flag = zext i1 %set to i64
  %object = call i8* @PyBool_FromLong(i64 %flag)
  ret i8* %object
}
