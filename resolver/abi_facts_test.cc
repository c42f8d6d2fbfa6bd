// The object layouts the resolver reports, checked against each interpreter's
// own headers (sizeof/offsetof compiled against them, resolver/testdata) and
// against live objects of the embedded interpreter.
//
// Test order matters for PyPy: the header comparison runs before cpyext
// starts (the facts must not depend on it); the live checks start it.
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "llvm/Support/Path.h"
#include "pysym/resolver/elf_file_probe.h"
#include "pysym/resolver/profiles.h"
#include "pysym/resolver/resolver.h"
#include "pysym/resolver/testdata/header_abi.h"
#include "pysym/symtab/elf_file.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::HeaderAbi;
using testing::succeeded;

// Field by field, so that a failure names the fact that is wrong.
void expectSameFacts(const AbiFacts &Reported, const HeaderAbi &Expected, llvm::StringRef Who) {
  SCOPED_TRACE(("facts of " + Who + " against the headers in " + Expected.Headers).str());
  EXPECT_EQ(Reported.PointerSize, Expected.Abi.PointerSize) << "PointerSize: sizeof(void *)";
  EXPECT_EQ(Reported.SsizeTSize, Expected.Abi.SsizeTSize) << "SsizeTSize: sizeof(Py_ssize_t)";
  EXPECT_EQ(Reported.RefcntOffset, Expected.Abi.RefcntOffset) << "RefcntOffset: offsetof(PyObject, ob_refcnt)";
  EXPECT_EQ(Reported.TypeOffset, Expected.Abi.TypeOffset) << "TypeOffset: offsetof(PyObject, ob_type)";
  EXPECT_EQ(Reported.ObjectSize, Expected.Abi.ObjectSize) << "ObjectSize: sizeof(PyObject)";
}

// Whether the embedded interpreter itself says it is a Py_DEBUG build:
// sys.gettotalrefcount exists exactly when Py_REF_DEBUG (implied by
// Py_DEBUG) is set. Asked through the interpreter, not through the resolver
// whose answer is under test.
llvm::Expected<bool> interpreterSaysDebug(EmbeddedPython &Py) {
  auto Answer = Py.evaluate("hasattr(__import__('sys'), 'gettotalrefcount')");
  if (!Answer)
    return Answer.takeError();
  auto Gil = Py.holdGil();
  if (!Gil)
    return Gil.takeError();
  int IsTrue = Py.api<int(void *)>("PyObject_IsTrue")(*Answer);
  Py.api<void(void *)>("Py_DecRef")(*Answer);
  return IsTrue == 1;
}

// The header set the embedded interpreter was built from, chosen by what the
// interpreter is, never by what the resolver says. PyPy's question about
// debug builds would start cpyext, and PyPy has no Py_DEBUG build here.
llvm::Expected<HeaderAbi> headersOfEmbedded(EmbeddedPython &Py) {
  if (Py.flavor() == Flavor::PyPy)
    return testing::pypyHeaderAbi();
  auto Debug = interpreterSaysDebug(Py);
  if (!Debug)
    return Debug.takeError();
  if (!*Debug)
    return testing::cpythonHeaderAbi();
  if (auto Headers = testing::cpythonDebugHeaderAbi())
    return *Headers;
  return llvm::createStringError(std::errc::no_such_file_or_directory,
                                 "%s is a debug build, but Debian's debug headers "
                                 "(/usr/include/python3.11d, libpython3.11-dbg) were absent at build time",
                                 Py.library().str().c_str());
}

TEST(AbiFacts, ReportedFactsMatchTheEmbeddedInterpretersOwnHeaders) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  auto Headers = headersOfEmbedded(*Py);
  ASSERT_TRUE(succeeded(Headers));
  InterpreterInfo Info = (*R)->interpreter();
  expectSameFacts(Info.Abi, *Headers, Info.ImagePath);
  EXPECT_EQ(Info.Debug, Headers->PyDebug) << Info.ImagePath;
}

