"""Reads tests/kernels/MANIFEST and judges each case inside the interpreter under test.

Both kinds of runner use this module, so a case means the same thing in every
column of the matrix: module_runner.py, which links through the pysym
extension module, and embedded_host (C++), which links through pysym's Engine
and Resolver and reaches this module through its embedded interpreter. A
runner links the kernel, calls begin(), then judge_call() or
judge_link_failure(), or record_failure() when it could not get that far.
Every expectation is evaluated, every call made and every comparison done
here, in Python, by the interpreter under test.

Results go to a tab-separated file, one record a line, flushed as written so
that a runner that dies leaves the case it died in behind:
    column  <label>  <what ran>
    start   <case>   <linker>
    result  <case>   <linker>  pass|fail  <detail>
    expose  pass|fail  <detail>
    done    <number of results>
Runs on Python 3.6 and later and on PyPy: no newer syntax.
"""

import io
import re
import sys

LINKERS = ("rtdyld", "jitlink")
STATUSES = ("registered", "exact", "alias", "substitute", "system", "missing")

_KEYS = ("kernel", "entry", "args", "kwargs", "expect", "resolves", "stdout", "stderr",
         "register_function", "register_object")
_REPEATABLE = ("register_function", "register_object")
_REQUIRED = ("kernel", "entry", "expect")
_CASE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_SYMBOL = re.compile(r"^[A-Za-z_.$][A-Za-z0-9_.$]*$")
_DETAIL_LIMIT = 400


class ManifestError(Exception):
    """The manifest is malformed; the message names the file and line."""


class Raises(object):
    """Expects the call to raise: an exception instance (same type, same args)
    or a class (that exact type)."""

    def __init__(self, expected):
        self.expected = expected

    def matches(self, exception):
        if isinstance(self.expected, type):
            return type(exception) is self.expected
        return type(exception) is type(self.expected) and exception.args == self.expected.args

    def __repr__(self):
        if isinstance(self.expected, type):
            return "Raises(%s)" % self.expected.__name__
        return "Raises(%r)" % (self.expected,)


class LinkFailure(object):
    """Expects linking to fail, naming exactly these missing symbols."""

    def __init__(self, *names):
        self.names = sorted(names)

    def __repr__(self):
        return "LinkFailure(%s)" % ", ".join(repr(n) for n in self.names)


class Case(object):
    """One [section] of the manifest. `fields` maps a key to (line, text)."""

    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.fields = {}
        self.functions = []  # (name, C-API name)
        self.objects = []    # (name, expression)

    @property
    def kernel(self):
        return self.fields["kernel"][1]

    @property
    def entry(self):
        return self.fields["entry"][1]


def _registration(path, line, key, text):
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not _SYMBOL.match(name) or not value:
        raise ManifestError("%s:%d: %s wants `name = value`, got %r" % (path, line, key, text))
    if key == "register_function" and not _SYMBOL.match(value):
        raise ManifestError("%s:%d: register_function target %r is not a symbol name"
                            % (path, line, value))
    return name, value


def _finish(path, case, seen):
    if case is None:
        return
    for key in _REQUIRED:
        if key not in case.fields:
            raise ManifestError("%s:%d: case [%s] has no %s" % (path, case.line, case.name, key))
    for key in ("kernel", "entry"):
        if not _SYMBOL.match(case.fields[key][1]):
            raise ManifestError("%s:%d: case [%s]: %s %r is not a plain name"
                                % (path, case.fields[key][0], case.name, key, case.fields[key][1]))
    if case.name in seen:
        raise ManifestError("%s:%d: case [%s] is defined twice" % (path, case.line, case.name))
    seen.add(case.name)


def read_manifest(path):
    """The cases of the manifest at `path`, in file order."""
    with io.open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cases, seen = [], set()
    case, key = None, None
    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            key = None
            continue
        if text[0] in " \t":
            if case is None or key is None:
                raise ManifestError("%s:%d: continuation line with nothing to continue"
                                    % (path, number))
            if key in _REPEATABLE:
                raise ManifestError("%s:%d: %s cannot continue over lines" % (path, number, key))
            line, value = case.fields[key]
            case.fields[key] = (line, value + " " + stripped)
            continue
        if stripped.startswith("["):
            _finish(path, case, seen)
            name = stripped[1:-1] if stripped.endswith("]") else ""
            if not _CASE_NAME.match(name):
                raise ManifestError("%s:%d: bad case header %r" % (path, number, stripped))
            case, key = Case(name, number), None
            cases.append(case)
            continue
        if case is None:
            raise ManifestError("%s:%d: %r before the first [case]" % (path, number, stripped))
        key, sep, value = stripped.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in _KEYS:
            raise ManifestError("%s:%d: unknown key in %r (keys: %s)"
                                % (path, number, stripped, ", ".join(_KEYS)))
        if key == "register_function":
            case.functions.append(_registration(path, number, key, value))
        elif key == "register_object":
            case.objects.append(_registration(path, number, key, value))
        elif key in case.fields:
            raise ManifestError("%s:%d: %s given twice in [%s]" % (path, number, key, case.name))
        else:
            case.fields[key] = (number, value)
    _finish(path, case, seen)
    return cases


