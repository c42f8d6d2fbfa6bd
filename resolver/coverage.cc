#include "resolver/coverage.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "resolver/offline_interpreter.h"

namespace pysym {

llvm::Expected<std::vector<ApiName>> readNameList(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: %s", Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  std::vector<ApiName> Names;
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef Line = Lines[I].split('#').first.trim();
    if (Line.empty())
      continue;
    llvm::SmallVector<llvm::StringRef, 3> Fields;
    Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
    ApiName Entry;
    if (Fields.size() == 1) {
      Entry.Name = Fields[0].str();
    } else if (Fields.size() == 2) {
      llvm::StringRef Kind = Fields[0];
      Entry.KindKnown = true;
      if (Kind == "F" || Kind == "function")
        Entry.Kind = SymbolKind::Function;
      else if (Kind == "D" || Kind == "data")
        Entry.Kind = SymbolKind::Data;
      else
        return llvm::createStringError(std::errc::invalid_argument,
                                       "%s:%zu: unknown kind '%s' (F, D, function or data)",
                                       Path.str().c_str(), I + 1, Kind.str().c_str());
      Entry.Name = Fields[1].str();
    } else {
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s:%zu: expected 'NAME' or 'KIND NAME', got %zu fields",
                                     Path.str().c_str(), I + 1, Fields.size());
    }
    Names.push_back(std::move(Entry));
  }
  return Names;
}

Coverage measureCoverage(const OfflineInterpreter &Interpreter, const std::vector<ApiName> &Names) {
  Coverage Result;
  for (const ApiName &N : Names) {
    Resolution R = Interpreter.resolve(N.Name);
    ++Result.Counts[static_cast<size_t>(R.Status)];
    if (R.found() && N.KindKnown && R.Kind != N.Kind)
      Result.KindMismatches.push_back(N.Name);
    Result.Resolutions.push_back(std::move(R));
  }
  return Result;
}

}  // namespace pysym
