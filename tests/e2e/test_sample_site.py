#!/usr/bin/env python3
"""test_sample_site.py - checks the demo sample site (sample/build.py), its PDFs and the bad-file fixtures.

Why: `make demo` and the indexer tests rely on these generated files; if an article loses its date
markup, a PDF loses its diacritics or a fixture stops being deterministic, the tests that use them
would fail for the wrong reason.  Python standard library only; pdftotext/pdfinfo (poppler-utils)
checks skip when those tools are absent.  Prints TAP.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
import zlib

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PYTHON = sys.executable or "python3"

# Word forms the Dutch analyzer is tested on; each must occur in the article texts.
REQUIRED_FORMS = [
    "bewoner", "bewoners", "organisatie", "organisaties", "verpleeghuis", "verpleeghuizen", "kind", "kinderen",
    "gebruikt", "gebruiken", "gemaakt", "maken", "cliënten", "coördinator", "ideeën", "geïnformeerd",
    "financiële", "één", "verpleeghuiszorg", "ouderenzorg", "zorgkantoren", "jeugdzorgaanbieders",
    "zorg- en onderwijsvernieuwing", "auto's", "foto's", "risico’s", "ggz", "VWS", "Wzd", "e-mailadres",
    "Noord-Holland", "‘", "’", "“", "”",
]

results = []


def check(ok, name, detail=""):
    results.append(ok)
    print(("ok" if ok else "not ok") + f" {len(results)} - {name}")
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print(f"# {line}")


def skip(name, why):
    results.append(True)
    print(f"ok {len(results)} # SKIP {name}: {why}")


def build_site(out):
    return subprocess.run([PYTHON, os.path.join(TOP, "sample", "build.py"), out], capture_output=True, text=True)


def tree_bytes(root):
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, root)] = handle.read()
    return files


def article_sources():
    folder = os.path.join(TOP, "sample", "articles")
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                out[name[:-3]] = handle.read()
    return out


def main():
    work = tempfile.mkdtemp(prefix="vind-sample-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"1..{len(results)}")
    return 1 if failed else 0


def run(work):
    site = os.path.join(work, "site")
    again = os.path.join(work, "again")
    first = build_site(site)
    check(first.returncode == 0, "sample/build.py builds the site", first.stderr)
    if first.returncode != 0:
        return
    second = build_site(again)
    check(second.returncode == 0 and tree_bytes(site) == tree_bytes(again), "two builds give byte-identical trees")

    sources = article_sources()
    check(len(sources) >= 24, f"at least 24 articles ({len(sources)})")
    undated = [slug for slug, text in sources.items() if not re.search(r"^date:", text, re.M)]
    check(len(undated) == 2, f"exactly two articles without a date ({', '.join(undated)})")
    years = [int(y) for y in re.findall(r"^date: (\d{4})", "\n".join(sources.values()), re.M)]
    check(years and min(years) >= 2019 and max(years) <= 2025, "dates lie in 2019-2025")

    lengths = {}
    for slug, text in sources.items():
        body = text.split("\n---\n", 1)[1]
        lengths[slug] = len(re.sub(r"\]\([^)]*\)", "]", body).split())
    wrong = {slug: n for slug, n in lengths.items() if not 300 <= n <= 700}
    check(not wrong, "every article body has 300-700 words", wrong)

    corpus = "\n".join(text.split("\n---\n", 1)[1] for text in sources.values())
    def present(form):
        if not form[0].isalnum():  # a quote mark: anywhere
            return form in corpus
        return re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", corpus) is not None

    missing = [form for form in REQUIRED_FORMS if not present(form)]
    check(not missing, "the articles contain every Dutch form the analyzer is tested on", missing)

    tags = set()
    for text in sources.values():
        tags.update(json.loads(re.search(r"^tags: (.*)$", text, re.M).group(1)))
    check(15 <= len(tags) <= 25, f"about 20 tags ({len(tags)})")
    check({"Coördinatoren", "'t Zorghuus", "radicale vernieuwing langdurige ggz"} <= tags,
          "tags include Coördinatoren, 't Zorghuus and 'radicale vernieuwing langdurige ggz'")

    check_article_pages(site, sources)
    check_links(site)
    check_feeds(site)
    check_pdfs(site)
    check_bad_files(work)

    size = sum(os.path.getsize(os.path.join(folder, name))
               for folder, _, names in os.walk(os.path.join(TOP, "sample")) for name in names)
    check(size < 1024 * 1024, f"sample/ stays under 1 MB in the repository ({size} bytes)")


def check_article_pages(site, sources):
    problems = []
    for slug, text in sources.items():
        path = os.path.join(site, "actueel", slug, "index.html")
        if not os.path.exists(path):
            problems.append(f"{slug}: no page")
            continue
        with open(path, encoding="utf-8") as handle:
            page = handle.read()
        title = json.loads(re.search(r"^title: (.*)$", text, re.M).group(1))
        needs = ["<main", "<article", '<meta property="og:type" content="article">',
                 f'<meta property="og:title" content="{html.escape(title, quote=True)}">', '"@type":"Article"',
                 "Thema's:</span>", "Nieuwsbrief", "Deelnemende organisaties", "Praat mee!",
                 "Het e-mailadres wordt niet gepubliceerd"]
        dated = re.search(r"^date: (\d{4})-(\d\d)-(\d\d)", text, re.M)
        if dated:
            months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                      "oktober", "november", "december"]
            year, month, day = (int(x) for x in dated.groups())
            needs += ["article:published_time", f"Geplaatst op <time", f">{day} {months[month - 1]} {year}</time>"]
        elif "Geplaatst op" in page or "article:published_time" in page:
            problems.append(f"{slug}: undated article shows a date")
        if re.search(r"^pdf:", text, re.M):
            needs.append("Download artikel als PDF")
        for need in needs:
            if need not in page:
                problems.append(f"{slug}: lacks {need}")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
            try:
                json.loads(block)
            except ValueError as error:
                problems.append(f"{slug}: JSON-LD does not parse: {error}")
    check(not problems, "article pages carry the theme's markup, dates, taxonomies and boilerplate", "\n".join(problems))
    pdf_articles = sum(1 for text in sources.values() if re.search(r"^pdf:", text, re.M))
    check(2 <= pdf_articles <= 4, f"two to four articles offer 'Download artikel als PDF' ({pdf_articles})")
    expected = ["index.html", "404.html", "actueel/index.html", "actueel/page/2/index.html", "thema/index.html",
                "trefwoord/index.html", "trefwoord/t-zorghuus/index.html", "trefwoord/coordinatoren/index.html",
                "thema/client-en-naaste/index.html", "index.xml", "sitemap.xml", "robots.txt"]
    absent = [name for name in expected if not os.path.exists(os.path.join(site, name))]
    check(not absent, "home, listing, taxonomy, 404, RSS and sitemap pages exist", absent)


def check_links(site):
    broken = set()
    count = 0
    for folder, _, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                for href in re.findall(r'href="(/[^"#?]*)"', handle.read()):
                    count += 1
                    target = os.path.join(site, href.lstrip("/"))
                    if href.endswith("/"):
                        target = os.path.join(target, "index.html")
                    if not os.path.exists(target):
                        broken.add(href)
    check(not broken and count > 1000, f"all {count} internal links resolve", sorted(broken))


def check_feeds(site):
    try:
        rss = ElementTree.parse(os.path.join(site, "index.xml"))
        sitemap = ElementTree.parse(os.path.join(site, "sitemap.xml"))
        items = rss.findall("./channel/item")
        urls = sitemap.getroot().findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
        check(len(items) >= 20 and len(urls) > 50, f"RSS ({len(items)} items) and sitemap ({len(urls)} urls) parse")
    except ElementTree.ParseError as error:
        check(False, "RSS and sitemap parse", error)


def pdf_streams(data):
    out = b""
    for match in re.finditer(rb"stream\n(.*?)\nendstream", data, re.S):
        out += zlib.decompress(match.group(1))
    return out


def check_pdfs(site):
    folder = os.path.join(site, "rapporten")
    names = sorted(name for name in os.listdir(folder) if name.endswith(".pdf"))
    check(3 <= len(names) <= 5, f"three to five PDF reports ({', '.join(names)})")
    streams = b"".join(pdf_streams(open(os.path.join(folder, name), "rb").read()) for name in names)
    check(re.search(rb"kwaliteits-\) Tj ET\nBT /F1 11 Tf [\d.]+ [\d.]+ Td \(gelden", streams) is not None,
          "a report hyphenates kwaliteits- / gelden across a line end")
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        skip("PDF metadata and text", "pdfinfo/pdftotext not on PATH")
        return
    problems = []
    titles = []
    everything = []
    for name in names:
        path = os.path.join(folder, name)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
        titles.append(re.search(r"^Title:\s+(.*)$", info.stdout, re.M).group(1))
        if not 3 <= pages <= 12:
            problems.append(f"{name}: {pages} pages")
        if not re.search(r"^CreationDate:\s+\S", info.stdout, re.M):
            problems.append(f"{name}: no CreationDate")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True).stdout
        for page in range(1, pages + 1):
            if f"Pagina {page} van {pages}" not in text:
                problems.append(f"{name}: no footer 'Pagina {page} van {pages}'")
        if not re.search(r"\w*[ëïéó]\w*", text):
            problems.append(f"{name}: no word with a diacritic comes out of pdftotext")
        everything.append(text)
        if "\ufffd" in text or "Ã" in text:
            problems.append(f"{name}: mojibake in pdftotext output")
    words = ["cliënten", "geïnformeerd", "één", "coördinatoren", "financiële", "continuïteitsreserve", "risico’s",
             "Noord-Holland", "jeugdzorgaanbieders", "‘"]
    joined = "\n".join(everything).lower()
    absent = [word for word in words if word.lower() not in joined]
    if absent:
        problems.append(f"not in any report's pdftotext output: {absent}")
    check(not problems, "PDFs have 3-12 pages, dates, 'Pagina N van M' footers and clean diacritics",
          "\n".join(problems))
    check("Microsoft Word - rapport_def2.docx" in titles and "Jaarverslag 2023 Stichting Zorgzaam Samen" in titles,
          "one PDF has a junk Word title, the annual report a real one", titles)


def check_bad_files(work):
    script = os.path.join(TOP, "tests", "data", "make_bad_files.py")
    outputs = []
    for run in ("bad1", "bad2"):
        result = subprocess.run([PYTHON, script, os.path.join(work, run)], capture_output=True, text=True)
        outputs.append(result)
    first = outputs[0]
    listed = first.stdout.split()
    check(first.returncode == 0 and len(listed) >= 14 and all(os.path.exists(path) for path in listed),
          f"make_bad_files.py writes and lists its files ({len(listed)})", first.stderr)
    names = {os.path.basename(path) for path in listed}
    wanted = {"truncated.pdf", "file.pdf", "empty.html", "junk.html", "invalid-utf8.html", "big.html",
              "charset-latin1-is-utf8.html", "charset-utf8-is-latin1.html", "long-line.pdf", "nested.html",
              "entity-bomb.html", "goed-artikel-1.html", "goed-artikel-2.html", "goed-rapport.pdf"}
    check(wanted <= names, "every fixture the brief lists is written", sorted(wanted - names))
    if shutil.which("qpdf"):
        check("encrypted.pdf" in names, "encrypted.pdf is written when qpdf is present")
    else:
        skip("encrypted.pdf", "qpdf not on PATH")
    bad1 = os.path.join(work, "bad1")
    differing = [name for name in sorted(names) if not name.startswith("encrypted")
                 and open(os.path.join(bad1, name), "rb").read()
                 != open(os.path.join(work, "bad2", name), "rb").read()]
    check(not differing, "fixtures are byte-identical between runs (encrypted PDFs aside)", differing)
    sizes = {name: os.path.getsize(os.path.join(bad1, name)) for name in names}
    check(sizes["big.html"] >= 3 * 1024 * 1024 and sizes["file.pdf"] == 0 and sizes["empty.html"] == 0,
          "big.html is over 3 MiB, file.pdf and empty.html are empty")
    junk = open(os.path.join(bad1, "junk.html"), "rb").read()
    check(b"\0" in junk, "junk.html holds NUL bytes")
    try:
        open(os.path.join(bad1, "invalid-utf8.html"), "rb").read().decode("utf-8")
        check(False, "invalid-utf8.html is not valid UTF-8")
    except UnicodeDecodeError:
        check(True, "invalid-utf8.html is not valid UTF-8")
    nested = open(os.path.join(bad1, "nested.html"), "rb").read()
    check(nested.count(b"<div>") == 100_000, "nested.html nests 100,000 <div> elements")
    good = open(os.path.join(bad1, "goed-rapport.pdf"), "rb").read()
    truncated = open(os.path.join(bad1, "truncated.pdf"), "rb").read()
    check(good.startswith(truncated) and len(truncated) == len(good) // 2, "truncated.pdf is the good PDF cut in half")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", os.path.join(bad1, "long-line.pdf"), "-"], capture_output=True,
                              text=True).stdout
        check(len(text) > 100_000 and text.strip().count("\n") == 0, "long-line.pdf yields one line of >100,000 characters")
    else:
        skip("long-line.pdf text", "pdftotext not on PATH")


if __name__ == "__main__":
    sys.exit(main())
