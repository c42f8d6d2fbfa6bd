// The bound catalogue: what it offers on each interpreter, data fidelity against CPython's own objects, refusals, stability, threads.
#include "pysym/resolver/substitutes/substitute_set.h"

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/substitute_testing.h"
#include "pysym/support/text.h"

namespace pysym::substitutes {
namespace {

using testing::EmbeddedPython;
using testing::Flavor;
using testing::Owned;
using testing::PyObjectPtr;

// How a test names each data substitute's object in Python, spelled
// independently of the catalogue's recipes where Python allows.
const std::map<std::string, std::string> &expectedObjects() {
  static const std::map<std::string, std::string> Expected = {
      {"PyAsyncGen_Type", "types.AsyncGeneratorType"},
      {"PyByteArrayIter_Type", "type(iter(bytearray(b'x')))"},
      {"PyBytesIter_Type", "type(iter(b'xy'))"},
      {"PyCallIter_Type", "type(iter(lambda: 1, 1))"},
      {"PyCode_Type", "types.CodeType"},
      {"PyContextToken_Type", "__import__('contextvars').Token"},
      {"PyContextVar_Type", "__import__('contextvars').ContextVar"},
      {"PyContext_Type", "type(__import__('contextvars').copy_context())"},
      {"PyCoro_Type", "types.CoroutineType"},
      {"PyDictItems_Type", "type({1: 2}.items())"},
      {"PyDictIterItem_Type", "type(iter({1: 2}.items()))"},
      {"PyDictIterKey_Type", "type(iter({1: 2}.keys()))"},
      {"PyDictIterValue_Type", "type(iter({1: 2}.values()))"},
      {"PyDictRevIterItem_Type", "type(reversed({1: 2}.items()))"},
      {"PyDictRevIterKey_Type", "type(reversed({1: 2}.keys()))"},
      {"PyDictRevIterValue_Type", "type(reversed({1: 2}.values()))"},
      {"PyEllipsis_Type", "type(...)"},
      {"PyEnum_Type", "enumerate"},
      {"PyFilter_Type", "filter"},
      {"PyFrame_Type", "types.FrameType"},
      {"PyGen_Type", "types.GeneratorType"},
      {"PyListIter_Type", "type(iter([1]))"},
      {"PyListRevIter_Type", "type(reversed([1]))"},
      {"PyLongRangeIter_Type", "type(iter(range(-1, 10 ** 30)))"},
      {"PyMap_Type", "map"},
      {"PyODict_Type", "collections.OrderedDict"},
      {"PyODictItems_Type", "type(collections.OrderedDict(a=1).items())"},
      {"PyODictIter_Type", "type(iter(collections.OrderedDict(a=1)))"},
      {"PyODictKeys_Type", "type(collections.OrderedDict(a=1).keys())"},
      {"PyODictValues_Type", "type(collections.OrderedDict(a=1).values())"},
      {"PyPickleBuffer_Type", "type(__import__('pickle').PickleBuffer(b''))"},
      {"PyRangeIter_Type", "type(iter(range(3)))"},
      {"PySeqIter_Type", "type(iter(type('GetItemOnly', (), {'__getitem__': lambda s, i: 1 / 0})()))"},
      {"PySetIter_Type", "type(iter({1}))"},
      {"PySuper_Type", "super"},
      {"PyTupleIter_Type", "type(iter((1,)))"},
      {"PyUnicodeIter_Type", "type(iter('\\u20ac'))"},
      {"PyZip_Type", "zip"},
      {"_PyAsyncGenASend_Type", "async_types[0]"},
      {"_PyAsyncGenAThrow_Type", "async_types[1]"},
      {"_PyCoroWrapper_Type", "async_types[2]"},
      {"_PyMethodWrapper_Type", "type((1).__add__)"},
      {"_PyNamespace_Type", "types.SimpleNamespace"},
      {"PyExc_EnvironmentError", "EnvironmentError"},
      {"PyExc_IOError", "IOError"},
      {"PyExc_BaseExceptionGroup", "BaseExceptionGroup"},
      {"PyExc_EncodingWarning", "EncodingWarning"},
      {"_PyWeakref_RefType", "__import__('weakref').ReferenceType"},
      {"_PyWeakref_ProxyType", "type(__import__('weakref').proxy(set()))"},
      {"_PyWeakref_CallableProxyType", "type(__import__('weakref').proxy(types.SimpleNamespace))"},
      {"Py_GenericAliasType", "types.GenericAlias"},
  };
  return Expected;
}

constexpr const char *Prelude = R"(
import collections, types

async def _agen():
    yield

async def _coro():
    pass

def _async_types():
    a = _agen()
    c = _coro()
    found = (type(a.asend(None)), type(a.athrow(ValueError)), type(c.__await__()))
    c.close()
    return found

async_types = _async_types()
)";

class SubstituteSetTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
    Python = Started;
    auto Set = testing::bindToEmbedded(*Python);
    ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
    Substitutes = std::move(*Set);
  }

  std::vector<const Definition *> dataDefinitions() {
    std::vector<const Definition *> Out;
    for (const Definition &Def : catalogue())
      if (Def.Kind == SymbolKind::Data)
        Out.push_back(&Def);
    return Out;
  }

  // A set bound like the real one but with `Change` applied to the lookup.
  std::unique_ptr<SubstituteSet> bindWith(std::function<std::uint64_t(std::string_view, std::uint64_t)> Change,
                                          Options Opts) {
    return SubstituteSet::bind(
        [&](std::string_view Name) { return Change(Name, testing::lookupInEmbedded(*Python, Name)); },
        std::move(Opts));
  }

  Options sameOptions() {
    Options Opts;
    Opts.Interpreter = pysym::testing::toString(Python->flavor()).str();
    return Opts;
  }

  EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;
};

