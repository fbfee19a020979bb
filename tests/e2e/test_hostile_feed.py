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
* `vind related --all` and `--format json` write a title's < > & escaped, as every JSON of vind's
  (session 15: related.json, which site generators paste into pages, had them raw).
* Every JSON and JSONL output writes C1 controls and U+2028/2029 as \\u escapes (before session 17
  raw: a C1 CSI reached the terminal, a U+2028 cut a JSONL line for str.splitlines); so do
  vind-searchd's /api/search and /api/doc (lib/json.c; raw until the end of session 17).
* `vind related --url` (text), `vind kwic` (text) and `vind doc --text` print no control
  character (ESC, C1 CSI U+009B, BEL) of a title, tag, URL or text: before session 13 the first
  two printed titles, tags and URLs as stored, and `doc --text` kept C1 characters; CSV cells
  (`search`, `kwic`, `count`) hold none either (they held every one);
  vind-index's report escaped C0 but not C1 in file names and refresh targets.
* An index made before session 13 (or before session 14 with an odd --base-url, which
  vind-index then took as given) may hold urls that are no link: every output withholds them (session 13): the JSON
  of `vind search`, /api/search and /api/doc gives "url": null, text and CSV "-" or an empty
  cell, related lists and related.json leave them out. Before, every one gave
  javascript:alert(1)//a4/ as the hit's, the related page's or the key's url.
* related.json of a feed of two hosts with one path keys each list by its full URL (before
  session 13: one key, one list, the other lost); one host keeps the path.
* A document of more pages than positions hold (429,496) is reported: the words past them have
  no page number (shown on page 1) and no phrase search; before session 13, unsaid.
