; Reads the wrapper's keyword arguments: keywords(**kw) returns a copy of
; kw as a dict. The wrapper convention passes NULL for kwargs when a call
; has no keywords; the kernel then returns {}.
target triple = "x86_64-unknown-linux-gnu"

declare i8* @PyDict_New()
declare i8* @PyDict_Copy(i8*)

define i8* @keywords(i8* %self, i8* %args, i8* %kwargs) {
entry:
  %none = icmp eq i8* %kwargs, null
  br i1 %none, label %empty, label %copy

empty:
  %fresh = call i8* @PyDict_New()
  ret i8* %fresh

copy:
  %copied = call i8* @PyDict_Copy(i8* %kwargs)
  ret i8* %copied
}
