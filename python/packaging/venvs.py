"""Fresh virtual environments with pysym installed from its wheels, for
wheel_test.py and startup_cost.py."""

import os
import subprocess


def run(argv, env=None, cwd=None, timeout=600):
    """Runs argv; its stdout, or AssertionError with everything it said."""
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, cwd=cwd, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (" ".join(argv), done.returncode,
                                                      done.stdout, done.stderr))
    return done.stdout


def clean_environment():
    """os.environ without PYTHON* and PYSYM_* variables, so that nothing but
    the venv decides what the interpreter imports."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PYSYM_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# Debian's pip (python3-pip), which installs into another interpreter's
# environment with --python: a venv made without pip of its own takes a
# second where ensurepip's copy of pip and setuptools takes tens.
PIP = ["/usr/bin/python3", "-m", "pip"]


def venv_with_pysym(interpreter, directory, wheels, env, cwd):
    """Creates a venv of interpreter in directory and installs pysym into it
    with `pip install --no-index`, choosing among the wheels in the
    directory `wheels` as a user's pip would. Returns the venv's python."""
    run([interpreter, "-m", "venv", "--without-pip", directory])
    python = os.path.join(directory, "bin", "python")
    run(PIP + ["--python", python, "install", "--no-index", "--no-cache-dir",
               "--disable-pip-version-check", "--find-links", wheels, "pysym"], env=env, cwd=cwd)
    return python


def site_packages(python, env):
    """The venv's directory of installed modules (where the .pth goes)."""
    return run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
               env=env).strip()
