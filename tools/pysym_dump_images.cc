// Lists pysym-dump's own loaded images through symtab's loader readers, the
// same view the resolver has, and probes each with dlsym(RTLD_DEFAULT).
// --load opens libraries with Boost.DLL, whose exceptions stop here.
#include "tools/pysym_dump_images.h"

#include <dlfcn.h>
#include <link.h>

#include <optional>
#include <string>
#include <system_error>
#include <vector>

// Boost 1.74's headers use std::vector and std::string without including them.
#include "boost/dll/runtime_symbol_info.hpp"
#include "boost/dll/shared_library.hpp"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "pysym/jitlink/core_error.h"
#include "pysym/symtab/loaded_images.h"
#include "pysym/symtab/symbol_index.h"
#include "tools/pysym_dump_table.h"
#include "tools/pysym_dump_visibility.h"

namespace pysym::dump {
namespace {

using symtab::ImageSymbol;
using symtab::LoadedImage;
using symtab::SymbolType;

struct TypeCounts {
  std::size_t Function = 0, Object = 0, ThreadLocal = 0, Ifunc = 0, Other = 0, Total = 0;

  void add(SymbolType Type) {
    ++Total;
    switch (Type) {
    case SymbolType::Function: ++Function; break;
    case SymbolType::Object: ++Object; break;
    case SymbolType::ThreadLocal: ++ThreadLocal; break;
    case SymbolType::GnuIndirectFunction: ++Ifunc; break;
    default: ++Other; break;
    }
  }
};

struct ImageReport {
  LoadedImage Image;
  bool FromLoadOption = false;
  std::optional<std::string> Error;  // why its symbols could not be read
  std::vector<ImageSymbol> Symbols;
  TypeCounts Counts;
  ScopeProbe Scope;

  llvm::StringRef role() const {
    if (Image.IsMainProgram)
      return "main";
    if (Image.IsVdso)
      return "vdso";
    return FromLoadOption ? "--load" : "library";
  }
};

// The libraries --load opened, kept open while the images are listed.
struct LoadedLibraries {
  std::vector<boost::dll::shared_library> Handles;
  std::vector<std::uintptr_t> Biases;
};

// What the loader said, out of Boost's exception text, which wraps it as
// "<function> failed (dlerror system message: <text>): <error code>".
std::string loaderReason(llvm::StringRef What, llvm::StringRef Library) {
  llvm::StringRef Marker = "(dlerror system message: ";
  size_t Start = What.find(Marker);
  size_t End = What.rfind("): ");
  if (Start == llvm::StringRef::npos || End == llvm::StringRef::npos || End < Start)
    return What.str();
  llvm::StringRef Text = What.slice(Start + Marker.size(), End);
  // dlerror usually starts with the path, which the message names already.
  Text.consume_front(Library.str() + ": ");
  return Text.str();
}

// Opens each of `Libraries` RTLD_NOW | RTLD_LOCAL through Boost.DLL and
// returns the handles with their load biases. search_system_folders keeps
// dlopen's own search for a bare name (libm.so.6); without it Boost looks
// in the working directory only. Boost throws on failure: this is where its
// exceptions become errors.
llvm::Expected<LoadedLibraries> loadLibraries(llvm::ArrayRef<std::string> Libraries) {
  LoadedLibraries Loaded;
  std::error_code Ignored;  // without its own path, the self-check below is skipped
  boost::dll::fs::path Self = boost::dll::program_location(Ignored);
  for (const std::string &Library : Libraries) {
    auto fail = [&](const std::string &Reason) {
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "--load %s: %s",
                                     Library.c_str(), Reason.c_str());
    };
    // Boost answers a request for the program itself with the program's
    // handle, which lists nothing new; dlopen refuses executables.
    std::error_code NotSame;
    if (!Self.empty() && boost::dll::fs::equivalent(Library, Self, NotSame))
      return fail("this is pysym-dump's own executable, already loaded as the main program");
    try {
      boost::dll::shared_library Handle(Library, boost::dll::load_mode::rtld_now |
                                                     boost::dll::load_mode::rtld_local |
                                                     boost::dll::load_mode::search_system_folders);
      link_map *Map = nullptr;
      if (::dlinfo(Handle.native(), RTLD_DI_LINKMAP, &Map) == 0 && Map != nullptr)
        Loaded.Biases.push_back(Map->l_addr);
      Loaded.Handles.push_back(std::move(Handle));
    } catch (const std::system_error &E) {
      return fail(loaderReason(E.what(), Library));
    } catch (const std::exception &E) {
      return fail(E.what());
    }
  }
  return Loaded;
}

llvm::Expected<std::vector<ImageReport>> reportImages(llvm::ArrayRef<std::uintptr_t> LoadedBiases) {
  std::vector<ImageReport> Reports;
  std::vector<LoadedImage> Readable;
  for (LoadedImage &Image : symtab::loadedImages()) {
    ImageReport Report;
    Report.Image = Image;
    Report.FromLoadOption =
        !Image.IsMainProgram && llvm::is_contained(LoadedBiases, Image.LoadBias);
    auto Symbols = symtab::definedDynamicSymbols(Image);
    if (Symbols) {
      Report.Symbols = std::move(*Symbols);
      for (const ImageSymbol &Symbol : Report.Symbols)
        Report.Counts.add(Symbol.Type);
      Readable.push_back(Image);
    } else {
      Report.Error = pysym::toString(Symbols.takeError());
    }
    Reports.push_back(std::move(Report));
  }
  // The index tells which names one image alone defines, for the probe.
  auto Everything = symtab::SymbolIndex::build(std::move(Readable));
  if (!Everything)
    return toLlvmError(Everything.takeError());
  for (ImageReport &Report : Reports)
    if (!Report.Error)
      Report.Scope = probeDefaultScope(Report.Image, Report.Symbols, **Everything);
  return Reports;
}

llvm::json::Value nullOr(const std::string &Text) {
  return Text.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(Text);
}

void writeJson(const std::vector<ImageReport> &Reports, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("schema", JsonSchema);
    J.attribute("command", "images");
    J.attributeArray("images", [&] {
      for (std::size_t I = 0; I < Reports.size(); ++I) {
        const ImageReport &R = Reports[I];
        J.object([&] {
          J.attribute("index", int64_t(I));
          J.attribute("path", R.Image.Path);
          J.attribute("load_bias", hex(R.Image.LoadBias));
          J.attribute("role", R.role());
          J.attribute("main_program", R.Image.IsMainProgram);
          J.attribute("vdso", R.Image.IsVdso);
          J.attribute("loaded_by_option", R.FromLoadOption);
          if (R.Error) {
            J.attribute("symbols", nullptr);
            J.attribute("visible_to_rtld_default", nullptr);
            J.attribute("visibility_probe", nullptr);
            J.attribute("error", *R.Error);
            return;
          }
          J.attributeObject("symbols", [&] {
            J.attribute("function", int64_t(R.Counts.Function));
            J.attribute("object", int64_t(R.Counts.Object));
            J.attribute("tls", int64_t(R.Counts.ThreadLocal));
            J.attribute("ifunc", int64_t(R.Counts.Ifunc));
            J.attribute("other", int64_t(R.Counts.Other));
            J.attribute("total", int64_t(R.Counts.Total));
          });
          J.attribute("visible_to_rtld_default",
                      R.Scope.Scope == DefaultScope::Unknown
                          ? llvm::json::Value(nullptr)
                          : llvm::json::Value(R.Scope.Scope == DefaultScope::Visible));
          J.attribute("visibility_probe", nullOr(R.Scope.Name));
          J.attribute("error", nullptr);
        });
      }
    });
  });
  OS << '\n';
}

