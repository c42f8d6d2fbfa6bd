; Sums any iterable with PyObject_GetIter and PyIter_Next, the loop Numba
; emits for object-mode `for x in obj`. Returns NULL with the exception set
; when obj is not iterable or an addition fails.
target triple = "x86_64-unknown-linux-gnu"

declare i8* @PyObject_GetIter(i8*)
declare i8* @PyIter_Next(i8*)
declare i8* @PyNumber_Add(i8*, i8*)
declare i8* @PyLong_FromLong(i64)
declare i8* @PyErr_Occurred()
declare void @Py_DecRef(i8*)

define i8* @sum_iterable(i8* %iterable) {
entry:
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
