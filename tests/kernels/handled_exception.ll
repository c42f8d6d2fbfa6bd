; swap_handled(exc) makes exc the handled exception with
; PyErr_SetHandledException, reads it back with PyErr_GetHandledException,
; and restores the one that was handled before. Returns (got is exc, got),
; got None when nothing was handled (None clears). CPython exports both
; from 3.11; pysym substitutes them elsewhere.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [13 x i8] c"swap_handled\00"
@_Py_NoneStruct = external global i8

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyErr_GetHandledException()
declare void @PyErr_SetHandledException(i8*)
declare i8* @PyBool_FromLong(i64)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

define i8* @swap_handled(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %exc_slot = alloca i8*
  %name = getelementptr inbounds [13 x i8], [13 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %exc_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %swap

swap:
  %exc = load i8*, i8** %exc_slot
  %previous = call i8* @PyErr_GetHandledException()
  call void @PyErr_SetHandledException(i8* %exc)
  %got = call i8* @PyErr_GetHandledException()
  call void @PyErr_SetHandledException(i8* %previous)
  %had_previous = icmp ne i8* %previous, null
  br i1 %had_previous, label %release_previous, label %pack

release_previous:
  call void @Py_DecRef(i8* %previous)
  br label %pack

pack:
  %same = icmp eq i8* %got, %exc
  %same_long = zext i1 %same to i64
  %flag = call i8* @PyBool_FromLong(i64 %same_long)
  %nothing = icmp eq i8* %got, null
  %shown = select i1 %nothing, i8* @_Py_NoneStruct, i8* %got
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 2, i8* %flag, i8* %shown)
  call void @Py_DecRef(i8* %flag)
  br i1 %nothing, label %done, label %release_got

release_got:
  call void @Py_DecRef(i8* %got)
  br label %done

done:
  ret i8* %tuple

fail:
  ret i8* null
}