// First in the file so that, run in order, the threads race on objects not
// created yet; run in any order, they must still agree.
TEST_F(SubstituteSetTest, ThreadsRequestingDataAtOnceAllGetTheSameAddresses) {
  std::vector<const Definition *> Data = dataDefinitions();
  constexpr int Threads = 8;
  std::vector<std::vector<std::uint64_t>> Seen(Threads);
  std::atomic<bool> Go{false};
  std::vector<std::thread> Workers;
  for (int T = 0; T < Threads; ++T)
    Workers.emplace_back([&, T] {
      while (!Go.load())
        std::this_thread::yield();
      for (const Definition *Def : Data)
        Seen[T].push_back(Substitutes->find(Def->Name).Address);
    });
  Go.store(true);
  for (std::thread &Worker : Workers)
    Worker.join();
  for (int T = 1; T < Threads; ++T)
    EXPECT_EQ(Seen[T], Seen[0]) << "thread " << T;
  EXPECT_GT(std::count_if(Seen[0].begin(), Seen[0].end(), [](std::uint64_t A) { return A != 0; }), 40);
}

TEST_F(SubstituteSetTest, EveryDataSubstituteIsTheInterpretersOwnObject) {
  ASSERT_FALSE(errorToBool(Python->run(Prelude)));
  int Matched = 0;
  for (const Definition *Def : dataDefinitions()) {
    std::string Name = std::string(Def->Name);
    ASSERT_EQ(expectedObjects().count(Name), 1u) << Name << " has no expected object in this test";
    Offer Found = Substitutes->find(Name);
    if (!Found.found()) {
      EXPECT_TRUE(testing::dataCannotBeCreatedHere(Python->flavor(), Name, Found.Explanation)) << Name << ": " << Found.Explanation;
      continue;
    }
    EXPECT_EQ(Found.Kind, SymbolKind::Data);
    bool IsCell = startsWith(Name, "PyExc_");
    PyObjectPtr Object = IsCell ? *reinterpret_cast<PyObjectPtr *>(Found.Address)
                                : reinterpret_cast<PyObjectPtr>(Found.Address);
    Owned Expected = testing::evaluate(*Python, expectedObjects().at(Name));
    EXPECT_EQ(Object, Expected.get()) << Name << " is not " << expectedObjects().at(Name);
    if (Python->flavor() == Flavor::CPython) {
      // CPython exports every one of them: the substitute must be that very object.
      void *Exported = Python->symbol(Name);
      ASSERT_NE(Exported, nullptr) << Name;
      EXPECT_EQ(Object, IsCell ? *static_cast<PyObjectPtr *>(Exported) : Exported) << Name;
    }
    ++Matched;
  }
  RecordProperty("data_substitutes_matched", Matched);
  EXPECT_GE(Matched, 44);
}

TEST_F(SubstituteSetTest, DataAddressesAreStableAcrossRequestsAndSets) {
  auto Other = testing::bindToEmbedded(*Python);
  ASSERT_TRUE(bool(Other));
  for (const char *Name : {"PyEnum_Type", "PyExc_IOError", "PyListIter_Type"}) {
    Offer First = Substitutes->find(Name);
    ASSERT_TRUE(First.found()) << First.Explanation;
    EXPECT_EQ(Substitutes->find(Name).Address, First.Address) << Name;
    EXPECT_EQ((*Other)->find(Name).Address, First.Address) << Name;
  }
  // A cell is pysym's storage, not the class: code loads the class from it.
  Offer Cell = Substitutes->find("PyExc_IOError");
  EXPECT_EQ(*reinterpret_cast<PyObjectPtr *>(Cell.Address),
            *static_cast<PyObjectPtr *>(Python->apiSymbol("PyExc_OSError")));
}

