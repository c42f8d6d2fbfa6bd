; classify_float(x) returns (Py_IS_NAN(x), Py_IS_INFINITY(x),
; Py_IS_FINITE(x)), each 0 or 1. They are macros in every CPython's headers
; and absent from PyPy, so every interpreter gets pysym's substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [15 x i8] c"classify_float\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare double @PyFloat_AsDouble(i8*)
declare i8* @PyErr_Occurred()
declare i32 @Py_IS_NAN(double)
declare i32 @Py_IS_INFINITY(double)
declare i32 @Py_IS_FINITE(double)
declare i8* @PyLong_FromLong(i64)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

; A new int, 1 when flag is non-zero, else 0.
define private i8* @as_bit(i32 %flag) {
entry:
  %set = icmp ne i32 %flag, 0
  %bit = zext i1 %set to i64
  %object = call i8* @PyLong_FromLong(i64 %bit)
  ret i8* %object
}

define i8* @classify_float(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [15 x i8], [15 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %x_object = load i8*, i8** %x_slot
  %x = call double @PyFloat_AsDouble(i8* %x_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %classify

classify:
  %nan = call i32 @Py_IS_NAN(double %x)
  %infinity = call i32 @Py_IS_INFINITY(double %x)
  %finite = call i32 @Py_IS_FINITE(double %x)
  %o1 = call i8* @as_bit(i32 %nan)
  %o2 = call i8* @as_bit(i32 %infinity)
  %o3 = call i8* @as_bit(i32 %finite)
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 3, i8* %o1, i8* %o2, i8* %o3)
  call void @Py_DecRef(i8* %o1)
  call void @Py_DecRef(i8* %o2)
  call void @Py_DecRef(i8* %o3)
  ret i8* %tuple

fail:
  ret i8* null
}
