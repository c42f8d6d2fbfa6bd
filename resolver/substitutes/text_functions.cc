// The text and codec substitutes: argument conversion around the Python helpers.
#include "pysym/resolver/substitutes/text_functions.h"

#include "pysym/resolver/substitutes/c_api_more.h"
#include "pysym/resolver/substitutes/python_helpers.h"

namespace pysym::substitutes::text {
namespace {

using helpers::call;

// bytes(Bytes[:Length]) as a new reference; NULL data with a length raises.
Object bytesOf(const char *Bytes, Size Length) {
  if (!Bytes && Length != 0)
    return helpers::badInternalCall();
  return capi::bytesFromStringAndSize(Bytes ? Bytes : "", Length);
}

Object attr(Object Exc, const char *Name, int WantBytes) {
  if (!Exc)
    return helpers::badInternalCall();
  return call("unicode_error_attr", "(Osi)", Exc, Name, WantBytes);
}

int clamped(const char *Helper, Object Exc, int WantBytes, Size *Out) {
  if (!Exc || !Out) {
    helpers::badInternalCall();
    return -1;
  }
  Size Value = helpers::size(call(Helper, "(Oi)", Exc, WantBytes));
  if (Value == -1 && capi::errOccurred())
    return -1;
  *Out = Value;
  return 0;
}

int setAttr(Object Exc, const char *Name, Object Value /* stolen */) {
  if (!Exc || !Value) {
    capi::decRef(Value);
    if (!capi::errOccurred())
      helpers::badInternalCall();
    return -1;
  }
  return helpers::status(call("set_attr", "(OsN)", Exc, Name, Value));
}

Object errorHandler(const char *Name, Object Exc) { return call("codec_error_handler", "(sO)", Name, Exc); }

Object stream(const char *Encoding, int Index, Object Stream, const char *Errors) {
  if (!Encoding || !Stream)
    return helpers::badInternalCall();
  return call("codec_stream", "(siOz)", Encoding, Index, Stream, Errors);
}

// codecs.<Codec>(data, errors, *Extra) for a C buffer.
Object decodeTuple(const char *Codec, const char *Bytes, Size Length, const char *Errors) {
  Object Data = bytesOf(Bytes, Length);
  return Data ? call("unicode_decode", "(sNz)", Codec, Data, Errors) : nullptr;
}

// The text of a (text, consumed, ...) decoder tuple; *Consumed when asked.
Object textOf(Object Tuple, Size *Consumed) {
  if (!Tuple)
    return nullptr;
  Object Text = capi::tupleGetItem(Tuple, 0);
  if (Consumed)
    *Consumed = capi::longAsSsize(capi::tupleGetItem(Tuple, 1));
  capi::incRef(Text);
  capi::decRef(Tuple);
  return Text;
}

Object decodeStateful(const char *Codec, const char *Bytes, Size Length, const char *Errors,
                      Size *Consumed) {
  Object Data = bytesOf(Bytes, Length);
  if (!Data)
    return nullptr;
  return textOf(call("unicode_decode", "(sNzO)", Codec, Data, Errors,
                     Consumed ? capi::falseObject() : capi::trueObject()),
                Consumed);
}

Object decodeWithByteOrder(const char *Codec, const char *Bytes, Size Length, const char *Errors,
                           int *ByteOrder, Size *Consumed) {
  Object Data = bytesOf(Bytes, Length);
  if (!Data)
    return nullptr;
  Object Tuple = call("unicode_decode", "(sNziO)", Codec, Data, Errors, ByteOrder ? *ByteOrder : 0,
                      Consumed ? capi::falseObject() : capi::trueObject());
  if (Tuple && ByteOrder)
    *ByteOrder = static_cast<int>(capi::longAsSsize(capi::tupleGetItem(Tuple, 2)));
  return textOf(Tuple, Consumed);
}

}  // namespace

Object decodeErrorCreate(const char *Encoding, const char *Bytes, Size Length, Size Start, Size End,
                         const char *Reason) {
  if (!Encoding || !Reason)
    return helpers::badInternalCall();
  Object Data = bytesOf(Bytes, Length);
  if (!Data)
    return nullptr;
  return call("unicode_decode_error", "(sNnns)", Encoding, Data, Start, End, Reason);
}

Object decodeErrorGetEncoding(Object Exc) { return attr(Exc, "encoding", 0); }
Object encodeErrorGetEncoding(Object Exc) { return attr(Exc, "encoding", 0); }
Object decodeErrorGetObject(Object Exc) { return attr(Exc, "object", 1); }
Object encodeErrorGetObject(Object Exc) { return attr(Exc, "object", 0); }
Object translateErrorGetObject(Object Exc) { return attr(Exc, "object", 0); }
Object unicodeErrorGetReason(Object Exc) { return attr(Exc, "reason", 0); }
int decodeErrorGetStart(Object Exc, Size *Start) { return clamped("unicode_error_start", Exc, 1, Start); }
int encodeErrorGetStart(Object Exc, Size *Start) { return clamped("unicode_error_start", Exc, 0, Start); }
int decodeErrorGetEnd(Object Exc, Size *End) { return clamped("unicode_error_end", Exc, 1, End); }
int encodeErrorGetEnd(Object Exc, Size *End) { return clamped("unicode_error_end", Exc, 0, End); }
int unicodeErrorSetStart(Object Exc, Size Start) {
  return setAttr(Exc, "start", call("identity", "(n)", Start));
}
int unicodeErrorSetEnd(Object Exc, Size End) { return setAttr(Exc, "end", call("identity", "(n)", End)); }
int unicodeErrorSetReason(Object Exc, const char *Reason) {
  if (!Reason) {
    helpers::badInternalCall();
    return -1;
  }
  return setAttr(Exc, "reason", capi::unicodeFromString(Reason));
}

int codecRegister(Object SearchFunction) {
  if (!SearchFunction) {
    helpers::badInternalCall();
    return -1;
  }
  return helpers::status(call("codec_register", "(O)", SearchFunction));
}
int codecKnownEncoding(const char *Encoding) {
  if (!Encoding)
    return 0;  // CPython: the lookup's BadArgument is cleared, the answer is "unknown"
  return helpers::truth(call("codec_known_encoding", "(s)", Encoding));
}
Object codecLookupError(const char *Name) { return call("codec_lookup_error", "(z)", Name); }
int codecRegisterError(const char *Name, Object Error) {
  if (!Name || !Error) {
    helpers::badInternalCall();
    return -1;
  }
  return helpers::status(call("codec_register_error", "(sO)", Name, Error));
}
Object codecStrictErrors(Object Exc) { return errorHandler("strict", Exc); }
Object codecIgnoreErrors(Object Exc) { return errorHandler("ignore", Exc); }
Object codecReplaceErrors(Object Exc) { return errorHandler("replace", Exc); }
Object codecXmlCharRefReplaceErrors(Object Exc) { return errorHandler("xmlcharrefreplace", Exc); }
Object codecBackslashReplaceErrors(Object Exc) { return errorHandler("backslashreplace", Exc); }
Object codecNameReplaceErrors(Object Exc) { return errorHandler("namereplace", Exc); }
Object codecStreamReader(const char *Encoding, Object Stream, const char *Errors) {
  return stream(Encoding, 2, Stream, Errors);
}
Object codecStreamWriter(const char *Encoding, Object Stream, const char *Errors) {
  return stream(Encoding, 3, Stream, Errors);
}

Object unicodePartition(Object S, Object Sep) {
  return S && Sep ? call("unicode_partition", "(OOi)", S, Sep, 0) : helpers::badInternalCall();
}
Object unicodeRPartition(Object S, Object Sep) {
  return S && Sep ? call("unicode_partition", "(OOi)", S, Sep, 1) : helpers::badInternalCall();
}
Object unicodeRSplit(Object S, Object Sep, Size MaxSplit) {
  if (!S)
    return helpers::badInternalCall();
  return call("unicode_rsplit", "(OOn)", S, Sep ? Sep : capi::none(), MaxSplit);
}
Object unicodeRichCompare(Object Left, Object Right, int Op) {
  return Left && Right ? call("unicode_rich_compare", "(OOi)", Left, Right, Op)
                       : helpers::badInternalCall();
}
Object unicodeTranslate(Object S, Object Table, const char *Errors) {
  return S && Table ? call("unicode_translate", "(OOz)", S, Table, Errors) : helpers::badInternalCall();
}
int unicodeIsIdentifier(Object S) {
  if (!S) {
    helpers::badInternalCall();
    return -1;
  }
  return helpers::truth(call("unicode_is_identifier", "(O)", S));
}

Object decodeUtf8Stateful(const char *Bytes, Size Length, const char *Errors, Size *Consumed) {
  return decodeStateful("utf_8_decode", Bytes, Length, Errors, Consumed);
}
Object decodeUtf16Stateful(const char *Bytes, Size Length, const char *Errors, int *ByteOrder,
                           Size *Consumed) {
  return decodeWithByteOrder("utf_16_ex_decode", Bytes, Length, Errors, ByteOrder, Consumed);
}
Object decodeUtf32Stateful(const char *Bytes, Size Length, const char *Errors, int *ByteOrder,
                           Size *Consumed) {
  return decodeWithByteOrder("utf_32_ex_decode", Bytes, Length, Errors, ByteOrder, Consumed);
}
Object decodeUtf7(const char *Bytes, Size Length, const char *Errors) {
  return decodeStateful("utf_7_decode", Bytes, Length, Errors, nullptr);
}
Object decodeUtf7Stateful(const char *Bytes, Size Length, const char *Errors, Size *Consumed) {
  return decodeStateful("utf_7_decode", Bytes, Length, Errors, Consumed);
}
Object decodeUnicodeEscape(const char *Bytes, Size Length, const char *Errors) {
  return textOf(decodeTuple("unicode_escape_decode", Bytes, Length, Errors), nullptr);
}
Object decodeRawUnicodeEscape(const char *Bytes, Size Length, const char *Errors) {
  return textOf(decodeTuple("raw_unicode_escape_decode", Bytes, Length, Errors), nullptr);
}
Object decodeCharmap(const char *Bytes, Size Length, Object Mapping, const char *Errors) {
  Object Data = bytesOf(Bytes, Length);
  if (!Data)
    return nullptr;
  return textOf(call("unicode_decode", "(sNzO)", "charmap_decode", Data, Errors,
                     Mapping ? Mapping : capi::none()),
                nullptr);
}
Object asRawUnicodeEscapeString(Object Unicode) {
  if (!Unicode)
    return helpers::badInternalCall();
  return call("unicode_encode_checked", "(sO)", "raw_unicode_escape_encode", Unicode);
}
Object asCharmapString(Object Unicode, Object Mapping) {
  if (!Unicode || !Mapping)
    return call("bad_argument", "()");
  return call("unicode_encode_checked", "(sOOO)", "charmap_encode", Unicode, capi::none(), Mapping);
}
Object buildEncodingMap(Object String) {
  return String ? call("unicode_build_encoding_map", "(O)", String) : helpers::badInternalCall();
}

Object asDecodedObject(Object Unicode, const char *Encoding, const char *Errors) {
  return Unicode ? call("unicode_codec_deprecated", "(sOzz)", "decoded_object", Unicode, Encoding, Errors)
                 : call("bad_argument", "()");
}
Object asDecodedUnicode(Object Unicode, const char *Encoding, const char *Errors) {
  return Unicode ? call("unicode_codec_deprecated", "(sOzz)", "decoded_unicode", Unicode, Encoding, Errors)
                 : call("bad_argument", "()");
}
Object asEncodedUnicode(Object Unicode, const char *Encoding, const char *Errors) {
  return Unicode ? call("unicode_codec_deprecated", "(sOzz)", "encoded_unicode", Unicode, Encoding, Errors)
                 : call("bad_argument", "()");
}

Object bytesRepr(Object Bytes, int SmartQuotes) {
  return Bytes ? call("bytes_repr", "(Oi)", Bytes, SmartQuotes) : helpers::badInternalCall();
}
Object bytesDecodeEscape(const char *Bytes, Size Length, const char *Errors, Size, const char *) {
  Object Data = bytesOf(Bytes, Length);
  return Data ? call("bytes_decode_escape", "(Nz)", Data, Errors) : nullptr;
}

}  // namespace pysym::substitutes::text
