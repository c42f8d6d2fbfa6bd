// Substitutes for CPython's text and codec API, built on python_helpers.h: the UnicodeError accessors, PyCodec_*, str operations, decoders, bytes escapes.
//
// Each has the C signature of the CPython 3.11 function it stands for
// (Include/cpython and Include/*.h) and its documented reference semantics:
// a PyObject * result is a new reference, NULL with an exception set on
// failure; an int result is 0, or -1 with an exception set. A NULL pointer
// that CPython would dereference raises SystemError
// (PyErr_BadInternalCall) instead. The caller holds the GIL.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_TEXT_FUNCTIONS_H
#define PYSYM_RESOLVER_SUBSTITUTES_TEXT_FUNCTIONS_H

#include <cstddef>

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes::text {

using capi::Object;
using Size = std::ptrdiff_t;  // Py_ssize_t

// PyUnicode{Decode,Encode,Translate}Error_*: attribute reads and writes,
// with CPython's type checks and start/end clamping.
Object decodeErrorCreate(const char *Encoding, const char *Bytes, Size Length, Size Start, Size End,
                         const char *Reason);
Object decodeErrorGetEncoding(Object Exc);
Object encodeErrorGetEncoding(Object Exc);
Object decodeErrorGetObject(Object Exc);
Object encodeErrorGetObject(Object Exc);
Object translateErrorGetObject(Object Exc);
Object unicodeErrorGetReason(Object Exc);  // all three kinds
int decodeErrorGetStart(Object Exc, Size *Start);
int encodeErrorGetStart(Object Exc, Size *Start);  // and TranslateError
int decodeErrorGetEnd(Object Exc, Size *End);
int encodeErrorGetEnd(Object Exc, Size *End);  // and TranslateError
int unicodeErrorSetStart(Object Exc, Size Start);
int unicodeErrorSetEnd(Object Exc, Size End);
int unicodeErrorSetReason(Object Exc, const char *Reason);

// PyCodec_*
int codecRegister(Object SearchFunction);
int codecKnownEncoding(const char *Encoding);
Object codecLookupError(const char *Name);
int codecRegisterError(const char *Name, Object Error);
Object codecStrictErrors(Object Exc);
Object codecIgnoreErrors(Object Exc);
Object codecReplaceErrors(Object Exc);
Object codecXmlCharRefReplaceErrors(Object Exc);
Object codecBackslashReplaceErrors(Object Exc);
Object codecNameReplaceErrors(Object Exc);
Object codecStreamReader(const char *Encoding, Object Stream, const char *Errors);
Object codecStreamWriter(const char *Encoding, Object Stream, const char *Errors);

// PyUnicode_*
Object unicodePartition(Object S, Object Sep);
Object unicodeRPartition(Object S, Object Sep);
Object unicodeRSplit(Object S, Object Sep, Size MaxSplit);
Object unicodeRichCompare(Object Left, Object Right, int Op);
Object unicodeTranslate(Object S, Object Table, const char *Errors);
int unicodeIsIdentifier(Object S);
Object decodeUtf8Stateful(const char *Bytes, Size Length, const char *Errors, Size *Consumed);
Object decodeUtf16Stateful(const char *Bytes, Size Length, const char *Errors, int *ByteOrder,
                           Size *Consumed);
Object decodeUtf32Stateful(const char *Bytes, Size Length, const char *Errors, int *ByteOrder,
                           Size *Consumed);
Object decodeUtf7(const char *Bytes, Size Length, const char *Errors);
Object decodeUtf7Stateful(const char *Bytes, Size Length, const char *Errors, Size *Consumed);
Object decodeUnicodeEscape(const char *Bytes, Size Length, const char *Errors);
Object decodeRawUnicodeEscape(const char *Bytes, Size Length, const char *Errors);
Object decodeCharmap(const char *Bytes, Size Length, Object Mapping, const char *Errors);
Object asRawUnicodeEscapeString(Object Unicode);
Object asCharmapString(Object Unicode, Object Mapping);
Object buildEncodingMap(Object String);
// The deprecated codec shortcuts: a DeprecationWarning, then codecs.decode or
// codecs.encode; the *Unicode ones require a str result.
Object asDecodedObject(Object Unicode, const char *Encoding, const char *Errors);
Object asDecodedUnicode(Object Unicode, const char *Encoding, const char *Errors);
Object asEncodedUnicode(Object Unicode, const char *Encoding, const char *Errors);

// PyBytes_*
Object bytesRepr(Object Bytes, int SmartQuotes);
Object bytesDecodeEscape(const char *Bytes, Size Length, const char *Errors, Size Unused,
                         const char *UnusedRecode);

}  // namespace pysym::substitutes::text

#endif  // PYSYM_RESOLVER_SUBSTITUTES_TEXT_FUNCTIONS_H
