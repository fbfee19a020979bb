"""test_schema_upgrade.py - a schema change does not take a site down (docs/schema.md, "Upgrading").

An index is written in the previous schema (VIND_INDEX_WRITE_SCHEMA=1: page text inside the
stored record, as vind wrote it before the text store) over four copies of the sample site, and
vind-searchd serves it. A new article is added to the site; then vind-index (current schema)
rebuilds the index beside the old one and swaps it in, while four clients keep searching: every
request answers 200, and afterwards the daemon serves the new index (it finds the new article, the
document count grows by one, snippets come from the text store). Before that, a vind-index killed
with SIGKILL in the middle of its rebuild leaves the old index serving and a partial rebuild that
the next run removes. Last, a changed lexicon (another stop list) is picked up the same way: the
index's analyzer stamp differs, so vind-index rebuilds it beside and swaps it in.

Works on a private copy of the sample site (make build/sample-site/index.html); skips without it.
"""

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Clients, Searchd, Tap, binary, env, index_site, query, require_sample_site  # noqa: E402

tap = Tap()
COPIES = 4
NEW_WORD = "schemaspringbok"


def add_article(site):
    articles = sorted(glob.glob(os.path.join(site, "kopie-0", "actueel", "*", "index.html")))
    with open(articles[0], encoding="utf-8") as f:
        html = f.read()
    folder = os.path.join(site, "kopie-0", "actueel", "nieuw-schema")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(html.replace("<p>", "<p>%s " % NEW_WORD))


def leftovers(db, kind):
    return glob.glob(db + "." + kind + "-*")


# What the clients ask while the index changes (harness.Clients).
SEARCHES = ["/api/search?" + query(q="zorg"), "/api/search?" + query(q="verpleeghuis bewoners"),
           "/zoeken?" + query(q="mantelzorg"), "/api/search?" + query(q="jaarverslag", type="pdf")]


def found(sd, word):
    status, data = sd.json("/api/search?" + query(q=word))
    return status, status == 200 and data["total"] > 0


def wait_until(condition, limit=10.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if condition():
            return True
        time.sleep(0.02)
    return False


def killed_rebuild(db, site, sd):
    """vind-index killed (SIGKILL) once its rebuild folder exists."""
    process = subprocess.Popen([binary("vind-index"), "--db", db, "--base-url", "/", "-q", site],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
    started = wait_until(lambda: leftovers(db, "rebuild") or process.poll() is not None, 60)
    time.sleep(0.2)  # well into the rebuild: extraction and analysis of some files
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    tap.ok(started and running, "vind-index was killed during its rebuild",
           (started, running, process.returncode))
    tap.ok(len(leftovers(db, "rebuild")) == 1, "the partial rebuild stays beside the index",
           os.listdir(os.path.dirname(db)))
    status, ok = found(sd, "zorg")
    status_new, new = found(sd, NEW_WORD)
    tap.ok(ok and not new, "the old index still serves (200, without the new article)", (status, status_new))


def main():
    source = require_sample_site(tap, "schema upgrade")
    if source is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        for copy in range(COPIES):
            shutil.copytree(source, os.path.join(site, "kopie-%d" % copy))
        db = os.path.join(tmp, "db")
        old_env = dict(os.environ)
        os.environ["VIND_INDEX_WRITE_SCHEMA"] = "1"
        try:
            index_site(db, site)
        finally:
            os.environ.clear()
            os.environ.update(old_env)
        with Searchd(db, "--threads", "4", "--max-searches-per-ip", "4",
                          "--max-heavy-searches", "0") as sd:
            status, health = sd.json("/health")
            documents = health.get("documents", 0) if status == 200 else 0
            status, data = sd.json("/api/search?" + query(q="bewoners"))
            tap.ok(status == 200 and data["total"] > 0 and "<mark>" in (data["results"][0]["snippet"] or ""),
                   "vind-searchd serves the index of the previous schema, snippets included")
            add_article(site)

            killed_rebuild(db, site, sd)

            with Clients(sd, SEARCHES) as clients:
                time.sleep(0.3)
                started = time.monotonic()
                result = index_site(db, site, check=False)
                seconds = time.monotonic() - started
                tap.ok(result.returncode == 0, "vind-index rebuilds the index in the new schema (%.1f s)" % seconds,
                       result.stderr.decode("utf-8", "replace")[-500:])
                served = wait_until(lambda: found(sd, NEW_WORD)[1])
                time.sleep(0.5)  # past a reopen interval of every worker
            tap.ok(served, "vind-searchd serves the new index without a restart (finds the new article)")
            tap.ok(clients.count > 20 and not clients.failures,
                   "every one of %d searches during the rebuild and swap answered 200" % clients.count,
                   clients.failures[:5])
            status, health = sd.json("/health")
            tap.ok(status == 200 and health["documents"] == documents + 1,
                   "/health counts the new index's documents", (documents, health))
            status, data = sd.json("/api/search?" + query(q=NEW_WORD))
            snippet = data["results"][0]["snippet"] if status == 200 and data["results"] else ""
            tap.ok("<mark>%s</mark>" % NEW_WORD in snippet, "its snippets come from the text store", snippet)
            tap.ok(not leftovers(db, "rebuild") and len(leftovers(db, "old")) == 1,
                   "the killed run's partial rebuild is gone; the old index waits beside for its readers",
                   os.listdir(tmp))
        result = index_site(db, site)
        tap.ok(result.returncode == 0 and not leftovers(db, "old"),
               "the next run removes the old index", os.listdir(tmp))
        tap.equal(sd.exit_code, 0, "vind-searchd exits 0")
        analyzer_change(tmp, db, site)


def analyzer_change(tmp, db, site):
    """Another lexicon or stop list makes other terms: the index's analyzer stamp (vind:analyzer)
    no longer matches, and vind-index rebuilds it beside and swaps it in as for a schema change;
    a second run with the same data changes nothing."""
    datadir = os.path.join(tmp, "datadir")
    shutil.copytree(env()["VIND_DATADIR"], datadir)
    with open(os.path.join(datadir, "stopwords", "nl.txt"), "a", encoding="utf-8") as f:
        f.write("\nschemaspringbokken\n")
    old_env = dict(os.environ)
    os.environ["VIND_DATADIR"] = datadir
    try:
        result = index_site(db, site, check=False)
        rebuilt = leftovers(db, "old")
        tap.ok(result.returncode == 0 and len(rebuilt) == 1 and not leftovers(db, "rebuild"),
               "a changed lexicon (stop list) makes vind-index rebuild the index and swap it in",
               (result.returncode, os.listdir(tmp)))
        result = index_site(db, site, check=False)
        tap.ok(result.returncode == 0 and not leftovers(db, "old"),
               "the next run with the same lexicon rebuilds nothing", os.listdir(tmp))
    finally:
        os.environ.clear()
        os.environ.update(old_env)
    result = index_site(db, site, check=False)
    tap.ok(result.returncode == 0 and len(leftovers(db, "old")) == 1,
           "back on the built lexicon, vind-index rebuilds again", os.listdir(tmp))


if __name__ == "__main__":
    try:
        main()
    finally:
        tap.done()
