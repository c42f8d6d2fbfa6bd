; raise_legacy(which) raises OSError("legacy alias") through the cell of
; PyExc_IOError (which == 0) or PyExc_EnvironmentError (otherwise), the old
; names CPython keeps as cells holding OSError. PyPy's headers define both
; as PyExc_OSError and export neither; pysym substitutes a cell for each.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [13 x i8] c"raise_legacy\00"
@message = private unnamed_addr constant [13 x i8] c"legacy alias\00"
@PyExc_IOError = external global i8*
@PyExc_EnvironmentError = external global i8*

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i64 @PyLong_AsLong(i8*)
declare i8* @PyErr_Occurred()
declare void @PyErr_SetString(i8*, i8*)

define i8* @raise_legacy(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %which_slot = alloca i8*
  %name = getelementptr inbounds [13 x i8], [13 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %which_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %which_object = load i8*, i8** %which_slot
  %which = call i64 @PyLong_AsLong(i8* %which_object)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %raise

raise:
  %io = icmp eq i64 %which, 0
  %cell = select i1 %io, i8** @PyExc_IOError, i8** @PyExc_EnvironmentError
  %class = load i8*, i8** %cell
  %text = getelementptr inbounds [13 x i8], [13 x i8]* @message, i64 0, i64 0
  call void @PyErr_SetString(i8* %class, i8* %text)
  br label %fail

fail:
  ret i8* null
}
