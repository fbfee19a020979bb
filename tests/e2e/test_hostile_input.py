#!/usr/bin/env python3
"""test_hostile_input.py - what the hostile probe of session 18 found in what goes in (vind-index,
its options and the files; docs/security.md "The hostile probe of session 18").

* A run of text longer than 10,000,000 bytes (an 11 MB <pre>, a paragraph, a <title>) made
  libxml2 halt the parse (its lookup limit without XML_PARSE_HUGE): the rest of the page was
  dropped, and the page was reported as indexed whole (a <title> as "title cut from 10000000",
  the <pre> and the paragraph not at all). Now the page is parsed again without the limit:
  every word is found, and the title's real length is reported.
* A page nested deeper than 4,096 levels kept libxml2's first tree, which stops at the 256th
  level: the text after the deep part (and after an 11 MB text before it) was lost, though the
  report said only "the text past its 256th level is not indexed". Now the tree parsed without
  limits is kept and its elements past the 256th level dropped: what the report says.
* A page with NUL bytes was reported "bytes that are not UTF-8 were read as windows-1252" (the
  NUL is valid UTF-8); now "N NUL bytes (no text) read as spaces".
* A page replaced between two runs by a symbolic link out of the site, a FIFO or a broken link
  was reported "..., not indexed", but its old document stayed in the index, found by its words
  (the walk's refusals counted as "seen"); now it is removed and counted ("removed 4"). A link
  to a target under a file (ENOTDIR) was "Not a directory" and kept: now a broken link.
* `--max-size nan` was taken: the size limit switched off (a double NaN cast to size_t), and a
  --from-jsonl run's line limit (twice it) wrapped to 0 bytes, so every record was refused as
  "a line longer than 0 bytes". nan, inf and sizes past 1024G are refused (exit 2) now.

* `vind search --queries FOLDER` exited 1 ("nothing found") without a word: getline's EISDIR
  was taken for the end of the file; now exit 2, "cannot read FOLDER: Is a directory". A line
  was read whole whatever its length (/dev/zero: 2 GB before getline failed, again unsaid); now
  a line past the query limit (4,096 bytes) stops the run at once, naming the file and line.

Session 19's probe (docs/security.md "The hostile probe of session 19"):
* A page named .html whose first kilobyte held "%PDF-" (an article titled "Een PDF begint met
  %PDF-1.7", a paragraph about PDF headers) was read as a PDF, because a PDF's header may stand
  anywhere in its first kilobyte: the page was lost, reported "damaged PDF". Now a file named as
  HTML that is markup from its first byte is read as HTML (what a browser shows of it); a PDF
  named .html, its header first, is still read as the PDF. (The OCR rendering bomb of the same
  probe is in test_ocr.py: it needs Tesseract.)
* A PDF whose font maps a glyph to a text holding U+0000 lost its page's text after it without a
  word: poppler_page_get_text returns a C string, cut at the NUL. Now the page is reported (with
  --ocr off here: "the text after it is not indexed"; test_ocr.py: OCR reads the page).

Session 20's probe (docs/security.md "The hostile probe of session 20"):
* A page's links were resolved against the page's own URL whatever its <base href>: with
  `<base href="https://evil.example/">` a link `rapport.pdf` (the other host's file, in a browser)
  made the site's dir/rapport.pdf beside the page its attachment, and with `<base href="/">` the
  link `jaar.pdf` named dir/jaar.pdf instead of /jaar.pdf. Now links are resolved as a browser
  resolves them, and another host's links name none of the site's files.

* A file outside the site bind-mounted over a page (`mount --bind /etc/passwd site/passwd.html`,
  root's act, as a hard link is a user's) was indexed: its real path is the page's, inside the
  site. Now a regular file that is the root of a mount of its own is reported and not indexed, and
  the page it hides is removed (skipped where the test cannot mount).

A few seconds (two 11 MB pages). Standard library only; TAP.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Tap, binary, env, nul_glyph_pdf, pdf_of  # noqa: E402

TAP = Tap()
INDEX = binary("vind-index")
VIND = binary("vind")
ELEVEN_MB = 11 * 1024 * 1024


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)


def page(title, body):
    return ("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>%s</title></head>"
            "<body><main><article><h1>%s</h1>%s</article></main></body></html>" % (title, title, body))


def filler(word):
    return (word + " ") * (ELEVEN_MB // (len(word) + 1))


def run_index(db, *args, stdin=None):
    proc = subprocess.run([INDEX, "--db", db, *args], input=stdin, capture_output=True, text=True,
                          errors="replace", env=env(), timeout=600)
    return proc.returncode, proc.stderr


def found(db, word):
    """The URLs `vind search` finds for word."""
    proc = subprocess.run([VIND, "search", "--db", db, "--format", "jsonl", word], capture_output=True,
                          text=True, errors="replace", env=env(), timeout=120)
    urls = []
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            urls.append(json.loads(line).get("url"))
    return urls


def report_of(stderr, name):
    """The report lines of vind-index that name the file name."""
    return [line for line in stderr.splitlines() if name in line]


def test_long_text_runs(tmp):
    site = os.path.join(tmp, "lang")
    write(os.path.join(site, "pre.html"),
          page("Een lange pre", "<pre>preslagboom " + filler("vulwoord") + " preslotwoord</pre>"
               "<p>Daarna de alinea napreparagraaf.</p>"))
    write(os.path.join(site, "titel.html"),
          "<html><head><title>" + filler("titelvulling") + "</title></head><body>"
          "<p>Het woord natitelparagraaf.</p></body></html>")
    write(os.path.join(site, "gewoon.html"), page("Gewoon", "<p>Het woord gewoneparagraaf.</p>"))
    write(os.path.join(site, "diep.html"),
          page("Diep", "<p>Het woord diepvoorwoord.</p>" + "<div>" * 300000 + "diepbinnenwoord" + "</div>" * 300000
               + "<p>Het woord diepnawoord.</p>"))
    db = os.path.join(tmp, "lang.db")
    code, stderr = run_index(db, "--base-url", "/", "-v", site)
    TAP.ok(code == 0, "an 11 MB <pre> and an 11 MB <title>: indexed, exit 0", stderr[-800:])
    for word, url in (("preslotwoord", "/pre.html"), ("napreparagraaf", "/pre.html"),
                      ("natitelparagraaf", "/titel.html"), ("gewoneparagraaf", "/gewoon.html")):
        TAP.ok(found(db, word) == [url],
               "%s is found on %s (past libxml2's 10,000,000 bytes of one text)" % (word, url),
               found(db, word))
    TAP.ok(found(db, "diepvoorwoord") == ["/diep.html"] and found(db, "diepnawoord") == ["/diep.html"],
           "300,000 nested <div>s: the paragraphs before and after them are found", found(db, "diepnawoord"))
    said = report_of(stderr, "diep.html")
    TAP.ok(found(db, "diepbinnenwoord") == [] and len(said) == 1 and "nested deeper than 4096 elements" in said[0],
           "... the word inside them (past the 256th level) is not, and the page is reported as cut", said)
    TAP.ok(report_of(stderr, "pre.html") == [],
           "the 11 MB <pre> page is whole: nothing to report", report_of(stderr, "pre.html"))
    said = report_of(stderr, "titel.html")
    title = filler("titelvulling").strip()  # the title as stored: trimmed
    TAP.ok(len(said) == 1 and "title cut from %d to 500 bytes" % len(title) in said[0],
           "the 11 MB title is reported with its real length, not libxml2's 10000000", said)


def test_nul_bytes(tmp):
    site = os.path.join(tmp, "nul")
    write(os.path.join(site, "nul.html"), page("Nul", "<p>Het woord nulvoorwoord\0nulnawoord.</p>"))
    db = os.path.join(tmp, "nul.db")
    code, stderr = run_index(db, "--base-url", "/", site)
    said = report_of(stderr, "nul.html")
    TAP.ok(code == 0 and len(said) == 1 and said[0].endswith("indexed, but 1 NUL byte (no text) read as a space"),
           "a page with a NUL byte is reported '1 NUL byte (no text) read as a space'", stderr[-800:])
    TAP.ok(not any("not UTF-8" in line for line in said), "... not as bytes that are not UTF-8", said)
    TAP.ok(found(db, "nulnawoord") == ["/nul.html"], "... and the word after the NUL is found")


def summary(stderr):
    match = re.search(r"indexed (\d+), updated (\d+), unchanged (\d+), removed (\d+), failed (\d+)", stderr)
    keys = ("indexed", "updated", "unchanged", "removed", "failed")
    return dict(zip(keys, map(int, match.groups()))) if match else {}


def test_no_page_now(tmp):
    """A page replaced (between two runs) by a link out of the site, a FIFO or a broken link."""
    site, outside = os.path.join(tmp, "weg-site"), os.path.join(tmp, "weg-buiten")
    words = {"uit.html": "buitenlinkwoord", "fifo.html": "fifopaginawoord", "kapot.html": "kapotlinkwoord",
             "onder.html": "onderbestandwoord", "blijft.html": "blijvendwoord"}
    for name, word in words.items():
        write(os.path.join(site, name), page(name, "<p>Het woord %s.</p>" % word))
    write(os.path.join(outside, "geheim.html"), page("Geheim", "<p>Het woord geheimbuitenwoord.</p>"))
    db = os.path.join(tmp, "weg.db")
    code, stderr = run_index(db, "--base-url", "/", site)
    TAP.ok(code == 0 and all(found(db, word) for word in words.values()), "first run: 5 pages indexed",
           stderr[-400:])
    os.remove(os.path.join(site, "uit.html"))
    os.symlink(os.path.join(outside, "geheim.html"), os.path.join(site, "uit.html"))
    os.remove(os.path.join(site, "fifo.html"))
    os.mkfifo(os.path.join(site, "fifo.html"))
    os.remove(os.path.join(site, "kapot.html"))
    os.symlink(os.path.join(outside, "bestaat-niet.html"), os.path.join(site, "kapot.html"))
    os.remove(os.path.join(site, "onder.html"))  # a target under a file: ENOTDIR, as broken
    os.symlink(os.path.join(outside, "geheim.html", "niets.html"), os.path.join(site, "onder.html"))
    code, stderr = run_index(db, "--base-url", "/", site)
    for name, reason in (("uit.html", "symbolic link out of the site"), ("fifo.html", "not a regular file (fifo)"),
                         ("kapot.html", "broken or looping symbolic link"),
                         ("onder.html", "broken or looping symbolic link")):
        said = report_of(stderr, name)
        TAP.ok(len(said) == 1 and reason in said[0], "%s, now %s: reported" % (name, reason), said)
        TAP.ok(found(db, words[name]) == [],
               "... and its old text is no longer found at /%s (it was kept, unsaid)" % name, found(db, words[name]))
    TAP.ok(code == 1 and summary(stderr).get("removed") == 4 and summary(stderr).get("unchanged") == 1,
           "the run counts the 4 removed, blijft.html unchanged", stderr[-600:])
    TAP.ok(found(db, "blijvendwoord") == ["/blijft.html"] and found(db, "geheimbuitenwoord") == [],
           "the page that stayed is found, the outside file's word is not")


def test_max_size(tmp):
    site = os.path.join(tmp, "maat")
    write(os.path.join(site, "a.html"), page("Maat", "<p>Het woord maatwoord.</p>"))
    db = os.path.join(tmp, "maat.db")
    for value in ("nan", "NaN", "inf", "-inf", "1e19", "1e30", "1025G", "0", "-5"):
        code, stderr = run_index(db, "--base-url", "/", "--max-size", value, site)
        TAP.ok(code == 2 and "--max-size" in stderr and "1024G" in stderr,
               "--max-size %s is refused, naming the valid range" % value, stderr[-400:])
    code, stderr = run_index(db, "--base-url", "/", "--max-size", "1024G", site)
    TAP.ok(code == 0 and found(db, "maatwoord") == ["/a.html"], "--max-size 1024G is taken", stderr[-400:])
    record = json.dumps({"url": "/feed/", "title": "Feed", "pages": ["Het woord feedmaatwoord."]}) + "\n"
    code, stderr = run_index(db, "--max-size", "1024G", "--from-jsonl", "-", stdin=record)
    TAP.ok(code == 0 and found(db, "feedmaatwoord") == ["/feed/"],
           "--from-jsonl with --max-size 1024G reads its line (no line limit wrapped to 0)", stderr[-400:])


def search_queries(db, path, stdin=None):
    proc = subprocess.run([VIND, "search", "--db", db, "--format", "json", "--queries", path], input=stdin,
                          capture_output=True, text=True, errors="replace", env=env(), timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_queries_file(tmp):
    """vind search --queries: a folder, a line past the query limit, CR LF and empty lines."""
    db = os.path.join(tmp, "maat.db")  # test_max_size's index: maatwoord on /a.html
    code, _, stderr = search_queries(db, tmp)
    TAP.ok(code == 2 and "cannot read %s: Is a directory" % tmp in stderr,
           "--queries FOLDER: exit 2, 'cannot read FOLDER: Is a directory' (it exited 1, unsaid)", (code, stderr))
    long_line = os.path.join(tmp, "lange-vraag.txt")
    with open(long_line, "w") as out:
        out.write("maatwoord\n" + "zorg " * 2_000_000 + "\nmaatwoord\n")
    code, stdout, stderr = search_queries(db, long_line)
    TAP.ok(code == 2 and "lange-vraag.txt:2: the query is longer than 4096 bytes" in stderr
           and stdout.count('"query"') == 1,
           "a 10 MB line: the first query answered, then exit 2 naming the line (read no further than 4097 bytes)",
           (code, stderr[-300:]))
    code, stdout, stderr = search_queries(db, "-", stdin="maatwoord\r\n\n%s\nmaatwoord" % ("m" * 4096))
    TAP.ok(code == 0 and stdout.count('"query"') == 3,
           "CR LF, an empty line, a query of 4,096 bytes and a last line without a line end: 3 answers",
           (code, stderr[-300:]))


def text_pdf(words):
    content = b"BT /F1 12 Tf 72 700 Td (%s) Tj ET" % words
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                   b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
                   b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                   b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"])


def test_pdf_header_in_a_page(tmp):
    site = os.path.join(tmp, "kop")
    write(os.path.join(site, "kop.html"),
          page("Een PDF begint met %PDF-1.7",
               "<p>Elk bestand begint met de kop %PDF-1.7, en dan volgt kopmagiewoord.</p>"))
    with open(os.path.join(site, "echt.html"), "wb") as out:
        out.write(text_pdf(b"een pdf onder een html-naam: pdfnaamwoord"))
    db = os.path.join(tmp, "kop.db")
    rc, err = run_index(db, "--base-url", "/", site)
    TAP.ok(rc == 0 and "damaged PDF" not in err and "indexed 2," in err,
           "a page that says '%PDF-1.7' in its first kilobyte: indexed, not 'damaged PDF'", err)
    TAP.ok(found(db, "kopmagiewoord") == ["/kop.html"], "... and found by its words")
    TAP.ok(found(db, "pdfnaamwoord") == ["/echt.html"],
           "a PDF named .html (its header first) is still read as the PDF")


def test_nul_in_pdf_text(tmp):
    site = os.path.join(tmp, "nulpdf")
    os.makedirs(site)
    with open(os.path.join(site, "nul.pdf"), "wb") as out:
        out.write(nul_glyph_pdf())
    db = os.path.join(tmp, "nulpdf.db")
    rc, err = run_index(db, "--base-url", "/", "--ocr", "off", site)
    TAP.ok(rc == 0 and "nul.pdf: page 1: its text layer stops at a NUL character (a font maps a "
           "glyph to U+0000): the text after it is not indexed" in err,
           "a PDF page whose text holds a NUL: the text lost after it is reported", err)
    TAP.ok(found(db, "nulvoorwoord") == ["/nul.pdf"], "... and the text before it is indexed")


def doc_of(db, url):
    """vind doc's JSON of url in db, or {}."""
    proc = subprocess.run([VIND, "doc", "--db", db, "--format", "json", url], capture_output=True,
                          text=True, errors="replace", env=env(), timeout=120)
    return json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.startswith("{") else {}


