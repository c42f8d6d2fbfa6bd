; A CPython-ABI wrapper, PyObject *f(PyObject *self, PyObject *args,
; PyObject *kwargs), that builds one of each common object through the C API
; only (PyObject is an opaque i8*): build_objects(n, x) returns
; (n, x, [i*i for i in range(n)], {'answer': n}, None, True, False).
; Everything it calls is exported by CPython and renamed by PyPy.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [14 x i8] c"build_objects\00"
@answer = private unnamed_addr constant [7 x i8] c"answer\00"

@_Py_NoneStruct = external global i8
@_Py_TrueStruct = external global i8
@_Py_FalseStruct = external global i8

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i64 @PyLong_AsLong(i8*)
declare double @PyFloat_AsDouble(i8*)
declare i8* @PyErr_Occurred()
declare i8* @PyLong_FromLong(i64)
declare i8* @PyFloat_FromDouble(double)
declare i8* @PyList_New(i64)
declare i32 @PyList_Append(i8*, i8*)
declare i8* @PyDict_New()
declare i32 @PyDict_SetItemString(i8*, i8*, i8*)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

define i8* @build_objects(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %n_slot = alloca i8*
  %x_slot = alloca i8*
  %name = getelementptr inbounds [14 x i8], [14 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 2,
                                                                    i64 2, i8** %n_slot, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %n_object = load i8*, i8** %n_slot
  %x_object = load i8*, i8** %x_slot
  %n = call i64 @PyLong_AsLong(i8* %n_object)
  %x = call double @PyFloat_AsDouble(i8* %x_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %build

build:
  %int = call i8* @PyLong_FromLong(i64 %n)
  %float = call i8* @PyFloat_FromDouble(double %x)
  %list = call i8* @PyList_New(i64 0)
  %empty = icmp sle i64 %n, 0
  br i1 %empty, label %dict, label %squares

squares:
  %i = phi i64 [ 0, %build ], [ %next, %squares ]
  %square = mul i64 %i, %i
  %item = call i8* @PyLong_FromLong(i64 %square)
  %appended = call i32 @PyList_Append(i8* %list, i8* %item)
  call void @Py_DecRef(i8* %item)
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, %n
  br i1 %more, label %squares, label %dict

dict:
  %dict_object = call i8* @PyDict_New()
  %key = getelementptr inbounds [7 x i8], [7 x i8]* @answer, i64 0, i64 0
  %set = call i32 @PyDict_SetItemString(i8* %dict_object, i8* %key, i8* %int)
  ; PyTuple_Pack takes its own references, the singletons' included.
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 7, i8* %int, i8* %float, i8* %list,
                                            i8* %dict_object, i8* @_Py_NoneStruct,
                                            i8* @_Py_TrueStruct, i8* @_Py_FalseStruct)
  call void @Py_DecRef(i8* %int)
  call void @Py_DecRef(i8* %float)
  call void @Py_DecRef(i8* %list)
  call void @Py_DecRef(i8* %dict_object)
  ret i8* %tuple

fail:
  ret i8* null
}
