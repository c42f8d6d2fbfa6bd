"""Reads data/cpython-3.11-stable-abi-unresolved.txt and summarises a coverage document against it.

Used by tools/coverage_tables.sh (docs/coverage.md) and tools/stable_abi_coverage_test.py.
"""

# What each reason means, in the order the tables list them.
REASONS = {
    "windows": "Windows only (not counted among the Linux names)",
    "lifecycle": "starts, ends or configures the interpreter or the process: the embedding host's business",
    "debug": "debug builds only",
    "pypy39": "no such thing on PyPy 3.9",
    "unwritten": "substitutable, not written yet",
}


def read(path):
    """{name: (reason, note)} from lines "REASON NAME  # note"; raises ValueError naming the line."""
    entries = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            text, _, note = line.partition("#")
            fields = text.split()
            if not fields:
                continue
            if len(fields) != 2 or fields[0] not in REASONS:
                raise ValueError(f"{path}:{number}: expected 'REASON NAME' with REASON one of {', '.join(REASONS)}")
            if fields[1] in entries:
                raise ValueError(f"{path}:{number}: {fields[1]} is listed twice")
            entries[fields[1]] = (fields[0], note.strip())
    return entries


def summarise(doc, reasons):
    """The Linux count and share of a `pysym-dump coverage --list --json` document, and the problems.

    Returns a dict: total, windows, linux, resolved (Linux names found), share (percent),
    missing {name: (reason, note)}, unexplained (missing names without a reason) and
    stale (names with a reason that resolve).
    """
    names = {n["name"]: n["status"] for n in doc["names"]}
    windows = {n for n, (reason, _) in reasons.items() if reason == "windows" and n in names}
    linux = [n for n in names if n not in windows]
    resolved = [n for n in linux if names[n] != "missing"]
    missing = {n: reasons.get(n, ("", "")) for n, s in names.items() if s == "missing"}
    return {
        "total": len(names),
        "windows": len(windows),
        "linux": len(linux),
        "resolved": len(resolved),
        "share": 100.0 * len(resolved) / len(linux) if linux else 0.0,
        "missing": missing,
        "unexplained": sorted(n for n, (reason, _) in missing.items() if not reason),
        "stale": sorted(n for n in reasons if n in names and names[n] != "missing"),
    }
