; context_type_names() returns the __name__ of PyContext_Type,
; PyContextVar_Type and PyContextToken_Type: ('Context', 'ContextVar',
; 'Token'). Names rather than the types, because the types are reachable
; from Python only through the _contextvars extension module, which an
; RTLD_LOCAL-embedded CPython cannot import. CPython exports them from 3.7;
; PyPy 7.3.11 does not, and pysym substitutes them.
target triple = "x86_64-unknown-linux-gnu"

@PyContext_Type = external global i8
@PyContextVar_Type = external global i8
@PyContextToken_Type = external global i8
@name_attribute = private unnamed_addr constant [9 x i8] c"__name__\00"

declare i8* @PyObject_GetAttrString(i8*, i8*)
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)

define i8* @context_type_names(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %attribute = getelementptr inbounds [9 x i8], [9 x i8]* @name_attribute, i64 0, i64 0
  %context = call i8* @PyObject_GetAttrString(i8* @PyContext_Type, i8* %attribute)
  %variable = call i8* @PyObject_GetAttrString(i8* @PyContextVar_Type, i8* %attribute)
  %token = call i8* @PyObject_GetAttrString(i8* @PyContextToken_Type, i8* %attribute)
  %no_context = icmp eq i8* %context, null
  %no_variable = icmp eq i8* %variable, null
  %no_token = icmp eq i8* %token, null
  %some_missing = or i1 %no_context, %no_variable
  %any_missing = or i1 %some_missing, %no_token
  br i1 %any_missing, label %release, label %pack

pack:
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 3, i8* %context, i8* %variable, i8* %token)
  br label %release

release:
  %result = phi i8* [ null, %entry ], [ %tuple, %pack ]
  br i1 %no_context, label %release_variable, label %drop_context

drop_context:
  call void @Py_DecRef(i8* %context)
  br label %release_variable

release_variable:
  br i1 %no_variable, label %release_token, label %drop_variable

drop_variable:
  call void @Py_DecRef(i8* %variable)
  br label %release_token

release_token:
  br i1 %no_token, label %done, label %drop_token

drop_token:
  call void @Py_DecRef(i8* %token)
  br label %done

done:
  ret i8* %result
}
