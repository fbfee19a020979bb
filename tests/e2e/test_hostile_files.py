#!/usr/bin/env python3
"""test_hostile_files.py - vind-index on broken and hostile files (issue 8).

Every fixture is generated at test time into a temporary folder (nothing big is committed):
tests/data/make_bad_files.py's set (0-byte, truncated and encrypted PDFs, random bytes with NULs,
invalid UTF-8, wrong charset declarations, 100,000 nested <div>s, an entity bomb, a long-line PDF,
two good articles and a good PDF), plus, made here:

  pages-50000.pdf     50,000 empty pages (3 MB)
  line-100mb.pdf      one 100 MB line of text in one Flate stream (~100 kB on disk), on a page
                      wide enough to hold it, so poppler cannot drop it as off-page
  groot-50mb.html     a 50 MB article, a word found nowhere else at its very end
  nul-bytes.html      an article with NUL bytes inside a paragraph
  xxe.html            an external entity naming a local file (must not be read)
  lus-a.html, lus-b.html   two symbolic links pointing at each other
  lusmap/terug        a folder link back to its parent (a walk that follows it never ends)
  weg.html            a dangling symbolic link
  fifo.html           a FIFO: an open() of it blocks for ever. Running as root, a file cannot be
                      made unreadable by permissions; the FIFO and the dangling link are the
                      unreadable files here.
  "regel\\neinde.html" and "ongeldig-\\xff.html"   file names with a newline and with invalid UTF-8

Checked: the run ends (exit 1: some files failed) within a time bound (--timeout 10 per file);
each failing file is reported on one line "path: reason" (control bytes in the path escaped) with
the reason expected of it; every good file is indexed and findable by its own word; nothing of
the entities or the local file leaks into the index; the peak memory of vind-index and its
extraction children stays bounded (polled from /proc: largest single process and the whole tree).
Standard library only; TAP. Run time about a minute.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zlib

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Tap, pdf_of  # noqa: E402
from vindlib import BUILD, TOP, Index, hit_list, sanitized  # noqa: E402

INDEX = os.path.join(BUILD, "bin", "vind-index")
TIMEOUT = 60                  # --timeout: seconds per file (the 50 MB page needs ~20 s)
RUN_LIMIT = 240               # seconds the whole run may take (several files may time out)
TREE_RSS_LIMIT = 3 << 30      # bytes: vind-index plus its children at any moment
PROCESS_RSS_LIMIT = 2 << 30   # bytes: any one of them (the child's RLIMIT_AS is 2 GB)
SECRET = "zeekoeteluchtgeheim"  # in the file xxe.html's entity points at

tap = Tap()


# ---- fixtures ----------------------------------------------------------------------------

def pdf(objects, root=1):
    """A PDF from object bodies (bytes; object n is objects[n - 1])."""
    return pdf_of(objects, root)


def empty_pages_pdf(count=50_000):
    """count pages without content, in one flat page tree."""
    first = 3
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return pdf(objects)


def one_line_pdf(megabytes=100):
    """One page whose whole text is one line of megabytes MB, in one Flate stream. The page is as
    wide as the line (Helvetica 1 pt, ~0.5 pt a character): text outside the media box would be
    dropped by poppler and test nothing."""
    words = b"bewoners en zorgverleners werken samen in de wijk "
    total = megabytes << 20
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(b"BT /F1 1 Tf 0 10 Td (kolibriebegin ")]
    block = words * (1024 * 1024 // len(words))
    for _ in range(total // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(b" kolibrie-einde) Tj ET\n"))
    parts.append(compressor.flush())
    stream = b"".join(parts)
    width = total // 2 + 100
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d 40] /Resources << /Font << /F1 4 0 R"
               b" >> >> /Contents 5 0 R >>" % width,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    return pdf(objects)


def article(title, body, charset="utf-8"):
    return ("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"%s\">\n<title>%s</title>\n"
            "</head>\n<body>\n<main>\n<article>\n<h1>%s</h1>\n%s\n</article>\n</main>\n</body>\n"
            "</html>\n" % (charset, title, title, body)).encode("utf-8")


def big_html(path, megabytes=50):
    rng = random.Random(20240611)
    words = ("de het een en van bewoner bewoners cliënt cliënten zorg verpleeghuis medewerkers "
             "wijkverpleging mantelzorger naasten coördinator ideeën financiële geïnformeerd").split()
    paragraphs = []
    for _ in range(200):
        sentence = " ".join(rng.choice(words) for _ in range(120))
        paragraphs.append("<p>%s.</p>" % sentence.capitalize())
    chunk = ("\n".join(paragraphs) + "\n").encode("utf-8")
    with open(path, "wb") as handle:
        head = article("Een artikel van vijftig megabyte", "@@").split(b"@@")
        handle.write(head[0])
        written = len(head[0])
        while written < (megabytes << 20):
            handle.write(chunk)
            written += len(chunk)
        handle.write("<p>Het laatste woord: slechtvalkeinde.</p>".encode("utf-8") + head[1])


def make_fixtures(folder):
    """Writes every fixture; returns {name: expectation} for the ones made here."""
    made = subprocess.run([sys.executable, os.path.join(TOP, "tests", "data", "make_bad_files.py"),
                           folder], capture_output=True, text=True)
    if made.returncode != 0:
        raise RuntimeError("make_bad_files.py: " + made.stderr)

    def write(name, data):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)

    write("pages-50000.pdf", empty_pages_pdf())
    write("line-100mb.pdf", one_line_pdf())
    big_html(os.path.join(folder, "groot-50mb.html"))
    write("nul-bytes.html", article("Nulbytes in een artikel",
                                    "<p>Voor de nul\x00 na de nul\x00 staat het woord roerdompnul.</p>"))
    secret = os.path.join(folder, "geheim.txt")
    write("geheim.txt", SECRET.encode())
    write("xxe.html", ('<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY geheim SYSTEM "file://%s">\n'
                       ']>\n<html lang="nl"><head><meta charset="utf-8"><title>Externe entiteit</title>'
                       '</head><body><main><h1>Externe entiteit</h1><p>Voor &geheim; na: het woord '
                       'grutto-xxe.</p></main></body></html>\n' % secret).encode())
    os.symlink("lus-b.html", os.path.join(folder, "lus-a.html"))
    os.symlink("lus-a.html", os.path.join(folder, "lus-b.html"))
    os.makedirs(os.path.join(folder, "lusmap"))
    os.symlink("..", os.path.join(folder, "lusmap", "terug"))
    os.symlink("/nonexistent/vind/weg.html", os.path.join(folder, "weg.html"))
    os.mkfifo(os.path.join(folder, "fifo.html"))
    write("regel\neinde.html", article("Een naam met een regeleinde", "<p>Het woord ijsvogelregel.</p>"))
    write(os.fsdecode(b"ongeldig-\xff\xfe.html"),
          article("Een naam die geen UTF-8 is", "<p>Het woord wulpnaam.</p>"))
    # 300,000 distinct keywords (JSON-LD) and links: each list was kept unique by comparing a
    # value with every one kept before it, ~22 s of a worker for 100,000 keywords, past the
    # time limit for these (session 9).
    keywords = json.dumps({"@type": "Article", "keywords": ["trefwoord%d" % i for i in range(300000)]})
    links = "".join('<a href="/doel/%d/">%d</a> ' % (i, i) for i in range(300000))
    write("trefwoorden.html", article("Driehonderdduizend trefwoorden",
                                      "<script type=\"application/ld+json\">%s</script><p>Het woord "
                                      "zwaluwstaart.</p><p>%s</p>" % (keywords, links)))


# ---- running and measuring ------------------------------------------------------------------

def tree_rss(pid):
    """(sum, largest) resident bytes of pid and its descendants, from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = largest = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open("/proc/%d/statm" % current) as handle:
                rss = int(handle.read().split()[1]) * page
            total += rss
            largest = max(largest, rss)
            for task in os.listdir("/proc/%d/task" % current):
                with open("/proc/%d/task/%s/children" % (current, task)) as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total, largest


