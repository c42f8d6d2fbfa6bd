// The templates of fidelity_testing.h: argument and result conversions, and one run of a case.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_IMPL_H
#define PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_IMPL_H

#include <cwchar>
#include <type_traits>

namespace pysym::substitutes::testing {

/// The embedded interpreter's entry points the conversions use.
struct FidelityTest::Api {
  PyObjectPtr Null = nullptr;  // the prelude's NULL marker
  PyObjectPtr None = nullptr;
  std::vector<PyObjectPtr> Singletons;  // None, True, False, NotImplemented: counts move constantly
  PyObjectPtr Main = nullptr;  // __main__, borrowed
  PyObjectPtr (*ErrOccurred)() = nullptr;
  void (*ErrFetch)(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *) = nullptr;
  void (*ErrNormalize)(PyObjectPtr *, PyObjectPtr *, PyObjectPtr *) = nullptr;
  void (*ErrClear)() = nullptr;
  void (*IncRef)(PyObjectPtr) = nullptr;
  void (*DecRef)(PyObjectPtr) = nullptr;
  PyObjectPtr (*TupleGetItem)(PyObjectPtr, Size) = nullptr;
  Size (*TupleSize)(PyObjectPtr) = nullptr;
  Size (*LongAsSsize)(PyObjectPtr) = nullptr;
  PyObjectPtr (*LongFromSsize)(Size) = nullptr;
  PyObjectPtr (*LongFromUnsigned)(unsigned long) = nullptr;
  PyObjectPtr (*FloatFromDouble)(double) = nullptr;
  char *(*BytesAsString)(PyObjectPtr) = nullptr;
  PyObjectPtr (*BytesFromString)(const char *) = nullptr;
  PyObjectPtr (*UnicodeFromWideChar)(const wchar_t *, Size) = nullptr;
  PyObjectPtr (*ListNew)(Size) = nullptr;
  int (*ListAppend)(PyObjectPtr, PyObjectPtr) = nullptr;
  int (*SetAttrString)(PyObjectPtr, const char *, PyObjectPtr) = nullptr;
  PyObjectPtr (*BoolFromLong)(long) = nullptr;
  bool CPython = false;