* So is a PDF page but the last of more than 9,999 words (VIND_POS_PAGE_STRIDE): its words past
  the 9,999th have no position (the next page's begin there); before session 13, unsaid. A
  generated PDF (poppler reads at most ~50,000 characters a page: words of three letters) and
  feed records of 9,999 words (not reported) and 12,000 and 11,000 on two pages.

A few seconds. Standard library only; TAP.
"""
import json
import os
import random
import string
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, index_any_base, index_site, pdf_of  # noqa: E402

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
    markup = "</script><script>alert(1)</script> & <!--"
    marked = os.path.join(tmp, "markup.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", marked], stdin="".join(
        record(url, n, title="Titel %d %s" % (n, markup))
        for n, url in enumerate(["/een/", "/twee/", "/drie/"])).encode())
    out_file = os.path.join(tmp, "related.json")
    outputs = [run(["vind", "related", "--db", marked, "--all"]),
               run(["vind", "related", "--db", marked, "--all", "--output", out_file]),
               run(["vind", "related", "--db", marked, "--url", "/een/", "--format", "json"])]
    texts = [outputs[0][1], open(out_file).read() if os.path.exists(out_file) else "",
             outputs[2][1]]
    try:
        titles = {item["title"] for text in texts for items in json.loads(text).values()
                  for item in (items if isinstance(items, list) else [])}
    except (ValueError, AttributeError):
        titles = set()
    tap.ok(all(code in (0, 1) for code, _, _ in outputs) and titles
           and all(markup in t for t in titles)
           and not any(c in text for text in texts for c in "<>&"),
           "vind related --all (stdout and --output) and --format json write a title's < > & as "
           "\\u003c \\u003e \\u0026: a site generator pasting related.json into a page gets no "
           "markup", [t[:300] for t in texts])
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
    # A URL with ESC comes only from an index made before session 13, or before session 14 with
    # such a --base-url (refused since: test_base_url): no link, withheld since session 13 ("-";
    # before, printed without its ESC).
    site = os.path.join(tmp, "site")
    os.makedirs(site)
    for n in range(2):
        with open(os.path.join(site, "p%d.html" % n), "w", encoding="utf-8") as f:
            f.write("<html><head><title>Pagina %d</title></head><body><article><p>%s</p>"
                    "</article></body></html>" % (n, BODY))
    db = os.path.join(tmp, "base-url.db")
    index_any_base(db, site, "https://x.example/\x1b[31m/")
    code, out, err = run(["vind", "kwic", "--db", db, "zorgbeleid"])
    tap.ok(code == 0 and "zorgbeleid" in out and "x.example" not in out and
           not CONTROL.search(out),
           "vind kwic prints no control character of a URL (one with ESC: withheld)",
           repr(out[:300]))
    # A C1 CSI (U+009B) leaves a url a link (browsers escape it): a feed's, printed without it.
    db = os.path.join(tmp, "c1-url.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", db],
                       stdin=record("/x.example/\u009b31m/", 0).encode())
    code, out, err = run(["vind", "kwic", "--db", db, "uniekwoord0"])
    tap.ok(code == 0 and "x.example" in out and not CONTROL.search(out),
           "vind kwic prints no control character of a URL (C1 in a feed's url)", repr(out[:300]))


def test_json_controls(tap, tmp):
    """Every JSON and JSONL output writes C1 controls and U+2028/2029 as \\u escapes: jansson
    escapes only C0, so before session 17 a title's U+009B (a terminal's CSI) reached the
    terminal raw from `vind search --format json` (and jsonl, kwic, count, related, doc), and a
    U+2028 cut a JSONL line in two for Python's str.splitlines."""
    hostile = "\u009b2J\u0085\u2028\u2029"
    feed = "".join(record(url, n, title="Titel %d %s" % (n, hostile), tags=["zorg", "t" + hostile],
                          pages=[body(n) + " c1woord" + hostile])
                   for n, url in enumerate(["/een/", "/twee/", "/drie/"]))
    db = os.path.join(tmp, "json-controls.db")
    code, _, err = run(["vind-index", "--from-jsonl", "-", db], stdin=feed.encode())
    commands = [["search", "--format", "json", "titel"], ["search", "--format", "jsonl", "titel"],
                ["kwic", "--format", "json", "c1woord"], ["kwic", "--format", "jsonl", "c1woord"],
                ["count", "--by", "tag", "--format", "json", "titel"],
                ["related", "--all"], ["related", "--url", "/een/", "--format", "json"],
                ["doc", "--format", "json", "/een/"]]
    raw = re.compile("[\u0080-\u009f\u2028\u2029]")
    bad = []
    for command in commands:
        code, out, err = run(["vind"] + command[:1] + ["--db", db] + command[1:])
        lines = out.splitlines() if "jsonl" in command else [out]
        try:
            values = [json.loads(line) for line in lines if line]
        except ValueError:
            values = []
        if code != 0 or not values or raw.search(out) or hostile not in json.dumps(values,
                                                                                  ensure_ascii=False):
            bad.append((command, code, out[:200], err[:200]))
    tap.ok(code == 0 and not bad,
           "every JSON and JSONL output writes C1 controls and U+2028/2029 as \\u escapes, the "
           "same data to a parser, and each JSONL line survives str.splitlines (%d of %d)" %
           (len(commands) - len(bad), len(commands)), bad)
    with Searchd(db) as daemon:
        for path in ("/api/search?q=titel", "/api/doc?url=/een/", "/api/related?url=/een/"):
            status, _, answer = daemon.get(path)
            text = answer.decode("utf-8", "replace")
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            tap.ok(status == 200 and value is not None and not raw.search(text) and
                   "\\u009b2J\\u0085\\u2028\\u2029" in text and
                   hostile in json.dumps(value, ensure_ascii=False),
                   "vind-searchd %s writes C1 controls and U+2028/2029 as \\u009b \\u0085 "
                   "\\u2028 \\u2029 (before session 17 raw: curl passed a CSI to the terminal)"
                   % path.split("?")[0], "%s %r" % (status, text[:400]))
        status, _, answer = daemon.get("/api/suggest?q=titel")
        text = answer.decode("utf-8", "replace")
        tap.ok(status == 200 and "suggestions" in text and not raw.search(text),
               "vind-searchd /api/suggest writes no C1 control or U+2028/2029 raw", text[:400])


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


