"""pysym.expose(): CPython's API names for everything that calls dlsym.

pysym.expose() defines the resolver's answers in the process's global scope
(resolver/exposure.h), so that code which never heard of pysym finds
CPython's names by looking them up in the process: llvmlite's MCJIT and ORC,
ctypes.CDLL(None), LLVM's DynamicLibrarySearchGenerator, extension modules
loaded afterwards. On PyPy, dlsym(RTLD_DEFAULT, "PyLong_FromLong") is then
PyPyLong_FromLong's address. The package re-exports `expose` and `Exposed`
as pysym.expose and pysym.Exposed. Also `python -m pysym expose` (main()).
"""

import sys

# The order of statuses and skip reasons in counts and in summaries.
EXPOSED_STATUSES = ("exact", "alias", "substitute")
SKIP_REASONS = ("already_defined", "not_ready", "not_python_api", "missing")
# How summaries spell each status and reason (the skipped sentences start so).
WORDS = {"already_defined": "already defined", "not_ready": "not ready",
         "not_python_api": "not Python API"}
SCHEMA = "pysym-expose/1"


class Exposed:
    """What one pysym.expose() call found and did.

    exposed          {name: address} for every requested name that pysym's
                     loaded objects define, whether this call or an earlier
                     one loaded it, in request order;
    skipped          {name: why} for every requested name not exposed, in
                     request order, why being the reason and its detail
                     ("already defined: dlsym finds it at 0x..., in
                     /usr/bin/python3.11 ...");
    statuses         {name: status} for every name of both, in request
                     order: 'exact', 'alias' or 'substitute' (as
                     pysym.resolve says) for the exposed, the skip reason
                     ('already_defined', 'not_ready', 'not_python_api',
                     'missing') for the skipped;
    counts           {status: number of names}, the counts of statuses,
                     without zeros (exposed statuses first, then reasons);
    added            how many names this call loaded (0 when it had nothing
                     new: a repeated call);
    source           where the new names' object was loaded from: 'none'
                     (nothing loaded), 'memfd' or 'temporary file';
    fallback_reason  why memfd_create was not used ('' unless source is
                     'temporary file');
    soname           the DT_SONAME of the object loaded, '' when none was;
    seconds          wall-clock time of the exposure itself.
    """

    __slots__ = ("exposed", "skipped", "statuses", "counts", "added", "source",
                 "fallback_reason", "soname", "seconds")

    def __init__(self, exposed, skipped, statuses, added, source, fallback_reason, soname,
                 seconds):
        self.exposed = exposed
        self.skipped = skipped
        self.statuses = statuses
        self.added = added
        self.source = source
        self.fallback_reason = fallback_reason
        self.soname = soname
        self.seconds = seconds
        counts = dict.fromkeys(EXPOSED_STATUSES + SKIP_REASONS, 0)
        for status in statuses.values():
            counts[status] += 1
        self.counts = {status: n for status, n in counts.items() if n}

    @classmethod
    def _from_extension(cls, raw):
        """An Exposed from the dict pysym._expose returns."""
        names = raw["names"].split("\0") if raw["names"] else []
        # In place, without the array module: `import pysym` imports this
        # module, and array would import collections (about 4 ms on CPython).
        addresses = memoryview(raw["addresses"]).cast("Q")
        status_names, skipped = raw["status_names"], raw["why"]
        exposed, statuses = {}, {}
        for name, code, address in zip(names, raw["statuses"], addresses):
            statuses[name] = status_names[code]
            if name not in skipped:
                exposed[name] = address
        return cls(exposed, skipped, statuses, raw["added"], raw["source"],
                   raw["fallback_reason"], raw["soname"], raw["seconds"])

    def __repr__(self):
        def breakdown(keys):
            parts = ["%d %s" % (self.counts[k], WORDS.get(k, k)) for k in keys if k in self.counts]
            return " (%s)" % ", ".join(parts) if parts else ""
        where = "from %s" % self.source if self.source != "none" else "nothing loaded"
        return "<pysym.Exposed: %d exposed%s, %d added, %d skipped%s in %.1f ms, %s>" % (
            len(self.exposed), breakdown(EXPOSED_STATUSES), self.added, len(self.skipped),
            breakdown(SKIP_REASONS), self.seconds * 1e3, where)

    def as_json(self):
        """The report as a JSON-ready dict with "schema": "pysym-expose/1";
        addresses are hex strings ("0x7f..."), exact at 64 bits."""
        return {"schema": SCHEMA, "counts": self.counts,
                "exposed": {name: "0x%x" % address for name, address in self.exposed.items()},
                "statuses": self.statuses, "skipped": self.skipped, "added": self.added,
                "source": self.source, "fallback_reason": self.fallback_reason,
                "soname": self.soname, "seconds": self.seconds}


