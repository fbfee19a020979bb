#!/usr/bin/env python3
"""test_symbols.py - libvind.so.0 exports exactly its public API (notmuch's T360-symbol-hiding).

The public API is every function marked VIND_API in include/vind/*.h, except include/vind/xapian.h
(the private C face of the C++ wrapper, not installed). The library is built with
-fvisibility=hidden, so a function without VIND_API must not be exported, and a declared one must
be (a VIND_API declaration without a definition, or a definition hidden by mistake, breaks a
program that links against the shared library, not the tests that link libvind.a).

Checked with `nm -D --defined-only`:
  1. every declared VIND_API function is exported;
  2. every exported function (T) is a declared VIND_API function: no private vind_ function, no
     helper without a prefix;
  3. no data symbol (D, B, R: global state) is exported;
  4. the only other exports are C++ vague-linkage symbols (W, V, u: template instances and
     typeinfo that libstdc++'s and Xapian's headers give default visibility); they are listed
     here as a diagnostic, since a linker version script would be needed to hide them.
And with `readelf -d`, of the programs:
  5. `vind` and vind-searchd need no library of the extraction stack (poppler, cairo, libxml2,
     hunspell) and `vind` not libmicrohttpd: every process would otherwise map and relocate
     them at start (the Makefile links programs with --as-needed, which Debian's gcc only
     implies without sanitizers); nor do they hold any extraction code of libvind.a. No
     program needs libstemmer.
  6. `vind` loads neither GLib, libpcre2, jansson nor yajl: they are linked in from their static
     archives (Makefile, CLI_STATIC; skipped in sanitizer builds and with VIND_CLI_STATIC=0).
Standard library only; TAP.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(os.environ.get("VIND_BUILD", os.path.join(TOP, "build")))
PRIVATE_HEADERS = {"xapian.h"}
# Symbols every shared object has, and those a sanitizer build adds.
TOOLCHAIN = re.compile(r"^(_init|_fini|_edata|_end|__bss_start|__(asan|ubsan|sanitizer|lsan)\w*)$")

tap = Tap()


def declared():
    """{function name: header} of every VIND_API declaration in the public headers."""
    names = {}
    for header in sorted(glob.glob(os.path.join(TOP, "include", "vind", "*.h"))):
        if os.path.basename(header) in PRIVATE_HEADERS:
            continue
        text = open(header, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments may mention VIND_API
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"#\s*define[^\n]*(\\\n[^\n]*)*", " ", text)  # the macro's own definition
        for match in re.finditer(r"\bVIND_API\b([^;{]*?)\b([A-Za-z_]\w*)\s*\(", text):
            names[match.group(2)] = os.path.basename(header)
    return names


def exported(library):
    """[(type letter, name)] of the defined dynamic symbols."""
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True,
                         check=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split()
        # "A VIND_0" is the version node of lib/libvind.map, not a symbol.
        if len(parts) >= 2 and parts[-2] != "A":
            symbols.append((parts[-2], parts[-1].split("@")[0]))
    return symbols


# The libraries only extraction (vind-index) uses, and the HTTP server only vind-searchd uses.
# libstemmer no program needs: libvind stems with Xapian's copy of Snowball (lib/stem.c), and
# libstemmer.so cost every start 10,821 relocations written into 84 pages.
EXTRACTION = re.compile(r"^lib(poppler|cairo|xml2|hunspell|gobject|stemmer)")
NOT_NEEDED = {"vind": re.compile(EXTRACTION.pattern + r"|^libmicrohttpd"), "vind-searchd": EXTRACTION,
              "vind-index": re.compile(r"^libstemmer")}


def needed(program):
    """The DT_NEEDED entries of a program."""
    out = subprocess.run(["readelf", "-d", program], capture_output=True, text=True,
                         check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def check_programs():
    """5: the programs load only what they call."""
    if not shutil.which("readelf"):
        tap.skip("libraries of the programs", "readelf (binutils) not installed")
        return
    for name, unwanted in sorted(NOT_NEEDED.items()):
        program = os.path.join(BUILD, "bin", name)
        libraries = needed(program)
        extra = [lib for lib in libraries if unwanted.match(lib)]
        tap.ok(libraries and not extra, "%s loads no library it never calls (%d needed)"
               % (name, len(libraries)), "needed but unused: %s" % ", ".join(extra))
        symbols = subprocess.run(["nm", program], capture_output=True, text=True).stdout
        extract = sorted(set(re.findall(r"\b(vind_extract_(?:pdf|html|file)\w*)", symbols)))
        if name != "vind-index":
            tap.ok(not extract, "%s holds no extraction code of libvind.a" % name, ", ".join(extract))
    check_cli_static()


# What `vind` takes from static archives (the Makefile, CLI_STATIC): a process per command pays
# ~6 page faults and ~8 system calls for each shared library it loads.
CLI_STATIC = re.compile(r"^lib(glib-2\.0|jansson|yajl|pcre2)")


def check_cli_static():
    """6: `vind` loads neither GLib (nor its libpcre2), jansson nor yajl: they are linked in."""
    program = os.path.join(BUILD, "bin", "vind")
    symbols = subprocess.run(["nm", program], capture_output=True, text=True).stdout
    if "__asan_init" in symbols or "__tsan_init" in symbols:
        tap.skip("vind links GLib, jansson and yajl statically", "sanitizer build (dynamic)")
        return
    if os.environ.get("VIND_CLI_STATIC") == "0":
        tap.skip("vind links GLib, jansson and yajl statically", "built with CLI_STATIC=0")
        return
    shared = [lib for lib in needed(program) if CLI_STATIC.match(lib)]
    tap.ok(not shared, "vind links GLib, jansson and yajl statically", "needed: %s" % ", ".join(shared))


def main():
    check_programs()
    library = os.path.join(BUILD, "libvind.so.0")
    if not shutil.which("nm"):
        tap.skip("symbols of libvind.so.0", "nm (binutils) not installed")
        return tap.done()
    if not os.path.isfile(library):
        tap.ok(False, "libvind.so.0 is built (%s)" % library)
        return tap.done()
    api = declared()
    tap.ok(len(api) > 50, "the public headers declare the API (%d VIND_API functions)" % len(api))
    symbols = [(kind, name) for kind, name in exported(library) if not TOOLCHAIN.match(name)]
    functions = {name for kind, name in symbols if kind in ("T", "i")}
    missing = sorted(set(api) - functions)
    tap.ok(not missing, "every VIND_API function is exported",
           "\n".join("%s (%s)" % (name, api[name]) for name in missing))
    extra = sorted(functions - set(api))
    tap.ok(not extra, "every exported function is a declared VIND_API function (%d exported)"
           % len(functions), "\n".join(extra))
    data = sorted(name for kind, name in symbols if kind in ("D", "B", "R", "G", "S"))
    tap.ok(not data, "no data symbol is exported (no global state)", "\n".join(data))
    other = [(kind, name) for kind, name in symbols
             if kind not in ("T", "i", "D", "B", "R", "G", "S")]
    strange = [name for kind, name in other if kind not in ("W", "V", "u") or not name.startswith("_Z")]
    tap.ok(not strange, "the other exports are C++ vague-linkage symbols only", "\n".join(strange))
    if other:
        tap.diag("%d C++ template/typeinfo symbols are exported (hidden only by a version script), "
                 "e.g. %s" % (len(other), ", ".join(name for _, name in other[:3])))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
