#!/usr/bin/env python3
"""test_hostile_feed.py - what a hostile --from-jsonl feed (a CMS's export) or page can put into
what vind prints and what a site links (the hostile probe of session 13, docs/security.md).

* A record's url is what `vind related --all` (the related.json a static site embeds as
  <a href>), /api/search and /api/related give sites and search pages to link: a record whose url
  is not http(s) or a path of the site (javascript:, " javascript:", data:, file:, //host,
  /\\host, a control character) is reported with its line and not indexed; the good records of
  the feed are; a deletion of such a URL (an index made before) is still taken. Before session
  13 every one was indexed and `vind related --all` listed javascript:alert(1)// as a related
  page.
* `vind related --url` (text), `vind kwic` (text) and `vind doc --text` print no control
  character (ESC, C1 CSI U+009B, BEL) of a title, tag, URL or text: before session 13 the first
  two printed titles, tags and URLs as stored, and `doc --text` kept C1 characters; CSV cells
  (`search`, `kwic`, `count`) hold none either (they held every one);
  vind-index's report escaped C0 but not C1 in file names and refresh targets.
* A document of more pages than positions hold (429,496) is reported: the words past them have
  no page number (shown on page 1) and no phrase search; before session 13, unsaid.

A few seconds. Standard library only; TAP.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env  # noqa: E402

BODY = ("Het gemeentelijk zorgbeleid voor ouderen en de wijkverpleging in de gemeente Utrecht "
        "wordt herzien. ") * 20
WORDS = ("mantelzorg jeugdzorg wijkteam huisarts subsidie begroting raadsvergadering "
         "wethouder inspraak buurthuis vrijwilliger thuiszorg indicatie budget kwaliteit "
         "zorgverzekeraar dagbesteding woningbouw vervoer bibliotheek sportvereniging").split()


def body(n):
    """A text of its own that shares five words with its neighbours' (records alike in all but
    a word are near-duplicates, which related lists leave out; words of every record weigh
    nothing)."""
    window = [WORDS[(3 * n + i) % len(WORDS)] for i in range(8)]
    pick = random.Random(n)
    return " ".join(pick.choice(window) for _ in range(150)) + " uniekwoord%d." % n


GOOD = ["/actueel/een/", "https://www.example.nl/nieuws/twee/", "/actueel/drie/",
        "/actueel/vier/"]
BAD = ["javascript:alert(1)//", "JaVaScRiPt:alert(2)", " javascript:alert(3)",
       "data:text/html,<script>alert(4)</script>", "file:///etc/passwd", "//evil.example/",
       "/\\evil.example/", "/a\nb/", "/tab\t/", "/esc\x1b[31m/", "vbscript:msgbox(5)"]

# Terminal control: ESC (CSI, OSC retitle), BEL, and the C1 CSI U+009B (a single-character
# CSI for terminals that read C1 in UTF-8).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def run(args, stdin=None):
    result = subprocess.run([binary(args[0])] + args[1:], input=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), timeout=120)
    return (result.returncode, result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"))


def record(url, n, **fields):
    value = {"url": url, "title": "Artikel %d over zorgbeleid" % n, "tags": ["zorg"],
             "pages": [body(n)]}
    value.update(fields)
    return json.dumps(value) + "\n"


def test_urls(tap, tmp):
    feed = "".join(record(url, n) for n, url in enumerate(GOOD + BAD))
    db = os.path.join(tmp, "urls.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", db], stdin=feed.encode())
    reported = [n + 1 for n in range(len(GOOD), len(GOOD) + len(BAD))
                if re.search(r"^-:%d: \"url\" is not http\(s\) or a path of the site" % (n + 1),
                             err, re.M)]
    tap.ok(code == 1 and reported == list(range(len(GOOD) + 1, len(GOOD) + len(BAD) + 1)),
           "a record whose url is no link of the site is reported with its line (%d of %d)" %
           (len(reported), len(BAD)), err)
    tap.ok(re.search(r"indexed %d, .* failed %d" % (len(GOOD), len(BAD)), err),
           "... and not indexed; the %d good records are" % len(GOOD), err)
    code, out, err = run(["vind", "related", "--db", db, "--all"])
    try:
        related = json.loads(out)
    except ValueError:
        related = {}
    linked = {item["url"] for items in related.values() for item in items}
    tap.ok(code in (0, 1) and linked and linked <= set(GOOD),
           "vind related --all (a site's related.json) links only http(s) and site paths",
           sorted(linked) or err)
    code, out, err = run(["vind", "search", "--db", db, "--format", "json", "--all",
                          "zorgbeleid"])
    urls = {hit["url"] for hit in json.loads(out)["results"]} if code == 0 else set()
    tap.equal(urls, set(GOOD), "vind search finds only the good records")
    deletion = json.dumps({"url": "javascript:alert(1)//", "deleted": True}) + "\n"
    code, _, err = run(["vind-index", "--from-jsonl", "-", db], stdin=deletion.encode())
    tap.ok(code == 0 and "failed 0" in err,
           "a deletion of such a URL (indexed before session 13) is still taken", err)


def test_terminal(tap, tmp):
    hostile = "\x1b]0;PWNED\x07\x1b[2J\u009b31m"
    feed = "".join(record(url, n, title="Titel %d %s" % (n, hostile),
                          tags=["zorg", "tag" + hostile], pages=[body(n) + hostile])
                   for n, url in enumerate(["/een/", "/twee/", "/drie/"]))
    db = os.path.join(tmp, "terminal.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", db], stdin=feed.encode())
    tap.ok(code == 0, "a feed of titles and tags with ESC, BEL and C1 is indexed", err)
    code, out, err = run(["vind", "related", "--db", db, "--url", "/een/", "--type", "any"])
    tap.ok(code == 0 and "Titel 1" in out and not CONTROL.search(out),
           "vind related --url prints no control character of a title or tag", repr(out))
    code, out, err = run(["vind", "doc", "--db", db, "--text", "/een/"])
    tap.ok(code == 0 and "Titel 0" in out and not CONTROL.search(out),
           "vind doc --text prints no control character", repr(out))
    for command, shown in ((["search", "titel"], "Titel 1"), (["kwic", "uniekwoord0"], "PWNED"),
                           (["count", "--by", "tag", "titel"], "PWNED")):
        code, out, err = run(["vind"] + command + ["--db", db, "--format", "csv"])
        rows = out.replace("\r\n", "\n")
        tap.ok(code == 0 and shown in out and not CONTROL.search(rows),
               "vind %s --format csv keeps no control character (a cell is data, but `cat` of it "
               "reached the terminal)" % command[0], repr(out[:400]))
    # A URL with ESC comes only from an index made before session 13 or from --base-url.
    site = os.path.join(tmp, "site")
    os.makedirs(site)
    for n in range(2):
        with open(os.path.join(site, "p%d.html" % n), "w", encoding="utf-8") as f:
            f.write("<html><head><title>Pagina %d</title></head><body><article><p>%s</p>"
                    "</article></body></html>" % (n, BODY))
    db = os.path.join(tmp, "base-url.db")
    code, _, err = run(["vind-index", "--db", db, "--base-url", "https://x.example/\x1b[31m/",
                        "--quiet", site])
    code, out, err = run(["vind", "kwic", "--db", db, "zorgbeleid"])
    tap.ok(code == 0 and "x.example" in out and not CONTROL.search(out),
           "vind kwic prints no control character of a URL", repr(out[:300]))


def test_report(tap, tmp):
    """vind-index's report names files and quotes pages (a refresh target): a C1 CSI there
    drove the terminal as ESC [ would."""
    site = os.path.join(tmp, "report-site")
    os.makedirs(site)
    with open(os.path.join(site, "stub.html"), "w", encoding="utf-8") as f:
        f.write('<html><head><meta http-equiv="refresh" content="0; url=/nieuw/&#x9b;2J">'
                "</head><body></body></html>")
    open(os.path.join(site.encode(), b"leeg\xc2\x9b2J.html"), "wb").close()
    code, out, err = run(["vind-index", "--db", os.path.join(tmp, "report.db"), "--base-url", "/",
                          "--verbose", site])
    tap.ok("redirect stub" in err and "empty file" in err and not CONTROL.search(err),
           "vind-index's report escapes a C1 control of a file name and of a refresh target "
           "(\\xc2\\x9b)", repr(err))


def test_pages_past_positions(tap, tmp):
    """Positions are 32 bits and each page takes 10,000 (lib/schema.h): the words of a page past
    the 429,496th are found, but on page 1 and in no phrase. Said since session 13."""
    lines = ""
    for n, url in ((429496, "/past/"), (429497, "/over/")):
        pages = [""] * n
        pages[0], pages[-1] = "zorgbeleid begin", "zorgbeleid eind slotwoord"
        lines += json.dumps({"url": url, "type": "pdf", "title": "Pagina's", "pages": pages}) + "\n"
    db = os.path.join(tmp, "pages.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", db], stdin=lines.encode())
    tap.ok(code == 0 and re.search(r"^-:2: indexed, but the words of its pages past 429496 "
                                   r"\(of 429497\) have no page number and no phrase search$",
                                   err, re.M) and "-:1:" not in err,
           "429,497 pages: the pages past 429,496 are reported; 429,496 are not", err)
    code, out, err = run(["vind", "search", "--db", db, "--format", "json", "slotwoord"])
    pages = {hit["url"]: hit["pages"] for hit in json.loads(out)["results"]} if code == 0 else {}
    tap.equal(pages.get("/past/"), [429496], "the word of page 429,496 is found on its page")


def main():
    tap = Tap()
    if not os.access(binary("vind-index"), os.X_OK) or not os.access(binary("vind"), os.X_OK):
        tap.skip("hostile feed", "vind-index or vind not built")
        return tap.done()
    tmp = tempfile.mkdtemp(prefix="vind-hostile-feed-")
    try:
        test_urls(tap, tmp)
        test_terminal(tap, tmp)
        test_report(tap, tmp)
        test_pages_past_positions(tap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
