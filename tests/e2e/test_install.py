#!/usr/bin/env python3
"""test_install.py - `make install PREFIX=<tmp>` gives a library a program can be built against.

The build is quiet (one short line per step, V=1 for command lines) and reading the Makefile
calls no pkg-config; scripts/deps.sh hides apt's output unless it fails. After installing into a temporary prefix, examples/search.c (the embedding example) is built
against the installed library through pkg-config, twice: dynamically (`pkg-config --cflags --libs
vind`, with an rpath) and statically (`pkg-config --static`, libvind.a), and both are run on an
index of the sample site. Neither gets VIND_DATADIR: the installed library must find its lexicon
under the prefix it was installed to, not under the /usr/local compiled in by an earlier build.

The install runs in the build under test (BUILD=$VIND_BUILD): a PREFIX change recompiles only
lib/datadir.c and relinks; nothing else is rebuilt. Runs on the plain build only (an ASan library
cannot be linked into an uninstrumented example). Standard library only; TAP.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, Tap, build_dir, have, index_site, sample_site  # noqa: E402

tap = Tap()


def run(command, env=None, cwd=None):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          cwd=cwd, timeout=900, universal_newlines=True)


def clean_env(prefix):
    """The environment without any hint of where vind's data is, and pkg-config looking in prefix."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VIND_") and k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env["PKG_CONFIG_PATH"] = os.path.join(prefix, "lib", "pkgconfig")
    return env


def pkg_config(env, *args):
    result = run(["pkg-config"] + list(args) + ["vind"], env=env)
    tap.ok(result.returncode == 0, "pkg-config %s vind" % " ".join(args), result.stdout)
    return result.stdout.split()


def build_and_run(name, flags, env, workdir, db, prefix):
    program = os.path.join(workdir, name)
    cc = os.environ.get("CC", "cc")
    built = run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror",
                 os.path.join(REPO, "examples", "search.c"), "-o", program] + flags, env=env)
    if not tap.ok(built.returncode == 0, "%s: examples/search.c builds against the installed vind"
                  % name, built.stdout):
        return None
    result = run([program, db, "mantelzorg"], env=env, cwd=workdir)
    tap.ok(result.returncode == 0, "%s: runs without VIND_DATADIR (exit %d)" % (name, result.returncode),
           result.stdout)
    match = re.search(r"^(\d+) results for mantelzorg", result.stdout, re.M)
    tap.ok(match is not None and int(match.group(1)) > 0 and "\n1. " in result.stdout,
           "%s: prints ranked results" % name, result.stdout)
    tap.ok("<mark>" in result.stdout, "%s: prints a snippet with the match marked" % name, result.stdout)
    return program


def main():
    build = build_dir()
    plain = os.environ.get("VIND_PLAIN_BUILD")
    if plain and os.path.abspath(plain) != build:
        tap.skip("make install and pkg-config", "runs on the plain build only (%s)" % os.path.basename(build))
        return tap.done()
    site = sample_site()
    if not have("vind-index") or site is None or shutil.which("pkg-config") is None:
        tap.skip("make install and pkg-config", "needs the built programs, the sample site and pkg-config")
        return tap.done()
    relative_build = os.path.relpath(build, REPO)
    if relative_build.startswith(".."):
        relative_build = build
    try:
        check_install(build, relative_build, site)
    finally:
        # The install rebuilt the build under test for the temporary PREFIX: the tests after
        # this one (and `make demo`) get back a build with the default PREFIX compiled in.
        restored = run(["make", "--no-print-directory", "-C", REPO, "BUILD=" + relative_build, "all"])
        tap.ok(restored.returncode == 0, "the build is back at the default PREFIX", restored.stdout[-3000:])
    check_no_pkg_config_noise()
    check_deps_quiet()
    return tap.done()


