// The text and codec substitutes against CPython 3.11's own functions (CPython process) and Python-level expectations (both).
#include "pysym/resolver/substitutes/fidelity_testing.h"

namespace pysym::substitutes {
namespace {

using testing::Case;
using testing::PyObjectPtr;
using testing::Reference;
using Size = testing::Size;

using ObjectOfObject = PyObjectPtr(PyObjectPtr);
using SizeOut = int(PyObjectPtr, Size *);
using SetSize = int(PyObjectPtr, Size);
using SetText = int(PyObjectPtr, const char *);

class TextFunctionsTest : public testing::FidelityTest {
protected:
  void SetUp() override {
    FidelityTest::SetUp();
    if (HasFatalFailure() || IsSkipped())
      return;
    ASSERT_FALSE(bool(Python->run(R"(
def decode_error():
    return UnicodeDecodeError('utf-8', b'ab\xffcd', 2, 3, 'invalid start byte')
def encode_error():
    return UnicodeEncodeError('ascii', 'ab\u20accd', 2, 3, 'ordinal not in range(128)')
def translate_error():
    return UnicodeTranslateError('ab\u20accd', 2, 3, 'no mapping')
def with_attr(exc, **attrs):
    for k, v in attrs.items():
        setattr(exc, k, v)
    return exc
def bare(cls):
    return cls.__new__(cls)
)")));
  }
};

TEST_F(TextFunctionsTest, UnicodeErrorGetters) {
  check<ObjectOfObject>("PyUnicodeDecodeError_GetEncoding",
                        {{"(decode_error(),)", "'utf-8'"},
                         {"(with_attr(decode_error(), encoding=5),)", "!TypeError: encoding attribute must be unicode"},
                         {"(bare(UnicodeDecodeError),)", "!TypeError: encoding attribute not set"}});
  check<ObjectOfObject>("PyUnicodeEncodeError_GetEncoding",
                        {{"(encode_error(),)", "'ascii'"},
                         {"(with_attr(encode_error(), encoding=b'x'),)",
                          "!TypeError: encoding attribute must be unicode"}});
  check<ObjectOfObject>("PyUnicodeDecodeError_GetObject",
                        {{"(decode_error(),)", "b'ab\\xffcd'"},
                         {"(with_attr(decode_error(), object='text'),)", "!TypeError: object attribute must be bytes"},
                         {"(bare(UnicodeDecodeError),)", "!TypeError: object attribute not set"}});
  check<ObjectOfObject>("PyUnicodeEncodeError_GetObject",
                        {{"(encode_error(),)", "'ab\\u20accd'"},
                         {"(with_attr(encode_error(), object=b'x'),)", "!TypeError: object attribute must be unicode"}});
  check<ObjectOfObject>("PyUnicodeTranslateError_GetObject",
                        {{"(translate_error(),)", "'ab\\u20accd'"},
                         {"(bare(UnicodeTranslateError),)", "!TypeError: object attribute not set"}});
  for (const char *Name : {"PyUnicodeDecodeError_GetReason", "PyUnicodeEncodeError_GetReason",
                           "PyUnicodeTranslateError_GetReason"})
    check<ObjectOfObject>(Name, {{"(with_attr(decode_error(), reason='why'),)", "'why'"},
                                 {"(with_attr(encode_error(), reason=3),)", "!TypeError: reason attribute must be unicode"},
                                 {"(bare(UnicodeTranslateError),)", "!TypeError: reason attribute not set"}});
}

TEST_F(TextFunctionsTest, UnicodeErrorStartAndEndAreClamped) {
  const std::vector<Case> Starts = {
      {"(with_attr(ERR(), start=2), 0)", "0", "outs == [2]"},
      {"(with_attr(ERR(), start=-4), 0)", "0", "outs == [0]"},
      {"(with_attr(ERR(), start=99), 0)", "0", "outs == [4]"},
      {"(with_attr(ERR(), object=ERR().object[:0], start=0), 0)", "0", "outs == [-1]"},
  };
  const std::vector<Case> Ends = {
      {"(with_attr(ERR(), end=3), 0)", "0", "outs == [3]"},
      {"(with_attr(ERR(), end=-4), 0)", "0", "outs == [1]"},
      {"(with_attr(ERR(), end=99), 0)", "0", "outs == [5]"},
      {"(with_attr(ERR(), object=ERR().object[:0], end=2), 0)", "0", "outs == [0]"},
  };
  auto For = [](const std::vector<Case> &Template, const char *Maker, std::vector<std::string> &Storage) {
    std::vector<Case> Out;
    for (const Case &C : Template) {
      std::string Args = C.Args;
      for (size_t At; (At = Args.find("ERR")) != std::string::npos;)
        Args.replace(At, 3, Maker);
      Storage.push_back(Args);
    }
    for (size_t I = 0; I < Template.size(); ++I)
      Out.push_back({Storage[Storage.size() - Template.size() + I].c_str(), Template[I].Expect, Template[I].Check});
    return Out;
  };
  std::vector<std::string> Storage;
  Storage.reserve(64);
  check<SizeOut>("PyUnicodeDecodeError_GetStart", For(Starts, "decode_error", Storage));
  check<SizeOut>("PyUnicodeEncodeError_GetStart", For(Starts, "encode_error", Storage));
  check<SizeOut>("PyUnicodeTranslateError_GetStart", For(Starts, "translate_error", Storage));
  check<SizeOut>("PyUnicodeDecodeError_GetEnd", For(Ends, "decode_error", Storage));
  check<SizeOut>("PyUnicodeEncodeError_GetEnd", For(Ends, "encode_error", Storage));
  check<SizeOut>("PyUnicodeTranslateError_GetEnd", For(Ends, "translate_error", Storage));
  check<SizeOut>("PyUnicodeDecodeError_GetStart",
                 {{"(with_attr(decode_error(), object='text'), 0)", "!TypeError: object attribute must be bytes"}});
}

TEST_F(TextFunctionsTest, UnicodeErrorSetters) {
  for (const char *Name : {"PyUnicodeDecodeError_SetStart", "PyUnicodeEncodeError_SetStart",
                           "PyUnicodeTranslateError_SetStart"})
    check<SetSize>(Name, {{"(encode_error(), 4)", "0", "args[0].start == 4"},
                          {"(decode_error(), -7)", "0", "args[0].start == -7"}});
  for (const char *Name : {"PyUnicodeDecodeError_SetEnd", "PyUnicodeEncodeError_SetEnd",
                           "PyUnicodeTranslateError_SetEnd"})
    check<SetSize>(Name, {{"(translate_error(), 1)", "0", "args[0].end == 1"},
                          {"(decode_error(), 1 << 40)", "0", "args[0].end == 1 << 40"}});
  for (const char *Name : {"PyUnicodeDecodeError_SetReason", "PyUnicodeEncodeError_SetReason",
                           "PyUnicodeTranslateError_SetReason"})
    check<SetText>(Name, {{"(decode_error(), 'new reason'.encode())", "0", "args[0].reason == 'new reason'"},
                          {"(encode_error(), '\\u20ac'.encode())", "0", "args[0].reason == '\\u20ac'"},
                          {"(encode_error(), b'\\xff')", "!UnicodeDecodeError", "args[0].reason != '\\xff'"}});
}

TEST_F(TextFunctionsTest, UnicodeDecodeErrorCreate) {
  check<PyObjectPtr(const char *, const char *, Size, Size, Size, const char *)>(
      "PyUnicodeDecodeError_Create",
      {{"(b'utf-8', b'ab\\xff', 3, 2, 3, b'bad')", "*",
        "type(got) is UnicodeDecodeError and "
        "(got.encoding, got.object, got.start, got.end, got.reason) == ('utf-8', b'ab\\xff', 2, 3, 'bad')"},
       {"(b'x', b'abc', 1, 0, 9, b'r')", "*", "got.args == ('x', b'a', 0, 9, 'r')"},
       {"(b'\\xff', b'', 0, 0, 0, b'r')", "!UnicodeDecodeError"}});
}

TEST_F(TextFunctionsTest, CodecRegistryAndErrorHandlers) {
  ASSERT_FALSE(bool(Python->run(R"(
def pysym_search(name):
    if name == 'pysym_test_codec':
        return codecs.lookup('utf-8')
    return None
def pysym_handler(exc):
    return ('?', exc.end)
def make_handler():
    def handler(exc):
        return ('?', exc.end)
    return handler
)")));
  check<int(PyObjectPtr)>("PyCodec_Register",
                          {{"(pysym_search,)", "0", "codecs.lookup('pysym_test_codec').name == 'utf-8'"},
                           {"(42,)", "!TypeError: argument must be callable"}});
  check<int(const char *)>("PyCodec_KnownEncoding", {{"(b'utf-8',)", "1"},
                                                      {"(b'Latin 1',)", "1"},
                                                      {"(b'pysym-no-such-codec',)", "0", "sys.exc_info()[0] is None"},
                                                      {"(None,)", "0"}});
  check<PyObjectPtr(const char *)>("PyCodec_LookupError",
                                   {{"(b'strict',)", "codecs.lookup_error('strict')"},
                                    {"(None,)", "codecs.lookup_error('strict')"},
                                    {"(b'backslashreplace',)", "codecs.lookup_error('backslashreplace')"},
                                    {"(b'pysym-nothing',)", "!LookupError"}});
  check<int(const char *, PyObjectPtr)>(
      "PyCodec_RegisterError",
      {{"(b'pysym-question', make_handler())", "0", "codecs.lookup_error('pysym-question') is args[1]"},
       {"(b'pysym-bad', 3)", "!TypeError: handler must be callable"}});
  check<ObjectOfObject>("PyCodec_StrictErrors", {{"(encode_error(),)", "!UnicodeEncodeError"},
                                                 {"(3,)", "!TypeError"}});
  check<ObjectOfObject>("PyCodec_IgnoreErrors", {{"(encode_error(),)", "('', 3)"},
                                                 {"(decode_error(),)", "('', 3)"},
                                                 {"(ValueError(),)", "!TypeError"}});
  check<ObjectOfObject>("PyCodec_ReplaceErrors", {{"(encode_error(),)", "('?', 3)"},
                                                  {"(decode_error(),)", "('\\ufffd', 3)"},
                                                  {"(translate_error(),)", "('\\ufffd', 3)"},
                                                  {"(1,)", "!TypeError"}});
  check<ObjectOfObject>("PyCodec_XMLCharRefReplaceErrors",
                        {{"(encode_error(),)", "('&#8364;', 3)"}, {"(decode_error(),)", "!TypeError"}});
  check<ObjectOfObject>("PyCodec_BackslashReplaceErrors", {{"(encode_error(),)", "('\\\\u20ac', 3)"},
                                                           {"(decode_error(),)", "('\\\\xff', 3)"},
                                                           {"(None,)", "!TypeError"}});
  check<ObjectOfObject>("PyCodec_NameReplaceErrors",
                        {{"(encode_error(),)", "('\\\\N{EURO SIGN}', 3)"}, {"(translate_error(),)", "!TypeError"}});
}

TEST_F(TextFunctionsTest, CodecStreams) {
  ASSERT_FALSE(bool(Python->run("import io")));
  using Stream = PyObjectPtr(const char *, PyObjectPtr, const char *);
  check<Stream>("PyCodec_StreamReader",
                {{"(b'utf-8', io.BytesIO(b'h\\xc3\\xa9'), None)", "*",
                  "type(got).__name__ == 'StreamReader' and got.read() == 'h\\xe9'"},
                 {"(b'utf-8', io.BytesIO(b'h\\xff'), b'replace')", "*", "got.read() == 'h\\ufffd'"},
                 {"(b'pysym-no-codec', io.BytesIO(), None)", "!LookupError: unknown encoding: pysym-no-codec"}});
  check<Stream>("PyCodec_StreamWriter",
                {{"(b'latin-1', io.BytesIO(), None)", "*",
                  "got.write('\\xe9') is None and got.stream.getvalue() == b'\\xe9'"},
                 {"(b'ascii', io.BytesIO(), b'xmlcharrefreplace')", "*",
                  "got.write('\\u20ac') is None and got.stream.getvalue() == b'&#8364;'"},
                 {"(b'pysym-no-codec', io.BytesIO(), b'strict')", "!LookupError"}});
}

TEST_F(TextFunctionsTest, StrOperations) {
  ASSERT_FALSE(bool(Python->run("class S(str):\n    pass\n")));
  using Pair = PyObjectPtr(PyObjectPtr, PyObjectPtr);
  check<Pair>("PyUnicode_Partition", {{"('a-b-c', '-')", "('a', '-', 'b-c')"},
                                      {"('abc', '-')", "('abc', '', '')"},
                                      {"('ab', 'abc')", "('ab', '', '')"},
                                      {"('abc', '')", "!ValueError: empty separator"},
                                      {"(S('x=y'), '=')", "('x', '=', 'y')"},
                                      {"(b'a-b', '-')", "!TypeError: must be str, not bytes"},
                                      {"('a-b', 3)", "!TypeError: must be str, not int"}});
  check<Pair>("PyUnicode_RPartition", {{"('a-b-c', '-')", "('a-b', '-', 'c')"},
                                       {"('abc', '-')", "('', '', 'abc')"},
                                       {"('abc', '')", "!ValueError: empty separator"},
                                       {"(1, '-')", "!TypeError: must be str, not int"}});
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, Size)>(
      "PyUnicode_RSplit", {{"('a b  c', NULL, -1)", "['a', 'b', 'c']"},
                           {"('a,b,c', ',', 1)", "['a,b', 'c']"},
                           {"('a,b,c', ',', 0)", "['a,b,c']"},
                           {"('abc', '', -1)", "!ValueError: empty separator"},
                           {"('abc', b',', -1)", "!TypeError: must be str, not bytes"},
                           {"(None, ',', -1)", "!TypeError: must be str, not NoneType"}});
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, int)>(
      "PyUnicode_RichCompare", {{"('a', 'b', 0)", "True"},  {"('a', 'b', 1)", "True"},
                                {"('a', 'a', 2)", "True"},  {"('a', 'a', 3)", "False"},
                                {"('b', 'a', 4)", "True"},  {"('a', 'b', 5)", "False"},
                                {"(S('a'), 'a', 2)", "True"}, {"('a', 1, 2)", "NotImplemented"},
                                {"(b'a', 'a', 0)", "NotImplemented"}});
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr, const char *)>(
      "PyUnicode_Translate",
      {{"('abc', {97: 'A', 98: None}, None)",
        "!UnicodeTranslateError: can't translate character '\\x62' in position 1: character maps to <undefined>"},
       {"('abc', {97: 'A', 98: None}, b'ignore')", "'Ac'"},
       {"('abcb', {98: None}, b'replace')", "'a\\ufffdc\\ufffd'"},
       {"('abc', {97: 0x20ac, 99: 'xyz'}, None)", "'\\u20acbxyz'"},
       {"('abc', {97: -1}, None)", "!ValueError: character mapping must be in range(0x110000)"},
       {"('abc', {97: 1.5}, None)", "!TypeError: character mapping must return integer, None or str"},
       {"('abc', [], None)", "'abc'"},
       {"(b'abc', {}, None)", "!TypeError: must be str, not bytes"}},
      Reference::New, /*CompareMessages=*/true);
  check<int(PyObjectPtr)>("PyUnicode_IsIdentifier", {{"('abc',)", "1"}, {"('_a1',)", "1"}, {"('1a',)", "0"},
                                                     {"('',)", "0"},    {"('\\u00e9t\\u00e9',)", "1"},
                                                     {"('a-b',)", "0"}});
}

TEST_F(TextFunctionsTest, Decoders) {
  using Stateful = PyObjectPtr(const char *, Size, const char *, Size *);
  using WithByteOrder = PyObjectPtr(const char *, Size, const char *, int *, Size *);
  using Plain = PyObjectPtr(const char *, Size, const char *);
  check<Stateful>("PyUnicode_DecodeUTF8Stateful",
                  {{"(b'h\\xc3\\xa9', 3, None, NULL)", "'h\\xe9'"},
                   {"(b'h\\xc3\\xa9', 2, None, 0)", "'h'", "outs == [1]"},
                   {"(b'h\\xc3\\xa9', 2, None, NULL)", "!UnicodeDecodeError"},
                   {"(b'h\\xff', 2, b'replace', 0)", "'h\\ufffd'", "outs == [2]"},
                   {"(b'', 0, None, NULL)", "''"},
                   {"(b'abc', 2, b'pysym-no-handler', NULL)", "'ab'"}});
  check<WithByteOrder>("PyUnicode_DecodeUTF16Stateful",
                       {{"(b'\\xff\\xfea\\x00b\\x00', 6, None, 0, NULL)", "'ab'", "outs == [-1, NULL]"},
                        {"(b'a\\x00b', 3, None, 0, 0)", "'a'", "outs == [0, 2]"},
                        {"(b'\\x00a', 2, None, 1, NULL)", "'a'", "outs == [1, NULL]"},
                        {"(b'a\\x00', 2, None, NULL, NULL)", "'a'"},
                        {"(b'a\\x00b', 3, None, NULL, NULL)", "!UnicodeDecodeError"}});
  check<WithByteOrder>("PyUnicode_DecodeUTF32Stateful",
                       {{"(b'\\x00\\x00\\xfe\\xffa', 5, None, 0, 0)", "''", "outs == [1, 4]"},
                        {"(b'a\\x00\\x00\\x00', 4, None, -1, NULL)", "'a'", "outs == [-1, NULL]"},
                        {"(b'\\xff\\xff\\xff\\xff', 4, b'replace', 0, NULL)", "'\\ufffd'"}});
  check<Plain>("PyUnicode_DecodeUTF7", {{"(b'a+AKM-b', 7, None)", "'a\\xa3b'"}, {"(b'+AKM', 4, None)", "'\\xa3'"},
                                        {"(b'\\xff', 1, None)", "!UnicodeDecodeError"}});
  check<Stateful>("PyUnicode_DecodeUTF7Stateful",
                  {{"(b'a+AKM', 5, None, 0)", "'a'", "outs == [1]"}, {"(b'a+AKM-', 6, None, 0)", "'a\\xa3'"}});
  check<Plain>("PyUnicode_DecodeUnicodeEscape",
               {{"(b'a\\\\n\\\\u20ac', 9, None)", "'a\\n\\u20ac'"},
                {"(b'\\\\x4', 3, None)", "!UnicodeDecodeError"},
                {"(b'\\\\x4', 3, b'replace')", "'\\ufffd'"}});
  check<Plain>("PyUnicode_DecodeRawUnicodeEscape",
               {{"(b'a\\\\n\\\\u20ac', 9, None)", "'a\\\\n\\u20ac'"}, {"(b'\\\\u12', 4, None)", "!UnicodeDecodeError"}});
  check<PyObjectPtr(const char *, Size, PyObjectPtr, const char *)>(
      "PyUnicode_DecodeCharmap", {{"(b'ab\\xe9', 3, NULL, None)", "'ab\\xe9'"},
                                  {"(b'ab', 2, 'xy', None)", "!UnicodeDecodeError"},
                                  {"(b'\\x00\\x01', 2, 'xy', None)", "'xy'"},
                                  {"(b'\\x00\\x05', 2, 'xy', b'replace')", "'x\\ufffd'"},
                                  {"(b'\\x00', 1, {0: 'Z'}, None)", "'Z'"}});
}

TEST_F(TextFunctionsTest, EncodersAndMaps) {
  check<ObjectOfObject>("PyUnicode_AsRawUnicodeEscapeString",
                        {{"('a\\n\\u20ac',)", "b'a\\n\\\\u20ac'"},
                         {"(b'x',)", "!TypeError: bad argument type for built-in operation"}});
  check<PyObjectPtr(PyObjectPtr, PyObjectPtr)>(
      "PyUnicode_AsCharmapString", {{"('ab', {97: 1, 98: 2})", "b'\\x01\\x02'"},
                                    {"('abc', {97: 1})", "!UnicodeEncodeError"},
                                    {"('ab', NULL)", "!TypeError: bad argument type for built-in operation"},
                                    {"(3, {})", "!TypeError: bad argument type for built-in operation"}});
  check<ObjectOfObject>("PyUnicode_BuildEncodingMap",
                        {{"('abc',)", "*", "codecs.charmap_encode('cab', 'strict', got) == (b'\\x02\\x00\\x01', 3)"},
                         {"(b'abc',)", "!TypeError: bad argument type for built-in operation"}});
  using Shortcut = PyObjectPtr(PyObjectPtr, const char *, const char *);
  ASSERT_FALSE(bool(Python->run("import warnings\nwarnings.simplefilter('ignore', DeprecationWarning)")));
  check<Shortcut>("PyUnicode_AsDecodedObject", {{"('68656c6c6f', b'hex', None)", "b'hello'"},
                                                {"('abc', b'rot13', None)", "'nop'"},
                                                {"('-'.join('abc'), NULL, None)", "!TypeError"},
                                                {"(b'abc', b'rot13', None)", "!TypeError: bad argument type for built-in operation"}});
  check<Shortcut>("PyUnicode_AsDecodedUnicode",
                  {{"('abc', b'rot13', None)", "'nop'"},
                   {"('68656c6c6f', b'hex', None)", "!TypeError: 'hex' decoder returned 'str' instead of 'str'; use "
                                                   "codecs.decode() to decode to arbitrary types"}});
  check<Shortcut>("PyUnicode_AsEncodedUnicode",
                  {{"('abc', b'rot13', None)", "'nop'"},
                   {"('abc', b'utf-8', None)", "!TypeError: 'utf-8' encoder returned 'bytes' instead of 'str'; use "
                                             "codecs.encode() to encode to arbitrary types"},
                   {"('\\u20ac', b'ascii', None)", "!UnicodeEncodeError"}});
  ASSERT_FALSE(bool(Python->run("warnings.simplefilter('error', DeprecationWarning)")));
  check<Shortcut>("PyUnicode_AsEncodedUnicode",
                  {{"('abc', b'rot13', None)", "!DeprecationWarning: PyUnicode_AsEncodedUnicode() is deprecated; use "
                                               "PyCodec_Encode() to encode from str to str"}});
  check<Shortcut>("PyUnicode_AsDecodedObject",
                  {{"('abc', b'rot13', None)", "!DeprecationWarning: PyUnicode_AsDecodedObject() is deprecated; use "
                                               "PyCodec_Decode() to decode from str"}});
  ASSERT_FALSE(bool(Python->run("warnings.resetwarnings()")));
}

TEST_F(TextFunctionsTest, BytesReprAndEscapes) {
  check<PyObjectPtr(PyObjectPtr, int)>("PyBytes_Repr", {{"(b'abc', 1)", "\"b'abc'\""},
                                                        {"(b\"it's\", 1)", "'b\"it\\'s\"'"},
                                                        {"(b\"it's\", 0)", "\"b'it\\\\'s'\""},
                                                        {"(b'\\x00\\xff\\n', 0)", "\"b'\\\\x00\\\\xff\\\\n'\""},
                                                        {"(b'both \\' \"', 1)", "\"b'both \\\\' \\\"'\""}});
  check<PyObjectPtr(const char *, Size, const char *, Size, const char *)>(
      "PyBytes_DecodeEscape", {{"(b'a\\\\x41\\\\n', 7, None, 0, None)", "b'aA\\n'"},
                               {"(b'\\\\x4', 3, None, 0, None)", "!ValueError"},
                               {"(b'\\\\x4', 3, b'replace', 0, None)", "b'?'"},
                               {"(b'\\\\x4', 3, b'ignore', 0, None)", "b''"}});
}

}  // namespace
}  // namespace pysym::substitutes
