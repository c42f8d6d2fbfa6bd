#!/usr/bin/python3.11
"""Checks that every repository path and Bazel label README.md and docs/*.md name exists.

Usage: tools/check_doc_references.py [WORKSPACE]   (default: this checkout)
As //tools:doc_references_test it finds the checkout through the runfiles
symlink of README.md. Prints one line per missing thing, "doc:line: ...",
and exits 1 if there is any, 0 otherwise.

What counts as a reference:
- a path: a word, in `code` or in prose, whose first component is a
  top-level directory or file of the repository (`resolver/resolver.h`,
  `tests/kernels/*.ll`, `WORKSPACE`; in prose only words with a '/'), checked with os.path.exists (glob for `*`); and the target of
  a relative markdown link, [text](other.md), from the doc's directory;
- a label: `//pkg:name`, `//pkg` or `//pkg/...`, in `code` or in a fenced
  block, checked against pkg/BUILD (`//pkg` is `//pkg:pkg`; `:all` and `:*`
  are every target of pkg): a literal `name = "..."`, a name built
  with `%` or `+` (`"matrix_%s_test" % c`, `name + "_test"`), a macro's
  `name` with its generated `<name>_<suffix>` targets, or a file of the
  package. Labels in other repositories (`@llvm//...`) are not checked.
"""

import glob
import os
import re
import sys

LABEL = re.compile(r"^//([A-Za-z0-9_/.+-]*)(?::([A-Za-z0-9_/.+=,@~-]+))?$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# Rules Bazel defines itself: a name given to them makes no other targets.
NATIVE_RULES = {"cc_library", "cc_binary", "cc_test", "sh_test", "sh_binary", "genrule",
                "filegroup", "test_suite", "py_test", "py_binary", "py_library", "alias",
                "exports_files", "config_setting", "cc_import"}


def top_level_names(root):
    """Top-level directories and files: a word starting with one is a path."""
    return {n for n in os.listdir(root) if not n.startswith((".", "bazel-"))}


def doc_files(root):
    return ["README.md"] + sorted(os.path.join("docs", n) for n in os.listdir(os.path.join(root, "docs"))
                                  if n.endswith(".md"))


def references(text):
    """Yields (line number, kind, reference) for each path, link and label in markdown."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            for word in line.split():
                if word.startswith("//"):
                    yield number, "label", word
            continue
        for match in CODE_SPAN.finditer(line):
            for word in match.group(2).split():
                yield number, "code", trim(word)
        for match in LINK.finditer(line):
            yield number, "link", match.group(1)
        for word in CODE_SPAN.sub(" ", LINK.sub("]", line)).split():
            if "/" in word:
                yield number, "prose", trim(word)


def trim(word):
    """word without the punctuation of the sentence around it ("//pkg/..." keeps its dots)."""
    word = word.lstrip("('\"")
    if word.endswith("..."):
        return word
    return word.rstrip(".,;:)'\"")


class Packages:
    """Target names of the packages under root, read from their BUILD files."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def names(self, package):
        """(literal names, name patterns) of package, or None if it has no BUILD."""
        if package not in self.cache:
            self.cache[package] = self._read(package)
        return self.cache[package]

    def _read(self, package):
        build = os.path.join(self.root, package, "BUILD")
        if not os.path.isfile(build):
            return None
        with open(build) as f:
            text = f.read()
        literal, patterns = set(), []
        for call in re.finditer(r"^\[?(\w+)\(\s*\n?\s*name\s*=\s*([^,\n]+)", text, re.M):
            rule, value = call.group(1), call.group(2).strip()
            string = re.match(r'^"([^"]*)"(.*)$', value)
            if string and not string.group(2).strip():
                literal.add(string.group(1))
                if rule not in NATIVE_RULES:
                    patterns.append(re.escape(string.group(1)) + "_.+")
            elif string:  # "matrix_%s_test" % column
                patterns.append(re.sub(r"%[sd]", ".+", re.escape(string.group(1)).replace(r"\%", "%")))
            else:  # name + "_test"
                suffix = re.search(r'\+\s*"([^"]*)"$', value)
                patterns.append(".+" + re.escape(suffix.group(1)) if suffix else ".+")
        return literal, patterns

    def check(self, label):
        """None if label names an existing target, else what is missing."""
        match = LABEL.match(label)
        if not match:
            return "not a label"
        package, name = match.group(1), match.group(2)
        if package == "..." or package.endswith("/..."):
            directory = package[:-3].rstrip("/")
            return None if os.path.isdir(os.path.join(self.root, directory)) else \
                "no directory %s/" % (directory or ".")
        package = package.rstrip("/")
        names = self.names(package)
        if names is None:
            return "no package //%s (no %s/BUILD)" % (package, package or ".")
        if name is None:
            name = package.split("/")[-1]
        if name in ("all", "*", "all-targets"):  # target patterns: every target
            return None
        literal, patterns = names
        if name in literal or any(re.fullmatch(p, name) for p in patterns):
            return None
        if os.path.exists(os.path.join(self.root, package, name)):
            return None  # a source file of the package
        return "no target %s in %s/BUILD" % (name, package or ".")


def check_path(root, tops, doc, word):
    """None if word is not a repository path or names one that exists."""
    if "://" in word or word.startswith(("/", "$", "-", "@")) or "<" in word or "{" in word:
        return None
    path = word.split("#")[0].split("::")[0]
    first = path.split("/")[0]
    if first not in tops or (first == path and "." not in path and not os.path.isdir(os.path.join(root, first))):
        return None
    if not re.fullmatch(r"[A-Za-z0-9_./*+-]+", path):
        return None
    full = os.path.join(root, path)
    found = glob.glob(full) if "*" in path else os.path.exists(full)
    return None if found else "no file or directory %s" % path


def check_link(root, doc, target):
    if re.match(r"^[a-z]+:", target) or target.startswith("#"):
        return None
    path = target.split("#")[0]
    full = os.path.normpath(os.path.join(root, os.path.dirname(doc), path))
    return None if os.path.exists(full) else "link target %s does not exist" % path


def problems(root):
    """Every missing reference, as 'doc:line: problem' lines."""
    tops = top_level_names(root)
    packages = Packages(root)
    found = []
    for doc in doc_files(root):
        with open(os.path.join(root, doc)) as f:
            text = f.read()
        for number, kind, word in references(text):
            if kind == "link":
                problem = check_link(root, doc, word)
            elif word.startswith("//") and LABEL.match(word):
                problem = packages.check(word)
                problem = problem and "label %s: %s" % (word, problem)
            elif kind in ("code", "prose"):
                problem = check_path(root, tops, doc, word)
            else:
                problem = None
            if problem:
                found.append("%s:%d: %s" % (doc, number, problem))
    return found


def workspace():
    """The checkout: argv[1], else found from the test's runfiles or this file."""
    if len(sys.argv) > 1:
        return sys.argv[1]
    runfiles = os.environ.get("TEST_SRCDIR")
    if runfiles:  # README.md in the runfiles links to the checkout's.
        readme = os.path.join(runfiles, os.environ.get("TEST_WORKSPACE", "pysym"), "README.md")
        return os.path.dirname(os.path.realpath(readme))
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    root = workspace()
    if not os.path.isdir(os.path.join(root, "docs")):
        print("check_doc_references: %s has no docs/ (is it the checkout?)" % root, file=sys.stderr)
        return 2
    found = problems(root)
    for line in found:
        print(line)
    print("%d missing reference(s) in README.md and docs/*.md under %s" % (len(found), root))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
