; Calls a function by a name no interpreter exports, which the host
; registers first (Resolver::addSymbol, pysym.add_symbol, llvmlite's
; add_symbol), the way a JIT registers its helper library:
; negate_registered(x) returns pysym_matrix_negate(x).
target triple = "x86_64-unknown-linux-gnu"

@name = private unnamed_addr constant [18 x i8] c"negate_registered\00"

declare i32 @PyArg_UnpackTuple(i8*, i8*, i64, i64, ...)
declare i8* @pysym_matrix_negate(i8*)

define i8* @negate_registered(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %x_slot = alloca i8*
  %name = getelementptr inbounds [18 x i8], [18 x i8]* @name, i64 0, i64 0
  %unpacked = call i32 (i8*, i8*, i64, i64, ...) @PyArg_UnpackTuple(i8* %args, i8* %name, i64 1,
                                                                    i64 1, i8** %x_slot)
  %bad_arity = icmp eq i32 %unpacked, 0
  br i1 %bad_arity, label %fail, label %call

call:
  %x = load i8*, i8** %x_slot
  %result = call i8* @pysym_matrix_negate(i8* %x)
  ret i8* %result

fail:
  ret i8* null
}
