; evaluate_source(text) compiles text as an expression with
; Py_CompileString(text, "<matrix>", Py_eval_input) and evaluates it with
; PyEval_EvalCode in a fresh namespace: SyntaxError for bad text. CPython
; exports Py_CompileString; PyPy's headers define it over
; Py_CompileStringFlags, which pysym substitutes.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [16 x i8] c"evaluate_source\00"
@filename = private unnamed_addr constant [9 x i8] c"<matrix>\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @PyUnicode_AsUTF8(i8*)
declare i8* @Py_CompileString(i8*, i8*, i32)
declare i8* @PyDict_New()
declare i8* @PyEval_EvalCode(i8*, i8*, i8*)
declare void @Py_DecRef(i8*)

define i8* @evaluate_source(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %text_slot = alloca i8*
  %name = getelementptr inbounds [16 x i8], [16 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %text_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %compile

compile:
  %text = load i8*, i8** %text_slot
  %source = call i8* @PyUnicode_AsUTF8(i8* %text)
  %no_source = icmp eq i8* %source, null
  br i1 %no_source, label %fail, label %compile_source

compile_source:
  %file = getelementptr inbounds [9 x i8], [9 x i8]* @filename, i64 0, i64 0
  ; 258 is Py_eval_input in CPython's compile.h and PyPy's eval.h.
  %code = call i8* @Py_CompileString(i8* %source, i8* %file, i32 258)
  %no_code = icmp eq i8* %code, null
  br i1 %no_code, label %fail, label %evaluate

evaluate:
  %namespace = call i8* @PyDict_New()
  %result = call i8* @PyEval_EvalCode(i8* %code, i8* %namespace, i8* %namespace)
  call void @Py_DecRef(i8* %namespace)
  call void @Py_DecRef(i8* %code)
  ret i8* %result

fail:
  ret i8* null
}
