; update_set(target, iterable) adds iterable's items to the set target with
; _PySet_Update and returns target: SystemError when target is not a set,
; the iteration's error when iterable fails. PyPy lacks _PySet_Update and
; pysym substitutes it.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [11 x i8] c"update_set\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i32 @_PySet_Update(i8*, i8*)
declare void @Py_IncRef(i8*)

define i8* @update_set(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %target_slot = alloca i8*
  %iterable_slot = alloca i8*
  %name = getelementptr inbounds [11 x i8], [11 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 2,
                                                                    i64 2, i8** %target_slot,
                                                                    i8** %iterable_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %update

update:
  %target = load i8*, i8** %target_slot
  %iterable = load i8*, i8** %iterable_slot
  %status = call i32 @_PySet_Update(i8* %target, i8* %iterable)
  %failed = icmp slt i32 %status, 0
  br i1 %failed, label %fail, label %done

done:
  call void @Py_IncRef(i8* %target)
  ret i8* %target

fail:
  ret i8* null
}
