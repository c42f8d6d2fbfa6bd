; bind_in_module(x) builds a builtin function bound to x whose __module__ is
; 'matrix_module' with PyCFunction_NewEx from a PyMethodDef in the module's
; own data, calls it (the METH_NOARGS method returns its self) and returns
; (result, function.__module__): (x, 'matrix_module'). PyPy's headers
; define PyCFunction_NewEx over PyCMethod_New, which pysym substitutes.
target triple = "x86_64-unknown-linux-gnu"

%PyMethodDef = type { i8*, i8*, i32, i8* }

@name = private unnamed_addr constant [15 x i8] c"bind_in_module\00"
@method_name = private unnamed_addr constant [10 x i8] c"self_echo\00"
@module_name = private unnamed_addr constant [14 x i8] c"matrix_module\00"
@module_attribute = private unnamed_addr constant [11 x i8] c"__module__\00"
; {ml_name, ml_meth, ml_flags = METH_NOARGS (4), ml_doc}
@echo_def = private global %PyMethodDef {
  i8* getelementptr inbounds ([10 x i8], [10 x i8]* @method_name, i64 0, i64 0),
  i8* bitcast (i8* (i8*, i8*)* @self_echo to i8*), i32 4, i8* null }

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyUnicode_FromString(i8*)
declare i8* @PyCFunction_NewEx(%PyMethodDef*, i8*, i8*)
declare i8* @PyObject_CallFunctionObjArgs(i8*, ...)
declare i8* @PyObject_GetAttrString(i8*, i8*)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_IncRef(i8*)
declare void @Py_DecRef(i8*)

define private i8* @self_echo(i8* %self, i8* %unused) {
entry:
  call void @Py_IncRef(i8* %self)
  ret i8* %self
}

define i8* @bind_in_module(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [15 x i8], [15 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %bind

bind:
  %x = load i8*, i8** %x_slot
  %module_text = getelementptr inbounds [14 x i8], [14 x i8]* @module_name, i64 0, i64 0
  %module = call i8* @PyUnicode_FromString(i8* %module_text)
  %function = call i8* @PyCFunction_NewEx(%PyMethodDef* @echo_def, i8* %x, i8* %module)
  call void @Py_DecRef(i8* %module)
  %no_function = icmp eq i8* %function, null
  br i1 %no_function, label %fail, label %call

call:
  %result = call i8* (i8*, ...) @PyObject_CallFunctionObjArgs(i8* %function, i8* null)
  %attribute = getelementptr inbounds [11 x i8], [11 x i8]* @module_attribute, i64 0, i64 0
  %module_seen = call i8* @PyObject_GetAttrString(i8* %function, i8* %attribute)
  call void @Py_DecRef(i8* %function)
  %no_result = icmp eq i8* %result, null
  %no_module = icmp eq i8* %module_seen, null
  %failed = or i1 %no_result, %no_module
  br i1 %failed, label %cleanup, label %pack

pack:
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 2, i8* %result, i8* %module_seen)
  call void @Py_DecRef(i8* %result)
  call void @Py_DecRef(i8* %module_seen)
  ret i8* %tuple

cleanup:
  br i1 %no_result, label %drop_module, label %drop_result

drop_result:
  call void @Py_DecRef(i8* %result)
  br label %drop_module

drop_module:
  br i1 %no_module, label %fail, label %drop_module_seen

drop_module_seen:
  call void @Py_DecRef(i8* %module_seen)
  br label %fail

fail:
  ret i8* null
}
