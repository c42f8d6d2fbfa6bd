; sum_items(iterable) adds up any iterable from 0 with PyObject_GetIter and
; PyIter_Next, the loop Numba emits for object-mode `for x in obj`. NULL with
; the exception set when the argument is not iterable or an addition fails.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [10 x i8] c"sum_items\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyObject_GetIter(i8*)
declare i8* @PyIter_Next(i8*)
declare i8* @PyNumber_Add(i8*, i8*)
declare i8* @PyLong_FromLong(i64)
declare i8* @PyErr_Occurred()
declare void @Py_DecRef(i8*)

define i8* @sum_items(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %iterable_slot = alloca i8*
  %name = getelementptr inbounds [10 x i8], [10 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %iterable_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %iterate

iterate:
  %iterable = load i8*, i8** %iterable_slot
  %iterator = call i8* @PyObject_GetIter(i8* %iterable)
  %no_iterator = icmp eq i8* %iterator, null
  br i1 %no_iterator, label %fail, label %start

start:
  %zero = call i8* @PyLong_FromLong(i64 0)
  br label %loop

loop:
  %total = phi i8* [ %zero, %start ], [ %sum, %add ]
  %item = call i8* @PyIter_Next(i8* %iterator)
  %exhausted = icmp eq i8* %item, null
  br i1 %exhausted, label %finish, label %add

add:
  %sum = call i8* @PyNumber_Add(i8* %total, i8* %item)
  call void @Py_DecRef(i8* %total)
  call void @Py_DecRef(i8* %item)
  %add_failed = icmp eq i8* %sum, null
  br i1 %add_failed, label %abandon, label %loop

abandon:
  call void @Py_DecRef(i8* %iterator)
  br label %fail

finish:
  call void @Py_DecRef(i8* %iterator)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %discard, label %done

discard:
  call void @Py_DecRef(i8* %total)
  br label %fail

done:
  ret i8* %total

fail:
  ret i8* null
}
