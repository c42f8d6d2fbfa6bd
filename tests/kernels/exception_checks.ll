; exception_kind(x) returns (PyExceptionInstance_Check(x),
; PyExceptionClass_Check(x)), each as 0 or 1. Both are macros that read type
; flags in every CPython's headers, and PyPy exports neither, so every
; interpreter gets pysym's substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [15 x i8] c"exception_kind\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i32 @PyExceptionInstance_Check(i8*)
declare i32 @PyExceptionClass_Check(i8*)
declare i8* @PyLong_FromLong(i64)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

define i8* @exception_kind(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [15 x i8], [15 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %check

check:
  %x = load i8*, i8** %x_slot
  %instance = call i32 @PyExceptionInstance_Check(i8* %x)
  %class = call i32 @PyExceptionClass_Check(i8* %x)
  ; CPython's macros return flag bits, not 0 or 1, in older versions.
  %is_instance = icmp ne i32 %instance, 0
  %is_class = icmp ne i32 %class, 0
  %instance_long = zext i1 %is_instance to i64
  %class_long = zext i1 %is_class to i64
  %first = call i8* @PyLong_FromLong(i64 %instance_long)
  %second = call i8* @PyLong_FromLong(i64 %class_long)
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 2, i8* %first, i8* %second)
  call void @Py_DecRef(i8* %first)
  call void @Py_DecRef(i8* %second)
  ret i8* %tuple

fail:
  ret i8* null
}
