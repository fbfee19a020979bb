"""vindlib.py - reads an index back through libvind itself (ctypes on libvind.so.0), for the
end-to-end tests of vind-index, so they depend on neither `vind` nor vind-searchd.

    from vindlib import Index, snapshot
    index = Index(db)                      # RuntimeError when the index does not open
    index.stats()                          # {"documents": 748, "types": ...}
    index.document("/actueel/x/", True)   # stored fields (+ "text"), or None
    index.search("zorg", limit=0)          # vind_search -> the results' JSON, all matches
    index.close()
    snapshot(db, queries)                  # everything a crash test compares between two indexes

The library is loaded from $VIND_PLAIN_BUILD (tests/run.sh sets it to the unsanitized build: an ASan
libvind cannot be loaded into an uninstrumented Python), else $VIND_BUILD, else build/.
Standard library only.
"""
import ctypes
import json
import os

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(os.environ.get("VIND_BUILD", os.path.join(TOP, "build")))
# libvind loaded into Python cannot find its data next to the program.
os.environ.setdefault("VIND_DATADIR", os.path.join(BUILD, "share", "vind"))

VIND_FACET_LAST = 4


class SearchRequest(ctypes.Structure):
    """vind_search_request_t (include/vind/search.h); filled by vind_search_request_init."""

    _fields_ = [
        ("query", ctypes.c_char_p),
        ("filters", ctypes.c_void_p * VIND_FACET_LAST),
        ("n_filters", ctypes.c_size_t * VIND_FACET_LAST),
        ("from_", ctypes.c_char_p),
        ("to", ctypes.c_char_p),
        ("sort", ctypes.c_int),
        ("offset", ctypes.c_size_t),
        ("limit", ctypes.c_size_t),
        ("facets", ctypes.c_int),
        ("snippets", ctypes.c_int),
        ("snippet_chars", ctypes.c_uint),
    ]


def _load():
    plain = os.environ.get("VIND_PLAIN_BUILD", BUILD)
    lib = ctypes.CDLL(os.path.join(plain, "libvind.so.0"))
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    err = ctypes.POINTER(ctypes.c_char_p)
    lib.vind_lexicon_open.argtypes = [text, ctypes.POINTER(pointer), err]
    lib.vind_searcher_open.argtypes = [text, pointer, ctypes.POINTER(pointer), err]
    lib.vind_searcher_document.argtypes = [pointer, text, ctypes.c_int, ctypes.POINTER(pointer), err]
    lib.vind_searcher_stats.argtypes = [pointer, ctypes.POINTER(pointer), err]
    lib.vind_searcher_close.argtypes = [pointer]
    lib.vind_lexicon_close.argtypes = [pointer]
    lib.vind_search_request_init.argtypes = [ctypes.POINTER(SearchRequest)]
    lib.vind_search.argtypes = [pointer, ctypes.POINTER(SearchRequest), ctypes.POINTER(pointer), err]
    lib.vind_results_to_json.argtypes = [pointer]
    lib.vind_results_to_json.restype = pointer
    lib.vind_results_free.argtypes = [pointer]
    return lib


class Index:
    """A read-only view of an index through libvind's public API."""

    lib = None
    libc = None

    def __init__(self, path):
        if Index.lib is None:
            Index.lib = _load()
            Index.libc = ctypes.CDLL(None)
            Index.libc.free.argtypes = [ctypes.c_void_p]
        self.lexicon = ctypes.c_void_p()
        self.searcher = ctypes.c_void_p()
        err = ctypes.c_char_p()
        if Index.lib.vind_lexicon_open(None, ctypes.byref(self.lexicon), ctypes.byref(err)):
            raise RuntimeError("lexicon: %s" % err.value)
        if Index.lib.vind_searcher_open(path.encode(), self.lexicon, ctypes.byref(self.searcher),
                                        ctypes.byref(err)):
            Index.lib.vind_lexicon_close(self.lexicon)
            raise RuntimeError("open: %s" % err.value)

    def _json(self, pointer):
        text = ctypes.string_at(pointer.value).decode("utf-8")
        Index.libc.free(pointer)
        return json.loads(text)

    def document(self, url, with_text=False):
        """The stored record of url (bytes or str), or None when there is none."""
        out, err = ctypes.c_void_p(), ctypes.c_char_p()
        key = url if isinstance(url, bytes) else url.encode("utf-8", "surrogateescape")
        status = Index.lib.vind_searcher_document(self.searcher, key, int(with_text),
                                                  ctypes.byref(out), ctypes.byref(err))
        return None if status else self._json(out)

    def stats(self):
        out, err = ctypes.c_void_p(), ctypes.c_char_p()
        if Index.lib.vind_searcher_stats(self.searcher, ctypes.byref(out), ctypes.byref(err)):
            raise RuntimeError("stats: %s" % err.value)
        return self._json(out)

    def search(self, query, limit=10, snippets=False):
        """vind_search's results as JSON (a dict); limit 0 = every match. RuntimeError on failure."""
        request = SearchRequest()
        Index.lib.vind_search_request_init(ctypes.byref(request))
        request.query = query.encode("utf-8")
        request.limit = limit
        request.snippets = int(snippets)
        results, err = ctypes.c_void_p(), ctypes.c_char_p()
        status = Index.lib.vind_search(self.searcher, ctypes.byref(request), ctypes.byref(results),
                                       ctypes.byref(err))
        if status:
            raise RuntimeError("search %r: status %d: %s" % (query, status, err.value))
        text = Index.lib.vind_results_to_json(results)
        try:
            return self._json(ctypes.c_void_p(text))
        finally:
            Index.lib.vind_results_free(results)

    def close(self):
        Index.lib.vind_searcher_close(self.searcher)
        Index.lib.vind_lexicon_close(self.lexicon)


