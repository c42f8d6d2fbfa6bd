; newer_catalogue_types() returns type objects CPython exports from 3.8:
; the reversed dict iterators and pickle.PickleBuffer. On 3.6 and 3.7 they
; do not exist, pysym's recipes fail too, and linking must fail naming all
; four; PyPy 7.3.11 (Python 3.9) gets pysym's substitutes.
target triple = "x86_64-unknown-linux-gnu"

@PyDictRevIterItem_Type = external global i8
@PyDictRevIterKey_Type = external global i8
@PyDictRevIterValue_Type = external global i8
@PyPickleBuffer_Type = external global i8

declare i8* @PyTuple_Pack(i64, ...)

define i8* @newer_catalogue_types(i8* %self, i8* %args, i8* %kwargs) {
entry:
  ; PyTuple_Pack takes its own reference to each type.
  %tuple = call i8* (i64, ...) @PyTuple_Pack(i64 4,
                                            i8* @PyDictRevIterItem_Type,
                                            i8* @PyDictRevIterKey_Type,
                                            i8* @PyDictRevIterValue_Type,
                                            i8* @PyPickleBuffer_Type)
  ret i8* %tuple
}
