#!/usr/bin/python3.11
"""What the wheel's start-up hook, pysym-expose.pth, costs every interpreter
start when PYSYM_EXPOSE is unset, and what start-up exposure costs when it
is 1 (figures in docs/performance.md, "## Start-up hook").

Usage: bazel run //python/packaging:startup_cost [-- RUNS]   (default 41)

For python3.11 and pypy3: installs pysym from //python/packaging:wheels into
a fresh venv, then times RUNS fresh `python -c pass` processes in each of
three states, interleaved run by run so that load drifts alike on all:
  without   the .pth renamed away (pysym installed, the hook not);
  unset     the .pth in place, PYSYM_EXPOSE unset;
  set       the .pth in place, PYSYM_EXPOSE=1 (imports pysym, exposes).
Prints the medians of wall and CPU time (user + system, from wait4), their
differences from `without` (for `unset`, noise at this scale: a start-up
takes milliseconds and the hook one environment lookup), and, resolving
what a process start cannot, the median time site takes to process the
hook alone (open, read, compile and execute its line) early in a fresh
`python -S` process, measured in that process (COLD_HOOK).
"""

import os
import statistics
import sys
import tempfile
import time

from venvs import clean_environment, run, site_packages, venv_with_pysym

RUNFILES = os.path.join(os.environ.get("RUNFILES_DIR", os.path.abspath(__file__) + ".runfiles"),
                        "pysym")
WHEELS = os.path.join(RUNFILES, "python", "packaging", "wheels")
HOOK = "pysym-expose.pth"
INTERPRETERS = ("/usr/bin/python3.11", "/usr/bin/pypy3")


def start_seconds(python, env):
    """(wall, CPU) seconds of one fresh `python -c pass`; the CPU time (user
    plus system, from wait4) is steadier than wall time on a loaded machine."""
    start = time.perf_counter()
    pid = os.posix_spawn(python, [python, "-c", "pass"], env)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise RuntimeError("%s -c pass: wait status %d" % (python, status))
    return wall, usage.ru_utime + usage.ru_stime


# In a fresh `python -S`, site's processing of the hook alone (open, read,
# compile and execute its line), after an empty .pth has paid site's
# one-time costs (opening the first .pth sets up the locale's codec), as
# setuptools' distutils-precedence.pth does in a venv.
COLD_HOOK = ("import os, site, sys, time; site.addpackage(*os.path.split(sys.argv[2]), set()); "
             "directory, name = os.path.split(sys.argv[1]); "
             "start = time.perf_counter(), time.process_time(); "
             "site.addpackage(directory, name, set()); "
             "print(time.perf_counter() - start[0], time.process_time() - start[1])")


def cold_hook_seconds(python, hook, empty_pth, env):
    """(wall, CPU) seconds site takes to process the hook, PYSYM_EXPOSE
    unset, early in a fresh process."""
    return [float(s) for s in run([python, "-S", "-c", COLD_HOOK, hook, empty_pth],
                                  env=env).split()]


def measure(interpreter, scratch, runs):
    env = clean_environment()
    python = venv_with_pysym(interpreter, os.path.join(scratch, os.path.basename(interpreter)),
                             WHEELS, env, scratch)
    hook = os.path.join(site_packages(python, env), HOOK)
    away = hook + ".away"
    states = {"without": env, "unset": env, "set": dict(env, PYSYM_EXPOSE="1")}
    times = {state: [] for state in states}
    cold = []
    empty_pth = os.path.join(scratch, "empty.pth")
    open(empty_pth, "w").close()
    for i in range(runs):
        order = list(states) if i % 2 == 0 else list(reversed(list(states)))
        for state in order:
            if state == "without":
                os.rename(hook, away)
            try:
                times[state].append(start_seconds(python, states[state]))
            finally:
                if state == "without":
                    os.rename(away, hook)
        cold.append(cold_hook_seconds(python, hook, empty_pth, env))
    print("%s (%d fresh processes per state, medians in ms):" % (interpreter, runs))
    print("  %-8s %8s %8s" % ("", "wall", "CPU"))
    medians = {}
    for state in states:
        medians[state] = [statistics.median(t[k] for t in times[state]) * 1e3 for k in (0, 1)]
        print("  %-8s %8.2f %8.2f" % (state, medians[state][0], medians[state][1]))
    for state in ("unset", "set"):
        print("  %-8s %+8.2f %+8.2f   (minus without)"
              % (state, *[medians[state][k] - medians["without"][k] for k in (0, 1)]))
    print("  site processing the hook, unset, in a fresh process: wall %.1f us, CPU %.1f us"
          % tuple(statistics.median(c[k] for c in cold) * 1e6 for k in (0, 1)))


def main(argv):
    runs = int(argv[0]) if argv else 41
    if runs < 20:
        sys.stderr.write("startup_cost.py: use at least 20 runs per state\n")
        return 2
    print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    with tempfile.TemporaryDirectory(prefix="pysym-startup-cost-") as scratch:
        for interpreter in INTERPRETERS:
            measure(interpreter, scratch, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
