#!/usr/bin/env python3
"""test_extract_corpus.py - runs vind_extract_file (libvind.so via ctypes)
over the shared corpus and compares with its ground truth:

* every article of site/ and seeds-site/ has the title, date, tags and themes
  of its front matter (site-src/content/actueel/<slug>/index.md,
  site-src/seeds/content/actueel/<slug>/index.html);
* every other HTML/XML page (home, taxonomy, pagination, 404, feeds,
  sitemaps, redirect stubs) is flagged as a listing;
* every PDF opens with the page count of pdf/manifest.json, scans report
  empty pages, the invalid PDF is refused as corrupt;
* repeated header/footer lines (manifest repeated_page_lines) are gone and
  line-end hyphenation is joined (measured, printed as # lines).

Needs CORPUS (skips without it unless CI=true) and $VIND_BUILD/libvind.so.0.
Standard library only (ctypes). Prints TAP.
"""
import ctypes
import html
import json
import os
import re
import sys
import time

BUILD = os.environ.get("VIND_BUILD", "build")
CORPUS = os.environ.get("CORPUS", "")
results = []


def tap(ok, what):
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what))


def skip(why):
    results.append(True)
    print("ok %d # SKIP %s" % (len(results), why))


def finish():
    print("1..%d" % len(results))
    sys.exit(0 if all(results) else 1)


def load_library():
    path = os.path.join(os.environ.get("VIND_PLAIN_BUILD", BUILD), "libvind.so.0")
    lib = ctypes.CDLL(path)
    lib.vind_extract_options_init.argtypes = [ctypes.c_void_p]
    lib.vind_extract_file.argtypes = [ctypes.c_char_p, ctypes.c_void_p,
                                      ctypes.POINTER(ctypes.c_void_p),
                                      ctypes.POINTER(ctypes.c_void_p)]
    lib.vind_extract_file.restype = ctypes.c_int
    lib.vind_doc_to_json.argtypes = [ctypes.c_void_p]
    lib.vind_doc_to_json.restype = ctypes.c_void_p
    lib.vind_doc_free.argtypes = [ctypes.c_void_p]
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    return lib, libc


class Extractor:
    """vind_extract_file with default options (isolated unless told not)."""

    def __init__(self, lib, libc, isolate):
        self.lib, self.libc = lib, libc
        # vind_extract_options_t is small; 256 bytes is room enough
        self.opts = ctypes.create_string_buffer(256)
        lib.vind_extract_options_init(self.opts)
        # isolate is the last int of the struct: set through a probe below
        self.isolate = isolate
        if not isolate:
            self._set_isolate_off()

    def _set_isolate_off(self):
        # layout: 6 pointers, int, size_t, unsigned, unsigned long long, int
        offset = 6 * 8 + 8 + 8 + 8 + 8
        ctypes.c_int.from_buffer(self.opts, offset).value = 0

    def extract(self, path):
        doc = ctypes.c_void_p()
        err = ctypes.c_void_p()
        status = self.lib.vind_extract_file(path.encode(), self.opts, ctypes.byref(doc),
                                            ctypes.byref(err))
        if status != 0:
            message = ctypes.string_at(err.value).decode("utf-8", "replace") if err.value else ""
            if err.value:
                self.libc.free(err.value)
            return status, message
        text = self.lib.vind_doc_to_json(doc.value)
        record = json.loads(ctypes.string_at(text).decode("utf-8"))
        self.libc.free(text)
        self.lib.vind_doc_free(doc.value)
        return 0, record


