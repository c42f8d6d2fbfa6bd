; Variadic calls: call_and_pack(f, a, b) returns (f(a, b), a, b), calling f
; through the NULL-terminated PyObject_CallFunctionObjArgs and packing with
; PyTuple_Pack. NULL with f's exception when f raises.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [14 x i8] c"call_and_pack\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyObject_CallFunctionObjArgs(i8*, ...)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

define i8* @call_and_pack(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %f_slot = alloca i8*
  %a_slot = alloca i8*
  %b_slot = alloca i8*
  %name = getelementptr inbounds [14 x i8], [14 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 3,
                                                                    i64 3, i8** %f_slot,
                                                                    i8** %a_slot, i8** %b_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %call

call:
  %f = load i8*, i8** %f_slot
  %a = load i8*, i8** %a_slot
  %b = load i8*, i8** %b_slot
  %result = call i8* (i8*, ...) @PyObject_CallFunctionObjArgs(i8* %f, i8* %a, i8* %b, i8* null)
  %raised = icmp eq i8* %result, null
  br i1 %raised, label %fail, label %pack

pack:
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 3, i8* %result, i8* %a, i8* %b)
  call void @Py_DecRef(i8* %result)
  ret i8* %tuple

fail:
  ret i8* null
}
