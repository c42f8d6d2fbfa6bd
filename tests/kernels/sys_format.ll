; format_to_sys(name, count) writes "<name> has <count> items\n" to
; sys.stdout with PySys_FormatStdout and "<repr(name)>!\n" to sys.stderr
; with PySys_FormatStderr (both variadic), and returns None. PyPy lacks
; both; pysym substitutes them, writing through sys.stdout and sys.stderr.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [14 x i8] c"format_to_sys\00"
@out_format = private unnamed_addr constant [18 x i8] c"%U has %zd items\0A\00"
@err_format = private unnamed_addr constant [5 x i8] c"%R!\0A\00"
@_Py_NoneStruct = external global i8

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i64 @PyLong_AsSsize_t(i8*)
declare i8* @PyErr_Occurred()
declare void @PySys_FormatStdout(i8*, ...)
declare void @PySys_FormatStderr(i8*, ...)
declare void @Py_IncRef(i8*)

define i8* @format_to_sys(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %name_slot = alloca i8*
  %count_slot = alloca i8*
  %name = getelementptr inbounds [14 x i8], [14 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 2,
                                                                    i64 2, i8** %name_slot,
                                                                    i8** %count_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %text = load i8*, i8** %name_slot
  %count_object = load i8*, i8** %count_slot
  %count = call i64 @PyLong_AsSsize_t(i8* %count_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %write

write:
  %out = getelementptr inbounds [18 x i8], [18 x i8]* @out_format, i64 0, i64 0
  call void (i8*, ...) @PySys_FormatStdout(i8* %out, i8* %text, i64 %count)
  %err = getelementptr inbounds [5 x i8], [5 x i8]* @err_format, i64 0, i64 0
  call void (i8*, ...) @PySys_FormatStderr(i8* %err, i8* %text)
  call void @Py_IncRef(i8* @_Py_NoneStruct)
  ret i8* @_Py_NoneStruct

fail:
  ret i8* null
}
