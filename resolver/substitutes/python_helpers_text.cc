// The Python half of text_functions.h: UnicodeError accessors, codecs, str and bytes operations.
//
// Runs after python_helpers_source.cc in the same namespace; each function
// names the CPython 3.11 C code it follows, with CPython's messages.
namespace pysym::substitutes::helpers {

extern const char TextSource[];
const char TextSource[] = R"PYSYM(
# Objects/exceptions.c: the UnicodeError accessors (get_unicode, get_string).
def unicode_error_attr(exc, name, want_bytes):
    value = getattr(exc, name)
    if value is None:
        raise TypeError('%s attribute not set' % name)
    if want_bytes and not isinstance(value, bytes):
        raise TypeError('%s attribute must be bytes' % name)
    if not want_bytes and not isinstance(value, str):
        raise TypeError('%s attribute must be unicode' % name)
    return value


def unicode_error_start(exc, want_bytes):
    size = len(unicode_error_attr(exc, 'object', want_bytes))
    start = exc.start
    if start < 0:
        start = 0
    if start >= size:
        start = size - 1
    return start


def unicode_error_end(exc, want_bytes):
    size = len(unicode_error_attr(exc, 'object', want_bytes))
    end = exc.end
    if end < 1:
        end = 1
    if end > size:
        end = size
    return end


def identity(value):
    return value


def unicode_decode_error(encoding, data, start, end, reason):
    return UnicodeDecodeError(encoding, data, start, end, reason)


def set_attr(o, name, value):
    setattr(o, name, value)


# Python/codecs.c
def codec_register(search_function):
    codecs.register(search_function)


def codec_known_encoding(encoding):
    try:
        codecs.lookup(encoding)
    except BaseException:
        return False
    return True


def codec_lookup_error(name):
    return codecs.lookup_error('strict' if name is None else name)


def codec_register_error(name, error):
    codecs.register_error(name, error)


def codec_error_handler(name, exc):
    return getattr(codecs, name + '_errors')(exc)


def codec_stream(encoding, index, stream, errors):
    factory = codecs.lookup(encoding)[index]
    return factory(stream) if errors is None else factory(stream, errors)


# Objects/unicodeobject.c
def _ensure_str(o):
    if not isinstance(o, str):
        raise TypeError('must be str, not %.100s' % _tp_name(type(o)))


def unicode_partition(s, sep, right):
    _ensure_str(s)
    _ensure_str(sep)
    return str.rpartition(s, sep) if right else str.partition(s, sep)


def unicode_rsplit(s, sep, maxsplit):
    _ensure_str(s)
    if sep is not None:
        _ensure_str(sep)
    return str.rsplit(s, sep, maxsplit)


_COMPARISONS = (str.__lt__, str.__le__, str.__eq__, str.__ne__, str.__gt__, str.__ge__)


def unicode_rich_compare(left, right, op):
    if not isinstance(left, str) or not isinstance(right, str):
        return NotImplemented
    if not 0 <= op < 6:
        raise SystemError('bad argument to internal function')
    return _COMPARISONS[op](left, right)


def _translate_one(c, mapping):
    try:
        x = mapping[ord(c)]
    except LookupError:
        return c
    if x is None:
        return None
    if isinstance(x, int):
        if not 0 <= x < 0x110000:
            raise ValueError('character mapping must be in range(0x110000)')
        return chr(x)
    if isinstance(x, str):
        return x
    raise TypeError('character mapping must return integer, None or str')


def unicode_translate(s, mapping, errors):
    _ensure_str(s)
    out, i, n, handler = [], 0, len(s), None
    while i < n:
        piece = _translate_one(s[i], mapping)
        if piece is not None:
            out.append(piece)
            i += 1
            continue
        end = i + 1
        while end < n and _translate_one(s[end], mapping) is None:
            end += 1
        if errors == 'ignore':
            i = end
            continue
        if handler is None:
            handler = codecs.lookup_error('strict' if errors is None else errors)
        res = handler(UnicodeTranslateError(s, i, end, 'character maps to <undefined>'))
        if not (isinstance(res, tuple) and len(res) == 2 and isinstance(res[0], str)
                and isinstance(res[1], int)):
            raise TypeError('translating error handler must return (str, int) tuple')
        replacement, position = res
        if position < 0:
            position += n
        if not 0 <= position <= n:
            raise IndexError('position %d from error handler out of bounds' % position)
        out.append(replacement)
        i = position
    return ''.join(out)


def unicode_is_identifier(s):
    return str.isidentifier(s)


def unicode_decode(codec, data, *arguments):
    return getattr(codecs, codec)(data, *arguments)


def unicode_encode_checked(codec, u, *arguments):
    if not isinstance(u, str):
        bad_argument()
    return getattr(codecs, codec)(u, *arguments)[0]


def unicode_build_encoding_map(string):
    if not isinstance(string, str):
        bad_argument()
    return codecs.charmap_build(string)


# Objects/bytesobject.c
def bytes_repr(b, smartquotes):
    if not isinstance(b, bytes):
        raise SystemError('bad argument to internal function')
    r = bytes.__repr__(b)
    if not smartquotes and r[1] == '"':
        r = "b'" + r[2:-1].replace("'", "\\'") + "'"
    return r


def bytes_decode_escape(data, errors):
    return codecs.escape_decode(data, errors)[0]




def _warn(message, category, stack_level, source=None):
    # C's stack level 1 is the caller's frame; this helper's frame is one more.
    import warnings
    warnings.warn(message, category, max(stack_level, 1) + 1, source)


def unicode_codec_deprecated(which, u, encoding, errors):
    # PyUnicode_AsDecodedObject, _AsDecodedUnicode, _AsEncodedUnicode
    if not isinstance(u, str):
        bad_argument()
    names = {'decoded_object': ('AsDecodedObject', 'PyCodec_Decode() to decode from str'),
             'decoded_unicode': ('AsDecodedUnicode', 'PyCodec_Decode() to decode from str to str'),
             'encoded_unicode': ('AsEncodedUnicode', 'PyCodec_Encode() to encode from str to str')}
    name, advice = names[which]
    _warn('PyUnicode_%s() is deprecated; use %s' % (name, advice), DeprecationWarning, 1)
    if encoding is None:
        encoding = 'utf-8'  # PyUnicode_GetDefaultEncoding
    strict = 'strict' if errors is None else errors
    if which == 'encoded_unicode':
        v = codecs.encode(u, encoding, strict)
        if not isinstance(v, str):
            raise TypeError("'%.400s' encoder returned '%.400s' instead of 'str'; use codecs.encode() "
                            "to encode to arbitrary types" % (encoding, _tp_name(type(v))))
        return v
    v = codecs.decode(u, encoding, strict)
    if which == 'decoded_unicode' and not isinstance(v, str):
        # CPython names the argument's type here, not the result's.
        raise TypeError("'%.400s' decoder returned '%.400s' instead of 'str'; use codecs.decode() "
                        "to decode to arbitrary types" % (encoding, _tp_name(type(u))))
    return v
)PYSYM";

}  // namespace pysym::substitutes::helpers