def hit_list(results):
    """The hits of a results dict, whatever key the JSON uses for them."""
    for key in ("hits", "results", "documents"):
        if isinstance(results.get(key), list):
            return results[key]
    return []


def ranking(results):
    """(url, score) of every hit, sorted by score then url, so that ties do not depend on docids."""
    pairs = [(hit.get("url"), round(float(hit.get("score") or 0), 6)) for hit in hit_list(results)]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0] or ""))


def snapshot(db, queries):
    """Everything two indexes of the same files must share: every document's stored record (text
    included), the stats, and the ranked answers to queries. Raises RuntimeError when the index does
    not open or a search fails."""
    index = Index(db)
    try:
        everything = index.search("", limit=0)
        urls = sorted(hit.get("url") for hit in hit_list(everything))
        documents = {url: index.document(url, with_text=True) for url in urls}
        stats = index.stats()
        for volatile in ("revision", "size", "bytes", "index_bytes", "size_bytes", "last_run"):
            stats.pop(volatile, None)
        answers = {query: (index.search(query, limit=0).get("total"),
                           ranking(index.search(query, limit=0))) for query in queries}
        return {"documents": documents, "stats": stats, "answers": answers}
    finally:
        index.close()


def differences(one, other, limit=10):
    """Human-readable differences between two snapshots (empty when equal)."""
    found = []
    if one["stats"] != other["stats"]:
        found.append("stats: %s != %s" % (json.dumps(one["stats"])[:300],
                                          json.dumps(other["stats"])[:300]))
    a, b = one["documents"], other["documents"]
    for url in sorted(set(a) - set(b))[:limit]:
        found.append("only in the first: %s" % url)
    for url in sorted(set(b) - set(a))[:limit]:
        found.append("only in the second: %s" % url)
    changed = [url for url in sorted(set(a) & set(b)) if a[url] != b[url]]
    for url in changed[:limit]:
        keys = sorted(k for k in set(a[url] or {}) | set(b[url] or {})
                      if (a[url] or {}).get(k) != (b[url] or {}).get(k))
        found.append("stored fields differ: %s (%s)" % (url, ", ".join(keys)))
    for query in one["answers"]:
        if one["answers"][query] != other["answers"].get(query):
            found.append("answers to %r differ: %s vs %s" % (
                query, str(one["answers"][query])[:200], str(other["answers"].get(query))[:200]))
    return found


def build_shim(folder, name):
    """Compiles the LD_PRELOAD shim tests/e2e/NAME.c into folder. Returns (path of the .so, None),
    or (None, why it cannot)."""
    import shutil
    import subprocess
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if not cc:
        return None, "no C compiler"
    shim = os.path.join(folder, name + ".so")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".c")
    proc = subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", shim, source, "-ldl"],
                          capture_output=True, text=True)
    return (shim, None) if proc.returncode == 0 else (None, "cc failed: " + proc.stderr[-300:])


def spelling_table(db, build):
    """The spelling table of database db as {word: frequency}, read by build's tests/spelling-dump
    (tests/e2e/spelling_dump.c, built with the unit tests), or None when it is not built."""
    import subprocess
    tool = os.path.join(build, "tests", "spelling-dump")
    if not os.access(tool, os.X_OK):
        return None
    out = subprocess.run([tool, db], stdout=subprocess.PIPE, check=True, timeout=60).stdout
    return {word: int(freq) for word, freq in
            (line.split("\t") for line in out.decode("utf-8", "replace").splitlines())}


def built_sample_site(tmp):
    """The sample site of the build under test; when the build has none, one built into tmp by
    sample/build.py (once per tmp)."""
    import subprocess
    import sys
    built = os.path.join(BUILD, "sample-site")
    if not os.path.isfile(os.path.join(built, "index.html")):
        built = os.path.join(tmp, "sample-site-built")
        if not os.path.isdir(built):
            subprocess.run([sys.executable, os.path.join(TOP, "sample", "build.py"), built],
                           capture_output=True)
    return built


def build_write_faults(folder):
    """Compiles tests/e2e/write_faults.c (an LD_PRELOAD shim: a full disk, or a kill -9 at a chosen
    step of a commit) into folder. Returns (path of the .so, None), or (None, why it cannot)."""
    return build_shim(folder, "write_faults")


def fault_env(shim, folder, **settings):
    """The environment of a program run under the write_faults shim, watching folder."""
    env = dict(os.environ, LD_PRELOAD=shim, VIND_FAULT_DIR=os.path.realpath(folder))
    env.update({key: str(value) for key, value in settings.items()})
    # An ASan build wants its runtime first in the library list; the shim only wraps a few calls.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    return env


def sanitized(program):
    """Whether program is an ASan build (tests/run.sh runs every test on build-asan too): its
    resident memory is mostly shadow memory, its extraction workers run without RLIMIT_AS
    (lib/isolate.c), and it is several times slower."""
    with open(program, "rb") as handle:
        return b"libasan.so" in handle.read()