ARTICLE = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Artikel {n} over zorgbeleid</title><meta property="og:type" content="article">
<meta property="article:tag" content="zorg"></head>
<body><article><h1>Artikel {n} over zorgbeleid</h1><p>{text}</p></article></body></html>"""


def write_site(root, numbers):
    """Articles a<n>/ of their own texts (body(n)), tagged zorg: related to one another."""
    for n in numbers:
        os.makedirs(os.path.join(root, "a%d" % n))
        with open(os.path.join(root, "a%d" % n, "index.html"), "w", encoding="utf-8") as f:
            f.write(ARTICLE.format(n=n, text=body(n)))


NO_LINK = "javascript:alert(1)//"


def no_link_in(text):
    return NO_LINK not in text and "javascript:" not in text.lower()


def test_index_with_no_links(tap, tmp):
    """Four articles under /a0/../a3/ and four whose urls are javascript:alert(1)//a4/..: what an
    index made before session 13 from a hostile feed holds (made here as vind-index made it
    before session 14 with such a --base-url: index-any-base). Nothing gives those urls out."""
    db = os.path.join(tmp, "no-links.db")
    write_site(os.path.join(tmp, "good"), range(4))
    write_site(os.path.join(tmp, "bad"), range(4, 8))
    # a4 links its report: the PDF's url and its parent (a4's) are no link either
    with open(os.path.join(tmp, "bad", "a4", "rapport.pdf"), "wb") as f:
        f.write(pages_pdf([["Rapport over zorgbeleid en mantelzorg in de wijk"]]))
    with open(os.path.join(tmp, "bad", "a4", "index.html"), "w", encoding="utf-8") as f:
        f.write(ARTICLE.format(n=4, text=body(4) + ' <a href="rapport.pdf">Het rapport</a>'))
    index_site(db, os.path.join(tmp, "good"))
    index_any_base(db, os.path.join(tmp, "bad"), NO_LINK)
    good = {"/a%d/" % n for n in range(4)}
    code, out, err = run(["vind", "search", "--db", db, "--format", "json", "--all",
                          "zorgbeleid"])
    hits = json.loads(out)["results"] if code == 0 else []
    tap.ok(len(hits) == 9 and {h["url"] for h in hits} == good | {None} and
           [h["parent"] for h in hits if h["type"] == "pdf"] == [None],
           "vind search --format json: the 5 hits of no link (one a PDF, its parent no link "
           "either) have \"url\": null (and \"parent\": null), the 4 others theirs",
           [(h["url"], h["parent"]) for h in hits] or err)
    for fmt in ("text", "csv", "jsonl"):
        code, out, err = run(["vind", "search", "--db", db, "--format", fmt, "--all",
                              "zorgbeleid"])
        tap.ok(code == 0 and "/a0/" in out and "Artikel 5" in out and no_link_in(out),
               "vind search --format %s gives no url that is no link" % fmt, out[:600] or err)
    for fmt in ("text", "json"):
        code, out, err = run(["vind", "kwic", "--db", db, "--format", fmt, "zorgbeleid"])
        tap.ok(code == 0 and "/a0/" in out and no_link_in(out),
               "vind kwic --format %s gives no url that is no link" % fmt, out[:600] or err)
    code, out, err = run(["vind", "doc", "--db", db, "--format", "json", NO_LINK + "a5/"])
    record = json.loads(out) if code == 0 else {}
    tap.ok(record.get("title") == "Artikel 5 over zorgbeleid" and record.get("url") is None,
           "vind doc --format json of such a document: \"url\": null", out or err)
    code, out, err = run(["vind", "doc", "--db", db, NO_LINK + "a5/"])
    tap.ok(code == 0 and "Artikel 5" in out and no_link_in(out),
           "vind doc (text) of such a document: url -", out or err)
    code, out, err = run(["vind", "related", "--db", db, "--all"])
    related = json.loads(out) if code in (0, 1) and out else {}
    linked = {item["url"] for items in related.values() for item in items}
    tap.ok(set(related) == good and linked and linked <= good,
           "vind related --all (related.json): keys and related pages only links",
           out[:800] or err)
    for fmt in ("text", "json"):
        code, out, err = run(["vind", "related", "--db", db, "--format", fmt, "--url", "/a0/"])
        tap.ok(code == 0 and "/a1/" in out and no_link_in(out),
               "vind related --url --format %s leaves out the related pages of no link" % fmt,
               out or err)
    with Searchd(db) as daemon:
        for path in ("/api/search?q=zorgbeleid&size=50", "/api/related?url=/a0/",
                     "/api/related?url=" + NO_LINK + "a5/", "/api/doc?url=" + NO_LINK + "a5/",
                     "/zoeken?q=zorgbeleid&size=50"):
            status, _, answer = daemon.get(path.replace(":", "%3A").replace("(", "%28")
                                           .replace(")", "%29"))
            answer = answer.decode("utf-8", "replace")
            tap.ok(status == 200 and "Artikel" in answer and no_link_in(answer),
                   "vind-searchd %s gives no url that is no link" % path.split("?")[0],
                   "%s %s" % (status, answer[:600]))


BAD_BASES = ["javascript:alert(1)//", "//evil.example/", "/\\evil.example/", "https://x.example/\x1b[31m/",
             "https://site.example@evil.example/", "/zoeken?q=", "/../", "data:text/html,x"]


def test_base_url(tap, tmp):
    """vind-index refuses a --base-url (or a config's [site] base_url) that makes no link leading
    back to the file, at the start, exit 2; until session 14 it indexed every file under it."""
    site = os.path.join(tmp, "base-site")
    write_site(site, range(2))
    refused = []
    for n, base in enumerate(BAD_BASES):
        db = os.path.join(tmp, "base%d.db" % n)
        code, _, err = run(["vind-index", "--db", db, "--base-url", base, "--quiet", site])
        if (code == 2 and "cannot begin the site's URLs" in err and not os.path.exists(db)
                and not CONTROL.search(err)):
            refused.append(base)
        else:
            tap.diag("%r: exit %d, %s" % (base, code, err))
    tap.equal(refused, BAD_BASES, "vind-index refuses a --base-url that makes no link, exit 2, "
              "the value escaped, no index made (%d of %d)" % (len(refused), len(BAD_BASES)))
    config = os.path.join(tmp, "site.conf")
    with open(config, "w", encoding="utf-8") as f:
        f.write("[site]\nbase_url = javascript:alert(1)//\n")
    db = os.path.join(tmp, "base-config.db")
    code, _, err = run(["vind-index", "--db", db, "--config", config, "--quiet", site])
    tap.ok(code == 2 and "[site] base_url 'javascript:alert(1)//' cannot begin" in err and
           config in err and not os.path.exists(db),
           "... and so a config's [site] base_url, naming the file", err)
    code, _, err = run(["vind-index", "--db", db, "--config", config, "--base-url",
                        "https://www.example.nl/", "--quiet", site])
    tap.ok(code == 0, "a good --base-url overrides the config's bad one", err)
    for base, url in (("/site/", "/site/a0/"), ("https://www.example.nl", "https://www.example.nl/a0/"),
                      ("", "/a0/")):
        db = os.path.join(tmp, "base-good%d.db" % len(base))
        code, _, err = run(["vind-index", "--db", db, "--base-url", base, "--quiet", site])
        code2, out, err2 = run(["vind", "doc", "--db", db, "--format", "json", url])
        tap.ok(code == 0 and code2 == 0 and json.loads(out).get("url") == url,
               "--base-url %r: indexed, a0 at %s" % (base, url), err + err2)


def test_related_two_hosts(tap, tmp):
    """related.json of a feed of two hosts with one path: keyed by full URL; one host: by path."""
    db = os.path.join(tmp, "hosts.db")
    write_site(os.path.join(tmp, "host-a"), range(3))
    write_site(os.path.join(tmp, "host-b"), range(3, 6))
    for n in range(3, 6):  # host-b's a3..a5 become a0..a2: the same paths on another host
        os.rename(os.path.join(tmp, "host-b", "a%d" % n), os.path.join(tmp, "host-b", "a%d" % (n - 3)))
    index_site(db, os.path.join(tmp, "host-a"), base_url="https://a.example/")
    code, out, err = run(["vind", "related", "--db", db, "--all"])
    keys = set(json.loads(out)) if code in (0, 1) and out else set()
    tap.equal(sorted(keys), ["/a0/", "/a1/", "/a2/"], "related.json of one host: keyed by path")
    index_site(db, os.path.join(tmp, "host-b"), base_url="https://b.example/")
    code, out, err = run(["vind", "related", "--db", db, "--all"])
    keys = set(json.loads(out)) if code in (0, 1) and out else set()
    tap.equal(sorted(keys), sorted("https://%s.example/a%d/" % (h, n) for h in "ab"
                                   for n in range(3)),
              "related.json of two hosts with one path: 6 keys, each the full URL")


def test_related_one_host_and_paths(tap, tmp):
    """related.json of one host's URLs and the site's paths of the same pages (/a0/ and
    https://site.example/a0/: one page given twice), and of http:// and https:// of one host:
    every article its own key (the full URL). Until session 14 paths: 3 keys for 6 articles, the
    other 3 lists lost."""
    for name, bases in (("paths-and-host", ("/", "https://site.example/")),
                        ("two-schemes", ("http://site.example/", "https://site.example/"))):
        db = os.path.join(tmp, name + ".db")
        for n, base in enumerate(bases):
            site = os.path.join(tmp, "%s-%d" % (name, n))
            write_site(site, range(3 * n, 3 * n + 3))
            for k in range(3 * n, 3 * n + 3):  # a3..a5 become a0..a2: the same paths
                os.rename(os.path.join(site, "a%d" % k), os.path.join(site, "a%d" % (k - 3 * n)))
            index_site(db, site, base_url=base)
        code, out, err = run(["vind", "related", "--db", db, "--all"])
        related = json.loads(out) if code in (0, 1) and out else {}
        expected = sorted("%sa%d/" % (base, k) for base in bases for k in range(3))
        tap.ok(sorted(related) == expected and all(related.values()),
               "related.json of %s (%s and %s, one path each): 6 keys, each the full URL, each "
               "with its list" % (name, bases[0], bases[1]), sorted(related) or err)


def pages_pdf(pages):
    """A PDF of pages (each a list of lines of ASCII text), Helvetica 1 pt, standard library
    only."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" +
               b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages))) +
               b"] /Count %d >>" % len(pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        stream = b"BT /F1 1 Tf 1.5 TL 20 820 Td " + b" ".join(
            b"(" + line.encode("ascii") + b") '" for line in lines) + b" ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                       b" /Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_of(objects)


def short_words(n):
    """n words of three letters, all different: aaa aab ... (poppler keeps ~50,000 characters
    of a page, so 10,000 words fit only short)."""
    letters = string.ascii_lowercase
    return [letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26] for i in range(n)]


