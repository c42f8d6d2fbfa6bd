; more_catalogue_types() returns the rest of the type objects every
; CPython from 3.6 exports and PyPy 7.3.11 does not (type_objects.ll has the
; first part): iterators, OrderedDict views and async helpers. pysym
; substitutes each on PyPy, and on CPython 3.13, which dropped
; _PyAsyncGenAThrow_Type and _PyCoroWrapper_Type.
target triple = "x86_64-unknown-linux-gnu"

@PyByteArrayIter_Type = external global i8
@PyBytesIter_Type = external global i8
@PyDictIterItem_Type = external global i8
@PyDictIterValue_Type = external global i8
@PyListRevIter_Type = external global i8
@PyLongRangeIter_Type = external global i8
@PyODictItems_Type = external global i8
@PyODictKeys_Type = external global i8
@PyODictValues_Type = external global i8
@PyODictIter_Type = external global i8
@PySeqIter_Type = external global i8
@PyUnicodeIter_Type = external global i8
@_PyAsyncGenASend_Type = external global i8
@_PyAsyncGenAThrow_Type = external global i8
@_PyCoroWrapper_Type = external global i8

declare i8* @PyTuple_Pack(i64, ...)

define i8* @more_catalogue_types(i8* %self, i8* %args, i8* %kwargs) {
entry:
  ; PyTuple_Pack takes its own reference to each type.
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 15,
                                            i8* @PyByteArrayIter_Type,
                                            i8* @PyBytesIter_Type,
                                            i8* @PyDictIterItem_Type,
                                            i8* @PyDictIterValue_Type,
                                            i8* @PyListRevIter_Type,
                                            i8* @PyLongRangeIter_Type,
                                            i8* @PyODictItems_Type,
                                            i8* @PyODictKeys_Type,
                                            i8* @PyODictValues_Type,
                                            i8* @PyODictIter_Type,
                                            i8* @PySeqIter_Type,
                                            i8* @PyUnicodeIter_Type,
                                            i8* @_PyAsyncGenASend_Type,
                                            i8* @_PyAsyncGenAThrow_Type,
                                            i8* @_PyCoroWrapper_Type)
  ret i8* %tuple
}