Exposed.__module__ = "pysym"


def expose(names=None):
    """Defines CPython's API names in this process's global scope, at the
    addresses pysym resolves for them, so that dlsym (and so ctypes,
    llvmlite's MCJIT and ORC, LLVM's process symbol search, extension
    modules) finds them. Returns an Exposed report.

    names   None: the default set, every Python API name (Py*, _Py*) that
            resolves as an alias or a substitute (and, when the interpreter
            is not in the global scope, its exact exports too). Otherwise an
            iterable of str: exactly those names.

    A name that dlsym already finds is never shadowed: it is skipped as
    'already_defined'. On PyPy before cpyext starts, data names are skipped
    as 'not_ready' (functions are exposed) and a later call adds them.
    Exposure is permanent and process-wide; calling again loads only what is
    new (added == 0 when nothing is) and reports every requested name pysym
    defines, including those of earlier calls.

    Raises, having exposed nothing: TypeError for one str, something not
    iterable, or a name that is not a str; ValueError for an empty name or
    one containing a NUL; OSError when the object of names cannot be written
    or the dynamic loader refuses it.
    """
    import pysym  # the core extension loads on first use (pysym/__init__.py)
    return Exposed._from_extension(pysym._load_core()._expose(names))


expose.__module__ = "pysym"


class UsageError(Exception):
    """Bad arguments: reported on one line, exit status 2."""


def _table(rows, out):
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")


def _print_report(report, listing, out):
    def breakdown(total, keys):
        parts = ["%d %s" % (report.counts[k], WORDS.get(k, k)) for k in keys if k in report.counts]
        return "%d: %s" % (total, ", ".join(parts)) if parts else str(total)
    summary = [("exposed", breakdown(len(report.exposed), EXPOSED_STATUSES)),
               ("skipped", breakdown(len(report.skipped), SKIP_REASONS)),
               ("added", report.added), ("source", report.source)]
    if report.fallback_reason:
        summary.append(("fallback reason", report.fallback_reason))
    summary += [("soname", report.soname or "-"), ("seconds", "%.6f" % report.seconds)]
    _table(summary, out)
    if report.skipped:
        out.write("\n")
        _table([("SKIPPED", "WHY")] + list(report.skipped.items()), out)
    if listing and report.exposed:
        out.write("\n")
        _table([("EXPOSED", "STATUS", "ADDRESS")] +
               [(name, report.statuses[name], "0x%x" % address)
                for name, address in report.exposed.items()], out)


def main(argv, out=sys.stdout, err=sys.stderr):
    """Runs `expose [NAME ...] [--list] [--json]`; returns the exit status:
    0 success, 1 when the exposure failed (OSError), 2 for bad usage or an
    invalid name, with one line on stderr."""
    try:
        if not argv or argv[0] != "expose":
            raise UsageError("usage: python -m pysym expose [NAME ...] [--list] [--json]")
        options = [a for a in argv[1:] if a.startswith("--")]
        unknown = [a for a in options if a not in ("--list", "--json")]
        if unknown:
            raise UsageError("unexpected option %r" % unknown[0])
        names = [a for a in argv[1:] if not a.startswith("--")]
        try:
            report = expose(names or None)
        except ValueError as e:
            raise UsageError(str(e))
    except UsageError as e:
        err.write("pysym expose: %s\n" % e)
        return 2
    except OSError as e:
        err.write("pysym expose: %s\n" % e)
        return 1
    if "--json" in options:
        import json  # here, not at the top: `import pysym` imports this module
        json.dump(report.as_json(), out, indent=1, sort_keys=True)
        out.write("\n")
    else:
        _print_report(report, "--list" in options or bool(names), out)
    return 0
