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

Works on the sample site's index (make build/sample-site/index.html); skips without it.
"""

import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, get_from, index_site, query, require_sample_site  # noqa: E402

tap = Tap()
DELAY_MS = 1500
HEAVY = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
NEWCOMER = "127.0.0.6"


def search(word):
    return "/api/search?" + query(q=word)


def main():
    source = require_sample_site(tap, "the order of service of queued searches")
    if source is None:
        tap.done()
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        index_site(db, source)
        os.environ["VIND_SEARCHD_TEST_DELAY_MS"] = str(DELAY_MS)
        try:
            sd = Searchd(db, "--threads", "1", "--heavy-search-ms", "0", "--max-heavy-searches", "1",
                         "--cache-size", "0").start()
        finally:
            del os.environ["VIND_SEARCHD_TEST_DELAY_MS"]
        try:
            marked = [get_from(sd.port, address, search("zorg"))[0] for address in HEAVY]
            tap.ok(marked == [200] * len(HEAVY), "four addresses made heavy by a search each", marked)
            done = []  # (who, status) in the order the answers came
            lock = threading.Lock()

            def client(who, address, word):
                status = get_from(sd.port, address, search(word), 60)[0]
                with lock:
                    done.append((who, status))

            words = ["wijkverpleging", "mantelzorg", "verpleeghuis", "thuiszorg"]
            threads = [threading.Thread(target=client, args=("heavy %s" % a, a, w)) for a, w in zip(HEAVY, words)]
            threads.append(threading.Thread(target=client, args=("newcomer", NEWCOMER, "bewoners")))
            # The first heavy search runs (held 1.5 s); the three others queue, then the
            # newcomer's, all within 0.7 s of its start.
            threads[0].start()
            time.sleep(0.3)
            for thread in threads[1:]:
                thread.start()
                time.sleep(0.1)
            for thread in threads:
                thread.join(60)
            order = [who for who, _ in done]
            tap.ok(len(done) == 5 and all(status == 200 for _, status in done),
                   "every search answered 200 (the queued heavy ones too)", done)
            tap.ok(len(order) == 5 and order.index("newcomer") == 1,
                   "a new address's search is served right after the running one, before the three "
                   "queued searches of heavy addresses", order)
        finally:
            sd.stop()
        tap.equal(sd.exit_code, 0, "SIGTERM exits 0")
    tap.done()


if __name__ == "__main__":
    main()
