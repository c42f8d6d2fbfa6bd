; Calls names that are not Python API, which resolve from the other images
; loaded in the process (libm, libc): cos, strlen and memcpy.
; libc_and_libm(x, text) returns (cos(x), len(utf8), text copied through a
; 64-byte buffer), the copy truncated to 63 bytes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [14 x i8] c"libc_and_libm\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare double @PyFloat_AsDouble(i8*)
declare i8* @PyUnicode_AsUTF8(i8*)
declare i8* @PyErr_Occurred()
declare i8* @PyFloat_FromDouble(double)
declare i8* @PyLong_FromLong(i64)
declare i8* @PyUnicode_FromStringAndSize(i8*, i64)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)
declare double @cos(double)
declare i64 @strlen(i8*)
declare i8* @memcpy(i8*, i8*, i64)

define i8* @libc_and_libm(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %text_slot = alloca i8*
  %buffer = alloca [64 x i8]
  %name = getelementptr inbounds [14 x i8], [14 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 2,
                                                                    i64 2, i8** %x_slot,
                                                                    i8** %text_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %x_object = load i8*, i8** %x_slot
  %text_object = load i8*, i8** %text_slot
  %x = call double @PyFloat_AsDouble(i8* %x_object)
  %utf8 = call i8* @PyUnicode_AsUTF8(i8* %text_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  %no_text = icmp eq i8* %utf8, null
  %bad = or i1 %raised, %no_text
  br i1 %bad, label %fail, label %compute

compute:
  %cosine = call double @cos(double %x)
  %length = call i64 @strlen(i8* %utf8)
  %too_long = icmp ugt i64 %length, 63
  %copied = select i1 %too_long, i64 63, i64 %length
  %start = getelementptr inbounds [64 x i8], [64 x i8]* %buffer, i64 0, i64 0
  %copy_result = call i8* @memcpy(i8* %start, i8* %utf8, i64 %copied)
  %first = call i8* @PyFloat_FromDouble(double %cosine)
  %second = call i8* @PyLong_FromLong(i64 %length)
  %third = call i8* @PyUnicode_FromStringAndSize(i8* %start, i64 %copied)
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 3, i8* %first, i8* %second, i8* %third)
  call void @Py_DecRef(i8* %first)
  call void @Py_DecRef(i8* %second)
  call void @Py_DecRef(i8* %third)
  ret i8* %tuple

fail:
  ret i8* null
}