def _statuses(status, names):
    return dict((name, status) for name in names)


def _run(source):
    namespace = {}
    exec(source, namespace)
    return namespace


def expectation_namespace():
    """The names an expression in the manifest may use, for this interpreter."""
    pypy = sys.implementation.name == "pypy"
    return {
        "run": _run,
        "pypy": pypy,
        "cpython": sys.implementation.name == "cpython",
        "version": tuple(sys.version_info[:2]),
        "Raises": Raises,
        "LinkFailure": LinkFailure,
        "status": lambda status, *names: _statuses(status, names),
        "renamed_on_pypy": lambda *names: _statuses("alias" if pypy else "exact", names),
        "substituted_on_pypy": lambda *names: _statuses("substitute" if pypy else "exact", names),
    }


def describe_interpreter():
    """E.g. 'cpython 3.11.2' or 'pypy 3.9.16 (PyPy 7.3.11)', plus ' debug' for debug builds."""
    text = "%s %s" % (sys.implementation.name, sys.version.split()[0])
    if hasattr(sys, "pypy_version_info"):
        text += " (PyPy %d.%d.%d)" % tuple(sys.pypy_version_info[:3])
    if hasattr(sys, "gettotalrefcount"):
        text += " debug"
    return text


def same(actual, expected):
    """Same type, and the same repr (which nan needs) or equal (which sets may need)."""
    if type(actual) is not type(expected):
        return False
    if repr(actual) == repr(expected):
        return True
    try:
        return bool(actual == expected)
    except Exception:
        return False


def _shorten(text):
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= _DETAIL_LIMIT else text[:_DETAIL_LIMIT - 3] + "..."


def _describe_exception(exception):
    return "%s(%s)" % (type(exception).__name__, ", ".join(repr(a) for a in exception.args))


