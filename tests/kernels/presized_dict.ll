; squares_dict(n) returns {i: i * i for i in range(n)}, made with
; _PyDict_NewPresized(n), which PyPy lacks and pysym substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [13 x i8] c"squares_dict\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i64 @PyLong_AsSsize_t(i8*)
declare i8* @PyErr_Occurred()
declare i8* @_PyDict_NewPresized(i64)
declare i8* @PyLong_FromSsize_t(i64)
declare i32 @PyDict_SetItem(i8*, i8*, i8*)
declare void @Py_DecRef(i8*)

define i8* @squares_dict(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %n_slot = alloca i8*
  %name = getelementptr inbounds [13 x i8], [13 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %n_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %n_object = load i8*, i8** %n_slot
  %n = call i64 @PyLong_AsSsize_t(i8* %n_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %make

make:
  %dict = call i8* @_PyDict_NewPresized(i64 %n)
  %empty = icmp sle i64 %n, 0
  br i1 %empty, label %done, label %fill

fill:
  %i = phi i64 [ 0, %make ], [ %next, %fill ]
  %square = mul i64 %i, %i
  %key = call i8* @PyLong_FromSsize_t(i64 %i)
  %value = call i8* @PyLong_FromSsize_t(i64 %square)
  %set = call i32 @PyDict_SetItem(i8* %dict, i8* %key, i8* %value)
  call void @Py_DecRef(i8* %key)
  call void @Py_DecRef(i8* %value)
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, %n
  br i1 %more, label %fill, label %done

done:
  ret i8* %dict

fail:
  ret i8* null
}