TEST_F(SubstituteSetTest, FunctionsAreOfferedWithTheirSourceWhereTheyApply) {
  std::set<std::string> Offered;
  for (const Definition *Def : Substitutes->offered())
    Offered.insert(std::string(Def->Name));
  for (const Definition &Def : catalogue()) {
    if (Def.Kind != SymbolKind::Function)
      continue;
    bool Applies = Def.OnlyFor.empty() || Def.OnlyFor == std::string_view(pysym::testing::toString(Python->flavor()));
    Offer Found = Substitutes->find(Def.Name);
    EXPECT_EQ(Found.found(), Applies) << std::string(Def.Name) << ": " << Found.Explanation;
    EXPECT_EQ(Offered.count(std::string(Def.Name)), Applies ? 1u : 0u) << std::string(Def.Name);
    EXPECT_EQ(Found.Def, &Def);
    if (Applies) {
      EXPECT_EQ(Found.Explanation, std::string(Def.Source));
    }
  }
}

TEST_F(SubstituteSetTest, UnknownNamesHaveNoDefinition) {
  for (const char *Name : {"PyLong_FromLong", "PyNoSuchThing", "", "memcpy"}) {
    Offer Found = Substitutes->find(Name);
    EXPECT_FALSE(Found.found());
    EXPECT_EQ(Found.Def, nullptr);
    EXPECT_NE(Found.Explanation.find("no substitute"), std::string::npos) << Found.Explanation;
  }
}

TEST_F(SubstituteSetTest, ADefinitionWhoseNeedsAreAbsentIsRefusedByName) {
  auto Set = bindWith([](std::string_view Name, std::uint64_t Real) { return Name == "PyDict_New" ? 0 : Real; },
                      sameOptions());
  Offer Refused = Set->find("_PyDict_NewPresized");
  EXPECT_FALSE(Refused.found());
  EXPECT_NE(Refused.Explanation.find("PyDict_New, which the interpreter does not export"), std::string::npos)
      << Refused.Explanation;
  EXPECT_TRUE(Set->find("_Py_c_pow").found());
  EXPECT_TRUE(Set->find("_PySet_Update").found());
}

TEST_F(SubstituteSetTest, AConflictingBindIsRefusedAndLeavesTheBoundApiAlone) {
  auto Set = bindWith([](std::string_view Name, std::uint64_t Real) { return Name == "PySet_Add" ? Real + 16 : Real; },
                      sameOptions());
  Offer Refused = Set->find("_PySet_Update");
  EXPECT_FALSE(Refused.found());
  EXPECT_NE(Refused.Explanation.find("already bound"), std::string::npos) << Refused.Explanation;
  // The first binding still works.
  auto *Update = testing::substituteFunction<int(PyObjectPtr, PyObjectPtr)>(*Substitutes, "_PySet_Update");
  Owned Target = testing::evaluate(*Python, "set()");
  Owned Items = testing::evaluate(*Python, "[1, 2]");
  auto Gil = Python->holdGil();
  ASSERT_TRUE(bool(Gil));
  EXPECT_EQ(Update(Target.get(), Items.get()), 0);
  EXPECT_EQ(Python->api<std::ptrdiff_t(PyObjectPtr)>("PySet_Size")(Target.get()), 2);
}

TEST_F(SubstituteSetTest, DataIsRefusedWhileTheApiDataIsNotReadyAndOfferedOnceItIs) {
  auto Ready = std::make_shared<std::atomic<bool>>(false);
  Options Opts = sameOptions();
  Opts.ApiDataReady = [Ready] { return Ready->load(); };
  auto Set = bindWith([](std::string_view, std::uint64_t Real) { return Real; }, Opts);
  Offer Refused = Set->find("PyZip_Type");
  EXPECT_FALSE(Refused.found());
  EXPECT_NE(Refused.Explanation.find("cpyext"), std::string::npos) << Refused.Explanation;
  EXPECT_TRUE(Set->find("_Py_c_sum").found()) << "functions do not wait for data";
  Ready->store(true);
  EXPECT_TRUE(Set->find("PyZip_Type").found()) << "the refusal was not remembered";
}

TEST_F(SubstituteSetTest, InterpreterSpecificDefinitionsNeedTheInterpretersName) {
  Options Unnamed;
  auto Set = bindWith([](std::string_view, std::uint64_t Real) { return Real; }, Unnamed);
  Offer Refused = Set->find("PyObject_GC_Track");
  EXPECT_FALSE(Refused.found());
  EXPECT_NE(Refused.Explanation.find("an unnamed interpreter"), std::string::npos) << Refused.Explanation;
  EXPECT_TRUE(Set->find("Py_IS_NAN").found());
}

}  // namespace
}  // namespace pysym::substitutes