void writeText(const std::vector<ImageReport> &Reports, const Output &Out) {
  Table Images({{"#", Align::Right},
                {"ROLE"},
                {"LOAD BIAS", Align::Right},
                {"FUNC", Align::Right},
                {"OBJECT", Align::Right},
                {"TLS", Align::Right},
                {"IFUNC", Align::Right},
                {"TOTAL", Align::Right},
                {"RTLD_DEFAULT"},
                {"PATH"}});
  std::size_t Invisible = 0;
  for (std::size_t I = 0; I < Reports.size(); ++I) {
    const ImageReport &R = Reports[I];
    Style RoleStyle = R.Image.IsMainProgram ? Style::Bold
                      : R.FromLoadOption    ? Style::Cyan
                                            : Style::Plain;
    if (R.Error) {
      Images.addRow({std::to_string(I), {R.role().str(), RoleStyle}, hex(R.Image.LoadBias), "?", "?",
                     "?", "?", "?", {"?", Style::Red}, R.Image.Path});
      continue;
    }
    Invisible += R.Scope.Scope == DefaultScope::Invisible;
    Style ScopeStyle = R.Scope.Scope == DefaultScope::Invisible ? Style::Yellow : Style::Plain;
    auto count = [](std::size_t N) { return std::to_string(N); };
    Images.addRow({std::to_string(I), {R.role().str(), RoleStyle}, hex(R.Image.LoadBias),
                   count(R.Counts.Function), count(R.Counts.Object), count(R.Counts.ThreadLocal),
                   count(R.Counts.Ifunc), count(R.Counts.Total),
                   {toString(R.Scope.Scope).str(), ScopeStyle}, R.Image.Path});
  }
  Images.render(Out.Out, Out.Colour);
  Out.Out << '\n'
          << Reports.size() << " images; " << Invisible
          << " not visible to dlsym(RTLD_DEFAULT) (loaded RTLD_LOCAL, or the vDSO): only a "
             "handle or pysym's own index finds their symbols.\n"
          << "Counts are defined exported (.dynsym) symbols; TOTAL includes untyped ones.\n"
          << "RTLD_DEFAULT: whether dlsym(RTLD_DEFAULT, name) returns the image's own address for "
             "names it exports (--json names the one asked about); - when nothing could tell.\n";
}

llvm::Expected<ExitStatus> runImages(const ParsedArguments &Arguments, const Output &Out) {
  auto Loaded = loadLibraries(Arguments.values("--load"));
  if (!Loaded)
    return Loaded.takeError();
  auto Reports = reportImages(Loaded->Biases);
  if (!Reports)
    return Reports.takeError();
  if (Out.Json)
    writeJson(*Reports, Out.Out);
  else
    writeText(*Reports, Out);

  // The table is still worth having when one image is unreadable; the error
  // comes after it, and the exit status says the input was bad.
  llvm::Error Errors = llvm::Error::success();
  for (const ImageReport &R : *Reports)
    if (R.Error)
      Errors = llvm::joinErrors(std::move(Errors),
                                llvm::createStringError(llvm::inconvertibleErrorCode(), *R.Error));
  if (Errors)
    return Errors;
  return ExitStatus::Success;
}

}  // namespace

Command imagesCommand() {
  Command C;
  C.Name = "images";
  C.Summary = "the images loaded in this process, their exports, and whether dlsym(RTLD_DEFAULT) "
              "sees them";
  C.Synopsis = "images [--load LIB]... [--json]";
  C.Arguments.Options = {
      OptionSpec::withValue("--load", "LIB",
                            "dlopen LIB with RTLD_NOW | RTLD_LOCAL first, as an embedding host does",
                            /*Repeatable=*/true),
  };
  C.Run = runImages;
  return C;
}

}  // namespace pysym::dump
