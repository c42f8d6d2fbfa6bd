; Returns a Python object the host registered by name
; (Resolver::addObjectSymbol, pysym.add_object_symbol): the data symbol's
; address is the object itself, so no id() is involved.
target triple = "x86_64-unknown-linux-gnu"

@pysym_matrix_answer = external global i8

declare void @Py_IncRef(i8*)

define i8* @registered_answer(i8* %self, i8* %args, i8* %kwargs) {
entry:
  call void @Py_IncRef(i8* @pysym_matrix_answer)
  ret i8* @pysym_matrix_answer
}
