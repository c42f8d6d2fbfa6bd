"""pysym-dump's reports from inside a running interpreter: `python -m pysym dump`.

The pysym-dump binary analyses an interpreter from its files; this asks the
interpreter that is running, through the pysym extension, so what it reports
is exactly what a kernel linked here would get. Usage:

    python -m pysym dump interpreter [--symbols] [--json]
    python -m pysym dump check KERNEL.ll... [--json]
    python -m pysym dump coverage --names FILE [--list] [--json]

`check` reads LLVM IR text (for bitcode and objects, use the pysym-dump
binary). Exit status: 0 success; 1 when `check` finds a missing symbol; 2 for
bad usage or input, with one line on stderr. JSON output has a schema of its
own, "pysym-dump-in-process/1", because its shapes differ from the binary's
(docs/pysym-dump.md documents both).
"""

import json
import sys

import pysym
from pysym import _pysym

SCHEMA = "pysym-dump-in-process/1"
STATUSES = ("registered", "exact", "alias", "substitute", "system", "missing")


class UsageError(Exception):
    """Bad arguments or input: reported on one line, exit status 2."""


def _table(rows, out):
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")


def _counts(resolutions):
    counts = dict.fromkeys(STATUSES, 0)
    for r in resolutions:
        counts[r.status] += 1
    return counts


def _resolution_json(r):
    return {"name": r.name, "status": r.status, "target": r.target, "kind": r.kind,
            "image": r.image, "tried": list(r.tried)}


def _interpreter(args, out):
    symbols = "--symbols" in args
    unknown = [a for a in args if a not in ("--symbols", "--json")]
    if unknown:
        raise UsageError("interpreter: unexpected argument %r" % unknown[0])
    info = pysym.interpreter()
    names, statuses, _, status_names = _pysym._api_table()
    rows = [(name, status_names[s]) for name, s in zip(names.split("\n"), statuses) if name]
    counts = dict.fromkeys(STATUSES, 0)
    for _, status in rows:
        counts[status] += 1
    if "--json" in args:
        report = {"schema": SCHEMA, "source": "in-process", "command": "interpreter",
                  "interpreter": info, "counts": counts}
        if symbols:
            report["symbols"] = [{"name": n, "status": s} for n, s in rows]
        json.dump(report, out, indent=1, sort_keys=True)
        out.write("\n")
        return 0
    _table([("implementation", info["implementation"]), ("version", info["version"]),
            ("debug", info["debug"]), ("image", info["image"]),
            ("abi", ", ".join("%s=%s" % kv for kv in sorted(info["abi"].items()))),
            ("api names", "%d: %s" % (len(rows), ", ".join(
                "%d %s" % (counts[s], s) for s in STATUSES if counts[s])))], out)
    if symbols:
        out.write("\n")
        _table([("NAME", "STATUS")] + rows, out)
    return 0


def _check(args, out):
    kernels = [a for a in args if a != "--json"]
    if not kernels or any(k.startswith("--") for k in kernels):
        raise UsageError("check: give one or more LLVM IR files (and optionally --json)")
    report, missing = [], 0
    for path in kernels:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError("%s: %s" % (path, e))
        try:
            undefined = pysym._load_engine()._undefined_symbols(text, name=path)
        except pysym.CompileError as e:
            raise UsageError(str(e).splitlines()[0] if str(e) else "%s: not LLVM IR" % path)
        for name, weak in undefined:
            r = pysym.resolve(name)
            missing += r.status == "missing" and not weak
            report.append((path, r, weak))
    if "--json" in args:
        json.dump({"schema": SCHEMA, "source": "in-process", "command": "check",
                   "interpreter": pysym.interpreter()["implementation"],
                   "symbols": [dict(_resolution_json(r), kernel=k, weak=w) for k, r, w in report],
                   "missing": missing}, out, indent=1, sort_keys=True)
        out.write("\n")
    else:
        _table([("KERNEL", "SYMBOL", "STATUS", "TARGET")] +
               [(k, r.name + (" (weak)" if w else ""), r.status, r.target or "-") for k, r, w in report], out)
        out.write("%d symbols, %d missing\n" % (len(report), missing))
    return 1 if missing else 0


def _coverage(args, out):
    if "--names" not in args or args.index("--names") + 1 >= len(args):
        raise UsageError("coverage: --names FILE is required")
    path = args[args.index("--names") + 1]
    unknown = [a for a in args if a not in ("--names", path, "--list", "--json")]
    if unknown:
        raise UsageError("coverage: unexpected argument %r" % unknown[0])
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError("%s: %s" % (path, e))
    names = []
    for number, line in enumerate(lines, 1):
        fields = line.split("#", 1)[0].split()
        if len(fields) == 2 and fields[0] in ("F", "D", "function", "data"):
            names.append(fields[1])
        elif len(fields) == 1:
            names.append(fields[0])
        elif fields:
            raise UsageError("%s:%d: expected 'NAME' or 'KIND NAME'" % (path, number))
    resolutions = pysym.report(names)
    counts = _counts(resolutions)
    if "--json" in args:
        report = {"schema": SCHEMA, "source": "in-process", "command": "coverage",
                  "names": path, "total": len(names), "counts": counts}
        if "--list" in args:
            report["resolutions"] = [_resolution_json(r) for r in resolutions]
        json.dump(report, out, indent=1, sort_keys=True)
        out.write("\n")
        return 0
    _table([("STATUS", "COUNT")] + [(s, counts[s]) for s in STATUSES] + [("total", len(names))], out)
    if "--list" in args:
        out.write("\n")
        _table([("NAME", "STATUS", "TARGET")] + [(r.name, r.status, r.target or "-") for r in resolutions], out)
    return 0


COMMANDS = {"interpreter": _interpreter, "check": _check, "coverage": _coverage}


def main(argv, out=sys.stdout, err=sys.stderr):
    """Runs `dump SUBCOMMAND ...`; returns the exit status."""
    try:
        if len(argv) < 2 or argv[0] != "dump" or argv[1] not in COMMANDS:
            raise UsageError("usage: python -m pysym dump {interpreter|check|coverage} ... "
                             "(see docs/pysym-dump.md)")
        return COMMANDS[argv[1]](argv[2:], out)
    except UsageError as e:
        err.write("pysym dump: %s\n" % e)
        return 2