  std::intptr_t refCount(PyObjectPtr O) const {
    return CPython && O ? *static_cast<std::intptr_t *>(O) : 0;  // ob_refcnt, CPython's first field
  }
};

namespace fidelity {

using Api = FidelityTest::Api;

// One argument: from a Python object to the C value, and back for outputs.
template <typename T, typename = void> struct Argument;

template <> struct Argument<PyObjectPtr> {
  static constexpr bool Output = false;
  PyObjectPtr Value = nullptr;
  bool Shared = false;  // None: every bit of Python code moves its count
  bool from(const Api &A, PyObjectPtr O) {
    Value = O == A.Null ? nullptr : O;
    Shared = O == A.None;
    return true;
  }
  PyObjectPtr get() { return Value; }
  PyObjectPtr out(const Api &) { return nullptr; }
  PyObjectPtr object() const { return Shared ? nullptr : Value; }
};

template <> struct Argument<const char *> {
  static constexpr bool Output = false;
  const char *Value = nullptr;
  bool from(const Api &A, PyObjectPtr O) {
    Value = O == A.None || O == A.Null ? nullptr : A.BytesAsString(O);
    return O == A.None || O == A.Null || Value;
  }
  const char *get() { return Value; }
  PyObjectPtr out(const Api &) { return nullptr; }
  PyObjectPtr object() const { return nullptr; }
};

template <> struct Argument<const wchar_t *> {
  static constexpr bool Output = false;
  const wchar_t *Value = nullptr;
  bool from(const Api &A, PyObjectPtr O) {
    Value = O == A.None || O == A.Null ? nullptr : reinterpret_cast<const wchar_t *>(A.BytesAsString(O));
    return O == A.None || O == A.Null || Value;
  }
  const wchar_t *get() { return Value; }
  PyObjectPtr out(const Api &) { return nullptr; }
  PyObjectPtr object() const { return nullptr; }
};

template <typename T> struct Argument<T, std::enable_if_t<std::is_integral_v<T>>> {
  static constexpr bool Output = false;
  T Value = 0;
  bool from(const Api &A, PyObjectPtr O) {
    Value = static_cast<T>(A.LongAsSsize(O));
    return !A.ErrOccurred();
  }
  T get() { return Value; }
  PyObjectPtr out(const Api &) { return nullptr; }
  PyObjectPtr object() const { return nullptr; }
};

template <typename T> struct Argument<T *, std::enable_if_t<std::is_integral_v<T>>> {
  static constexpr bool Output = true;
  T Value = 0;
  bool Null = false;
  bool from(const Api &A, PyObjectPtr O) {
    Null = O == A.Null;
    Value = Null ? 0 : static_cast<T>(A.LongAsSsize(O));
    return !A.ErrOccurred();
  }
  T *get() { return Null ? nullptr : &Value; }
  PyObjectPtr out(const Api &A) {
    if (Null) {
      A.IncRef(A.Null);
      return A.Null;
    }
    return A.LongFromSsize(static_cast<Size>(Value));
  }
  PyObjectPtr object() const { return nullptr; }
};

template <> struct Argument<PyObjectPtr *> {
  static constexpr bool Output = true;
  PyObjectPtr Value = nullptr;
  bool from(const Api &, PyObjectPtr) { return true; }
  PyObjectPtr *get() { return &Value; }
  PyObjectPtr out(const Api &A) {  // steals the reference the function gave
    if (Value)
      return Value;
    A.IncRef(A.Null);
    return A.Null;
  }
  PyObjectPtr object() const { return nullptr; }
};

// Appends an output argument's final value to `Outs`.
template <typename Arg> void appendOutput(const Api &A, PyObjectPtr Outs, Arg &Each) {
  if constexpr (Arg::Output) {
    PyObjectPtr Out = Each.out(A);
    A.ListAppend(Outs, Out);
    A.DecRef(Out);
  }
}

// The result as a new reference (NULL: nothing, the error is pending).
template <typename R> PyObjectPtr resultObject(const Api &A, R Value, bool Borrowed) {
  if constexpr (std::is_same_v<R, PyObjectPtr>) {
    if (!Value) {
      if (A.ErrOccurred())
        return nullptr;
      A.IncRef(A.Null);
      return A.Null;
    }
    if (Borrowed)
      A.IncRef(Value);
    return Value;
  } else if constexpr (std::is_same_v<R, const char *>) {
    if (!Value) {
      if (A.ErrOccurred())
        return nullptr;
      A.IncRef(A.Null);
      return A.Null;
    }
    return A.BytesFromString(Value);
  } else if constexpr (std::is_same_v<R, wchar_t *>) {
    if (!Value) {
      A.IncRef(A.Null);
      return A.Null;
    }
    return A.UnicodeFromWideChar(Value, static_cast<Size>(std::wcslen(Value)));
  } else if constexpr (std::is_floating_point_v<R>) {
    return A.FloatFromDouble(Value);
  } else if constexpr (std::is_unsigned_v<R>) {
    return A.LongFromUnsigned(static_cast<unsigned long>(Value));
  } else {
    return A.LongFromSsize(static_cast<Size>(Value));
  }
}

template <typename Tuple, size_t... I>
bool convertAll(const Api &A, Tuple &Arguments, PyObjectPtr Values, std::index_sequence<I...>) {
  return (std::get<I>(Arguments).from(A, A.TupleGetItem(Values, static_cast<Size>(I))) && ...);
}

}  // namespace fidelity

template <typename R, typename... A>
FidelityTest::Outcome FidelityTest::run(R (*Function)(A...), const Case &C, const char *Name, Reference Ref) {
  Outcome Result;
  if (*C.Setup) {
    llvm::Error E = Python->run(C.Setup);
    EXPECT_FALSE(bool(E)) << Name << ": setup `" << C.Setup << "`: " << llvm::toString(std::move(E));
  }
  Owned Values = evaluate(*Python, C.Args);
  if (!Values)
    return Result;
  auto Gil = Python->holdGil();
  if (!Gil) {
    ADD_FAILURE() << llvm::toString(Gil.takeError());
    return Result;
  }
  const Api &P = api();
  P.SetAttrString(P.Main, "args", Values.get());
  std::tuple<fidelity::Argument<A>...> Arguments;
  if (P.TupleSize(Values.get()) != static_cast<Size>(sizeof...(A)) ||
      !fidelity::convertAll(P, Arguments, Values.get(), std::index_sequence_for<A...>{})) {
    P.ErrClear();
    ADD_FAILURE() << Name << ": arguments `" << C.Args << "` do not fit the signature";
    return Result;
  }
  std::vector<PyObjectPtr> Objects;
  std::apply([&](auto &...Each) { (Objects.push_back(Each.object()), ...); }, Arguments);
  std::vector<std::intptr_t> Before;
  for (PyObjectPtr O : Objects)
    Before.push_back(P.refCount(O));

  PyObjectPtr Got = nullptr;
  if constexpr (std::is_void_v<R>) {
    std::apply([&](auto &...Each) { Function(Each.get()...); }, Arguments);
    if (!P.ErrOccurred()) {
      P.IncRef(P.None);
      Got = P.None;
    }
  } else {
    R Value = std::apply([&](auto &...Each) { return Function(Each.get()...); }, Arguments);
    if constexpr (std::is_same_v<R, PyObjectPtr>) {
      Result.ObjectResult = Value != nullptr;
      Result.ResultRefCount = P.refCount(Value);
    }
    Got = fidelity::resultObject<R>(P, Value, Ref == Reference::Borrowed);
  }
  for (size_t I = 0; I < Objects.size(); ++I)
    Result.ArgDeltas.push_back(P.refCount(Objects[I]) - Before[I]);

  PyObjectPtr Outs = P.ListNew(0);
  std::apply([&](auto &...Each) { (fidelity::appendOutput(P, Outs, Each), ...); }, Arguments);
  if (P.ErrOccurred()) {  // a NULL or -1 result, or a void function's error
    if (Got)
      P.DecRef(Got);
    Got = nullptr;
  }
  if (!Got) {
    PyObjectPtr Type = nullptr, Value = nullptr, Traceback = nullptr;
    P.ErrFetch(&Type, &Value, &Traceback);
    P.ErrNormalize(&Type, &Value, &Traceback);
    Result.Raised = true;
    Got = Value;
    P.DecRef(Type);
    if (Traceback)
      P.DecRef(Traceback);
  }
  PyObjectPtr Raised = P.BoolFromLong(Result.Raised);
  P.SetAttrString(P.Main, "raised", Raised);
  P.DecRef(Raised);
  P.SetAttrString(P.Main, "got", Got);
  P.SetAttrString(P.Main, "outs", Outs);
  Result.Result = Got;
  P.DecRef(Got);  // the namespace holds it now
  P.DecRef(Outs);
  return Result;
}

template <typename Fn>
void FidelityTest::check(const char *Name, const std::vector<Case> &Cases, Reference Ref, bool CompareMessages) {
  Fn *Ours = substituteFunction<Fn>(*Substitutes, Name);
  ASSERT_NE(Ours, nullptr) << Name;
  Fn *Theirs = onCPython() ? reinterpret_cast<Fn *>(Python->symbol(Name)) : nullptr;
  if (onCPython())
    ASSERT_NE(Theirs, nullptr) << Name << ": CPython exports no such function";
  checkFunctions<Fn>(Name, Ours, Theirs, Cases, Ref, CompareMessages);
}

template <typename Fn>
void FidelityTest::checkFunctions(const char *Name, Fn *Ours, Fn *Theirs, const std::vector<Case> &Cases,
                                  Reference Ref, bool CompareMessages) {
  for (const Case &C : Cases) {
    SCOPED_TRACE(std::string(Name) + " with " + C.Args);
    // Only theirs_got refers to a result while the other call runs, so a
    // shared result's reference count differs by exactly that one.
    if (llvm::Error E = Python->run("got = theirs_got = None"))
      ADD_FAILURE() << llvm::toString(std::move(E));
    Outcome TheirOutcome;
    if (Theirs) {
      TheirOutcome = run(Theirs, C, Name, Ref);
      if (*C.Check)
        EXPECT_EQ(truth(*Python, C.Check), 1) << "CPython's own fails the check `" << C.Check << "`";
      if (llvm::Error E = Python->run("theirs_got, theirs_outs, theirs_raised = got, outs, raised\ngot = None"))
        ADD_FAILURE() << "cannot keep CPython's outcome: " << llvm::toString(std::move(E));
    }
    Outcome OurOutcome = run(Ours, C, Name, Ref);
    if (*C.Check)
      EXPECT_EQ(truth(*Python, C.Check), 1) << "the check `" << C.Check << "` fails";
    compare(Name, C, OurOutcome, Theirs ? &TheirOutcome : nullptr, CompareMessages);
  }
}

}  // namespace pysym::substitutes::testing

#endif  // PYSYM_RESOLVER_SUBSTITUTES_FIDELITY_TESTING_IMPL_H