def run_measured(command):
    """Runs command, polling the RSS of its process tree every 20 ms. Returns (exit code, stderr,
    seconds, peak tree bytes, peak single-process bytes)."""
    started = time.time()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        total, largest = tree_rss(proc.pid)
        peak_tree, peak_one = max(peak_tree, total), max(peak_one, largest)
        if time.time() - started > RUN_LIMIT:
            proc.kill()
        time.sleep(0.02)
    seconds = time.time() - started
    err.seek(0)
    # surrogateescape: a file name that is not UTF-8 keeps its bytes, for reported().
    return proc.returncode, err.read().decode("utf-8", "surrogateescape"), seconds, peak_tree, peak_one


# ---- the test ----------------------------------------------------------------------------------

def escaped(path):
    """A path as vind-index prints it: control bytes and backslashes as \\xNN."""
    out = []
    for byte in os.fsencode(path):
        out.append("\\x%02x" % byte if byte < 0x20 or byte in (0x5C, 0x7F) else chr(byte)
                   if byte < 0x80 else None)
        if out[-1] is None:  # a non-ASCII byte is printed as it is
            out[-1] = bytes([byte]).decode("utf-8", "surrogateescape")
    return "".join(out)


def reported(stderr, folder, name):
    """The reason vind-index gave for a file, or None."""
    prefix = escaped(os.path.join(folder, name)) + ": "
    raw = os.fsencode(prefix)
    for line in stderr.encode("utf-8", "surrogateescape").split(b"\n"):
        if line.startswith(raw):
            return line[len(raw):].decode("utf-8", "replace")
    return None


