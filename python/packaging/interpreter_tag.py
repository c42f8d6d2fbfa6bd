"""Prints, as one JSON object, what a wheel for the interpreter running this
script needs to know: its wheel tag and its extension-module suffix.

Usage: <interpreter> -I -S interpreter_tag.py PACKAGING_PARENT
  PACKAGING_PARENT  a directory holding the `packaging` package (Debian's
                    python3-packaging: /usr/lib/python3/dist-packages),
                    appended to sys.path so that only `packaging` is
                    taken from it and the interpreter's own library wins.

Output: {"tag": "cp311-cp311-linux_x86_64", "ext_suffix":
".cpython-311-x86_64-linux-gnu.so", "implementation": "cpython",
"version": "3.11.2", "executable": "/usr/bin/python3.11"}

The tag is the first of packaging.tags.sys_tags(), the tags this
interpreter installs in order of preference, whose platform is the plain
one (linux_x86_64, not manylinux: the wheel needs Debian's libLLVM), so it
is the interpreter's own answer: cp311-cp311 on CPython 3.11,
pp39-pypy39_pp73 on PyPy 3.9.
"""

import json
import platform
import sys
import sysconfig


def main(packaging_parent):
    sys.path.append(packaging_parent)
    from packaging import tags

    plain_platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    tag = next((t for t in tags.sys_tags() if t.platform == plain_platform), None)
    if tag is None:
        sys.stderr.write("interpreter_tag.py: %s supports no tag with platform %s\n"
                         % (sys.executable, plain_platform))
        return 1
    json.dump({"tag": str(tag), "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
               "implementation": sys.implementation.name,
               "version": platform.python_version(), "executable": sys.executable},
              sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