class Matrix(object):
    """The cases of one manifest, judged in this interpreter, recorded in `results_path`."""

    def __init__(self, manifest_path, kernels_dir, results_path, column, how):
        self.kernels_dir = kernels_dir
        self.cases = read_manifest(manifest_path)
        self._by_name = dict((c.name, c) for c in self.cases)
        self._results = io.open(results_path, "w", encoding="utf-8")
        self._count = 0
        self._write("column", column, "%s, %s" % (describe_interpreter(), how))

    # --- what a runner needs to link a case ---

    def case(self, name):
        return self._by_name[name]

    def kernel_path(self, case_name):
        return "%s/%s.ll" % (self.kernels_dir, self.case(case_name).kernel)

    def kernel_text(self, case_name):
        with io.open(self.kernel_path(case_name), encoding="utf-8") as f:
            return f.read()

    def evaluate(self, case_name, key, default=None):
        """The value of `key`'s expression in case `case_name`, or `default` when absent."""
        case = self.case(case_name)
        if key not in case.fields:
            return default
        line, text = case.fields[key]
        return self._evaluate_text(case, line, key, text)

    def _evaluate_text(self, case, line, key, text):
        try:
            return eval(compile(text, "MANIFEST:%d [%s] %s" % (line, case.name, key), "eval"),
                        expectation_namespace())
        except Exception as e:
            raise ManifestError("MANIFEST:%d: [%s] %s: %s" % (line, case.name, key,
                                                               _describe_exception(e)))

    def registered_object(self, case_name, name):
        """The object that case `case_name` registers as `name`."""
        case = self.case(case_name)
        for registered, expression in case.objects:
            if registered == name:
                return self._evaluate_text(case, case.line, "register_object", expression)
        raise KeyError("case [%s] registers no object named %s" % (case_name, name))

    def status_names(self, case_name):
        """The symbols whose resolution the case checks, sorted."""
        return sorted(self.expected_statuses(case_name))

    def expected_statuses(self, case_name):
        statuses = self.evaluate(case_name, "resolves", {})
        if not isinstance(statuses, dict):
            raise ManifestError("[%s] resolves: not a dict: %r" % (case_name, statuses))
        for name, status in statuses.items():
            if status not in STATUSES:
                raise ManifestError("[%s] resolves: %s: %r is not one of %s"
                                    % (case_name, name, status, ", ".join(STATUSES)))
        return statuses

    def plan(self):
        """The whole manifest for a host that cannot read it itself, one record a line:
        case/kernel/entry, then that case's function and object registrations and the
        symbols whose status it checks."""
        lines = []
        for case in self.cases:
            lines.append("case\t%s\t%s\t%s" % (case.name, case.kernel, case.entry))
            for name, target in case.functions:
                lines.append("function\t%s\t%s" % (name, target))
            for name, _ in case.objects:
                lines.append("object\t%s" % name)
            for name in self.status_names(case.name):
                lines.append("status\t%s" % name)
        return "\n".join(lines) + "\n"

    # --- judging ---

    def begin(self, case_name, linker):
        self._write("start", case_name, linker)

    def judge_call(self, case_name, linker, function, statuses):
        """Calls the linked kernel with the case's arguments and records the verdict.
        `statuses` maps each of status_names() to how the runner's resolver answered."""
        try:
            args = self.evaluate(case_name, "args", ())
            kwargs = self.evaluate(case_name, "kwargs", None)
            outcome = self._call(function, args, kwargs)
            self._judge(case_name, linker, outcome, statuses)
        except Exception as e:
            self.record_failure(case_name, linker, "judging raised " + _describe_exception(e))

    def judge_link_failure(self, case_name, linker, missing, message, statuses):
        """Records the verdict for a kernel whose link failed, naming `missing`."""
        try:
            self._judge(case_name, linker, ("link", sorted(set(missing)), message, "", ""),
                        statuses)
        except Exception as e:
            self.record_failure(case_name, linker, "judging raised " + _describe_exception(e))

    def exposure_names(self):
        """Every symbol some case expects the interpreter (or a pysym substitute) to
        answer: what the loader must find once the runner has exposed pysym's answers."""
        names = set()
        for case in self.cases:
            for name, status in self.expected_statuses(case.name).items():
                if status in ("exact", "alias", "substitute"):
                    names.add(name)
        return sorted(names)

    def judge_exposure(self, answers):
        """Records the (expose) verdict: after the runner exposed pysym's answers to the
        process, the dynamic loader's global lookup (ctypes.CDLL(None), which is
        dlsym(RTLD_DEFAULT)) finds each of exposure_names() at the address the
        runner's resolver gives, `answers[name]`."""
        problems = []
        try:
            import ctypes
            loader = ctypes.CDLL(None)
        except Exception as e:
            self.record_exposure_failure("cannot use ctypes: " + _describe_exception(e))
            return
        for name in self.exposure_names():
            expected = answers.get(name)
            try:
                found = ctypes.addressof(ctypes.c_char.in_dll(loader, name))
            except ValueError:
                found = None
            if not expected:
                problems.append("%s: the runner's resolver has no answer" % name)
            elif found != expected:
                problems.append("%s: the loader finds %s, the resolver gives 0x%x"
                                % (name, "nothing" if found is None else "0x%x" % found, expected))
        self._write("expose", "fail" if problems else "pass", "; ".join(problems))

    def record_exposure_failure(self, detail):
        self._write("expose", "fail", "runner: " + detail)

    def record_failure(self, case_name, linker, detail):
        self._record(case_name, linker, ["runner: " + detail])

    def finish(self):
        self._write("done", str(self._count))
        self._results.close()

    def _call(self, function, args, kwargs):
        captured_out, captured_err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = captured_out, captured_err
        try:
            try:
                value = function(*args, **kwargs) if kwargs is not None else function(*args)
                outcome = ("return", value)
            except Exception as e:
                outcome = ("raise", e)
        finally:
            sys.stdout, sys.stderr = saved
        return outcome + (None, captured_out.getvalue(), captured_err.getvalue())

    def _judge(self, case_name, linker, outcome, statuses):
        problems = []
        expected = self.evaluate(case_name, "expect")
        kind, got = outcome[0], outcome[1]
        if isinstance(expected, LinkFailure):
            if kind != "link":
                problems.append("linked, but expected %r" % (expected,))
            elif got != expected.names:
                problems.append("link failed naming %s, expected %s" % (got, expected.names))
            else:
                unnamed = [n for n in got if n not in outcome[2]]
                if unnamed:
                    problems.append("link error message does not name %s: %s"
                                    % (unnamed, outcome[2]))
        elif kind == "link":
            problems.append("link failed (missing %s): %s" % (got, outcome[2]))
        elif isinstance(expected, Raises):
            if kind != "raise":
                problems.append("returned %r, expected %r" % (got, expected))
            elif not expected.matches(got):
                problems.append("raised %s, expected %r" % (_describe_exception(got), expected))
        elif kind == "raise":
            problems.append("raised %s, expected %r" % (_describe_exception(got), expected))
        elif not same(got, expected):
            problems.append("returned %r, expected %r" % (got, expected))
        if kind != "link":
            for stream, text in (("stdout", outcome[3]), ("stderr", outcome[4])):
                wanted = self.evaluate(case_name, stream, "")
                if text != wanted:
                    problems.append("%s was %r, expected %r" % (stream, text, wanted))
        for name, status in sorted(self.expected_statuses(case_name).items()):
            seen = statuses.get(name)
            if seen != status:
                problems.append("%s resolved %s, expected %s" % (name, seen, status))
        self._record(case_name, linker, problems)

    def _record(self, case_name, linker, problems):
        verdict = "fail" if problems else "pass"
        self._count += 1
        self._write("result", case_name, linker, verdict, "; ".join(problems))

    def _write(self, *fields):
        self._results.write("\t".join(_shorten(f) for f in fields) + "\n")
        self._results.flush()