def test_long_pdf_page(tap, tmp):
    """A page but the last keeps positions for its first 9,999 words only."""
    site = os.path.join(tmp, "long-page")
    os.makedirs(site)
    words = short_words(10050) + ["slotwoord"]
    lines = [" ".join(words[i:i + 25]) for i in range(0, len(words), 25)]
    with open(os.path.join(site, "lang.pdf"), "wb") as f:
        f.write(pages_pdf([lines, ["tweede pagina"]]))
    result = index_site(os.path.join(tmp, "long-page.db"), site)
    err = result.stderr.decode("utf-8", "replace")
    tap.ok(re.search(r"lang\.pdf: indexed, but the words of page 1 past its first 9999 "
                     r"\(of 10051\) have no page number and no phrase search$", err, re.M),
           "a PDF whose first page holds 10,051 words: its words past the 9,999th are reported",
           err)
    feed = "".join(json.dumps({"url": url, "type": "pdf", "title": "Lang", "pages": pages}) + "\n"
                   for url, pages in (
                       ("/net/", [" ".join(short_words(9999)), "eind"]),
                       ("/twee/", [" ".join(short_words(12000)), " ".join(short_words(11000)),
                                   " ".join(short_words(20000))])))
    code, _, err = run(["vind-index", "--from-jsonl", "-", os.path.join(tmp, "long-feed.db")],
                       stdin=feed.encode())
    tap.ok(code == 0 and "-:1:" not in err and
           re.search(r"^-:2: indexed, but the words of 2 pages past their first 9999 \(page 1 "
                     r"first, up to 12000 words\) have no page number and no phrase search$",
                     err, re.M),
           "a page of 9,999 words is not reported; two of 12,000 and 11,000 are (the last "
           "page's 20,000 have positions)", err)


def main():
    tap = Tap()
    if not os.access(binary("vind-index"), os.X_OK) or not os.access(binary("vind"), os.X_OK):
        tap.skip("hostile feed", "vind-index or vind not built")
        return tap.done()
    tmp = tempfile.mkdtemp(prefix="vind-hostile-feed-")
    try:
        test_urls(tap, tmp)
        test_index_with_no_links(tap, tmp)
        test_related_two_hosts(tap, tmp)
        test_related_one_host_and_paths(tap, tmp)
        test_base_url(tap, tmp)
        test_terminal(tap, tmp)
        test_json_controls(tap, tmp)
        test_report(tap, tmp)
        test_pages_past_positions(tap, tmp)
        test_long_pdf_page(tap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