def main():
    sys.stdout.reconfigure(errors="backslashreplace")  # file names that are not UTF-8
    if not os.access(INDEX, os.X_OK):
        tap.ok(False, "vind-index is built (%s)" % INDEX)
        return tap.done()
    with tempfile.TemporaryDirectory(prefix="vind-hostile-") as tmp:
        folder = os.path.join(tmp, "site")
        os.makedirs(folder)
        started = time.time()
        make_fixtures(folder)
        tap.diag("fixtures written in %.1f s" % (time.time() - started))
        db = os.path.join(tmp, "db")
        command = [INDEX, "--db", db, "--base-url", "/", "--quiet", "--jobs", "2",
                   "--timeout", str(TIMEOUT), folder]
        code, stderr, seconds, peak_tree, peak_one = run_measured(command)
        tap.diag("vind-index said:\n" + stderr.encode("utf-8", "surrogateescape")
                 .decode("utf-8", "replace")[-4000:])
        tap.diag("run: %.1f s, peak RSS %.0f MB (tree), %.0f MB (largest process)"
                 % (seconds, peak_tree / 2**20, peak_one / 2**20))
        tap.ok(code == 1, "the run ends with exit 1 (some files failed, the rest committed)",
               "exit %s" % code)
        tap.ok(seconds < RUN_LIMIT, "no file hangs the run (%.1f s, --timeout %d)" % (seconds, TIMEOUT))
        what = ("memory stays bounded: peak %.0f MB for vind-index and its children, %.0f MB for "
                "the largest process" % (peak_tree / 2**20, peak_one / 2**20))
        if sanitized(INDEX):
            tap.skip(what, "an ASan build: shadow memory, no RLIMIT_AS")
        else:
            tap.ok(peak_tree < TREE_RSS_LIMIT and peak_one < PROCESS_RSS_LIMIT, what)

        failures = {
            "file.pdf": r"empty",
            "empty.html": r"empty",
            "truncated.pdf": r"damaged|corrupt|truncat",
            "encrypted.pdf": r"encrypt|password",
            "junk.html": r"binary",
            "lus-a.html": r"loop|symbolic link",
            "lus-b.html": r"loop|symbolic link",
            "weg.html": r"broken|symbolic link|no such file",
        }
        for name, reason in failures.items():
            if not os.path.lexists(os.path.join(folder, name)):
                tap.skip("%s is reported" % name, "not generated (qpdf absent?)")
                continue
            said = reported(stderr, folder, name)
            tap.ok(said is not None and re.search(reason, said, re.I),
                   "%s is reported with its path and reason (%s)" % (name, said))
        said = reported(stderr, folder, "trefwoorden.html") or ""
        tap.ok("100 tags kept of 300000" in said,
               "300,000 keywords and links: indexed, the tags cut and counted (%s)" % said)
        # Indexed or refused, both are fine, as long as the run goes on and says which.
        outcomes = {}
        for name, reason in (("pages-50000.pdf", r"page|empty|no text|time|memory"),
                             ("line-100mb.pdf", r"memory|time|limit|long")):
            said = reported(stderr, folder, name)
            outcomes[name] = said
            tap.ok(said is None or re.search(reason, said, re.I),
                   "%s is indexed or reported with its path and reason (%s)"
                   % (name, said if said is not None else "indexed"))

        index = Index(db)
        try:
            def found(word):
                return [hit.get("url") for hit in hit_list(index.search(word, limit=0))]

            good = [  # (file, its URL, a word no other file has)
                ("goed-artikel-1.html", "/goed-artikel-1.html", "zilvermeeuw"),
                ("goed-artikel-2.html", "/goed-artikel-2.html", "kraanvogelproject"),
                ("goed-rapport.pdf", "/goed-rapport.pdf", "lepelaarmethode"),
                ("nul-bytes.html", "/nul-bytes.html", "roerdompnul"),
                ("xxe.html", "/xxe.html", "grutto"),
                ("trefwoorden.html", "/trefwoorden.html", "zwaluwstaart"),
                ("groot-50mb.html", "/groot-50mb.html", "slechtvalkeinde"),
                # Control bytes and bytes that are not UTF-8 are percent-encoded in URLs.
                ("regel\neinde.html", "/regel%0Aeinde.html", "ijsvogelregel"),
                (os.fsdecode(b"ongeldig-\xff\xfe.html"), "/ongeldig-%FF%FE.html", "wulpnaam"),
            ]
            for name, url, word in good:
                urls = found(word)
                tap.ok(url in urls and index.document(url) is not None,
                       "%s is indexed at %s and found by its word %r (found: %s; reported: %s)"
                       % (escaped(name), url, word, urls, reported(stderr, folder, name)))
            for name in ("invalid-utf8.html", "charset-latin1-is-utf8.html",
                         "charset-utf8-is-latin1.html", "nested.html", "entity-bomb.html",
                         "long-line.pdf", "big.html"):
                tap.ok(index.document("/" + name) is not None, "%s is indexed" % name,
                       reported(stderr, folder, name))
            tap.ok(not found(SECRET), "the external entity's local file is not read into the index")
            bomb = index.document("/entity-bomb.html", with_text=True) or {}
            text = json_text(bomb)
            tap.ok("lollol" not in text and len(text) < 100_000,
                   "the entity bomb is not expanded (%d characters stored)" % len(text))
            tap.ok(found("cliënten coördinatoren"), "words around invalid UTF-8 are found")
            for name, word in (("pages-50000.pdf", None), ("line-100mb.pdf", "kolibriebegin")):
                record = index.document("/" + name, with_text=bool(word))
                tap.ok((record is not None) == (outcomes[name] is None),
                       "%s is in the index exactly when it was not reported" % name)
                if record is not None:
                    tap.diag("%s: %s pages, %d characters of text" % (
                        name, record.get("pages"), len(json_text(record))))
            said = reported(stderr, folder, "fifo.html") or ""
            tap.ok(index.document("/fifo.html") is None and
                   said.endswith("not a regular file (fifo), not indexed"),
                   "the FIFO fifo.html is reported (not a regular file), never opened: %r" % said)
        finally:
            index.close()
        # The FIFO: never opened (an open would block for ever), so the run above ended.
    return tap.done()


def json_text(record):
    text = record.get("text") or ""
    return "\n".join(text) if isinstance(text, list) else text


if __name__ == "__main__":
    sys.exit(main())
