; Kernels that return new objects: an int, a float, a tuple, a list and a
; dict, built only through C-API calls (PyObject is an opaque i8*), the way
; LLVM 14 and Numba 0.5x emit them.
target triple = "x86_64-unknown-linux-gnu"

@answer_key = private unnamed_addr constant [7 x i8] c"answer\00"

declare i8* @PyLong_FromLong(i64)
declare i8* @PyFloat_FromDouble(double)
declare i8* @PyTuple_New(i64)
declare i32 @PyTuple_SetItem(i8*, i64, i8*)
declare i8* @PyList_New(i64)
declare i32 @PyList_Append(i8*, i8*)
declare i8* @PyDict_New()
declare i32 @PyDict_SetItemString(i8*, i8*, i8*)
declare void @Py_DecRef(i8*)

define i8* @make_int(i64 %value) {
entry:
  %object = call i8* @PyLong_FromLong(i64 %value)
  ret i8* %object
}

define i8* @make_float(double %value) {
entry:
  %object = call i8* @PyFloat_FromDouble(double %value)
  ret i8* %object
}

; (whole, fraction); PyTuple_SetItem steals each item's reference.
define i8* @make_tuple(i64 %whole, double %fraction) {
entry:
  %tuple = call i8* @PyTuple_New(i64 2)
  %first = call i8* @PyLong_FromLong(i64 %whole)
  %second = call i8* @PyFloat_FromDouble(double %fraction)
  %set0 = call i32 @PyTuple_SetItem(i8* %tuple, i64 0, i8* %first)
  %set1 = call i32 @PyTuple_SetItem(i8* %tuple, i64 1, i8* %second)
  ret i8* %tuple
}

; [0, 1, 4, ..., (count-1)**2]; PyList_Append takes its own reference.
define i8* @make_list(i64 %count) {
entry:
  %list = call i8* @PyList_New(i64 0)
  %empty = icmp sle i64 %count, 0
  br i1 %empty, label %done, label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %square = mul i64 %i, %i
  %item = call i8* @PyLong_FromLong(i64 %square)
  %appended = call i32 @PyList_Append(i8* %list, i8* %item)
  call void @Py_DecRef(i8* %item)
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, %count
  br i1 %more, label %loop, label %done

done:
  ret i8* %list
}

; {"answer": value}
define i8* @make_dict(i64 %value) {
entry:
  %dict = call i8* @PyDict_New()
  %item = call i8* @PyLong_FromLong(i64 %value)
  %key = getelementptr inbounds [7 x i8], [7 x i8]* @answer_key, i64 0, i64 0
  %set = call i32 @PyDict_SetItemString(i8* %dict, i8* %key, i8* %item)
  call void @Py_DecRef(i8* %item)
  ret i8* %dict
}
