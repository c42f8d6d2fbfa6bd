; bind_and_call(x) builds a builtin function bound to x with
; PyCFunction_New from a PyMethodDef in the module's own data, calls it with
; no arguments (the METH_NOARGS method returns its self) and returns the
; result: x. CPython 3.9 and PyPy 7.3.11 define PyCFunction_New only as a
; macro over PyCFunction_NewEx / PyCMethod_New.
target triple = "x86_64-unknown-linux-gnu"

%PyMethodDef = type { i8*, i8*, i32, i8* }

@name = private unnamed_addr constant [14 x i8] c"bind_and_call\00"
@method_name = private unnamed_addr constant [10 x i8] c"self_echo\00"
; {ml_name, ml_meth, ml_flags = METH_NOARGS (4), ml_doc}
@echo_def = private global %PyMethodDef {
  i8* getelementptr inbounds ([10 x i8], [10 x i8]* @method_name, i64 0, i64 0),
  i8* bitcast (i8* (i8*, i8*)* @self_echo to i8*), i32 4, i8* null }

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyCFunction_New(%PyMethodDef*, i8*)
declare i8* @PyObject_CallFunctionObjArgs(i8*, ...)
declare void @Py_IncRef(i8*)
declare void @Py_DecRef(i8*)

define private i8* @self_echo(i8* %self, i8* %unused) {
entry:
  call void @Py_IncRef(i8* %self)
  ret i8* %self
}

define i8* @bind_and_call(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [14 x i8], [14 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %bind

bind:
  %x = load i8*, i8** %x_slot
  %function = call i8* @PyCFunction_New(%PyMethodDef* @echo_def, i8* %x)
  %no_function = icmp eq i8* %function, null
  br i1 %no_function, label %fail, label %call

call:
  %result = call i8* (i8*, ...) @PyObject_CallFunctionObjArgs(i8* %function, i8* null)
  call void @Py_DecRef(i8* %function)
  ret i8* %result

fail:
  ret i8* null
}
