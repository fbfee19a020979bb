#!/usr/bin/env python3
"""test_searchd_cache.py - vind-searchd's result cache of /api/search (searchd/cache.c).

  1. a cached answer is byte for byte the uncached one (a daemon with --cache-size 0 over the same
     index), for plain, filtered, sorted and paged searches; the second ask is a hit (/metrics);
     the parameters are normalised: another order, an ignored name, page=1 spelt out are one key;
  2. a reindex (a new revision) is never answered from the cache: a page added by vind-index is
     found at once, and /metrics counts the flush;
  3. the byte bound holds: with --cache-size 64K, 40 different searches leave at most 64 kB
     cached and some answers evicted;
  4. a partial answer (past --search-time-limit) is not cached; --cache-size 0 keeps nothing;
     a bad --cache-size is a usage error.
Standard library only; TAP. No timing assertions.
"""
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Searchd, Tap, binary, env, generated_index, index_site, metric,  # noqa: E402
                     query, require_programs, wait_revision, write_article)

tap = Tap()
ARTICLES = 40

SEARCHES = [
    query(q="wijkzorg"),
    query(q="wijkzorg", tag=["etiket03", "etiket01"]),
    query(q="wijkzorg", sort="date", page=2, size=5),
    query(q="bewoners buurt", year="2021"),
    query(tag="etiket02"),
    query(q="wachtlijst*", sort="date-asc"),
]


def identical(cached, plain):
    hits_before = metric(cached, "vind_cache_hits_total")
    same, hits = [], 0
    for search in SEARCHES:
        path = "/api/search?" + search
        first = cached.get(path)
        second = cached.get(path)
        uncached = plain.get(path)
        same.append(first[0] == second[0] == uncached[0] == 200
                    and first[2] == second[2] == uncached[2])
    hits = metric(cached, "vind_cache_hits_total") - hits_before
    tap.ok(all(same), "a cached answer is byte for byte the uncached one (%d searches)" % len(SEARCHES),
           [s for s, ok in zip(SEARCHES, same) if not ok])
    tap.equal(hits, len(SEARCHES), "each second ask was answered from the cache")
    tap.equal(metric(plain, "vind_cache_hits_total"), 0, "--cache-size 0: no hit")
    tap.equal(metric(plain, "vind_cache_entries"), 0, "--cache-size 0: nothing kept")
    before = metric(cached, "vind_cache_hits_total")
    status, _, body = cached.get("/api/search?size=10&utm_source=x&page=1&q=wijkzorg&tag=")
    _, _, plain_body = plain.get("/api/search?" + SEARCHES[0])
    tap.ok(status == 200 and metric(cached, "vind_cache_hits_total") == before + 1
           and body == plain_body,
           "parameters in another order, an ignored name, defaults spelt out: the same key")
    status, _, body = cached.get("/api/search?" + query(q="wijkzorg", tag=["etiket01", "etiket03"]))
    _, _, plain_body = plain.get("/api/search?" + query(q="wijkzorg", tag=["etiket01", "etiket03"]))
    tap.ok(status == 200 and body == plain_body, "filters in another order: the uncached answer")


def reindex(db, site):
    # One worker: /health and the searches use the same searcher, so once /health shows the new
    # revision the next search runs on it.
    with Searchd(db, "--threads", "1", "--http-threads", "1") as sd:
        path = "/api/search?" + query(q="thuiszorg")
        _, before = sd.json(path)
        sd.json(path)
        tap.ok(before and before.get("total") == 0 and metric(sd, "vind_cache_hits_total") == 1,
               "a search for a word no page has yet is cached", before and before.get("total"))
        _, health = sd.json("/health")
        write_article(site, ARTICLES, word="thuiszorg")
        index_site(db, site)
        revision = wait_revision(sd, health.get("revision"))
        _, after = sd.json(path)
        tap.ok(revision != health.get("revision") and after and after.get("total") == 1,
               "after vind-index committed, the new page is found: not the cached answer",
               after and after.get("total"))
        tap.ok(metric(sd, "vind_cache_flushes_total") >= 1, "/metrics counts the flush")


