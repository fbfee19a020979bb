#!/usr/bin/env python3
"""test_searchd_fairness.py - the search queue serves other addresses before those whose searches
were costly lately (searchd/server.c's two queues, searchd/admission.h's classes; session 18).

Until session 18 the search threads took requests in arrival order: 50 addresses each sending
costly searches from two connections (within --max-searches-per-ip) kept ~100 of them queued, a
normal client's search waited behind all of them (16 s on the shared machine), and the heavy marks
ended while the searches waited, so costly-search admission refused 4 of 460 (docs/security.md,
"The hostile probe of session 18").

Asserted here without a timing, by the order of service: one search thread, every search held
VIND_SEARCHD_TEST_DELAY_MS, every search counted costly (--heavy-search-ms 0). Four addresses are
made heavy; while the first one's search runs, the three others' searches queue, then the search of
an address never seen: it is answered before the three queued ones (it was answered last before
session 18), and those are answered too (the later queue is not starved).

Since session 19 a search with a wildcard (the only searches that cost --heavy-search-ms over the
corpus) queues later too, whichever address sends it: the costly-search marks know an address only
after its first costly search, so 200 fresh addresses each sending one held a normal client's first
search 54.5 s (docs/security.md, "The hostile probe of session 19, the daemon"). Asserted the same
way: while one wildcard search runs, three more of fresh addresses queue, then a one-word search of
another fresh address: it is served right after the running one (last before session 19); and the
same from one address with admission off (behind a proxy every client is 127.0.0.1).

Since session 20 each queue serves the search of the address that used least search CPU lately
(decayed by half every 10 s) first, instead of the first queued: 200 addresses looping 64-word OR
searches, each under --heavy-search-ms (so never heavy, and no wildcard), held a normal client's
every search ~10 s in arrival order (docs/security.md, "The hostile probe of session 19, the
daemon"). Asserted the same way: three addresses search once each (cheap searches, default
--heavy-search-ms: none is heavy); while a fresh address's search runs, the three queue their next
searches, then an address never seen queues one: it is served right after the running one (last
before session 20), and the three are answered too.

Since session 20 so does a search of more than 12 words (operators not counted): 200 fresh
addresses looping 64 words OR'd held a normal client's first search behind all of theirs. Asserted
as for wildcards, with 13 words OR'd.

Among addresses that used alike (fresh ones) the shorter query goes first (its expected cost is
added to the rank): while a fresh address's 12-word search runs, three more of fresh addresses
queue (12 words stay in the first queue), then a one-word search of another fresh address: it is
served right after the running one. But one address's own searches are served in arrival order,
whatever their length: the ranks choose the address, and of its searches the first queued goes
(until the end of session 20 its 1-word search went before its 4- and 12-word ones, and under
saturation one address's searches were served close to last in, first out).

Works on the sample site's index (make build/sample-site/index.html); skips without it.
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, get_from, query, sample_index  # noqa: E402

tap = Tap()
DELAY_MS = 1500
HEAVY = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
NEWCOMER = "127.0.0.6"


def search(word):
    return "/api/search?" + query(q=word)


def served_in_order(sd, clients):
    """Starts clients [(who, address, path)] 0.3 s after the first, 0.1 s apart (the first is held
    DELAY_MS, the others queue behind it); returns [(who, status)] in the order answered."""
    done = []
    lock = threading.Lock()

    def client(who, address, path):
        status = get_from(sd.port, address, path, 60)[0]
        with lock:
            done.append((who, status))

    threads = [threading.Thread(target=client, args=c) for c in clients]
    threads[0].start()
    time.sleep(0.3)
    for thread in threads[1:]:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(60)
    return done


def start_held(db, *options):
    """vind-searchd over db with one search thread, every search held DELAY_MS, no result cache."""
    os.environ["VIND_SEARCHD_TEST_DELAY_MS"] = str(DELAY_MS)
    try:
        return Searchd(db, "--threads", "1", "--cache-size", "0", *options).start()
    finally:
        del os.environ["VIND_SEARCHD_TEST_DELAY_MS"]


def heavy_addresses_queue_later(db):
    sd = start_held(db, "--heavy-search-ms", "0", "--max-heavy-searches", "1")
    try:
        marked = [get_from(sd.port, address, search("zorg"))[0] for address in HEAVY]
        tap.ok(marked == [200] * len(HEAVY), "four addresses made heavy by a search each", marked)
        words = ["wijkverpleging", "mantelzorg", "verpleeghuis", "thuiszorg"]
        clients = [("heavy %s" % a, a, search(w)) for a, w in zip(HEAVY, words)]
        done = served_in_order(sd, clients + [("newcomer", NEWCOMER, search("bewoners"))])
        order = [who for who, _ in done]
        tap.ok(len(done) == 5 and all(status == 200 for _, status in done),
               "every search answered 200 (the queued heavy ones too)", done)
        tap.ok(len(order) == 5 and order.index("newcomer") == 1,
               "a new address's search is served right after the running one, before the three "
               "queued searches of heavy addresses", order)
    finally:
        sd.stop()
    tap.equal(sd.exit_code, 0, "SIGTERM exits 0")


WILDCARDS = ["zorg*", "wijk*", "ver*", "mantel* thuis*"]
LONG_ORS = [" OR ".join(["zorg", "wonen", "wijk", "mantelzorg", "thuiszorg", "verpleeghuis", "bewoners",
                         "gemeente", "huisarts", "ouderen", "jeugd", "cliënten", "wijkverpleging"][i:] +
                        ["zorg", "wonen", "wijk", "mantelzorg"][:i])
            for i in range(4)]


TWELVE_ORS = [" OR ".join(query.split(" OR ")[:12]) for query in LONG_ORS]


def wildcard_searches_queue_later(db, label, options, addresses, newcomer, queries=WILDCARDS,
                                  kind="wildcard"):
    sd = start_held(db, *options)
    try:
        clients = [("%s %d" % (kind, i), a, search(w)) for i, (a, w) in enumerate(zip(addresses, queries))]
        done = served_in_order(sd, clients + [("word", newcomer, search("bewoners"))])
        order = [who for who, _ in done]
        tap.ok(len(done) == 5 and all(status == 200 for _, status in done),
               "%s: every search answered 200 (the queued %s ones too)" % (label, kind), done)
        tap.ok(len(order) == 5 and order.index("word") == 1,
               "%s: a one-word search is served right after the running %s search, before the "
               "three queued ones" % (label, kind), order)
    finally:
        sd.stop()
    tap.equal(sd.exit_code, 0, "%s: SIGTERM exits 0" % label)


def least_used_address_first(db):
    sd = start_held(db)
    try:
        used = ["127.0.0.12", "127.0.0.13", "127.0.0.14"]
        warm = [get_from(sd.port, address, search("zorg"))[0] for address in used]
        tap.ok(warm == [200] * len(used), "three addresses searched once each (cheap: none heavy)",
               warm)
        words = ["wijkverpleging", "mantelzorg", "verpleeghuis"]
        clients = [("running", "127.0.0.15", search("thuiszorg"))]
        clients += [("used %s" % a, a, search(w)) for a, w in zip(used, words)]
        done = served_in_order(sd, clients + [("unseen", "127.0.0.16", search("bewoners"))])
        order = [who for who, _ in done]
        tap.ok(len(done) == 5 and all(status == 200 for _, status in done),
               "fair queueing: every search answered 200 (the queued ones of the used addresses "
               "too)", done)
        tap.ok(len(order) == 5 and order.index("unseen") == 1,
               "fair queueing: the search of an address never seen is served right after the "
               "running one, before the three queued searches of addresses that searched before "
               "(none heavy, no wildcard)", order)
    finally:
        sd.stop()
    tap.equal(sd.exit_code, 0, "fair queueing: SIGTERM exits 0")


def one_address_in_arrival_order(db):
    sd = start_held(db, "--max-searches-per-ip", "8")
    try:
        address = "127.0.0.30"
        clients = [("running", address, search("thuiszorg")), ("12 words", address, search(TWELVE_ORS[0])),
                   ("4 words", address, search("zorg wonen wijk huisarts")),
                   ("1 word", address, search("bewoners"))]
        done = served_in_order(sd, clients)
        order = [who for who, _ in done]
        tap.ok(len(done) == 4 and all(status == 200 for _, status in done),
               "one address: every search answered 200", done)
        tap.ok(order == ["running", "12 words", "4 words", "1 word"],
               "one address: its queued searches are served in arrival order, whatever their "
               "length (ranks choose between addresses; by rank alone the 1-word search went "
               "first and the 12-word one last)", order)
    finally:
        sd.stop()
    tap.equal(sd.exit_code, 0, "one address: SIGTERM exits 0")


def main():
    with sample_index(tap, "the order of service of queued searches") as db:
        if db is not None:
            heavy_addresses_queue_later(db)
            fresh = ["127.0.0.%d" % n for n in range(7, 11)]
            wildcard_searches_queue_later(db, "fresh addresses", [], fresh, "127.0.0.11")
            wildcard_searches_queue_later(db, "one address, admission off (as behind a proxy)",
                                          ["--max-heavy-searches", "0", "--max-searches-per-ip", "1"],
                                          ["127.0.0.1"] * 4, "127.0.0.1")
            wildcard_searches_queue_later(db, "fresh addresses, 13 words OR'd (no wildcard)", [],
                                          ["127.0.0.%d" % n for n in range(17, 21)], "127.0.0.21",
                                          LONG_ORS, "13-word")
            wildcard_searches_queue_later(db, "fresh addresses, 12 words OR'd (the first queue; ranked "
                                          "by their expected cost)", [],
                                          ["127.0.0.%d" % n for n in range(22, 26)], "127.0.0.26",
                                          TWELVE_ORS, "12-word")
            least_used_address_first(db)
            one_address_in_arrival_order(db)
    tap.done()


if __name__ == "__main__":
    main()