def front_matter(path):
    """The few front-matter keys we check, from a Hugo content file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    if not lines or lines[0] != "---":
        return {}
    data, key = {}, None
    for line in lines[1:]:
        if line == "---":
            break
        m = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if m:
            key, value = m.group(1), m.group(2)
            if value == "":
                data[key] = []
            elif value == "[]":
                data[key] = []
            else:
                data[key] = scalar(value)
            continue
        m = re.match(r"^\s*- (.*)$", line)
        if m and key is not None and isinstance(data.get(key), list):
            data[key].append(scalar(m.group(1)))
    return data


def scalar(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return json.loads(value)
    return value


def same_text(extracted, expected):
    """Equal as the page shows it: raw, or after one entity decoding."""
    if extracted is None:
        return expected in (None, "", [])
    return extracted == expected or extracted == html.unescape(expected)


def same_list(extracted, expected):
    expected = [str(e) for e in (expected or [])]
    if len(extracted) != len(expected):
        return False
    return all(any(same_text(x, e) for x in extracted) for e in expected)


ARTICLE = re.compile(r"^actueel/([^/]+)/index\.html$")


def check_site(ex, root, content_dir, label):
    articles = listings = 0
    article_failures, listing_failures = [], []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".html", ".xml")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            m = ARTICLE.match(rel)
            is_article = m is not None and m.group(1) != "page"
            status, doc = ex.extract(path)
            if status != 0:
                (article_failures if is_article else listing_failures).append(
                    "%s: status %d %s" % (rel, status, doc))
                continue
            if not is_article:
                listings += 1
                if not doc.get("is_listing"):
                    listing_failures.append("%s: not flagged as listing" % rel)
                continue
            articles += 1
            slug = m.group(1)
            src = os.path.join(content_dir, slug, "index.md")
            if not os.path.exists(src):
                src = os.path.join(content_dir, slug, "index.html")
            fm = front_matter(src)
            problems = []
            if doc.get("is_listing"):
                problems.append("flagged as listing (%s)" % doc.get("listing_reason"))
            if doc.get("type") != 0:
                problems.append("type %s, not ARTICLE" % doc.get("type"))
            if not same_text(doc.get("title"), fm.get("title", "")):
                problems.append("title %r != %r" % (doc.get("title"), fm.get("title")))
            if (doc.get("date") or "") != (fm.get("date") or ""):
                problems.append("date %r != %r" % (doc.get("date"), fm.get("date")))
            if not same_list(doc.get("tags", []), fm.get("trefwoord")):
                problems.append("tags %r != %r" % (doc.get("tags"), fm.get("trefwoord")))
            if not same_list(doc.get("themes", []), fm.get("thema")):
                problems.append("themes %r != %r" % (doc.get("themes"), fm.get("thema")))
            if not doc.get("pages") or len(doc["pages"][0]) < 20:
                problems.append("no body text")
            for boiler in ("Praat mee!", "Het e-mailadres wordt niet gepubliceerd",
                           "Dit veld is bedoeld voor validatiedoeleinden",
                           "Meer artikelen over de thema"):
                if doc.get("pages") and boiler in doc["pages"][0]:
                    problems.append("boilerplate %r in text" % boiler)
            if problems:
                article_failures.append("%s: %s" % (rel, "; ".join(problems)))
    for failure in article_failures[:25]:
        print("# " + failure)
    for failure in listing_failures[:25]:
        print("# " + failure)
    tap(articles > 0 and not article_failures,
        "%s: %d articles match their front matter (%d do not)" % (
            label, articles, len(article_failures)))
    tap(listings > 0 and not listing_failures,
        "%s: %d listing pages flagged (%d not)" % (label, listings, len(listing_failures)))


def key(line):
    return re.sub(r"\s+", " ", re.sub(r"[0-9]+", "#", line)).strip()


# Running headers and footers named in CORPUS.md section 6: these must go.
RUNNING_HEADERS = {
    ("pdf/coronamelder-bijlage-k-rapportage-penetratietest.pdf", "Vertrouwelijk"),
    ("pdf/coronamelder-bijlage-k-rapportage-penetratietest.pdf", "Pagina # van #"),
    ("pdf/plooi-bnc-fiche-5-herziening-mifir-mifid.pdf", "Pagina # van #"),
    ("pdf/coronamelder-bijlage-d-advies-raad-van-state.pdf",
     "Tweede Kamer, vergaderjaar #\u2013#, # #, nr. #"),
    ("pdf/coronamelder-duidingsrapportage-2020-09-28.pdf",
     "De Winter Information Solutions \u2013 Duidingsrapportage CoronaMelder"),
    ("pdf/coronamelder-bijlage-b-advies-autoriteit-persoonsgegevens.pdf", "Openbare versie"),
    ("pdf/coronamelder-bijlage-j-report-v1-0.pdf", "CONFIDENTIAL"),
    ("pdf/plooi-2011-draagmoederschap.pdf", "Pagina # van #"),
}


def check_pdfs(ex):
    manifest = json.load(open(os.path.join(CORPUS, "pdf", "manifest.json"), encoding="utf-8"))
    failures = []
    pages_total = 0
    seconds = 0.0
    residual_repeats = total_repeats = 0
    hyphen_left = 0
    for entry in manifest["pdfs"]:
        path = os.path.join(CORPUS, entry["file"])
        start = time.monotonic()
        status, doc = ex.extract(path)
        seconds += time.monotonic() - start
        if entry.get("text_layer") == "invalid-pdf" or not entry.get("pdfinfo_ok", True):
            if status != 8:  # VIND_CORRUPT_FILE
                failures.append("%s: status %d, expected corrupt file" % (entry["file"], status))
            continue
        if status != 0:
            failures.append("%s: status %d %s" % (entry["file"], status, doc))
            continue
        pages_total += len(doc["pages"])
        if len(doc["pages"]) != entry["pages"]:
            failures.append("%s: %d pages, manifest %d" % (entry["file"], len(doc["pages"]),
                                                           entry["pages"]))
        empty = len(entry.get("pages_without_text") or [])
        if doc.get("n_empty_pages", 0) < empty:
            failures.append("%s: %d empty pages, manifest %d" % (
                entry["file"], doc.get("n_empty_pages", 0), empty))
        if not doc.get("title") and doc.get("n_empty_pages", 0) < len(doc["pages"]):
            failures.append("%s: no title" % entry["file"])
        page_keys = [set(key(l) for l in p.split("\n")) for p in doc["pages"]]
        for repeated in entry.get("repeated_page_lines") or []:
            total_repeats += 1
            # the manifest cuts lines at 60 characters
            left = sum(1 for keys in page_keys if any(k.startswith(repeated.rstrip()) for k in keys))
            if left * 2 >= max(entry["pages"], 1) and entry["pages"] >= 3:
                residual_repeats += 1
                print("# %s: repeated line still on %d of %d pages: %r" % (
                    entry["file"], left, entry["pages"], repeated))
                if (entry["file"], repeated) in RUNNING_HEADERS:
                    failures.append("%s: running header %r not dropped" % (entry["file"], repeated))
        hyphen_left += sum(len(re.findall(r"[a-zà-ÿ]-\n[a-zà-ÿ]", p)) for p in doc["pages"])
        print("# %s: title %r, lang %s, %d pages" % (entry["file"], doc.get("title"),
                                                     doc.get("lang"), len(doc["pages"])))
    for failure in failures:
        print("# " + failure)
    print("# %d pages in %.2f s: %.0f pages/s (isolated=%s)" % (
        pages_total, seconds, pages_total / seconds if seconds else 0, ex.isolate))
    print("# repeated header/footer lines left on >= half the pages: %d of %d" % (
        residual_repeats, total_repeats))
    print("# lower-case line-end hyphenations left: %d (manifest, -raw: %d)" % (
        hyphen_left, sum(e.get("hyphen_line_breaks", 0) for e in manifest["pdfs"])))
    tap(not failures, "PDFs: page counts, empty pages, titles, invalid PDF refused")
    tap(residual_repeats * 2 <= total_repeats,
        "PDFs: at most half of the manifest's repeated lines left (%d of %d; the rest is content)"
        % (residual_repeats, total_repeats))


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "site")):
        if os.environ.get("CI") == "true":
            tap(False, "CORPUS is not set or missing under CI")
        else:
            skip("CORPUS not set")
        finish()
    try:
        lib, libc = load_library()
    except OSError as error:
        skip("cannot load libvind.so.0 (%s)" % error)
        finish()
    isolate = os.environ.get("VIND_EXTRACT_ISOLATE", "1") != "0"
    ex = Extractor(lib, libc, isolate)
    check_site(ex, os.path.join(CORPUS, "site"),
               os.path.join(CORPUS, "site-src", "content", "actueel"), "site")
    check_site(ex, os.path.join(CORPUS, "seeds-site"),
               os.path.join(CORPUS, "site-src", "seeds", "content", "actueel"), "seeds-site")
    check_pdfs(ex)
    finish()


if __name__ == "__main__":
    main()
