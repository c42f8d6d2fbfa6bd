; retrack(x) makes [x], untracks the list from the garbage collector with
; PyObject_GC_UnTrack, tracks it again with PyObject_GC_Track and returns
; it. CPython exports both; PyPy's headers make them no-ops, which pysym
; substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [8 x i8] c"retrack\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyList_New(i64)
declare i32 @PyList_Append(i8*, i8*)
declare void @PyObject_GC_UnTrack(i8*)
declare void @PyObject_GC_Track(i8*)
declare void @Py_DecRef(i8*)

define i8* @retrack(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [8 x i8], [8 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %build

build:
  %x = load i8*, i8** %x_slot
  %list = call i8* @PyList_New(i64 0)
  %appended = call i32 @PyList_Append(i8* %list, i8* %x)
  %append_failed = icmp slt i32 %appended, 0
  br i1 %append_failed, label %discard, label %retrack

retrack:
  ; Untrack first: tracking a tracked object is a fatal error in debug builds.
  call void @PyObject_GC_UnTrack(i8* %list)
  call void @PyObject_GC_Track(i8* %list)
  ret i8* %list

discard:
  call void @Py_DecRef(i8* %list)
  br label %fail

fail:
  ret i8* null
}
