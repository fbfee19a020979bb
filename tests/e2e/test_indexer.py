#!/usr/bin/env python3
"""test_indexer.py - end-to-end tests of vind-index (issue 3) on the real binary.

* The shared corpus ($CORPUS; skipped when absent unless CI=true): every
  article page of site/ indexed exactly once and no listing page; title,
  date, tags and themes of every article equal its Markdown front matter;
  every PDF with a text layer indexed with its page count, its running
  header/footer lines absent from the stored text, hyphenated line breaks
  joined; a second run parses nothing.
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
from vindlib import BUILD, TOP, Index  # noqa: E402

CORPUS = os.environ.get("CORPUS", os.path.join(os.path.dirname(TOP), "shared", "corpus"))
IN_CI = os.environ.get("CI") == "true"
INDEX = os.path.join(BUILD, "bin", "vind-index")
results = []


def tap(ok, what, diagnostics=None):
    results.append(bool(ok))
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what))
    if not ok and diagnostics:
        for line in str(diagnostics).splitlines()[:20]:
            print("#   " + line)
    sys.stdout.flush()
    return ok


def skip(why):
    results.append(True)
    print("ok %d # SKIP %s" % (len(results), why))


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


def test_corpus(tmp):
    if not os.path.isdir(os.path.join(CORPUS, "site")):
        if IN_CI:
            tap(False, "the shared corpus is present in CI (%s)" % CORPUS)
        else:
            skip("shared corpus absent (%s)" % CORPUS)
        return
    db = os.path.join(tmp, "corpus.db")
    site, pdf = os.path.join(CORPUS, "site"), os.path.join(CORPUS, "pdf")
    code, stderr, seconds = run_index(db, site, pdf)
    print("# full index of the corpus: %.1f s" % seconds)
    counts = summary(stderr)
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
    tap(counts.get("unchanged", 0) + counts.get("failed", 0) >= len(slugs) + len(manifest) - 1
        and "skipped" not in stderr,
        "a second run reports every file unchanged and parses none (%.2f s)" % seconds,
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
            skip("qpdf absent: no encrypted PDF")
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


# ---- incremental runs and crashes on the sample site ------------------------------------

def sample_site(tmp, name):
    """A private copy of the sample site (built here when the build has none)."""
    copy = os.path.join(tmp, name)
    built = os.path.join(BUILD, "sample-site")
    if not os.path.isfile(os.path.join(built, "index.html")):
        built = os.path.join(tmp, "sample-site-built")
        if not os.path.isdir(built):
            subprocess.run([sys.executable, os.path.join(TOP, "sample", "build.py"), built],
                           capture_output=True)
    shutil.copytree(built, copy)
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
            for test in (test_bad_files, test_incremental, test_kill, test_corpus):
                try:
                    test(tmp)
                except Exception as error:  # a crash of the test is a failure, not a skip
                    tap(False, "%s raised %r" % (test.__name__, error))
    print("1..%d" % len(results))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
