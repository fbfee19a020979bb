#!/usr/bin/env python3
"""test_related_corpus.py - related links on the shared corpus (issue 6).

Indexes $CORPUS/site and $CORPUS/pdf as `make eval` does (or uses the index
tests/run.sh made, $VIND_CORPUS_DB), runs `vind related
--all` twice and asserts: identical bytes; one key per article of the site
and nothing else; at most 5 links each, best first, ties by URL, never to
itself, never to its own PDF (the one article with an attachment lists it as
such); and over the articles with a theme or tag in their front matter, at
least 70% of the links share one with their source (the figure `make eval`
prints, tests/related/eval_related.py). Skips without the corpus unless
CI=true. Standard library only; TAP.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(os.environ.get("VIND_BUILD", os.path.join(TOP, "build")))
CORPUS = os.environ.get("CORPUS", os.path.join(os.path.dirname(TOP), "shared", "corpus"))
IN_CI = os.environ.get("CI") == "true"
VIND = os.path.join(BUILD, "bin", "vind")
INDEX = os.path.join(BUILD, "bin", "vind-index")
os.environ.setdefault("VIND_DATADIR", os.path.join(BUILD, "share", "vind"))
sys.path.insert(0, os.path.join(TOP, "tests", "related"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap  # noqa: E402  (TAP lines, shared by the e2e tests)
import eval_related  # noqa: E402  (the metric, shared with `make eval`)

FLOOR = 0.70
ATTACHMENT_ARTICLE = "/actueel/privacy-by-design-en-agile-ontwikkelen/"
TAP = Tap()
tap, done = TAP.ok, TAP.done


def main():
    if not os.path.isdir(os.path.join(CORPUS, "site-src", "content", "actueel")):
        tap(not IN_CI, "the shared corpus is present" + ("" if IN_CI else " # SKIP no corpus at %s" % CORPUS))
        return done()
    with tempfile.TemporaryDirectory() as tmp:
        # tests/run.sh indexes the corpus once per build for the tests that only read it.
        db = os.environ.get("VIND_CORPUS_DB")
        if db and os.path.isdir(db):
            print("# using the shared corpus index %s" % db)
        else:
            db = os.path.join(tmp, "db")
            start = time.monotonic()
            # --timeout: under ASan on a busy machine a page can take over the default minute.
            r = subprocess.run([INDEX, "--quiet", "--timeout", "120", "--db", db, "--base-url", "/",
                                os.path.join(CORPUS, "site"), os.path.join(CORPUS, "pdf")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            print("# indexed the corpus in %.1f s" % (time.monotonic() - start))
            # The corpus's deliberately invalid PDF is a partial failure (exit 1).
            if not tap(r.returncode in (0, 1), "the corpus is indexed",
                       r.stderr.decode(errors="replace")):
                return done()
        try:
            seconds, first = eval_related.run_all(VIND, db, 0)
            _, second = eval_related.run_all(VIND, db, 0)
        except RuntimeError as error:
            tap(False, "vind related --all runs", error)
            return done()
        print("# vind related --all: %.2f s" % seconds)
        tap(first == second, "two runs give identical bytes")
        data = json.loads(first)
        truth = eval_related.ground_truth(CORPUS)
        tap(set(data) == set(truth), "one key per article of the site, nothing else",
            sorted(set(data) ^ set(truth))[:10])
        bad_order = [u for u, items in data.items()
                     if [(-i["score"], i["url"]) for i in items]
                     != sorted((-i["score"], i["url"]) for i in items)]
        tap(not bad_order, "every list is best first, ties by URL", bad_order[:5])
        tap(all(len(items) <= 5 for items in data.values()), "at most 5 links per article")
        tap(all(u not in [i["url"] for i in items] for u, items in data.items()),
            "no article is related to itself")
        own_pdf = [i["url"] for i in data.get(ATTACHMENT_ARTICLE, []) if i["type"] == "pdf"
                   and i["url"].startswith(ATTACHMENT_ARTICLE)]
        tap(ATTACHMENT_ARTICLE in data and not own_pdf,
            "the article with a PDF does not list its own PDF as related", own_pdf)
        r = subprocess.run([VIND, "related", "--db", db, "--url", ATTACHMENT_ARTICLE, "--format",
                            "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        one = json.loads(r.stdout or b"{}")
        tap([a["url"] for a in one.get("attachments", [])]
            == [ATTACHMENT_ARTICLE + "img/ictu-2026-storycards.pdf"],
            "... but as its attachment", one.get("attachments"))
        sharing, links, sources = eval_related.share(data, truth)
        ratio = sharing / links if links else 0.0
        print("# %d of %d links of %d articles with a theme or tag share one: %.1f%%"
              % (sharing, links, sources, 100 * ratio))
        tap(sources > 600 and ratio >= FLOOR,
            "at least %d%% of the related links share a theme or tag with their source"
            % (100 * FLOOR), "%.1f%%" % (100 * ratio))
    return done()


if __name__ == "__main__":
    sys.exit(main())
