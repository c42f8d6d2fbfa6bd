; Returns None, True and False as new references: the singletons are data
; symbols whose addresses are the objects.
target triple = "x86_64-unknown-linux-gnu"

@_Py_NoneStruct = external global i8
@_Py_TrueStruct = external global i8
@_Py_FalseStruct = external global i8

declare void @Py_IncRef(i8*)

define i8* @get_none() {
entry:
  call void @Py_IncRef(i8* @_Py_NoneStruct)
  ret i8* @_Py_NoneStruct
}

; True when flag is non-zero, else False.
define i8* @get_bool(i32 %flag) {
entry:
  %set = icmp ne i32 %flag, 0
  %object = select i1 %set, i8* @_Py_TrueStruct, i8* @_Py_FalseStruct
  call void @Py_IncRef(i8* %object)
  ret i8* %object
}

; 1 when object is None, else 0: identity, as `is None` compiles.
define i32 @is_none(i8* %object) {
entry:
  %same = icmp eq i8* %object, @_Py_NoneStruct
  %result = zext i1 %same to i32
  ret i32 %result
}