def base_page(title, base, body):
    return page(title, body).replace("<title>", "<base href=\"%s\"><title>" % base, 1)


def test_base_href(tmp):
    site = os.path.join(tmp, "basis")
    write(os.path.join(site, "dir", "elders.html"),
          base_page("Elders", "https://evil.example/", "<p>Tekst over zorg en <a href=\"rapport.pdf\">"
                    "het rapport</a> (bij de andere host).</p>"))
    write(os.path.join(site, "dir", "wortel.html"),
          base_page("Wortel", "/", "<p>Tekst over wonen en <a href=\"jaar.pdf\">het jaarverslag</a>.</p>"))
    for path, word in (("dir/rapport.pdf", b"rapportbasiswoord"), ("dir/jaar.pdf", b"fouterjaarwoord"),
                       ("jaar.pdf", b"juistejaarwoord")):
        os.makedirs(os.path.dirname(os.path.join(site, path)), exist_ok=True)
        with open(os.path.join(site, path), "wb") as out:
            out.write(text_pdf(word))
    db = os.path.join(tmp, "basis.db")
    rc, err = run_index(db, "--base-url", "https://www.site.example/", site)
    TAP.ok(rc == 0 and "indexed 5," in err, "a site of pages with <base href>: indexed", err)
    elders = doc_of(db, "https://www.site.example/dir/elders.html")
    rapport = doc_of(db, "https://www.site.example/dir/rapport.pdf")
    TAP.ok(elders.get("attachments") == [] and rapport.get("parent") is None and "url" in rapport,
           "<base href=\"https://evil.example/\"> and <a href=\"rapport.pdf\">: the site's "
           "dir/rapport.pdf (a file the page does not link) is not made its attachment",
           (elders.get("attachments"), rapport.get("parent")))
    wortel = doc_of(db, "https://www.site.example/dir/wortel.html")
    TAP.ok(wortel.get("attachments") == ["https://www.site.example/jaar.pdf"],
           "<base href=\"/\"> and <a href=\"jaar.pdf\">: the attachment is /jaar.pdf (where the "
           "browser goes), not dir/jaar.pdf beside the page", wortel.get("attachments"))


