; length(x) returns PyObject_Length(x): len(x), or TypeError when x has no
; length. CPython exports it; PyPy's headers define it as PyObject_Size,
; which pysym substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [7 x i8] c"length\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i64 @PyObject_Length(i8*)
declare i8* @PyLong_FromSsize_t(i64)

define i8* @length(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [7 x i8], [7 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %measure

measure:
  %x = load i8*, i8** %x_slot
  %length = call i64 @PyObject_Length(i8* %x)
  %failed = icmp slt i64 %length, 0
  br i1 %failed, label %fail, label %done

done:
  %object = call i8* @PyLong_FromSsize_t(i64 %length)
  ret i8* %object

fail:
  ret i8* null
}
