#!/usr/bin/env python3
"""test_searchd_cheap.py - known-cheap searches run on the worker (searchd/costmemo.c), when
VIND_SEARCHD_CHEAP_SEARCH_US sets their bound (off by default).

  1. a search asked again, whose first run cost at most the bound, runs on the worker
     (/metrics vind_worker_searches_total) and answers byte for byte what a daemon that hands
     every search over answers (VIND_SEARCHD_CHEAP_SEARCH_US=0, or unset: no such metric);
     a new search, or one with a query too long to keep, takes the hand-over;
  2. a search whose last run cost more than the bound (held by VIND_SEARCHD_TEST_DELAY_MS) takes
     the hand-over: with one worker, a /health sent while it runs is answered before it (order,
     not time); with a bound above the held time it runs on the worker and /health waits for it
     (so the first check can fail);
  3. after vind-index committed, the first search runs on a search thread again (the memo's cost
     was of the old revision), the second on the worker.
The bound is set far above a search's cost (VIND_SEARCHD_CHEAP_SEARCH_US=100000, 100 ms) so that
a slow machine or an ASan build changes nothing. Standard library only; TAP. No timing assertions.
"""
import os
import select
import socket
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Searchd, Tap, generated_index, index_site, metric, query,  # noqa: E402
                     require_programs, wait_revision, write_article)

tap = Tap()
ARTICLES = 30
BOUND_US = "100000"
HELD_MS = 1500

SEARCHES = [
    query(q="wijkzorg buurt"),
    query(q="wijkzorg", tag=["etiket02", "etiket05"]),
    query(q="bewoners", sort="date", page=2, size=4),
    query(q="wachtlijst*"),
    query(theme="zorg"),
]


def daemon(db, cheap_us, *args, delay_ms=None):
    """A Searchd with the result cache off and VIND_SEARCHD_CHEAP_SEARCH_US (unset when None; and
    the test delay) set for it alone."""
    if cheap_us is not None:
        os.environ["VIND_SEARCHD_CHEAP_SEARCH_US"] = cheap_us
    if delay_ms is not None:
        os.environ["VIND_SEARCHD_TEST_DELAY_MS"] = str(delay_ms)
    try:
        return Searchd(db, "--cache-size", "0", *args).start()
    finally:
        os.environ.pop("VIND_SEARCHD_CHEAP_SEARCH_US", None)
        os.environ.pop("VIND_SEARCHD_TEST_DELAY_MS", None)


def same_answers(db):
    on, off, default = daemon(db, BOUND_US), daemon(db, "0"), daemon(db, None)
    try:
        first = [on.get("/api/search?" + s) for s in SEARCHES]
        tap.equal(metric(on, "vind_worker_searches_total"), 0, "a new search takes the hand-over")
        second = [on.get("/api/search?" + s) for s in SEARCHES]
        tap.equal(metric(on, "vind_worker_searches_total"), len(SEARCHES),
                  "each search asked again ran on the worker")
        handed = [off.get("/api/search?" + s) for s in SEARCHES * 2]
        bodies = [r[2] for r in first + second]
        tap.ok(all(r[0] == 200 for r in first + second + handed)
               and bodies == [r[2] for r in handed],
               "byte for byte the answers of a daemon that hands every search over (%d)"
               % len(bodies))
        tap.equal(metric(off, "vind_worker_searches_total"), None,
                  "VIND_SEARCHD_CHEAP_SEARCH_US=0: off, no metric")
        for search in SEARCHES * 2:
            default.get("/api/search?" + search)
        tap.equal(metric(default, "vind_worker_searches_total"), None,
                  "VIND_SEARCHD_CHEAP_SEARCH_US unset: off by default")
        long_query = "/api/search?" + query(q=" ".join(["wijkzorg"] * 30))
        on.get(long_query)
        before = metric(on, "vind_worker_searches_total")
        status, _, _ = on.get(long_query)
        tap.ok(status == 200 and metric(on, "vind_worker_searches_total") == before,
               "a query too long for the memo's key always takes the hand-over")
    finally:
        on.stop()
        off.stop()
        default.stop()


def answered_first(sock, rivals):
    """Waits (up to 30 s) until sock has its whole answer (the server closes it): True when none
    of the rival sockets had anything to read before."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock] + rivals, [], [], max(0.0, deadline - time.monotonic()))
        if any(r is not sock for r in ready):
            return False
        if not sock.recv(65536):
            return True
    return False


def health_during_held_search(sd):
    """Asks the held search twice (the first run notes its cost), sends the second and, while it
    is held, /health on another connection: True when /health is answered first."""
    path = "/api/search?" + query(q="wijkverpleging")
    sd.get(path, timeout=30)
    holder = socket.create_connection(("127.0.0.1", sd.port), timeout=30)
    other = socket.create_connection(("127.0.0.1", sd.port), timeout=30)
    try:
        holder.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
        time.sleep(0.3)  # the search is under way (held HELD_MS); not a timing assertion
        other.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        health_first = answered_first(other, [holder])
        answered_first(holder, [])
        return health_first
    finally:
        holder.close()
        other.close()


def costly_takes_the_hand_over(db):
    sd = daemon(db, BOUND_US, "--threads", "1", "--http-threads", "1", delay_ms=HELD_MS)
    try:
        first = health_during_held_search(sd)
        worker = metric(sd, "vind_worker_searches_total")
    finally:
        sd.stop()
    tap.ok(first and worker == 0,
           "a search that cost more than the bound (held %d ms) runs on a search thread: /health "
           "on the one worker is answered first" % HELD_MS, (first, worker))
    sd = daemon(db, str(10 * HELD_MS * 1000), "--threads", "1", "--http-threads", "1", delay_ms=HELD_MS)
    try:
        first = health_during_held_search(sd)
        worker = metric(sd, "vind_worker_searches_total")
    finally:
        sd.stop()
    tap.ok(not first and worker == 1,
           "with a bound above the held time it runs on the worker, and /health waits for it "
           "(the check above can fail)", (first, worker))


def reindex(db, site):
    # One worker: /health and the searches use the same searcher, so once /health shows the new
    # revision the next search runs on it.
    sd = daemon(db, BOUND_US, "--threads", "1", "--http-threads", "1")
    try:
        path = "/api/search?" + query(q="thuiszorg")
        sd.get(path)
        sd.get(path)
        tap.equal(metric(sd, "vind_worker_searches_total"), 1, "asked twice: the second on the worker")
        _, health = sd.json("/health")
        write_article(site, ARTICLES, word="thuiszorg")
        index_site(db, site)
        revision = wait_revision(sd, health.get("revision"))
        _, after = sd.json(path)
        worker_after_commit = metric(sd, "vind_worker_searches_total")
        _, again = sd.json(path)
        tap.ok(revision != health.get("revision") and worker_after_commit == 1
               and metric(sd, "vind_worker_searches_total") == 2
               and after and after.get("total") == 1 and again == after,
               "after a commit the first search runs on a search thread, the next on the worker",
               (revision, worker_after_commit, after and after.get("total")))
    finally:
        sd.stop()


def main():
    if not require_programs(tap, "searchd known-cheap searches", "vind-searchd", "vind-index"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        site, db = generated_index(tmp, ARTICLES)
        same_answers(db)
        costly_takes_the_hand_over(db)
        reindex(db, site)


main()
sys.exit(tap.done())