def bind_mount(source, target):
    """mount --bind source target: 1, or 0 when this machine does not let the test mount."""
    try:
        return subprocess.run(["mount", "--bind", source, target], capture_output=True,
                              timeout=30).returncode == 0
    except OSError:
        return 0


def test_bind_mounted_file(tmp):
    site = os.path.join(tmp, "mount")
    write(os.path.join(site, "gewoon.html"), page("Gewoon", "<p>Het woord gewoonmountwoord.</p>"))
    write(os.path.join(site, "passwd.html"), page("Eigen", "<p>Het woord eigenmountwoord.</p>"))
    outside = os.path.join(tmp, "buiten-mount.html")
    write(outside, page("Geheim", "<p>Het woord geheimmountwoord.</p>"))
    db = os.path.join(tmp, "mount.db")
    rc, err = run_index(db, "--base-url", "/", site)
    if rc != 0 or not bind_mount(outside, os.path.join(site, "passwd.html")):
        TAP.skip("a file bind-mounted into the site", "cannot mount here (not root?)")
        return
    try:
        rc, err = run_index(db, "--base-url", "/", site)
        TAP.ok(rc == 1 and "passwd.html: a file mounted into the site from elsewhere (a bind mount), "
               "not indexed" in err, "a file outside the site bind-mounted over a page: reported", err)
        TAP.ok(found(db, "geheimmountwoord") == [], "... its text is not indexed")
        TAP.ok(found(db, "eigenmountwoord") == [] and "removed 1" in err,
               "... and the page it hides is removed (its URL serves the other file now)", err)
        TAP.ok(found(db, "gewoonmountwoord") == ["/gewoon.html"], "... and the other page stays")
    finally:
        subprocess.run(["umount", os.path.join(site, "passwd.html")], capture_output=True, timeout=30)


def main():
    if not (os.access(INDEX, os.X_OK) and os.access(VIND, os.X_OK)):
        TAP.ok(False, "vind-index and vind are built (%s)" % INDEX)
        sys.exit(TAP.done())
    tmp = tempfile.mkdtemp(prefix="vind-hostile-input-")
    try:
        for test in (test_long_text_runs, test_nul_bytes, test_no_page_now, test_max_size, test_queries_file,
                     test_pdf_header_in_a_page, test_nul_in_pdf_text, test_base_href,
                     test_bind_mounted_file):
            try:
                test(tmp)
            except Exception as error:  # a crash of the test is a failure, not a skip
                TAP.ok(False, "%s raised %r" % (test.__name__, error))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(TAP.done())


if __name__ == "__main__":
    main()
