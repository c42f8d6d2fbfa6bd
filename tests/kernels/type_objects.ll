; catalogue_types() returns a tuple of type objects named by their C
; symbols: data whose address is the type itself. CPython exports them;
; PyPy 7.3.11 exports none of them under either name, and pysym substitutes
; each with the type Python code reaches (CPython 3.13 dropped
; _PyMethodWrapper_Type and _PyNamespace_Type, substituted there too).
target triple = "x86_64-unknown-linux-gnu"

@PyEnum_Type = external global i8
@PyFilter_Type = external global i8
@PyMap_Type = external global i8
@PyZip_Type = external global i8
@PySuper_Type = external global i8
@PyEllipsis_Type = external global i8
@PyCode_Type = external global i8
@PyGen_Type = external global i8
@PyCoro_Type = external global i8
@PyAsyncGen_Type = external global i8
@PyODict_Type = external global i8
@PyDictItems_Type = external global i8
@PyDictIterKey_Type = external global i8
@PyRangeIter_Type = external global i8
@PySetIter_Type = external global i8
@PyListIter_Type = external global i8
@PyTupleIter_Type = external global i8
@PyCallIter_Type = external global i8
@PyFrame_Type = external global i8
@_PyMethodWrapper_Type = external global i8
@_PyNamespace_Type = external global i8

declare i8* @PyTuple_Pack(i64, ...)

define i8* @catalogue_types(i8* %self, i8* %args, i8* %kwargs) {
entry:
  ; PyTuple_Pack takes its own reference to each type.
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 21,
                                            i8* @PyEnum_Type,
                                            i8* @PyFilter_Type,
                                            i8* @PyMap_Type,
                                            i8* @PyZip_Type,
                                            i8* @PySuper_Type,
                                            i8* @PyEllipsis_Type,
                                            i8* @PyCode_Type,
                                            i8* @PyGen_Type,
                                            i8* @PyCoro_Type,
                                            i8* @PyAsyncGen_Type,
                                            i8* @PyODict_Type,
                                            i8* @PyDictItems_Type,
                                            i8* @PyDictIterKey_Type,
                                            i8* @PyRangeIter_Type,
                                            i8* @PySetIter_Type,
                                            i8* @PyListIter_Type,
                                            i8* @PyTupleIter_Type,
                                            i8* @PyCallIter_Type,
                                            i8* @PyFrame_Type,
                                            i8* @_PyMethodWrapper_Type,
                                            i8* @_PyNamespace_Type)
  ret i8* %tuple
}
