#!/usr/bin/env python3
"""test_searchd_blockcache.py - vind-searchd's cache of Xapian's blocks (searchd/blockcache.c)
never serves a block of an older revision: a daemon with the cache, warmed on a set of searches,
answers them byte for byte as a daemon without it (VIND_SEARCHD_BLOCK_CACHE=0) after each of six
commits that rewrite every article (so glass rewrites the blocks the cache holds and reuses freed
ones); and a block cache that kept blocks across a commit would answer with the old postings
(counts, snippets) or fail.

Works on a private copy of the sample site (make build/sample-site/index.html); skips without it.
"""

import contextlib
import glob
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, index_site, indexed_copy, query, require_sample_site  # noqa: E402

tap = Tap()
ROUNDS = 6
# No result cache; no time limit and no costly-search admission, which would cut or refuse a
# search of a slow (sanitizer) build on a loaded machine in one daemon and not the other.
OPTIONS = ("--cache-size", "0", "--search-time-limit", "0", "--max-heavy-searches", "0")
WORDS = ["zorg", "verpleeghuis", "bewoners", "mantelzorg", "wonen", "gemeente", "toegankelijk*"]


def rewrite_articles(site, word):
    """Puts word in front of every paragraph of every article: every document changes."""
    for path in sorted(glob.glob(os.path.join(site, "actueel", "*", "index.html"))):
        with open(path, encoding="utf-8") as f:
            html = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(html.replace("<p>", "<p>%s " % word))


def paths_for(words):
    out = []
    for word in words:
        out.append("/api/search?" + query(q=word))
        out.append("/api/search?" + query(q=word, page=2, size=3))
    return out


def answers(sd, paths):
    return [sd.get(path)[::2] for path in paths]  # (status, body)


def partial(answer):
    """Whether an answer was cut short (a failure's detail: the options above should prevent it)."""
    return b'"partial":true' in answer[1]


def revision(sd):
    status, health = sd.json("/health")
    return health["revision"] if status == 200 else None


def wait_for(sd, wanted, limit=5.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if revision(sd) == wanted:
            time.sleep(0.3)  # past one reopen interval: every searcher has checked
            return True
        time.sleep(0.02)
    return False


@contextlib.contextmanager
def uncached():
    """A daemon over the same index without the block cache, stopped at the end of the block."""
    os.environ["VIND_SEARCHD_BLOCK_CACHE"] = "0"
    try:
        sd = Searchd(DB, "--threads", "1", "--http-threads", "1", *OPTIONS).start()
    finally:
        del os.environ["VIND_SEARCHD_BLOCK_CACHE"]
    try:
        yield sd
    finally:
        sd.stop()


def main():
    global DB
    source = require_sample_site(tap, "block cache across commits")
    if source is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        site, DB = indexed_copy(source, tmp)
        with Searchd(DB, "--threads", "2", "--http-threads", "2", *OPTIONS) as cached:
            with uncached() as plain:
                first = answers(cached, paths_for(WORDS))
                tap.ok(all(status == 200 for status, _ in first) and first == answers(plain, paths_for(WORDS)),
                       "before any commit: %d answers equal with and without the block cache" % len(first))
            for round_number in range(ROUNDS):
                word = "kwispel%s" % "abcdefghij"[round_number]
                answers(cached, paths_for(WORDS))  # the cache holds this revision's blocks
                before = revision(cached)
                rewrite_articles(site, word)
                index_site(DB, site)
                with uncached() as plain:
                    now = revision(plain)
                    served = None not in (before, now) and now > before and wait_for(cached, now)
                    paths = paths_for(WORDS + [word])
                    got, expected = answers(cached, paths), answers(plain, paths)
                differing = [(paths[i], got[i][0], expected[i][0], partial(got[i]), partial(expected[i]))
                             for i in range(len(paths)) if got[i] != expected[i]]
                found = expected[-2][0] == 200 and b'"total":0' not in expected[-2][1]
                tap.ok(served and found and not differing,
                       "commit %d (revision %s -> %s): %d answers equal with and without the block "
                       "cache, the new word found" % (round_number + 1, before, now, len(paths)),
                       differing[:5])
    tap.done()


if __name__ == "__main__":
    main()
