; base ** exponent through _Py_c_pow, which takes and returns Py_complex
; ({double real, double imag}) by value: in the x86-64 System V ABI each
; argument travels in two SSE registers, as clang lowers it.
target triple = "x86_64-unknown-linux-gnu"

declare { double, double } @_Py_c_pow(double, double, double, double)

; Stores the result's real and imaginary parts in out[0] and out[1].
define void @complex_power(double %base_real, double %base_imag, double %exp_real,
                           double %exp_imag, double* %out) {
entry:
  %result = call { double, double } @_Py_c_pow(double %base_real, double %base_imag,
                                               double %exp_real, double %exp_imag)
  %real = extractvalue { double, double } %result, 0
  %imag = extractvalue { double, double } %result, 1
  store double %real, double* %out
  %imag_slot = getelementptr inbounds double, double* %out, i64 1
  store double %imag, double* %imag_slot
  ret void
}
