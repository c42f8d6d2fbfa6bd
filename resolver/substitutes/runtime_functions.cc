// The runtime substitutes: argument conversion around the Python helpers.
#include "pysym/resolver/substitutes/runtime_functions.h"

#include <string>

#include "pysym/resolver/substitutes/c_api_more.h"
#include "pysym/resolver/substitutes/python_helpers.h"

namespace pysym::substitutes::runtime {
namespace {

using helpers::call;

// For void functions that, like CPython's, report nothing.
void dropError(Object Result) {
  if (Result)
    capi::decRef(Result);
  else
    capi::errClear();
}

// A yes/no question CPython answers by reading a type slot, so it cannot
// fail: an error in the helper counts as no.
int slotCheck(const char *Helper, Object O) {
  if (!O)
    return 0;
  int Has = helpers::truth(call(Helper, "(O)", O));
  if (Has < 0) {
    capi::errClear();
    return 0;
  }
  return Has;
}

int gcSetEnabled(Object Enable) { return helpers::truth(call("gc_set_enabled", "(O)", Enable)); }

Object moduleString(Object Module, const char *Key, const char *Missing) {
  return Module ? call("module_dict_str", "(Oss)", Module, Key, Missing) : call("bad_argument", "()");
}

// Raises the ImportError the helper builds; Exception None means ImportError.
Object setImportError(Object Exception, Object Message, Object Name, Object Path) {
  Object Error = call("import_error", "(OOiOO)", Exception, Message ? Message : capi::none(),
                      Message ? 0 : 1, Name ? Name : capi::none(), Path ? Path : capi::none());
  if (!Error)
    return nullptr;
  Object Type = capi::objectType(Error);
  capi::errSetObject(Type, Error);
  capi::decRef(Type);
  capi::decRef(Error);
  return nullptr;
}

wchar_t *wide(std::atomic<char *> &Cell, const char *Helper) {
  // The helper encodes as UTF-32 in native order: wchar_t on Linux.
  static_assert(sizeof(wchar_t) == 4, "wchar_t is UTF-32 on the platforms pysym supports");
  return reinterpret_cast<wchar_t *>(const_cast<char *>(helpers::keptBytes(Cell, Helper)));
}

}  // namespace

void sysAddWarnOption(const wchar_t *Option) {
  if (!Option)
    return;
  dropError(call("sys_add_warn_option", "(u)", Option));
}
void sysAddWarnOptionUnicode(Object Option) {
  if (!Option)
    return;  // CPython's PyList_Append(NULL) error is cleared
  dropError(call("sys_add_warn_option", "(O)", Option));
}
int sysHasWarnOptions() {
  int Has = helpers::truth(call("sys_has_warn_options", "()"));
  if (Has < 0) {
    capi::errClear();  // CPython's reports no error: no options
    return 0;
  }
  return Has;
}
void sysResetWarnOptions() { dropError(call("sys_reset_warn_options", "()")); }
void sysAddXOption(const wchar_t *Option) {
  if (!Option)
    return;
  dropError(call("sys_add_xoption", "(u)", Option));
}
Object sysGetXOptions() { return helpers::borrowed(call("sys_get_xoptions", "()")); }

int gcEnable() { return gcSetEnabled(capi::trueObject()); }
int gcDisable() { return gcSetEnabled(capi::falseObject()); }
int gcIsEnabled() { return gcSetEnabled(capi::none()); }
Size gcCollect() {
  Object Type = nullptr, Value = nullptr, Traceback = nullptr;
  capi::errFetch(&Type, &Value, &Traceback);
  Size Found = helpers::size(call("gc_collect", "()"));
  if (Found < 0) {
    capi::errClear();  // CPython's collection reports nothing; the pending exception is restored
    Found = 0;
  }
  capi::errRestore(Type, Value, Traceback);
  return Found;
}

long importGetMagicNumber() { return helpers::size(call("import_magic_number", "()")); }
const char *importGetMagicTag() {
  static std::atomic<char *> Tag{nullptr};
  return helpers::keptBytes(Tag, "import_magic_tag");
}
Object importGetImporter(Object Path) {
  if (!Path)
    return helpers::badInternalCall();
  Object Pair = call("import_get_importer", "(O)", Path);
  if (!Pair)
    return nullptr;
  bool Found = capi::tupleGetItem(Pair, 0) == capi::trueObject();
  Object Importer = Found ? capi::tupleGetItem(Pair, 1) : nullptr;
  capi::incRef(Importer);
  capi::decRef(Pair);
  return Importer;
}
Object importAddModuleObject(Object Name) {
  return Name ? helpers::borrowed(call("import_add_module", "(O)", Name)) : helpers::badInternalCall();
}

Object moduleGetNameObject(Object Module) { return moduleString(Module, "__name__", "nameless module"); }
Object moduleGetFilenameObject(Object Module) {
  return moduleString(Module, "__file__", "module filename missing");
}
const char *moduleGetFilename(Object Module) {
  Object File = moduleGetFilenameObject(Module);
  if (!File)
    return nullptr;
  const char *Utf8 = capi::unicodeAsUtf8(File);
  capi::decRef(File);  // the module's dict still holds it, as in CPython
  return Utf8;
}
int moduleAddObjectRef(Object Module, const char *Name, Object Value) {
  if (!Value && capi::errOccurred())
    return -1;  // CPython keeps the caller's exception
  if (!Name) {
    helpers::badInternalCall();
    return -1;
  }
  int Missing = Value ? 0 : 1;
  return helpers::status(call("module_add_object_ref", "(OsOi)", Module ? Module : capi::none(), Name,
                              Value ? Value : capi::none(), Missing));
}
int moduleSetDocString(Object Module, const char *Doc) {
  if (!Module || !Doc) {
    helpers::badInternalCall();
    return -1;
  }
  return helpers::status(call("set_attr", "(Oss)", Module, "__doc__", Doc));
}
Object typeGetName(Object Type) {
  return Type ? call("type_attr", "(Os)", Type, "__name__") : helpers::badInternalCall();
}
Object typeGetQualName(Object Type) {
  return Type ? call("type_attr", "(Os)", Type, "__qualname__") : helpers::badInternalCall();
}

Object floatGetInfo() { return call("float_info", "()"); }
Object longGetInfo() { return call("long_info", "()"); }

Size sequenceCount(Object Sequence, Object Value) {
  if (!Sequence || !Value) {
    if (!capi::errOccurred())
      helpers::status(call("null_error", "()"));
    return -1;
  }
  return helpers::size(call("sequence_count", "(OO)", Sequence, Value));
}
int dictMergeFromSeq2(Object Dict, Object Sequence, int Override) {
  if (!Dict || !Sequence) {
    helpers::badInternalCall();
    return -1;
  }
  return helpers::status(call("dict_merge_from_seq2", "(OOi)", Dict, Sequence, Override));
}
Object objectGetAIter(Object O) { return O ? call("object_get_aiter", "(O)", O) : helpers::badInternalCall(); }
int aiterCheck(Object O) { return slotCheck("aiter_check", O); }
int iterSend(Object Iterator, Object Argument, Object *Result) {
  if (!Result) {
    helpers::badInternalCall();
    return -1;
  }
  *Result = nullptr;
  if (!Iterator || !Argument) {
    helpers::badInternalCall();
    return -1;
  }
  Object Pair = call("iter_send", "(OO)", Iterator, Argument);
  if (!Pair)
    return -1;
  int Status = static_cast<int>(capi::longAsSsize(capi::tupleGetItem(Pair, 0)));
  *Result = capi::tupleGetItem(Pair, 1);
  capi::incRef(*Result);
  capi::decRef(Pair);
  return Status;
}
Size bufferSizeFromFormat(const char *Format) {
  if (!Format) {
    helpers::badInternalCall();
    return -1;
  }
  Object Bytes = capi::bytesFromStringAndSize(Format, static_cast<Size>(std::char_traits<char>::length(Format)));
  return Bytes ? helpers::size(call("buffer_size_from_format", "(N)", Bytes)) : -1;
}

Object errSetImportError(Object Message, Object Name, Object Path) {
  return setImportError(capi::none(), Message, Name, Path);
}
Object errSetImportErrorSubclass(Object Exception, Object Message, Object Name, Object Path) {
  return Exception ? setImportError(Exception, Message, Name, Path) : helpers::badInternalCall();
}
void badInternalCallAt(const char *Filename, int Line) {
  capi::errClear();  // replaced, as PyErr_Format replaces it
  helpers::status(call("bad_internal_call_at", "(zi)", Filename, Line));
}
const char *evalGetFuncDesc(Object Function) {
  int Parens = Function ? helpers::truth(call("eval_func_has_call_parens", "(O)", Function)) : 0;
  if (Parens < 0)
    capi::errClear();  // CPython's reads types and cannot fail
  return Parens > 0 ? "()" : " object";
}
Object frameGetCode(Object Frame) {
  return Frame ? call("frame_attr", "(Os)", Frame, "f_code") : helpers::badInternalCall();
}
int frameGetLineNumber(Object Frame) {
  if (!Frame) {
    helpers::badInternalCall();
    return -1;
  }
  return static_cast<int>(helpers::size(call("frame_attr", "(Os)", Frame, "f_lineno")));
}
Object cFunctionGetSelf(Object Function) {
  if (!Function)
    return helpers::badInternalCall();
  return helpers::borrowed(call("cfunction_self", "(O)", Function), /*NoneIsNull=*/true);
}

Object errProgramText(const char *Filename, int Line) {
  if (!Filename)
    return nullptr;
  Object Name = capi::bytesFromStringAndSize(Filename, static_cast<Size>(std::char_traits<char>::length(Filename)));
  if (!Name)
    return nullptr;
  Object Text = call("program_text", "(Ni)", Name, Line);
  if (!Text) {
    capi::errClear();  // CPython's reports no error: no text
    return nullptr;
  }
  if (Text == capi::none()) {
    capi::decRef(Text);
    return nullptr;
  }
  return Text;
}
int errResourceWarning(Object Source, Size StackLevel, const char *Format, ...) {
  std::va_list Arguments;
  va_start(Arguments, Format);
  Object Message = capi::unicodeFromFormatV(Format, Arguments);
  va_end(Arguments);
  if (!Message)
    return -1;
  return helpers::status(call("resource_warning", "(NOn)", Message, Source ? Source : capi::none(), StackLevel));
}
const char *evalGetFuncName(Object Function) {
  if (!Function) {
    helpers::badInternalCall();
    return nullptr;
  }
  Object Name = helpers::borrowed(call("eval_func_name", "(O)", Function));
  return Name ? capi::unicodeAsUtf8(Name) : nullptr;
}
const char *exceptionClassName(Object Class) {
  if (!Class) {
    helpers::badInternalCall();
    return nullptr;
  }
  Object Name = helpers::borrowed(call("exception_class_name", "(O)", Class));
  return Name ? capi::unicodeAsUtf8(Name) : nullptr;
}
int objectCheckBuffer(Object O) { return slotCheck("object_check_buffer", O); }

Object importExecCodeModuleObject(Object Name, Object Code, Object PathName, Object CPathName) {
  if (!Name || !Code)
    return helpers::badInternalCall();
  return call("import_exec_code_module", "(OOOO)", Name, Code, PathName ? PathName : capi::none(),
              CPathName ? CPathName : capi::none());
}
Object importExecCodeModuleWithPathnames(const char *Name, Object Code, const char *PathName,
                                         const char *CPathName) {
  if (!Name || !Code)
    return helpers::badInternalCall();
  // bytes for a path, None for NULL; both references go to the call ("N").
  auto pathBytes = [](const char *Path) -> Object {
    if (!Path) {
      capi::incRef(capi::none());
      return capi::none();
    }
    return capi::bytesFromStringAndSize(Path, static_cast<Size>(std::char_traits<char>::length(Path)));
  };
  Object Path = pathBytes(PathName);
  Object CPath = pathBytes(CPathName);
  if (!Path || !CPath) {
    capi::decRef(Path);
    capi::decRef(CPath);
    return nullptr;
  }
  return call("import_exec_code_module_with_pathnames", "(sONN)", Name, Code, Path, CPath);
}
void unicodeInternImmortal(Object *String) {
  if (!String || !*String)
    return;  // CPython would crash; there is nothing to intern
  if (helpers::status(call("intern_immortal_warning", "()")) < 0)
    capi::errWriteUnraisable(nullptr);
  capi::unicodeInternInPlace(String);
  if (helpers::status(call("make_immortal", "(O)", *String)) < 0)
    capi::errClear();  // no return value to report it through, as in CPython
}
Object interpreterStateGetDict(void *) {
  Object Dict = helpers::borrowed(call("interpreter_dict", "()"));
  if (!Dict)
    capi::errClear();
  return Dict;
}

Object threadGetInfo() { return call("thread_info", "()"); }
std::size_t threadGetStacksize() {
  Size Value = helpers::size(call("thread_stack_size", "(O)", capi::none()));
  if (Value < 0) {
    capi::errClear();
    return 0;
  }
  return static_cast<std::size_t>(Value);
}
int threadSetStacksize(std::size_t Bytes) {
  Size Outcome = helpers::size(call("thread_stack_size", "(n)", static_cast<Size>(Bytes)));
  if (Outcome == -1 && capi::errOccurred()) {
    capi::errClear();
    return -1;
  }
  return static_cast<int>(Outcome);
}

const char *getBuildInfo() {
  static std::atomic<char *> Text{nullptr};
  return helpers::keptBytes(Text, "build_info");
}
const char *getCompiler() {
  static std::atomic<char *> Text{nullptr};
  return helpers::keptBytes(Text, "compiler");
}
const char *getPlatform() {
  static std::atomic<char *> Text{nullptr};
  return helpers::keptBytes(Text, "platform");
}
const char *getCopyright() {
  static std::atomic<char *> Text{nullptr};
  return helpers::keptBytes(Text, "copyright");
}
wchar_t *getPrefix() {
  static std::atomic<char *> Text{nullptr};
  return wide(Text, "prefix");
}
wchar_t *getExecPrefix() {
  static std::atomic<char *> Text{nullptr};
  return wide(Text, "exec_prefix");
}
wchar_t *getProgramFullPath() {
  static std::atomic<char *> Text{nullptr};
  return wide(Text, "program_full_path");
}

}  // namespace pysym::substitutes::runtime