def check_install(build, relative_build, site):
    with tempfile.TemporaryDirectory() as tmp:
        # The example is built outside the prefix: <program>/../share/vind must not find the data.
        prefix, workdir = os.path.join(tmp, "prefix"), os.path.join(tmp, "work")
        os.mkdir(workdir)
        env = clean_env(prefix)
        make = ["make", "--no-print-directory", "-C", REPO, "BUILD=" + relative_build, "PREFIX=" + prefix]
        # Up to date first (with the default PREFIX), so what follows shows what a PREFIX change alone rebuilds.
        run(["make", "--no-print-directory", "-C", REPO, "BUILD=" + relative_build, "all"])
        built = run(make + ["all"], env=env)
        if not tap.ok(built.returncode == 0, "make all PREFIX=<tmp>", built.stdout[-3000:]):
            return
        steps = built.stdout.splitlines()
        compiled = [line.split()[-1] for line in steps if re.match(r"\s+(CC|CXX)\s", line)]
        tap.ok(compiled == [os.path.join(relative_build, "lib", "datadir.o")],
               "a new PREFIX recompiles lib/datadir.c and nothing else", built.stdout)
        # Quiet build: "  CC      build/lib/datadir.o", "  AR ...", "  LINK ...", no command lines.
        tap.ok(steps and all(re.match(r"^  [A-Z]+ +\S+$", line) for line in steps),
               "the build prints one short line per step (AR and LINK too)", built.stdout)
        installed = run(make + ["install"], env=env)
        if not tap.ok(installed.returncode == 0, "make install PREFIX=<tmp>", installed.stdout[-3000:]):
            return
        tap.ok(not re.search(r"^\s+(CC|CXX|LINK|AR)\s", installed.stdout, re.M),
               "make install after make builds nothing again", installed.stdout)
        library = os.path.join(prefix, "lib", "libvind.so.0")
        for path in ("bin/vind-index", "lib/libvind.a", "lib/libvind.so", "include/vind/vind.h",
                     "lib/pkgconfig/vind.pc", "share/vind/nl.lex", "share/vind/stopwords/nl.txt",
                     "share/doc/vind/examples/search.c"):
            tap.ok(os.path.exists(os.path.join(prefix, path)), "installed: " + path)
        tap.ok(not os.path.exists(os.path.join(prefix, "include", "vind", "xapian.h")),
               "the private include/vind/xapian.h is not installed")
        with open(library, "rb") as f:
            tap.ok((prefix + "/share/vind").encode() in f.read(),
                   "the installed library has <prefix>/share/vind compiled in")
        tap.equal(run(["pkg-config", "--variable=datadir", "vind"], env=env).stdout.strip(),
                  os.path.join(prefix, "share", "vind"), "vind.pc has datadir=${prefix}/share/vind")

        db = os.path.join(tmp, "site.db")
        index_site(db, site)

        dynamic = pkg_config(env, "--cflags", "--libs")
        program = build_and_run("dynamic", dynamic + ["-Wl,-rpath," + os.path.join(prefix, "lib")],
                                env, workdir, db, prefix)
        if program:
            needed = run(["readelf", "-d", program]).stdout
            tap.ok("libvind.so.0" in needed, "dynamic: the program loads libvind.so.0", needed)
        # -l:libvind.a: the archive even though libvind.so sits beside it.
        static = [("-l:libvind.a" if flag == "-lvind" else flag)
                  for flag in pkg_config(env, "--static", "--cflags", "--libs")]
        program = build_and_run("static", static, env, workdir, db, prefix)
        if program:
            needed = run(["readelf", "-d", program]).stdout
            tap.ok("libvind.so" not in needed, "static: libvind linked in, not loaded", needed)


FAKE_APT = """#!/bin/sh
echo "debconf: delaying package configuration, since apt-utils is not installed" >&2
echo "Selecting previously unselected package $*"
if [ "$1" = install ] && [ -n "${FAKE_APT_FAIL:-}" ]; then echo "E: Unable to locate package" >&2; exit 100; fi
"""


def check_deps_quiet():
    """scripts/deps.sh prints one line while apt-get works and apt's output only when it fails.
    apt-get (and sudo, for a non-root run) are fakes on PATH: nothing is installed."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("apt-get", FAKE_APT), ("sudo", '#!/bin/sh\nexec "$@"\n')):
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(tmp, name), 0o755)
        packages = os.path.join(tmp, "packages.txt")
        with open(packages, "w") as f:
            f.write("vind-test-no-such-package  # never installed\n")
        env = dict(os.environ, PATH=tmp + os.pathsep + os.environ.get("PATH", ""))
        result = run(["sh", os.path.join(REPO, "scripts", "deps.sh"), packages], env=env)
        lines = result.stdout.splitlines()
        tap.ok(result.returncode == 0 and len(lines) == 1 and lines[0].startswith("deps: installing"),
               "deps.sh: one line while installing, apt's chatter hidden", result.stdout)
        env["FAKE_APT_FAIL"] = "1"
        result = run(["sh", os.path.join(REPO, "scripts", "deps.sh"), packages], env=env)
        tap.ok(result.returncode != 0 and "Unable to locate package" in result.stdout,
               "deps.sh: apt's output is shown when it fails", result.stdout)


def check_no_pkg_config_noise():
    """Reading the Makefile asks pkg-config nothing: on a fresh machine `make demo` and `make check`
    install the packages first, and a "Package glib-2.0 was not found" before that is noise."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env.update(PKG_CONFIG_PATH="", PKG_CONFIG_LIBDIR="/nonexistent")  # as if no -dev package were there
    result = run(["make", "--no-print-directory", "-n", "-C", REPO, "clean"], env=env)
    tap.ok(result.returncode == 0 and "was not found" not in result.stdout,
           "the Makefile reads without calling pkg-config (no 'Package ... was not found')",
           result.stdout)


if __name__ == "__main__":
    sys.exit(main())