// The facts against the interpreter's live objects: an `object()` instance
// has its type where TypeOffset says, a reference count where RefcntOffset
// says, and `object`'s tp_basicsize (read at the headers' offset) is
// ObjectSize.
TEST(AbiFacts, ReportedFactsMatchLiveObjects) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  if (Py->flavor() == Flavor::PyPy) {
    ASSERT_TRUE(succeeded(Py->run("import cpyext")));
  }
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  auto Headers = headersOfEmbedded(*Py);
  ASSERT_TRUE(succeeded(Headers));
  const AbiFacts Facts = (*R)->interpreter().Abi;
  auto Object = Py->evaluate("object()");
  ASSERT_TRUE(succeeded(Object));

  auto Gil = Py->holdGil();
  ASSERT_TRUE(succeeded(Gil));
  auto *IncRef = Py->api<void(void *)>("Py_IncRef");
  auto *DecRef = Py->api<void(void *)>("Py_DecRef");
  auto *TypeOf = Py->api<void *(void *)>("PyObject_Type");
  ASSERT_TRUE(IncRef && DecRef && TypeOf);
  auto *Bytes = static_cast<char *>(*Object);
  auto RefcntAt = [&] { return *reinterpret_cast<volatile std::intptr_t *>(Bytes + Facts.RefcntOffset); };

  void *Type = TypeOf(*Object);  // a new reference
  ASSERT_NE(Type, nullptr);
  EXPECT_EQ(*reinterpret_cast<void **>(Bytes + Facts.TypeOffset), Type) << "TypeOffset " << Facts.TypeOffset;
  std::intptr_t Before = RefcntAt();
  IncRef(*Object);
  EXPECT_EQ(RefcntAt(), Before + 1) << "RefcntOffset " << Facts.RefcntOffset;
  DecRef(*Object);
  EXPECT_EQ(RefcntAt(), Before) << "RefcntOffset " << Facts.RefcntOffset;
  auto Basicsize = *reinterpret_cast<std::intptr_t *>(static_cast<char *>(Type) + Headers->BasicsizeOffset);
  EXPECT_EQ(static_cast<std::size_t>(Basicsize), Facts.ObjectSize) << "ObjectSize against object.tp_basicsize";
  DecRef(Type);
  DecRef(*Object);
}

// The profiles' facts for interpreter files on disk, offline, against the
// header set each was built from: the same rules that decide a debug build
// or a Py_TRACE_REFS layout in-process decide them here.
struct FileCase {
  const char *Path;
  const InterpreterProfile &(*Profile)();
  std::optional<HeaderAbi> (*Headers)();
  const char *HeadersPackage;  // names what to install when Headers is empty
};

class InterpreterFileAbi : public ::testing::TestWithParam<FileCase> {};

TEST_P(InterpreterFileAbi, ProfileFactsMatchTheHeadersItWasBuiltWith) {
  const FileCase &C = GetParam();
  std::optional<HeaderAbi> Headers = C.Headers();
  if (!Headers)
    GTEST_SKIP() << "the headers for " << C.Path << " (Debian's " << C.HeadersPackage
                 << ") were absent when this test was built";
  auto File = symtab::ElfFile::read(C.Path);
  if (!File) {
    consumeError(File.takeError());  // reported as a skip, by name
    GTEST_SKIP() << C.Path << " is not on this machine";
  }
  ElfFileProbe Probe(**File);
  ASSERT_TRUE(C.Profile().recognizes(Probe)) << C.Path;
  expectSameFacts(C.Profile().abiFacts(Probe), *Headers, C.Path);
  EXPECT_EQ(C.Profile().isDebugBuild(Probe), Headers->PyDebug) << C.Path;
  EXPECT_FALSE(Headers->TraceRefs) << "Debian's builds have no Py_TRACE_REFS; " << Headers->Headers
                                   << " says otherwise, so a Py_TRACE_REFS case belongs here";
}

std::optional<HeaderAbi> releaseHeaders() { return testing::cpythonHeaderAbi(); }
std::optional<HeaderAbi> pypyHeaders() { return testing::pypyHeaderAbi(); }

INSTANTIATE_TEST_SUITE_P(
    DebianInterpreters, InterpreterFileAbi,
    ::testing::Values(FileCase{"/usr/bin/python3.11", cpythonProfile, releaseHeaders, "python3.11-dev"},
                      FileCase{"/usr/bin/python3.11d", cpythonProfile, testing::cpythonDebugHeaderAbi,
                               "libpython3.11-dbg"},
                      FileCase{"/usr/lib/x86_64-linux-gnu/libpython3.11d.so.1.0", cpythonProfile,
                               testing::cpythonDebugHeaderAbi, "libpython3.11-dbg"},
                      FileCase{"/usr/lib/x86_64-linux-gnu/libpypy3.9-c.so", pypyProfile, pypyHeaders,
                               "pypy3-dev"}),
    [](const auto &Info) {
      std::string Name = llvm::sys::path::filename(Info.param.Path).str();
      for (char &Ch : Name)
        if (!std::isalnum(static_cast<unsigned char>(Ch)))
          Ch = '_';
      return Name;
    });

}  // namespace
}  // namespace pysym