def bounded(db):
    with Searchd(db, "--cache-size", "64K") as sd:
        for n in range(ARTICLES):
            sd.get("/api/search?" + query(q="bericht %d" % n, size=20))
        cached, limit = metric(sd, "vind_cache_bytes"), metric(sd, "vind_cache_max_bytes")
        tap.ok(limit == 65536 and 0 < cached <= limit,
               "--cache-size 64K: %s bytes cached of at most %s" % (cached, limit))
        tap.ok(metric(sd, "vind_cache_evictions_total") > 0, "older answers were evicted to stay within it")
    with Searchd(db, "--cache-size", "64K") as sd:
        kept, dropped = "/api/search?" + query(q="wijkzorg"), "/api/search?" + query(q="bewoners")
        sd.get(dropped)
        sd.get(kept)
        for n in range(ARTICLES):  # each new answer pushes the oldest out; `kept` is asked again
            sd.get("/api/search?" + query(q="bericht %d" % n, size=20))
            sd.get(kept)
        hits = metric(sd, "vind_cache_hits_total")
        sd.get(kept)
        kept_hit = metric(sd, "vind_cache_hits_total") == hits + 1
        sd.get(dropped)
        dropped_hit = metric(sd, "vind_cache_hits_total") != hits + 1
        tap.ok(metric(sd, "vind_cache_evictions_total") > 0 and kept_hit and not dropped_hit,
               "least recently used out first: an answer asked for again stays, an old one goes",
               (kept_hit, dropped_hit))


def partial(db):
    with Searchd(db, "--search-time-limit", "0.000001") as sd:
        path = "/api/search?" + query(q="wijkzorg")
        _, first = sd.json(path)
        _, second = sd.json(path)
        tap.ok(first and first.get("partial") is True and second and second.get("partial") is True,
               "past an impossible time limit: partial answers")
        tap.ok(metric(sd, "vind_cache_stores_total") == 0 and metric(sd, "vind_cache_hits_total") == 0,
               "a partial answer is not cached")
    for bad in ("-1", "12Q", "huge", "99999G"):
        result = subprocess.run([binary("vind-searchd"), "--db", db, "--cache-size", bad],
                                stderr=subprocess.PIPE, env=env(), timeout=20)
        tap.ok(result.returncode == 2 and b"--cache-size" in result.stderr,
               "--cache-size %s: usage error" % bad)


def read_cache(db):
    """Issue 12: each worker's cache of stored text and records (--read-cache-size) answers
    what the index says: the same bodies, snippets included, with the default, none and one
    so small that it evicts all the time, asked twice (cold, then warm)."""
    bodies = {}
    for size in (None, "0", "2K"):
        extra = ("--read-cache-size", size) if size else ()
        with Searchd(db, "--cache-size", "0", *extra) as sd:
            bodies[size] = [sd.get("/api/search?" + search)[2] for search in SEARCHES * 2]
    tap.ok(bodies[None] == bodies["0"] == bodies["2K"] and all(bodies["0"]),
           "--read-cache-size default, 0 and 2K: byte for byte the same answers, cold and warm")
    for bad in ("-1", "12Q"):
        result = subprocess.run([binary("vind-searchd"), "--db", db, "--read-cache-size", bad],
                                stderr=subprocess.PIPE, env=env(), timeout=20)
        tap.ok(result.returncode == 2 and b"--read-cache-size" in result.stderr,
               "--read-cache-size %s: usage error" % bad)


def main():
    if not require_programs(tap, "searchd result cache", "vind-searchd", "vind-index"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        site, db = generated_index(tmp, ARTICLES)
        with Searchd(db) as cached, Searchd(db, "--cache-size", "0") as plain:
            identical(cached, plain)
        bounded(db)
        read_cache(db)
        partial(db)
        reindex(db, site)


main()
sys.exit(tap.done())
