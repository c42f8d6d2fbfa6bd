; Every _Py_c_* helper: complex_ops(a, b) returns
; (a + b, a - b, -a, a * b, a / b, a ** b, abs(a)) computed by _Py_c_sum,
; _Py_c_diff, _Py_c_neg, _Py_c_prod, _Py_c_quot, _Py_c_pow and _Py_c_abs.
; Py_complex ({double real, double imag}) travels by value in two SSE
; registers each way, as clang lowers it for x86-64 System V. CPython exports
; the helpers; PyPy lacks them and pysym substitutes its own.
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [12 x i8] c"complex_ops\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare double @PyComplex_RealAsDouble(i8*)
declare double @PyComplex_ImagAsDouble(i8*)
declare i8* @PyComplex_FromDoubles(double, double)
declare i8* @PyFloat_FromDouble(double)
declare i8* @PyErr_Occurred()
declare i8* @PyTuple_Pack(i64, ...)
declare void @Py_DecRef(i8*)
declare { double, double } @_Py_c_sum(double, double, double, double)
declare { double, double } @_Py_c_diff(double, double, double, double)
declare { double, double } @_Py_c_neg(double, double)
declare { double, double } @_Py_c_prod(double, double, double, double)
declare { double, double } @_Py_c_quot(double, double, double, double)
declare { double, double } @_Py_c_pow(double, double, double, double)
declare double @_Py_c_abs(double, double)

; A new complex object from a Py_complex value.
define private i8* @box({ double, double } %value) {
entry:
  %real = extractvalue { double, double } %value, 0
  %imag = extractvalue { double, double } %value, 1
  %object = call i8* @PyComplex_FromDoubles(double %real, double %imag)
  ret i8* %object
}

define i8* @complex_ops(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %a_slot = alloca i8*
  %b_slot = alloca i8*
  %name = getelementptr inbounds [12 x i8], [12 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 2,
                                                                    i64 2, i8** %a_slot,
                                                                    i8** %b_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %convert

convert:
  %a = load i8*, i8** %a_slot
  %b = load i8*, i8** %b_slot
  %ar = call double @PyComplex_RealAsDouble(i8* %a)
  %ai = call double @PyComplex_ImagAsDouble(i8* %a)
  %br = call double @PyComplex_RealAsDouble(i8* %b)
  %bi = call double @PyComplex_ImagAsDouble(i8* %b)
  %error = call i8* @PyErr_Occurred()
  %raised = icmp ne i8* %error, null
  br i1 %raised, label %fail, label %compute

compute:
  %sum = call { double, double } @_Py_c_sum(double %ar, double %ai, double %br, double %bi)
  %diff = call { double, double } @_Py_c_diff(double %ar, double %ai, double %br, double %bi)
  %neg = call { double, double } @_Py_c_neg(double %ar, double %ai)
  %prod = call { double, double } @_Py_c_prod(double %ar, double %ai, double %br, double %bi)
  %quot = call { double, double } @_Py_c_quot(double %ar, double %ai, double %br, double %bi)
  %pow = call { double, double } @_Py_c_pow(double %ar, double %ai, double %br, double %bi)
  %abs = call double @_Py_c_abs(double %ar, double %ai)
  %o1 = call i8* @box({ double, double } %sum)
  %o2 = call i8* @box({ double, double } %diff)
  %o3 = call i8* @box({ double, double } %neg)
  %o4 = call i8* @box({ double, double } %prod)
  %o5 = call i8* @box({ double, double } %quot)
  %o6 = call i8* @box({ double, double } %pow)
  %o7 = call i8* @PyFloat_FromDouble(double %abs)
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 7, i8* %o1, i8* %o2, i8* %o3, i8* %o4, i8* %o5,
                                            i8* %o6, i8* %o7)
  call void @Py_DecRef(i8* %o1)
  call void @Py_DecRef(i8* %o2)
  call void @Py_DecRef(i8* %o3)
  call void @Py_DecRef(i8* %o4)
  call void @Py_DecRef(i8* %o5)
  call void @Py_DecRef(i8* %o6)
  call void @Py_DecRef(i8* %o7)
  ret i8* %tuple

fail:
  ret i8* null
}
