"""test_searchd_reindex.py - vind-searchd serves a new index revision without a restart and
without a failed request: clients loop searches while vind-index commits new and changed
documents; the new document must be found and no request may fail. Also SIGHUP.

Works on a private copy of the sample site (make build/sample-site/index.html); skips without it.
"""

import glob
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, have, index_site, query, sample_site  # noqa: E402

tap = Tap()
UNIQUE = "kwispelstaartvis"


def add_article(site, slug, word):
    """A new article: a copy of an existing one with word in every paragraph."""
    articles = sorted(glob.glob(os.path.join(site, "actueel", "*", "index.html")))
    with open(articles[0], encoding="utf-8") as f:
        html = f.read()
    folder = os.path.join(site, "actueel", slug)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(html.replace("<p>", "<p>%s " % word))


def main():
    source = sample_site()
    if not (have("vind-searchd") and have("vind-index")):
        tap.skip("live re-index", "vind-searchd or vind-index not built")
        return
    if source is None:
        tap.skip("live re-index", "sample site not built (make build/sample-site/index.html)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        shutil.copytree(source, site)
        db = os.path.join(tmp, "db")
        index_site(db, site)
        with Searchd(db, "--threads", "4") as sd:
            status, health = sd.json("/health")
            revision_before = health["revision"]
            documents_before = health["documents"]
            status, data = sd.json("/api/search?" + query(q=UNIQUE))
            tap.ok(status == 200 and data["total"] == 0, "the new word is not in the index yet")

            failures = []
            counts = [0]
            stop = threading.Event()

            def client(path):
                while not stop.is_set():
                    try:
                        st, _, body = sd.get(path, timeout=10)
                        counts[0] += 1
                        if st != 200:
                            failures.append((path, st, body[:200]))
                    except OSError as e:
                        failures.append((path, "error", str(e)))

            threads = [threading.Thread(target=client, args=(p,)) for p in
                       ("/api/search?" + query(q="zorg"), "/api/search?" + query(q="zorg", tag="Wzd"),
                        "/zoeken?" + query(q="verpleeghuis"), "/api/suggest?q=zo")]
            for t in threads:
                t.start()
            time.sleep(0.3)
            for round_number in range(3):
                add_article(site, "nieuw-%d" % round_number, UNIQUE if round_number == 0 else "extra%d" % round_number)
                index_site(db, site)
                time.sleep(0.2)
            found_after = None
            start = time.time()
            while time.time() - start < 5:
                status, data = sd.json("/api/search?" + query(q=UNIQUE))
                if status == 200 and data["total"] >= 1:
                    found_after = time.time() - start
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            stop.set()
            for t in threads:
                t.join(20)
            tap.ok(found_after is not None, "the new document is found without a restart",
                   "waited %.2f s" % (time.time() - start))
            tap.ok(counts[0] > 20 and not failures,
                   "no failed request among %d during three commits" % counts[0], failures[:5])
            status, health = sd.json("/health")
            tap.ok(health["revision"] > revision_before and health["documents"] == documents_before + 3,
                   "/health shows the new revision and document count", (revision_before, health))

            sd.process.send_signal(signal.SIGHUP)
            time.sleep(0.3)
            status, data = sd.json("/api/search?" + query(q=UNIQUE))
            tap.ok(status == 200 and data["total"] >= 1, "SIGHUP reopens the index and keeps serving")
            log = sd.log()
        tap.equal(sd.exit_code, 0, "SIGTERM exits 0")
        tap.ok("SIGHUP" in log, "SIGHUP is logged")
        tap.ok("WARNING: ThreadSanitizer" not in log and "ERROR: AddressSanitizer" not in log,
               "no sanitizer report from the daemon", log[log.find("WARNING: ThreadSanitizer"):][:3000])
        stop_under_load(db)


def stop_under_load(db):
    """SIGTERM while clients loop: every answer that arrives is whole, and the exit is 0."""
    import json
    with Searchd(db, "--threads", "4") as sd:
        broken = []
        answers = [0]
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    status, _, body = sd.get("/api/search?" + query(q="zorg", size=100), timeout=10)
                except OSError:
                    continue  # refused once the daemon stops accepting: expected
                answers[0] += 1
                try:
                    if status != 200 or not json.loads(body)["results"]:
                        broken.append(status)
                except ValueError:
                    broken.append("truncated body")

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        started = time.time()
        sd.stop()
        took = time.time() - started
        stop.set()
        for t in threads:
            t.join(20)
    tap.ok(sd.exit_code == 0 and took < 5, "SIGTERM under load: exit 0 in %.2f s" % took, sd.exit_code)
    tap.ok(answers[0] > 0 and not broken, "every answer before the stop was whole (%d)" % answers[0], broken[:5])


main()
sys.exit(tap.done())
