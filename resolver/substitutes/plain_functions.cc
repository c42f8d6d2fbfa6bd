// Substitutes without Python code; semantics from CPython 3.11 (sources cited in catalogue_coverage.cc).
#include "pysym/resolver/substitutes/plain_functions.h"

#include <cerrno>
#include <cfloat>
#include <climits>

#include <sys/syscall.h>
#include <unistd.h>

#include "pysym/resolver/substitutes/c_api_more.h"

namespace pysym::substitutes::plain {
namespace {

// Python's own ctype rules (Include/pyctype.h): ASCII only, locale-free.
bool isSpace(unsigned char C) { return C == ' ' || (C >= '\t' && C <= '\r'); }
int toLower(unsigned char C) { return C >= 'A' && C <= 'Z' ? C + ('a' - 'A') : C; }

// _PyLong_DigitValue: 0-9, a-z/A-Z as 10-35, 37 for anything else.
int digitValue(unsigned char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'z')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'Z')
    return C - 'A' + 10;
  return 37;
}

// NULL reads as "" where CPython would crash.
const unsigned char *bytes(const char *S) { return reinterpret_cast<const unsigned char *>(S ? S : ""); }

// The 0x/0o/0b prefix for `Base`, when Text starts with '0' and that letter.
// Returns false, with *End at the letter, when no digit of the base follows.
bool skipPrefix(const char *&Text, char **End, int Base, char Letter) {
  if (*Text != '0')
    return true;
  ++Text;
  if (toLower(static_cast<unsigned char>(*Text)) != Letter)
    return true;
  if (digitValue(static_cast<unsigned char>(Text[1])) >= Base) {
    if (End)
      *End = const_cast<char *>(Text);
    return false;
  }
  ++Text;
  return true;
}

}  // namespace

Object newRef(Object O) {
  capi::incRef(O);  // Py_IncRef is NULL-safe, so this serves Py_XNewRef too
  return O;
}
int is(Object X, Object Y) { return X == Y; }
int isTrue(Object X) { return X == capi::trueObject(); }
int isFalse(Object X) { return X == capi::falseObject(); }
int isNone(Object X) { return X == capi::none(); }
void incRef(Object O) { capi::incRef(O); }
void decRef(Object O) { capi::decRef(O); }

int myStricmp(const char *S1, const char *S2) {
  const unsigned char *P1 = bytes(S1), *P2 = bytes(S2);
  while (*P1 && *P2 && toLower(*P1) == toLower(*P2)) {
    ++P1;
    ++P2;
  }
  return toLower(*P1) - toLower(*P2);
}

int myStrnicmp(const char *S1, const char *S2, Size Length) {
  if (Length == 0)
    return 0;
  const unsigned char *P1 = bytes(S1), *P2 = bytes(S2);
  for (; --Length > 0 && *P1 && *P2 && toLower(*P1) == toLower(*P2); ++P1, ++P2) {
  }
  return toLower(*P1) - toLower(*P2);
}

unsigned long strToUL(const char *Text, char **End, int Base) {
  Text = reinterpret_cast<const char *>(bytes(Text));
  while (*Text && isSpace(static_cast<unsigned char>(*Text)))
    ++Text;
  if (Base == 0) {
    if (*Text == '0') {
      ++Text;
      char Letter = static_cast<char>(toLower(static_cast<unsigned char>(*Text)));
      int Prefixed = Letter == 'x' ? 16 : Letter == 'o' ? 8 : Letter == 'b' ? 2 : 0;
      if (Prefixed == 0) {
        // A bare leading 0 allows only more zeroes (no octal): stop there.
        while (*Text == '0')
          ++Text;
        while (isSpace(static_cast<unsigned char>(*Text)))
          ++Text;
        if (End)
          *End = const_cast<char *>(Text);
        return 0;
      }
      --Text;
      if (!skipPrefix(Text, End, Prefixed, Letter))
        return 0;
      Base = Prefixed;
    } else {
      Base = 10;
    }
  } else if (Base == 16 || Base == 8 || Base == 2) {
    if (!skipPrefix(Text, End, Base, Base == 16 ? 'x' : Base == 8 ? 'o' : 'b'))
      return 0;
  }
  if (Base < 2 || Base > 36) {
    if (End)
      *End = const_cast<char *>(Text);
    return 0;
  }
  while (*Text == '0')
    ++Text;
  unsigned long Result = 0;
  bool Overflowed = false;
  int Digit;
  while ((Digit = digitValue(static_cast<unsigned char>(*Text))) < Base) {
    if (!Overflowed && (__builtin_mul_overflow(Result, static_cast<unsigned long>(Base), &Result) ||
                        __builtin_add_overflow(Result, static_cast<unsigned long>(Digit), &Result)))
      Overflowed = true;
    ++Text;
  }
  if (End)
    *End = const_cast<char *>(Text);
  if (Overflowed) {
    errno = ERANGE;
    return ULONG_MAX;
  }
  return Result;
}

long strToL(const char *Text, char **End, int Base) {
  Text = reinterpret_cast<const char *>(bytes(Text));
  while (*Text && isSpace(static_cast<unsigned char>(*Text)))
    ++Text;
  char Sign = *Text;
  if (Sign == '+' || Sign == '-')
    ++Text;
  unsigned long Magnitude = strToUL(Text, End, Base);
  if (Magnitude <= static_cast<unsigned long>(LONG_MAX)) {
    long Result = static_cast<long>(Magnitude);
    return Sign == '-' ? -Result : Result;
  }
  if (Sign == '-' && Magnitude == 0 - static_cast<unsigned long>(LONG_MIN))
    return LONG_MIN;
  errno = ERANGE;
  return LONG_MAX;
}

void fillContiguousStrides(int Dimensions, Size *Shape, Size *Strides, int ItemSize, char Order) {
  // Unsigned arithmetic: CPython's signed product may overflow; this wraps alike.
  std::size_t Stride = static_cast<std::size_t>(static_cast<Size>(ItemSize));
  if (Order == 'F') {
    for (int K = 0; K < Dimensions; ++K) {
      Strides[K] = static_cast<Size>(Stride);
      Stride *= static_cast<std::size_t>(Shape[K]);
    }
  } else {
    for (int K = Dimensions - 1; K >= 0; --K) {
      Strides[K] = static_cast<Size>(Stride);
      Stride *= static_cast<std::size_t>(Shape[K]);
    }
  }
}

double floatGetMax() { return DBL_MAX; }
double floatGetMin() { return DBL_MIN; }

unsigned long threadNativeId() { return static_cast<unsigned long>(syscall(SYS_gettid)); }
void *interpreterStateGet() { return capi::interpreterStateHead(); }
void *threadStateGetInterpreter(void *) { return capi::interpreterStateHead(); }

int sequenceIn(Object Sequence, Object Value) { return capi::sequenceContains(Sequence, Value); }

Object importModuleLevel(const char *Name, Object Globals, Object Locals, Object FromList, int Level) {
  Object NameObject = capi::unicodeFromString(Name);
  if (!NameObject)
    return nullptr;
  Object Module = capi::importModuleLevelObject(NameObject, Globals, Locals, FromList, Level);
  capi::decRef(NameObject);
  return Module;
}

Object errFormatV(Object Exception, const char *Format, std::va_list Arguments) {
  capi::errClear();
  Object Text = capi::unicodeFromFormatV(Format, Arguments);
  capi::errSetObject(Exception, Text);
  capi::decRef(Text);
  return nullptr;
}

}  // namespace pysym::substitutes::plain
