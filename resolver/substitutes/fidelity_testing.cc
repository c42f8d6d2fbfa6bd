// The non-template part of fidelity_testing.h: the fixture's set-up, the prelude and the comparisons.
#include "pysym/resolver/substitutes/fidelity_testing.h"

#include <algorithm>

namespace pysym::substitutes::testing {
namespace {

// Names every case's expressions may use.
constexpr const char *Prelude = R"(
import codecs, gc, sys, types

class _NullMarker:
    def __repr__(self):
        return 'NULL'

NULL = _NullMarker()

def W(text):
    return text.encode('utf-32-le' if sys.byteorder == 'little' else 'utf-32-be') + bytes(4)

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a is b or a == b

def error_is(value, raised, name, message):
    return (raised and type(value).__name__ == name
            and (message is None or str(value) == message))

def same_outcome(ours, our_raised, theirs, their_raised, messages, type_only=False):
    if our_raised or their_raised:
        return (our_raised and their_raised and type(ours) is type(theirs)
                and (not messages or str(ours) == str(theirs)))
    return type(ours) is type(theirs) if type_only else same(ours, theirs)

def describe(value, raised):
    return ('raised %s: %s' % (type(value).__name__, value)) if raised else repr(value)
)";

std::string describe(EmbeddedPython &Python, const char *Value, const char *Raised) {
  Owned Text = evaluate(Python, std::string("describe(") + Value + ", " + Raised + ")");
  return Text ? strOf(Python, Text.get()) : "<cannot describe>";
}

std::string quoted(llvm::StringRef Text) {
  std::string Out = "'";
  for (char C : Text) {
    if (C == '\'' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "'";
}

}  // namespace

void FidelityTest::SetUp() {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
  Python = Started;
  auto Set = bindToEmbedded(*Python);
  ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
  Substitutes = std::move(*Set);
  ASSERT_FALSE(bool(Python->run(Prelude)));
  auto A = std::make_shared<Api>();
  A->CPython = onCPython();
  A->ErrOccurred = Python->api<PyObjectPtr()>("PyErr_Occurred");
  A->ErrFetch = Python->api<void(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *)>("PyErr_Fetch");
  A->ErrNormalize = Python->api<void(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *)>("PyErr_NormalizeException");
  A->ErrClear = Python->api<void()>("PyErr_Clear");
  A->IncRef = Python->api<void(PyObjectPtr)>("Py_IncRef");
  A->DecRef = Python->api<void(PyObjectPtr)>("Py_DecRef");
  A->TupleGetItem = Python->api<PyObjectPtr(PyObjectPtr, Size)>("PyTuple_GetItem");
  A->TupleSize = Python->api<Size(PyObjectPtr)>("PyTuple_Size");
  A->LongAsSsize = Python->api<Size(PyObjectPtr)>("PyLong_AsSsize_t");
  A->LongFromSsize = Python->api<PyObjectPtr(Size)>("PyLong_FromSsize_t");
  A->LongFromUnsigned = Python->api<PyObjectPtr(unsigned long)>("PyLong_FromUnsignedLong");
  A->FloatFromDouble = Python->api<PyObjectPtr(double)>("PyFloat_FromDouble");
  A->BytesAsString = Python->api<char *(PyObjectPtr)>("PyBytes_AsString");
  A->BytesFromString = Python->api<PyObjectPtr(const char *)>("PyBytes_FromString");
  A->UnicodeFromWideChar = Python->api<PyObjectPtr(const wchar_t *, Size)>("PyUnicode_FromWideChar");
  A->ListNew = Python->api<PyObjectPtr(Size)>("PyList_New");
  A->ListAppend = Python->api<int(PyObjectPtr, PyObjectPtr)>("PyList_Append");
  A->SetAttrString = Python->api<int(PyObjectPtr, const char *, PyObjectPtr)>("PyObject_SetAttrString");
  A->BoolFromLong = Python->api<PyObjectPtr(long)>("PyBool_FromLong");
  A->None = Python->apiSymbol("_Py_NoneStruct");
  for (const char *Name : {"_Py_NoneStruct", "_Py_TrueStruct", "_Py_FalseStruct", "_Py_NotImplementedStruct"})
    A->Singletons.push_back(Python->apiSymbol(Name));
  Owned Null = evaluate(*Python, "NULL");
  ASSERT_TRUE(bool(Null));
  A->Null = Null.get();  // the prelude keeps it alive
  {
    auto Gil = Python->holdGil();
    ASSERT_TRUE(bool(Gil));
    A->Main = Python->api<PyObjectPtr(const char *)>("PyImport_AddModule")("__main__");
  }
  TheApi = A;
}

void FidelityTest::compare(const char *Name, const Case &C, const Outcome &Ours, const Outcome *Theirs,
                           bool CompareMessages) {
  llvm::StringRef Expect = C.Expect;
  std::string Test;
  if (!Expect.empty() && Expect.front() == '!') {
    auto [ErrorName, Message] = Expect.drop_front().split(':');
    Test = "error_is(got, raised, " + quoted(ErrorName.trim()) + ", " +
           (Message.empty() ? std::string("None") : quoted(Message.trim())) + ")";
  } else if (Expect == "*") {
    Test = "not raised";
  } else {
    Test = "not raised and same(got, (" + Expect.str() + "))";
  }
  EXPECT_EQ(truth(*Python, Test), 1) << Name << " gave " << describe(*Python, "got", "raised") << ", expected "
                                     << C.Expect;
  if (!Theirs)
    return;
  EXPECT_EQ(truth(*Python, std::string("same_outcome(got, raised, theirs_got, theirs_raised, ") +
                               (CompareMessages ? "True" : "False") + (Expect == "*" ? ", True" : "") + ")"),
            1)
      << Name << ": pysym's " << describe(*Python, "got", "raised") << ", CPython's "
      << describe(*Python, "theirs_got", "theirs_raised");
  EXPECT_EQ(truth(*Python, "same(outs, theirs_outs)"), 1)
      << Name << ": outputs " << describe(*Python, "outs", "False") << ", CPython's "
      << describe(*Python, "theirs_outs", "False");
  // After an exception, what its chain (tracebacks, causes) keeps alive is
  // the interpreter's business, not the function's reference semantics.
  if (!Ours.Raised && !Theirs->Raised) {
    EXPECT_EQ(Ours.ArgDeltas, Theirs->ArgDeltas) << Name << ": argument reference counts changed differently";
  }
  // theirs_got holds one more reference to a shared result during our call.
  bool Singleton = std::find(api().Singletons.begin(), api().Singletons.end(), Ours.Result) != api().Singletons.end();
  if (Ours.ObjectResult && !Ours.Raised && Ours.Result == Theirs->Result && !Singleton)
    EXPECT_EQ(Ours.ResultRefCount, Theirs->ResultRefCount + 1)
        << Name << ": the same object comes back with another reference count (new against borrowed?)";
}

}  // namespace pysym::substitutes::testing
