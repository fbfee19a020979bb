#!/usr/bin/env python3
"""test_indexer.py - end-to-end tests of vind-index (issue 3) on the real binary.

* The shared corpus ($CORPUS; skipped when absent unless CI=true): every
  article page of site/ indexed exactly once and no listing page; title,
  date, tags and themes of every article equal its Markdown front matter;
  every PDF with a text layer indexed with its page count, its running
  header/footer lines absent from the stored text, hyphenated line breaks
  joined; a second run parses nothing. Under tests/run.sh these checks read
  the corpus run it made once per build for every test ($VIND_CORPUS_RUN),
  when its binary and arguments are the ones given here.
* Bad files (tests/data/make_bad_files.py): each reported with its path and
  reason, the rest indexed, exit 1.
* Incremental runs on the sample site: change one file, delete one, add one:
  exactly those three documents change.
* kill -9 in the middle of a run: the index opens with its previous state;
  the next run completes it.

The index is read back through libvind itself (ctypes on libvind.so), so the
test does not depend on the `vind` command. Standard library only; TAP.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The ctypes view of an index, shared with the hardening tests (tests/e2e/vindlib.py).
from vindlib import BUILD, TOP, Index, build_shim, built_sample_site, hit_list, spelling_table  # noqa: E402
from harness import Tap, pdf_of  # noqa: E402

CORPUS = os.environ.get("CORPUS", os.path.join(os.path.dirname(TOP), "shared", "corpus"))
IN_CI = os.environ.get("CI") == "true"
INDEX = os.path.join(BUILD, "bin", "vind-index")
TAP = Tap()
tap, skip = TAP.ok, TAP.skip


def run_index(db, *paths, extra=()):
    started = time.time()
    proc = subprocess.run([INDEX, "--db", db, "--base-url", "/", "--quiet", *extra, *paths],
                          capture_output=True, text=True, errors="replace")
    return proc.returncode, proc.stderr, time.time() - started


def summary(stderr):
    m = re.search(r"indexed (\d+), updated (\d+), unchanged (\d+), removed (\d+), failed (\d+)",
                  stderr)
    keys = ("indexed", "updated", "unchanged", "removed", "failed")
    return dict(zip(keys, map(int, m.groups()))) if m else {}


def count_by(stats, name):
    """{value: count} of one stats facet, whatever list/dict shape it has."""
    facet = stats.get(name) or stats.get(name + "s") or {}
    if isinstance(facet, dict):
        return facet
    return {entry["value"]: entry["count"] for entry in facet}


# ---- the shared corpus ---------------------------------------------------------------

def front_matter(path):
    """The few YAML front-matter fields the corpus uses (str, '' quoted, lists)."""
    text = open(path, encoding="utf-8").read()
    block = text.split("---", 2)[1]
    fields, key = {}, None
    for line in block.splitlines():
        if re.match(r"^\S[^:]*:", line):
            key, _, value = line.partition(":")
            value = value.strip()
            if value == "[]":
                fields[key] = []
            elif value == "":
                fields[key] = []
            else:
                fields[key] = unquote(value)
        elif line.startswith("- ") and key is not None and isinstance(fields.get(key), list):
            fields[key].append(unquote(line[2:].strip()))
    return fields


def unquote(value):
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value)
    return value


def running_lines(name, entry):
    """The manifest's repeated lines that are running headers or footers: among
    the first or last three lines of at least half the pages of pdftotext's
    output (pdf/text/), not content that merely repeats in a table ("Geen
    problemen aangetroffen") or a heading that recurs mid-page ("Reactie:")."""
    path = os.path.join(CORPUS, "pdf", "text", name + ".txt")
    if not os.path.isfile(path):
        return []
    pages = []
    for page in open(path, encoding="utf-8", errors="replace").read().split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if lines:
            pages.append(set(lines[:3] + lines[-3:]))
    if len(pages) < 3:
        return []
    running = []
    for line in entry.get("repeated_page_lines") or []:
        line = line.strip()
        if line and sum(line in edges for edges in pages) * 2 >= len(pages):
            running.append(line)
    return running


def shared_corpus_run(db):
    """(exit code, stderr) of the corpus run tests/run.sh made with this vind-index and the
    arguments test_corpus would give ($VIND_CORPUS_DB, its report in $VIND_CORPUS_RUN), its index
    copied to db (the second run below writes; the shared index stays read-only); None without
    one, or when another binary, corpus or option made it."""
    shared, report = os.environ.get("VIND_CORPUS_DB"), os.environ.get("VIND_CORPUS_RUN")
    if not (shared and report and os.path.isdir(shared) and os.path.isfile(report)):
        return None
    with open(report, encoding="utf-8", errors="replace") as f:
        code, command, stderr = f.readline().strip(), f.readline().rstrip("\n"), f.read()
    expected = [INDEX, "--db", shared, "--base-url", "/", "--quiet",
                os.path.join(CORPUS, "site"), os.path.join(CORPUS, "pdf")]
    if not code.isdigit() or command.split("\t") != expected:
        print("# %s was made by another command (%r): indexing the corpus here" % (shared, command))
        return None
    shutil.copytree(shared, db)
    print("# the corpus run of tests/run.sh (%s), checked on a copy" % shared)
    return int(code), stderr


def test_corpus(tmp):
    if not os.path.isdir(os.path.join(CORPUS, "site")):
        if IN_CI:
            tap(False, "the shared corpus is present in CI (%s)" % CORPUS)
        else:
            skip("the shared corpus", "absent (%s)" % CORPUS)
        return
    db = os.path.join(tmp, "corpus.db")
    site, pdf = os.path.join(CORPUS, "site"), os.path.join(CORPUS, "pdf")
    shared = shared_corpus_run(db)
    if shared:
        code, stderr = shared
    else:
        code, stderr, seconds = run_index(db, site, pdf)
        print("# full index of the corpus: %.1f s" % seconds)
    counts = summary(stderr)
    first_skipped = re.search(r"^skipped (\d+) page", stderr, re.M)
    first_skipped = int(first_skipped.group(1)) if first_skipped else 0
    invalid = os.path.join(pdf, "invalid", "plooi-iamwrongpdf-geen-geldige-pdf.pdf")
    tap(code == 1, "corpus run exits 1 (one invalid PDF)", stderr[-2000:])
    tap(counts.get("failed") == 1 and (invalid + ": ") in stderr,
        "the invalid PDF is reported with its path and reason", stderr[-2000:])

    index = Index(db)
    sources = os.path.join(CORPUS, "site-src", "content", "actueel")
    slugs = sorted(d for d in os.listdir(os.path.join(site, "actueel"))
                   if os.path.isfile(os.path.join(site, "actueel", d, "index.html"))
                   and os.path.isfile(os.path.join(sources, d, "index.md")))
    stats = index.stats()
    types = count_by(stats, "type")
    tap(types.get("article") == len(slugs),
        "every article page indexed exactly once (%d articles)" % len(slugs), json.dumps(types))
    tap(not types.get("page"), "no listing page indexed", json.dumps(types))

    wrong = []
    for slug in slugs:
        truth = front_matter(os.path.join(sources, slug, "index.md"))
        doc = index.document("/actueel/%s/" % slug) or {}
        expected = {
            "title": truth.get("title"),
            "date": (truth.get("date") or "")[:10] or None,
            "tags": sorted(truth.get("trefwoord") or []),
            "themes": sorted(truth.get("thema") or []),
        }
        got = {
            "title": doc.get("title"),
            "date": doc.get("date"),
            "tags": sorted(doc.get("tags") or []),
            "themes": sorted(doc.get("themes") or []),
        }
        if got != expected:
            wrong.append("%s: expected %s, got %s" % (slug, expected, got))
    tap(not wrong, "title, date, tags and themes of all %d articles equal the front matter"
        % len(slugs), "\n".join(wrong[:10]) + ("\n(%d wrong)" % len(wrong) if wrong else ""))

    manifest = json.load(open(os.path.join(pdf, "manifest.json")))["pdfs"]
    bad_pages, headers, missing = [], [], []
    for entry in manifest:
        name = os.path.basename(entry["file"])
        if entry.get("text_layer") != "yes" or "/invalid/" in entry["file"]:
            continue
        doc = index.document("/" + name, with_text=True)
        if not doc:
            missing.append(name)
            continue
        if doc.get("pages") != entry["pages"] and len(doc.get("text") or []) != entry["pages"]:
            bad_pages.append("%s: %s pages, manifest %d" % (name, doc.get("pages"), entry["pages"]))
        text = doc.get("text") or ""
        text = "\n".join(text) if isinstance(text, list) else text
        lines = set(line.strip() for line in text.splitlines())
        for repeated in running_lines(name, entry):
            if repeated in lines:
                headers.append("%s: %r" % (name, repeated))
    tap(not missing, "every PDF with a text layer is indexed", ", ".join(missing))
    tap(not bad_pages, "every PDF has its page count", "\n".join(bad_pages))
    tap(not headers, "running header/footer lines are absent from the stored text",
        "\n".join(headers[:10]))

    joined = {
        "coronamelder-bijlage-d-advies-raad-van-state.pdf": ["gegevensbescherming"],
        "coronamelder-website-samenvatting-evaluatie-na-9-maanden.pdf": ["onderzoekt"],
        "coronamelder-website-factsheet-doorlopende-evaluatie.pdf": ["kwantitatief"],
        "plooi-ah-tk-20202021-3235-kamervragen-tozo.pdf": ["beperktere"],
    }
    broken = []
    for name, words in joined.items():
        doc = index.document("/" + name, with_text=True) or {}
        text = doc.get("text") or ""
        text = "\n".join(text) if isinstance(text, list) else text
        for word in words:
            half = word[: len(word) // 2]
            if word not in text.lower() or re.search(re.escape(half) + r"-\n", text.lower()):
                broken.append("%s: %s" % (name, word))
    tap(not broken, "words hyphenated at line ends are joined", "\n".join(broken))
    index.close()

    code, stderr, seconds = run_index(db, site, pdf)
    counts = summary(stderr)
    print("# second run with nothing changed: %.2f s" % seconds)
    tap(counts.get("indexed") == 0 and counts.get("updated") == 0 and counts.get("removed") == 0,
        "a second run changes nothing", stderr[-1000:])
    skipped = re.search(r"^skipped (\d+) page", stderr, re.M)
    tap(counts.get("unchanged", 0) + counts.get("failed", 0) >= len(slugs) + len(manifest) - 1
        and (int(skipped.group(1)) if skipped else 0) == first_skipped,
        "a second run reports every file unchanged (the same skipped pages again, from their "
        "records) and parses none (%.2f s)" % seconds,
        stderr[-1000:])


# ---- bad files -------------------------------------------------------------------------

def test_bad_files(tmp):
    folder = os.path.join(tmp, "bad")
    made = subprocess.run([sys.executable, os.path.join(TOP, "tests", "data", "make_bad_files.py"),
                           folder], capture_output=True, text=True)
    if not tap(made.returncode == 0, "bad-file fixtures are generated", made.stderr):
        return
    db = os.path.join(tmp, "bad.db")
    code, stderr, _ = run_index(db, folder, extra=("--max-size", "1M", "--timeout", "20"))
    tap(code == 1, "a run with bad files exits 1", stderr)
    expected = {
        "truncated.pdf": "damaged",
        "encrypted.pdf": "encrypted",
        "file.pdf": "empty",
        "empty.html": "empty",
        "junk.html": "binary",
        "big.html": "limit",
    }
    for name, reason in expected.items():
        path = os.path.join(folder, name)
        if name.startswith("encrypted") and not os.path.exists(path):
            skip("an encrypted PDF", "qpdf absent")
            continue
        line = next((l for l in stderr.splitlines() if l.startswith(path + ": ")), "")
        tap(reason in line.lower(), "%s is reported with its path and reason" % name, stderr)
    for name in ("invalid-utf8.html", "charset-latin1-is-utf8.html", "charset-utf8-is-latin1.html"):
        path = os.path.join(folder, name)
        tap(any(l.startswith(path + ": indexed, but ") for l in stderr.splitlines()),
            "%s is indexed and reported with the repair made" % name, stderr)
    index = Index(db)
    for url in ("/goed-artikel-1.html", "/goed-artikel-2.html", "/goed-rapport.pdf",
                "/invalid-utf8.html", "/charset-latin1-is-utf8.html"):
        tap(index.document(url) is not None, "%s is indexed despite the bad files" % url)
    index.close()

# ---- issue 11: the site's boundary, URLs, collisions, skips, caps, options --------------

def page(title, body, head=""):
    return ("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>%s</title>%s"
            "</head><body><article><h1>%s</h1><p>%s</p></article></body></html>"
            % (title, head, title, body))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def line_for(stderr, path):
    """The report line of path ("path: reason"), or ""."""
    return next((l for l in stderr.splitlines() if l.startswith(path + ": ")), "")


def test_site_boundary(tmp):
    """Nothing outside the roots is indexed: links out are refused, devices and FIFOs named."""
    site, outside = os.path.join(tmp, "boundary-site"), os.path.join(tmp, "boundary-outside")
    write(os.path.join(outside, "x.html"), page("Buiten", "buitenwoordgeheim staat buiten de site"))
    write(os.path.join(site, "sub", "in.html"), page("Binnen", "binnenwoordlink staat in de site"))
    os.symlink("/etc/passwd", os.path.join(site, "passwd.html"))
    os.symlink(os.path.join(outside, "x.html"), os.path.join(site, "buiten.html"))
    os.symlink("../boundary-outside/x.html", os.path.join(site, "relatief.pdf"))
    os.symlink("/dev/zero", os.path.join(site, "zero.html"))
    os.symlink("sub/in.html", os.path.join(site, "binnen.html"))
    os.mkfifo(os.path.join(site, "fifo.html"))
    os.symlink(outside, os.path.join(site, "media"))  # a folder link: not followed, but said
    db = os.path.join(tmp, "boundary.db")
    code, stderr, _ = run_index(db, site, extra=("--timeout", "10", "--verbose"))
    tap(code == 1, "a site with links out exits 1 (some files not indexed)", stderr)
    for name in ("passwd.html", "buiten.html", "relatief.pdf"):
        tap(line_for(stderr, os.path.join(site, name)).endswith(
            ": symbolic link out of the site, not indexed"),
            "%s (a link out of the site) is reported and not indexed" % name, stderr)
    tap(line_for(stderr, os.path.join(site, "zero.html")).endswith(
        ": not a regular file (character device), not indexed"),
        "a link to /dev/zero is reported as a character device", stderr)
    tap(line_for(stderr, os.path.join(site, "fifo.html")).endswith(
        ": not a regular file (fifo), not indexed"),
        "a FIFO under an .html name is reported, never opened", stderr)
    tap(line_for(stderr, os.path.join(site, "media")).endswith(
        ": symbolic link to a folder, not followed")
        and "skipped 1 page: 1 symbolic link to a folder, not followed" in stderr,
        "a link to a folder is not followed, and --verbose says so (a skip, not a failure)", stderr)
    index = Index(db)
    try:
        for url in ("/passwd.html", "/buiten.html", "/relatief.pdf", "/zero.html", "/fifo.html"):
            tap(index.document(url) is None, "%s is not in the index" % url)
        tap(not hit_list(index.search("buitenwoordgeheim")) and not hit_list(index.search("root")),
            "no word of a file outside the site is found")
        tap(index.document("/binnen.html") is not None, "a link to a file inside the site is indexed")
    finally:
        index.close()


def test_walk_race(tmp):
    """A folder swapped for a link out of the site while the walk lists it: nothing outside is read.

    tests/e2e/walk_race.c swaps site/dir and a link to a folder outside, right after the walk has
    seen dir as a folder and before fts lists it (what a rename loop of a site author hits in a few
    runs of ten). Until session 11 the walk took the outside files (stat and open through the link
    agreed on their inode), and all 3 were indexed under /dir/, exit 0."""
    shim, why_not = build_shim(tmp, "walk_race")
    if not shim:
        skip("a folder swapped for a link during the walk", why_not)
        return
    site, outside = os.path.join(tmp, "race-site"), os.path.join(tmp, "race-outside")
    write(os.path.join(site, "index.html"), page("Thuis", "thuiswoord van de site"))
    for n in range(3):
        write(os.path.join(site, "dir", "p%d.html" % n), page("Binnen %d" % n, "binnenwoord"))
        write(os.path.join(outside, "p%d.html" % n), page("Buiten %d" % n, "racegeheimwoord"))
    write(os.path.join(outside, "diep", "q.html"), page("Dieper", "racegeheimwoord diep"))
    link = os.path.join(tmp, "race-link")
    os.symlink(outside, link)
    env = dict(os.environ, LD_PRELOAD=shim, VIND_SWAP_DIR=os.path.join(site, "dir"),
               VIND_SWAP_WITH=link)
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    db = os.path.join(tmp, "race.db")
    proc = subprocess.run([INDEX, "--db", db, "--base-url", "/", "--quiet", site], env=env,
                          capture_output=True, text=True, errors="replace", timeout=300)
    swapped = os.path.islink(os.path.join(site, "dir"))
    tap(swapped, "the shim swapped the folder for the link during the walk", proc.stderr)
    index = Index(db)
    try:
        found = [hit.get("url") for hit in hit_list(index.search("racegeheimwoord"))]
        tap(not found, "a folder swapped for a link out of the site: no file outside is indexed (%s)"
            % found, proc.stderr)
        tap(index.document("/") is not None, "the rest of the site is indexed", proc.stderr)
    finally:
        index.close()
    said = [line_for(proc.stderr, os.path.join(site, "dir", name)) for name in
            ("p0.html", "p1.html", "p2.html", "diep")]
    tap(proc.returncode == 1 and all(line.endswith(": moved out of the site while indexing (a folder "
                                                   "swapped for a symbolic link?), not indexed")
                                     for line in said),
        "... and each file and folder listed through the link is reported with its reason", proc.stderr)


def text_pdf(text):
    """A one-page PDF with text (Helvetica), standard library only."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf_of(objects)


def test_url_encoding(tmp):
    """Bytes a URL path cannot hold raw are percent-encoded, so every file has its own URL."""
    site = os.path.join(tmp, "url-site")
    names = {
        "hash#frag.html": ("/hash%23frag.html", "hekjewoord"),
        "vraag?x=1.html": ("/vraag%3Fx=1.html", "vraagtekenwoord"),
        "pct%41.html": ("/pct%2541.html", "procentwoord"),
        "pctA.html": ("/pctA.html", "anderbestandwoord"),
        "met spatie.html": ("/met%20spatie.html", "spatiewoord"),
        "\\attacker.example/index.html": ("/%5Cattacker.example/", "schuinstreepwoord"),
    }
    for name, (_, word) in names.items():
        write(os.path.join(site, name), page(word.capitalize(), "de pagina over " + word))
    # PDFs with odd names, linked from an article as written by hand and as encoded.
    for name, word in (("rapport met spatie.pdf", "spatierapportwoord"), ("rapport#1.pdf", "hekjerapportwoord")):
        with open(os.path.join(site, name), "wb") as f:
            f.write(text_pdf("Het rapport over " + word + " en de zorg in de wijk"))
    write(os.path.join(site, "bijlagen.html"),
          page("Bijlagen", 'bijlagenwoord <a href="rapport met spatie.pdf">een</a> '
               '<a href="/rapport%231.pdf">twee</a>'))
    # A link to another host's file of the same path is not this site's PDF.
    write(os.path.join(site, "extern.html"),
          page("Extern", 'externwoord <a href="https://other.example/rapport%231.pdf">elders</a>'))
    db = os.path.join(tmp, "url.db")
    code, stderr, _ = run_index(db, site)
    tap(code == 0 and summary(stderr).get("indexed") == len(names) + 4,
        "every oddly named file is indexed once", stderr)
    index = Index(db)
    try:
        for name, (url, word) in names.items():
            urls = [hit.get("url") for hit in hit_list(index.search(word))]
            tap(urls == [url], "%r is found at %s (found at %s)" % (name, url, urls))
        article = index.document("/bijlagen.html") or {}
        attached = sorted(a["url"] if isinstance(a, dict) else a for a in article.get("attachments") or [])
        tap(attached == ["/rapport%20met%20spatie.pdf", "/rapport%231.pdf"],
            "PDFs with encoded URLs are found as the attachments of the article linking them (%s)"
            % attached)
        foreign = (index.document("/extern.html") or {}).get("attachments") or []
        tap(foreign == [], "a link to another host's /rapport%%231.pdf attaches no PDF of the site (%s)"
            % foreign)
    finally:
        index.close()
    # An unchanged file whose URL changed (an index made before the encoding, another base URL)
    # is indexed again under its new URL, not kept at the old one.
    proc = subprocess.run([INDEX, "--db", db, "--base-url", "https://example.nl/", "--quiet", site],
                          capture_output=True, text=True, errors="replace")
    counts = summary(proc.stderr)
    index = Index(db)
    try:
        moved = index.document("https://example.nl/met%20spatie.html")
        documents = index.stats().get("documents")
    finally:
        index.close()
    tap(counts.get("updated") == len(names) + 4 and moved is not None and documents == len(names) + 4,
        "a new base URL moves every unchanged file to its new URL (%s, %s documents)"
        % (counts, documents), proc.stderr)


def test_url_collisions(tmp):
    """Two files with one URL: the first in walk order keeps it, in every run; the other is reported.

    sub/index.htm beside sub/index.html is sub/index.htm, as nginx and Apache serve it (until
    session 11 both were /sub/, and index.htm, first in walk order, took the URL from the page the
    server shows there)."""
    one, two = os.path.join(tmp, "collide-a"), os.path.join(tmp, "collide-b")
    write(os.path.join(one, "sub", "index.htm"), page("Eerste", "eerstewoord"))
    write(os.path.join(one, "sub", "index.html"), page("Tweede", "tweedewoord"))
    write(os.path.join(two, "sub", "index.html"), page("Derde", "derdewoord"))
    db = os.path.join(tmp, "collide.db")
    winner = os.path.join(one, "sub", "index.html")
    loser = os.path.join(two, "sub", "index.html")
    for run in ("first", "second", "touched"):
        if run == "touched":
            for path in (os.path.join(one, "sub", "index.htm"), loser):
                os.utime(path, None)
        code, stderr, _ = run_index(db, one, two)
        tap(line_for(stderr, loser) == "%s: same URL as %s, not indexed" % (loser, winner),
            "%s run: %s is reported as a URL collision" % (run, loser), stderr)
        index = Index(db)
        doc = index.document("/sub/") or {}
        htm = index.document("/sub/index.htm") or {}
        documents = index.stats().get("documents")
        index.close()
        tap(doc.get("title") == "Tweede" and documents == 2,
            "%s run: /sub/ holds collide-a/sub/index.html, the first in walk order (title %r, %s "
            "documents)" % (run, doc.get("title"), documents))
        tap(htm.get("title") == "Eerste",
            "%s run: sub/index.htm beside sub/index.html is indexed at /sub/index.htm (title %r)"
            % (run, htm.get("title")), stderr)
    # The holder of /sub/ deleted: the next in line takes the URL over in the same run (here
    # sub/index.htm, now without an index.html beside it). Until session 11 a document stored
    # over a vanished file's in place was deleted with it: "indexed 1, removed 1", and /sub/ was
    # empty until the run after.
    os.remove(winner)
    code, stderr, _ = run_index(db, one, two)
    index = Index(db)
    doc = index.document("/sub/") or {}
    documents = index.stats().get("documents")
    index.close()
    tap(doc.get("title") == "Eerste" and documents == 1,
        "the holder of /sub/ deleted: sub/index.htm holds /sub/ in that same run (title %r, %s "
        "documents)" % (doc.get("title"), documents), stderr)


def test_skipped_pages(tmp):
    """Reload timers and <noscript> refreshes are pages; every skip is counted by its reason."""
    site = os.path.join(tmp, "skip-site")
    words = " ".join(["mantelzorg verpleeghuis wijkverpleging"] * 10)
    write(os.path.join(site, "timer.html"),
          page("Timer", "herlaadwoord " + words, '<meta http-equiv="refresh" content="600">'))
    write(os.path.join(site, "noscript.html"),
          page("Noscript", "noscriptwoord " + words,
               '<noscript><meta http-equiv="refresh" content="0; URL=noscript-uitleg.html"></noscript>'))
    write(os.path.join(site, "oud.html"),
          '<html><head><meta http-equiv="refresh" content="0; url=/nieuw/"></head>'
          '<body><p>Verhuisd</p></body></html>')
    write(os.path.join(site, "tag", "zorg", "index.html"), page("Zorg", "lijst " + words))
    db = os.path.join(tmp, "skip.db")
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    try:
        for url in ("/timer.html", "/noscript.html"):
            tap(index.document(url) is not None, "%s (a refresh, but not a redirect stub) is indexed" % url,
                stderr)
        tap(index.document("/oud.html") is None, "a real redirect stub is not indexed")
    finally:
        index.close()
    tap(re.search(r"^skipped 2 pages: 1 \S.*, 1 \S", stderr, re.M) and "1 redirect stub" in stderr
        and "1 taxonomy or archive path" in stderr,
        "the summary counts skipped pages per reason", stderr)
    first = re.search(r"^skipped .*$", stderr, re.M)
    code, stderr, _ = run_index(db, site)
    again = re.search(r"^skipped .*$", stderr, re.M)
    tap(first and again and again.group(0) == first.group(0) and summary(stderr).get("unchanged") == 2,
        "an incremental run counts the same skipped pages, from their records", stderr)
    code, stderr, _ = run_index(db, site, extra=("--verbose",))
    tap(line_for(stderr, os.path.join(site, "oud.html")).startswith(
        os.path.join(site, "oud.html") + ": redirect stub"),
        "--verbose lists each skipped page with its reason, in an incremental run too", stderr)


def test_hidden_places(tmp):
    """Dot files and dot folders (.git/, .drafts/) in a site are skipped, counted, and said."""
    site = os.path.join(tmp, "hidden-site")
    normal = {"index.html": "/", "a/pagina.html": "/a/pagina.html"}
    hidden = {".git/page.html": ".git/", ".drafts/x.html": ".drafts/", ".hidden.html": ".hidden.html",
              "a/.b/c.html": ".b/"}
    for name in list(normal) + list(hidden):
        write(os.path.join(site, name), page("Pagina " + name, "verborgenwoord staat in " + name))
    write(os.path.join(site, ".git", "HEAD"), "ref: refs/heads/main\n")
    db = os.path.join(tmp, "hidden.db")
    code, stderr, _ = run_index(db, site, extra=("--verbose",))
    tap(code == 0 and summary(stderr).get("indexed") == 2, "the two pages of the site are indexed", stderr)
    for name, dotted in sorted(hidden.items()):
        tap(line_for(stderr, os.path.join(site, name)) == "%s: hidden: name starts with a dot (%s), not indexed"
            % (os.path.join(site, name), dotted), "%s is listed as hidden, naming %s" % (name, dotted), stderr)
    tap("skipped 4 pages: 4 hidden: name starts with a dot" in stderr,
        "the summary counts the hidden pages under a reason of their own", stderr)
    tap(os.path.join(site, ".git", "HEAD") not in stderr, "a file vind never indexes is not listed", stderr)
    index = Index(db)
    try:
        tap(all(index.document(url) is not None for url in normal.values()), "the normal pages are in the index")
        tap(len(hit_list(index.search("verborgenwoord"))) == 2, "no hidden page is found by a search")
    finally:
        index.close()
    # A root given by name is walked whatever its name; its pages, indexed
    # then, are removed (and counted) once the run walks the site around it.
    db = os.path.join(tmp, "hidden-root.db")
    code, stderr, _ = run_index(db, os.path.join(site, ".drafts"))
    tap(code == 0 and summary(stderr).get("indexed") == 1, "a root whose name starts with a dot is walked", stderr)
    code, stderr, _ = run_index(db, site)
    tap(summary(stderr).get("removed") == 1 and "skipped 4 pages: 4 hidden" in stderr,
        "a page indexed before and hidden now is removed, and the run says so", stderr)
    # A hidden folder that cannot be listed hides nothing after it.
    prefix = without_dac_override()
    if prefix is None:
        skip("the pages after an unreadable hidden folder", "setpriv is missing")
        return
    write(os.path.join(site, "a", "z.html"), page("Na", "nawoord staat na .b"))
    db = os.path.join(tmp, "hidden-unreadable.db")
    proc = index_while_unreadable(prefix, db, site, os.path.join(site, "a", ".b"), 0o755)
    tap(proc.returncode == 0 and summary(proc.stderr).get("indexed") == 3,
        "the pages after an unreadable hidden folder are indexed, and nothing fails", proc.stderr)


def test_xhtml(tmp):
    """An .xhtml page is a page: walked and indexed (until session 11 the walk passed it over without
    a word, though the extractor reads XHTML)."""
    site = os.path.join(tmp, "xhtml-site")
    write(os.path.join(site, "pagina.xhtml"),
          '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
          '<title>Xhtml pagina</title></head><body><p>' + " ".join(["xhtmlwoord mantelzorg"] * 20)
          + '</p></body></html>')
    write(os.path.join(site, "gewoon.html"), page("Gewoon", " ".join(["mantelzorg"] * 20)))
    db = os.path.join(tmp, "xhtml.db")
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    try:
        doc = index.document("/pagina.xhtml")
        tap(doc is not None and code == 0 and summary(stderr).get("indexed") == 2,
            "an .xhtml page is walked and indexed at its own URL", (code, stderr))
    finally:
        index.close()


def test_pages_without_text(tmp):
    """A page without a title and a word (an <svg> named .html, a page of markup only) is indexed
    under its file name and reported; the summary counts them (until session 12 they were indexed
    empty, unsaid, and no search found them)."""
    site = os.path.join(tmp, "notext-site")
    write(os.path.join(site, "beeld", "logo-groot.html"),
          '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')
    write(os.path.join(site, "alleen-beeld.html"),
          '<html><body><div><img src="a.png"></div></body></html>')
    write(os.path.join(site, "gewoon.html"), page("Gewoon", " ".join(["mantelzorg"] * 20)))
    db = os.path.join(tmp, "notext.db")
    code, stderr, _ = run_index(db, site)
    for name in ("beeld/logo-groot.html", "alleen-beeld.html"):
        line = line_for(stderr, os.path.join(site, name))
        tap(": indexed, but no text: " in line, "%s is reported: indexed, but no text" % name, stderr)
    tap(code == 0 and "2 pages without text" in stderr and summary(stderr).get("indexed") == 3,
        "the summary counts the 2 pages without text; all 3 indexed, exit 0", (code, stderr))
    index = Index(db)
    try:
        hits = [hit["url"] for hit in hit_list(index.search("logo-groot"))]
        doc = index.document("/beeld/logo-groot.html")
        tap(doc is not None and doc.get("title") == "logo-groot" and hits == ["/beeld/logo-groot.html"],
            "the <svg> page is titled and found by its file name", (doc, hits))
    finally:
        index.close()


def test_wide_encodings(tmp):
    """UTF-32 and UTF-16 without a BOM are decoded (they were 'binary data' or windows-1252
    garbage until session 12); EBCDIC is refused with its reason unless it declares its charset."""
    site = os.path.join(tmp, "wide-site")
    os.makedirs(site, exist_ok=True)
    text = ("<!DOCTYPE html><html><head>%s<title>Wijd %s</title></head><body><article><h1>Wijd</h1>"
            "<p>De gemeente is ge\u00efnteresseerd in %s en mantelzorg.</p></article></body></html>")
    made = {"utf-32-le": "utf32lewoord", "utf-32-be": "utf32bewoord", "utf-32": "utf32bomwoord",
            "utf-16-le": "utf16lewoord", "utf-16-be": "utf16bewoord"}
    for codec, word in made.items():
        with open(os.path.join(site, word + ".html"), "wb") as f:
            f.write((text % ("", word, word)).encode(codec))
    with open(os.path.join(site, "ebcdic.html"), "wb") as f:
        f.write((text % ("", "ebcdicwoord", "ebcdicwoord")).encode("cp500"))
    with open(os.path.join(site, "ibmwoord.html"), "wb") as f:
        f.write((text % ('<meta charset="IBM037">', "ibmwoord", "ibmwoord")).encode("cp037"))
    db = os.path.join(tmp, "wide.db")
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    try:
        accented = sorted(hit["url"] for hit in hit_list(index.search("ge\u00efnteresseerd", 0)))
        for word in list(made.values()) + ["ibmwoord"]:
            hits = [hit["url"] for hit in hit_list(index.search(word))]
            tap(hits == ["/%s.html" % word] and hits[0] in accented and
                not line_for(stderr, os.path.join(site, word + ".html")),
                "%s.html is decoded: found by its words (ge\u00efnteresseerd too), unreported"
                % word, (hits, accented, stderr))
        line = line_for(stderr, os.path.join(site, "ebcdic.html"))
        tap("EBCDIC" in line and "not indexed" in line and index.document("/ebcdic.html") is None
            and code == 1, "EBCDIC without a declared charset: reported and not indexed, exit 1",
            (code, stderr))
    finally:
        index.close()


def marker(n):
    """A word of its own for number n: zq + n in letters (zqaaab); no lexicon word, no compound."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters = chr(ord("a") + digit) + letters
    return "zq" + letters


def test_long_text(tmp):
    """A page of 3 MB of text (~310,000 words) is analysed in parts of 1 MB (cut at paragraph breaks,
    lib/index.c: the analyzer's tokens cost ~24 bytes a byte of text, so a 64 MB page peaked at
    ~1.5 GB), and its words have positions to its end (until session 12 only a page's first 10,000
    words had positions: no snippet or phrase reached the rest of a long article). A word of every
    part is found and marked beside its neighbour in its snippet, and a phrase in the last part
    matches its own words only."""
    site = os.path.join(tmp, "long-site")
    paragraphs = ["<p>%s %s %s.</p>\n" % ("mantelzorg bij wijkverpleging " * 30, marker(n), marker(n + 5000))
                  for n in range(3_300)]
    write(os.path.join(site, "lang.html"), page("Lange tekst", "".join(paragraphs)))
    db = os.path.join(tmp, "long.db")
    code, stderr, _ = run_index(db, site)
    tap(code == 0 and summary(stderr).get("indexed") == 1, "the 3 MB page is indexed", stderr[-500:])
    index = Index(db)
    try:
        for n in (3, 1_100, 2_200, 3_299):
            hits = hit_list(index.search(marker(n), snippets=True))
            snippet = (hits[0].get("snippet") or "") if hits else ""
            tap(len(hits) == 1 and "<mark>%s</mark> %s." % (marker(n), marker(n + 5000)) in snippet,
                "%s (byte %d of the page) is found and marked beside its neighbour"
                % (marker(n), n * 940), (hits[:1], snippet[:300]))
        last = marker(3_200)
        tap(len(hit_list(index.search('"%s %s"' % (last, marker(8_200))))) == 1
            and not hit_list(index.search('"%s %s"' % (last, marker(8_201)))),
            "a phrase in the last part matches its own words only")
    finally:
        index.close()


def test_field_caps(tmp):
    """Title, description, author, tags and themes are bounded when stored, and that is reported."""
    site = os.path.join(tmp, "caps-site")
    head = ['<meta name="description" content="%s">' % ("beschrijving " * 1000),
            '<meta name="author" content="%s">' % ("Auteur" * 100)]
    head += ['<meta property="article:tag" content="tag%05d">' % i for i in range(10_000)]
    head += ['<meta property="article:section" content="thema%05d">' % i for i in range(10_000)]
    title = "Titelwoord " + "é" * 500_000
    write(os.path.join(site, "groot.html"), page(title, "veldenwoord", "".join(head)))
    db = os.path.join(tmp, "caps.db")
    code, stderr, _ = run_index(db, site)
    said = line_for(stderr, os.path.join(site, "groot.html"))
    tap(": indexed, but " in said and "title cut" in said and "tags kept of 10000" in said,
        "the capped page is indexed and reported 'indexed, but ...'", stderr[-2000:])
    index = Index(db)
    try:
        doc = index.document("/groot.html") or {}
        fields = {key: len((doc.get(key) or "").encode("utf-8")) for key in ("title", "description", "author")}
        tap(doc and fields["title"] <= 500 and fields["description"] <= 2000 and fields["author"] <= 200,
            "title, description and author are cut (%s bytes)" % fields)
        tap((doc.get("title") or "").encode("utf-8").decode("utf-8") == doc.get("title"),
            "the title is cut at a UTF-8 boundary")
        tap(len(doc.get("tags") or []) <= 100 and len(doc.get("themes") or []) <= 100,
            "at most 100 tags and 100 themes are stored (%d, %d)"
            % (len(doc.get("tags") or []), len(doc.get("themes") or [])))
        answer = json.dumps(index.search("veldenwoord"))
        tap(len(answer) < 50_000, "a matching answer stays small (%d bytes)" % len(answer))
    finally:
        index.close()


def test_long_path(tmp):
    """A path longer than PATH_MAX is reported, not silently passed over."""
    site = os.path.join(tmp, "deep-site")
    write(os.path.join(site, "ondiep.html"), page("Ondiep", "ondiepwoord"))
    here = os.getcwd()
    os.chdir(site)
    try:
        depth = len(site)
        while depth < 4400:  # PATH_MAX is 4096; relative steps, each within NAME_MAX
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
            depth += 201
        with open("diep.html", "w") as f:
            f.write(page("Diep", "diepwoord"))
    finally:
        os.chdir(here)
    db = os.path.join(tmp, "deep.db")
    code, stderr, _ = run_index(db, site)
    tap(code == 1 and re.search(r": path too long \(\d+ bytes\), not indexed$", stderr, re.M),
        "a path longer than PATH_MAX is reported", stderr[-600:])
    tap(summary(stderr).get("indexed") == 1, "the rest of the site is indexed", stderr[-600:])
    subprocess.run(["rm", "-rf", site], capture_output=True)


def test_options(tmp):
    """--timeout 0/-1 and --jobs 0/65/200 are refused with the valid range."""
    site = os.path.join(tmp, "options-site")
    write(os.path.join(site, "a.html"), page("A", "optiewoord"))
    for option, value, valid in (("--timeout", "0", "1 to 3600"), ("--timeout", "-1", "1 to 3600"),
                                 ("--jobs", "0", "1 to 64"), ("--jobs", "65", "1 to 64"),
                                 ("--jobs", "200", "1 to 64")):
        code, stderr, _ = run_index(os.path.join(tmp, "options.db"), site, extra=(option, value))
        tap(code == 2 and valid in stderr and option in stderr,
            "%s %s is refused, naming the valid range" % (option, value), stderr)
    code, stderr, _ = run_index(os.path.join(tmp, "options.db"), site, extra=("--jobs", "64", "--timeout", "5"))
    tap(code == 0, "--jobs 64 --timeout 5 is accepted", stderr)


LIBREOFFICE_HELP = "/usr/share/libreoffice/help/nl"


def test_libreoffice_help(tmp):
    """LibreOffice's Dutch help (Debian libreoffice-help-nl): a <noscript> refresh on every page."""
    if not os.path.isdir(LIBREOFFICE_HELP):
        if IN_CI:
            tap(False, "%s is present (libreoffice-help-nl, scripts/debian-packages.txt)" % LIBREOFFICE_HELP)
        else:
            skip("LibreOffice's help", "%s absent (Debian package libreoffice-help-nl)" % LIBREOFFICE_HELP)
        return
    plain = os.environ.get("VIND_PLAIN_BUILD")
    if plain and os.path.abspath(plain) != os.path.abspath(BUILD):
        # 2,561 pages take minutes under ASan; the sanitized run has the fixtures of every rule.
        skip("LibreOffice's help", "indexed by the plain build only (%s)" % os.path.basename(BUILD))
        return
    db = os.path.join(tmp, "libreoffice.db")
    code, stderr, seconds = run_index(db, LIBREOFFICE_HELP, extra=("--jobs", "2"))
    counts = summary(stderr)
    print("# LibreOffice help: %s in %.1f s" % (counts, seconds))
    tap(code == 0 and counts.get("indexed", 0) >= 2500 and "redirect stub" not in stderr,
        "at least 2,500 pages of LibreOffice's Dutch help are indexed, none is a redirect stub (%s)"
        % counts.get("indexed"),
        stderr[-1500:])
    index = Index(db)
    try:
        doc = index.document("/text/shared/guide/spadmin.html") or {}
        tap(doc.get("title") == "Printer en fax instellen onder op UNIX gebaseerde platformen",
            "a help page has its title (%r)" % doc.get("title"))
        hits = hit_list(index.search("printer", limit=20))
        titled = [hit for hit in hits if hit.get("title")]
        tap(hits and len(titled) == len(hits), "the help's pages are found with their titles")
    finally:
        index.close()


# ---- incremental runs and crashes on the sample site ------------------------------------

def sample_site(tmp, name):
    """A private copy of the sample site (built here when the build has none)."""
    copy = os.path.join(tmp, name)
    shutil.copytree(built_sample_site(tmp), copy)
    return copy


def test_incremental(tmp):
    site = sample_site(tmp, "incremental-site")
    db = os.path.join(tmp, "incremental.db")
    code, stderr, _ = run_index(db, site)
    first = summary(stderr)
    tap(code == 0 and first.get("indexed", 0) >= 20, "the sample site indexes cleanly", stderr)
    articles = sorted(os.listdir(os.path.join(site, "actueel")))
    articles = [a for a in articles if os.path.isfile(os.path.join(site, "actueel", a, "index.html"))
                and a != "page"]
    changed, deleted = articles[0], articles[1]
    path = os.path.join(site, "actueel", changed, "index.html")
    text = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(text.replace('<div class="entry-content">',
                                                               '<div class="entry-content"><p>kraanvogelgroet</p>', 1))
    shutil.rmtree(os.path.join(site, "actueel", deleted))
    added = os.path.join(site, "actueel", "nieuw-artikel")
    os.makedirs(added)
    shutil.copy(os.path.join(site, "actueel", articles[2], "index.html"), added)
    code, stderr, _ = run_index(db, site)
    counts = summary(stderr)
    tap((counts.get("indexed"), counts.get("updated"), counts.get("removed")) == (1, 1, 1),
        "change one, delete one, add one: exactly those three documents change", stderr)
    tap(counts.get("unchanged", 0) >= first.get("indexed", 0) - 2,
        "every other file is unchanged", stderr)
    index = Index(db)
    tap(index.document("/actueel/%s/" % deleted) is None, "the deleted article is gone")
    tap(index.document("/actueel/nieuw-artikel/") is not None, "the added article is found")
    doc = index.document("/actueel/%s/" % changed, with_text=True) or {}
    text = doc.get("text") or ""
    tap("kraanvogelgroet" in (json.dumps(text)), "the changed article has its new text")
    index.close()
    # Touching a file without changing it parses it again but changes nothing.
    os.utime(path, None)
    code, stderr, _ = run_index(db, site)
    counts = summary(stderr)
    tap(counts.get("updated") == 0 and counts.get("indexed") == 0,
        "a touched but unchanged file is recognised by its content hash", stderr)
    # A change that keeps the size and the mtime (touch -r, rsync -t, an
    # editor that restores the time) is found by the ctime, which no one sets.
    # (Another article than the touched one, whose stored size and mtime
    # differ from its file's, so that it is hashed at every run anyway.)
    quiet = os.path.join(site, "actueel", articles[3], "index.html")
    kept = os.stat(quiet)
    text = open(quiet, encoding="utf-8").read()
    body = '<div class="entry-content">'
    open(quiet, "w", encoding="utf-8").write(
        text.replace(body, body + "<p>zwaluwstaartje</p>", 1)[:len(text)])
    os.utime(quiet, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    now = os.stat(quiet)
    code, stderr, _ = run_index(db, site)
    counts = summary(stderr)
    index = Index(db)
    doc = index.document("/actueel/%s/" % articles[3], with_text=True) or {}
    index.close()
    tap(now.st_size == kept.st_size and counts.get("updated") == 1 and
        "zwaluwstaartje" in json.dumps(doc.get("text") or ""),
        "a change that kept the size and the mtime (touch -r) is found", stderr)
    code, stderr, _ = run_index(db, site)
    counts = summary(stderr)
    tap(code == 0 and counts.get("updated") == 0 and counts.get("indexed") == 0,
        "... and the run after it parses nothing again", stderr)


def test_update_spelling_table(tmp):
    """A page edited and a page removed from the site folder leave the spelling table a fresh
    index of the site has (every word, same frequency; session 13: before, the old pages' words
    stayed, and "boezemkade", only on the removed and the edited page, outweighed the live
    "boezemkades" as the correction of "boezemkadex")."""
    site = os.path.join(tmp, "spelling-site")
    pages = {"a": "De boezemkade bij het gemaal werd hersteld.",
             "b": "Het waterschap hoogde de boezemkade op.",
             "c": "De dijkgraaf bekeek de boezemkades.",
             "d": "De polder ligt laag."}
    for name, body in pages.items():
        write(os.path.join(site, name + ".html"), page("Bericht " + name, body))
    updated_db, fresh_db = os.path.join(tmp, "spelling-bijwerk.db"), os.path.join(tmp, "spelling-vers.db")
    code, err, _ = run_index(updated_db, site)
    before = spelling_table(updated_db, BUILD)
    if before is None:
        skip("an HTML update leaves the spelling table of a fresh index",
             "spelling-dump not built (make check builds it)")
        return
    write(os.path.join(site, "a.html"), page("Bericht a", "Een zin over de hoogwaterbescherming."))
    os.remove(os.path.join(site, "b.html"))
    write(os.path.join(site, "e.html"), page("Bericht e", "Het gemaal pompt de polder droog."))
    code2, err2, _ = run_index(updated_db, site)
    code3, err3, _ = run_index(fresh_db, site)
    updated, fresh = spelling_table(updated_db, BUILD), spelling_table(fresh_db, BUILD)
    differ = sorted((w, updated.get(w, 0), fresh.get(w, 0)) for w in set(updated) | set(fresh)
                    if updated.get(w, 0) != fresh.get(w, 0))
    tap(code == code2 == code3 == 0 and before.get("boezemkade") == 2 and updated == fresh
        and "boezemkade" not in updated,
        "a page edited, one removed, one added: the spelling table is a fresh index's",
        "exit %d %d %d: %s" % (code, code2, code3, differ[:8] or err + err2 + err3))
    index = Index(updated_db)
    suggestion = index.search("boezemkadex").get("suggestion")
    index.close()
    tap(suggestion == "boezemkades", "\"boezemkadex\": the live word is offered", suggestion)


def without_dac_override():
    """The prefix that makes vind-index honour file modes when the test runs as
    root (root reads a chmod 000 folder otherwise): setpriv drops the two
    capabilities that bypass them. None when neither is possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def index_while_unreadable(prefix, db, site, path, mode):
    """vind-index over site while path is chmod 000 (mode again after)."""
    os.chmod(path, 0)
    try:
        return subprocess.run(prefix + [INDEX, "--db", db, "--base-url", "/", "--quiet", site],
                              capture_output=True, text=True, errors="replace")
    finally:
        os.chmod(path, mode)


def test_transient_errors(tmp):
    """What the walk cannot see now is not gone: a folder that became
    unreadable (chmod 000, EIO) and a root that is empty (an unmounted disk)
    keep their documents, and the run says so and exits 1."""
    site = sample_site(tmp, "transient-site")
    db = os.path.join(tmp, "transient.db")
    articles = sorted(a for a in os.listdir(os.path.join(site, "actueel"))
                      if os.path.isfile(os.path.join(site, "actueel", a, "index.html")))
    folder = os.path.join(site, "actueel", articles[0])
    # A sibling whose name starts with the folder's: not under it.
    sibling = folder + "-kopie"
    os.makedirs(sibling)
    shutil.copy(os.path.join(folder, "index.html"), os.path.join(sibling, "index.html"))
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    before = index.stats().get("documents")
    index.close()
    prefix = without_dac_override()
    if prefix is None:
        skip("a chmod 000 folder", "root without setpriv: it stays readable")
    else:
        shutil.rmtree(sibling)
        before -= 1
        proc = index_while_unreadable(prefix, db, site, folder, 0o755)
        counts = summary(proc.stderr)
        index = Index(db)
        kept = index.document("/actueel/%s/" % articles[0]) is not None
        gone = index.document("/actueel/%s-kopie/" % articles[0]) is None
        index.close()
        tap(proc.returncode == 1 and counts.get("removed") == 1 and kept and gone,
            "a folder that became unreadable: its document is kept, not removed; a deleted "
            "sibling whose name starts with the folder's is removed", proc.stderr)
        tap(line_for(proc.stderr, folder).endswith(
                "Permission denied; kept until it can be read: 1 document indexed under it"),
            "... and the run names the folder and says its document is kept", proc.stderr)
        # A file changed, then unreadable when the run reads it: its page stays.
        page = os.path.join(site, "actueel", articles[1], "index.html")
        os.utime(page, None)
        proc = index_while_unreadable(prefix, db, site, page, 0o644)
        index = Index(db)
        kept = index.document("/actueel/%s/" % articles[1]) is not None
        documents = index.stats().get("documents")
        index.close()
        tap(proc.returncode == 1 and kept and documents == before and
            line_for(proc.stderr, page).endswith("its indexed document is kept until it can be read"),
            "a changed file unreadable now (EACCES): reported, its document kept", proc.stderr)
        code, stderr, _ = run_index(db, site)
        tap(code == 0 and summary(stderr).get("indexed") == 0,
            "... and readable again: nothing to add back", stderr)
        # A page replaced by a link into a folder unreadable now: the walk
        # cannot tell what the link leads to (EACCES), so its page stays.
        vault = os.path.join(site, "kluis")
        linked = os.path.join(site, "actueel", articles[2], "index.html")
        os.makedirs(vault)
        shutil.copy(linked, os.path.join(vault, "a.html"))
        code, stderr, _ = run_index(db, site)
        before += 1  # kluis/a.html
        os.remove(linked)
        os.symlink(os.path.join("..", "..", "kluis", "a.html"), linked)
        proc = index_while_unreadable(prefix, db, site, vault, 0o755)
        index = Index(db)
        kept = index.document("/actueel/%s/" % articles[2]) is not None
        index.close()
        tap(proc.returncode == 1 and kept and line_for(proc.stderr, linked).endswith(
                "Permission denied; its indexed document is kept until it can be read"),
            "a page now a link into an unreadable folder: its document kept, and said so",
            proc.stderr)
    empty = os.path.join(tmp, "transient-mount")
    os.rename(site, empty)
    os.makedirs(site)
    code, stderr, _ = run_index(db, site)
    counts = summary(stderr)
    index = Index(db)
    after = index.stats().get("documents")
    index.close()
    tap(code == 1 and counts.get("removed") == 0 and after == before,
        "an empty root (an unmounted disk): its %s documents are kept (%s after)" % (before, after),
        stderr)
    tap("no HTML or PDF file found, but %d documents are indexed under it" % before in stderr,
        "... and the run says why it removed nothing", stderr)
    os.rmdir(site)
    os.rename(empty, site)
    code, stderr, _ = run_index(db, site)
    tap(code == 0 and summary(stderr).get("unchanged") == before,
        "mounted again: every document unchanged", stderr)


def test_rebuild_sees_all(tmp):
    """A schema upgrade rebuilds the whole index: one that met an empty root (an unmounted disk)
    swapped in an empty index. Now it stops, and the old index stays and serves."""
    site = sample_site(tmp, "upgrade-site")
    db = os.path.join(tmp, "upgrade.db")
    proc = subprocess.run([INDEX, "--db", db, "--base-url", "/", "--quiet", site],
                          capture_output=True, text=True,
                          env=dict(os.environ, VIND_INDEX_WRITE_SCHEMA="1"))
    index = Index(db)
    before = index.stats().get("documents")
    index.close()
    away = os.path.join(tmp, "upgrade-mount")
    os.rename(site, away)
    os.makedirs(site)
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    after = index.stats().get("documents")
    index.close()
    tap(proc.returncode == 0 and code == 2 and after == before and before > 0 and
        "the index is not rebuilt, and stays as it is" in stderr,
        "a schema upgrade over an empty root stops: the old index keeps its %s documents (%s)"
        % (before, after), stderr)
    os.rmdir(site)
    os.rename(away, site)
    code, stderr, _ = run_index(db, site)
    index = Index(db)
    after = index.stats().get("documents")
    index.close()
    tap(code == 0 and after == before, "mounted again: the upgrade completes (%s documents)" % after,
        stderr)


def test_kill(tmp):
    site = sample_site(tmp, "kill-site")
    big = os.path.join(tmp, "big")
    # Enough work that a kill lands mid-run: many copies of the sample site.
    for i in range(12):
        shutil.copytree(site, os.path.join(big, "copy%02d" % i))
    db = os.path.join(tmp, "kill.db")
    code, stderr, _ = run_index(db, os.path.join(big, "copy00"))
    index = Index(db)
    before = index.stats().get("documents")
    index.close()
    killed_mid_run = 0
    for delay in (0.2, 0.5, 1.0):
        proc = subprocess.Popen([INDEX, "--db", db, "--quiet", big],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            killed_mid_run += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            index = Index(db)
            documents = index.stats().get("documents")
            index.close()
            opened = True
        except RuntimeError as error:
            opened, documents = False, str(error)
        tap(opened and documents >= before,
            "after kill -9 at %.1f s the index opens with its previous state (%s documents)"
            % (delay, documents))
    tap(killed_mid_run > 0, "at least one kill landed in the middle of a run")
    code, stderr, _ = run_index(db, big)
    index = Index(db)
    after = index.stats().get("documents")
    index.close()
    tap(code == 0 and after == before * 12, "the next run completes the index (%s documents)" % after,
        stderr[-1000:])


def main():
    if not os.access(INDEX, os.X_OK):
        tap(False, "vind-index is built (%s)" % INDEX)
    else:
        with tempfile.TemporaryDirectory(prefix="vind-e2e-") as tmp:
            for test in (test_bad_files, test_site_boundary, test_walk_race, test_url_encoding, test_url_collisions,
                         test_skipped_pages, test_hidden_places, test_xhtml, test_pages_without_text, test_wide_encodings,
                         test_long_text, test_field_caps, test_long_path, test_options,
                         test_incremental, test_update_spelling_table, test_transient_errors,
                         test_rebuild_sees_all, test_kill,
                         test_corpus, test_libreoffice_help):
                try:
                    test(tmp)
                except Exception as error:  # a crash of the test is a failure, not a skip
                    tap(False, "%s raised %r" % (test.__name__, error))
    sys.exit(TAP.done())


if __name__ == "__main__":
    main()
