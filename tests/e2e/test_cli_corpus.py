"""test_cli_corpus.py - `vind search`, `count`, `kwic`, `doc` and `stats` over an index of the shared corpus
($CORPUS: site/ with its 692 articles and pdf/ with 56 PDFs), checked against what the test computes itself
from the corpus sources:

- every article's exact title as a query returns that article first (the share is reported; below 95 %
  the misses are printed and the test fails);
- `clienten` and `cliënten` return identical lists; `bewoner` finds documents that contain only `bewoners`;
- a phrase from page N of a PDF returns page N (the page checked with `pdftotext -f N -l N`);
- facet counts equal counts made from the Markdown front matter (thema -> themes, trefwoord -> tags, date ->
  year) for the same filter;
- `vind search --all --format csv` has exactly as many rows as `vind count` says;
- nothing matched exits 1.

The index is built once (vind-index --base-url / site pdf; or $VIND_CLI_TEST_DB, an index made before).
Skips without the corpus unless CI=true.
"""

import collections
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, corpus, env, index_site, require_corpus, require_programs  # noqa: E402

tap = Tap()


def vind(db, *args, check_json=False):
    """Runs `vind ARGS --db DB`; returns (exit code, stdout text, stderr text)."""
    command = [binary("vind"), args[0], "--db", db] + list(args[1:])
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=300)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def search_json(db, query, *options):
    code, out, err = vind(db, "search", "--format", "json", *options, "--", query)
    try:
        return code, json.loads(out)
    except ValueError:
        return code, {"error": err, "out": out[:300]}


# ---- the corpus sources ---------------------------------------------------------------------

def unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value)
    return value


def front_matter(path):
    """title, date, thema, trefwoord of an index.md (the simple YAML the corpus import wrote), and the body."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\n"):
        return None, text
    head, _, body = text[4:].partition("\n---\n")
    data = {"thema": [], "trefwoord": []}
    key = None
    for line in head.splitlines():
        if line.startswith("  ") and not line.lstrip().startswith("- "):
            continue  # nested (bron:)
        match = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if match:
            key, value = match.group(1), match.group(2)
            if key in ("thema", "trefwoord"):
                if value.startswith("[") and value.endswith("]"):
                    inner = value[1:-1].strip()
                    data[key] = [unquote(v) for v in inner.split(",")] if inner else []
            elif value:
                data[key] = unquote(value)
            continue
        item = re.match(r"^\s*- (.*)$", line)
        if item and key in ("thema", "trefwoord"):
            data[key].append(unquote(item.group(1)))
    return data, body


def articles(root):
    """{url: front matter} of every article of site-src/content/actueel."""
    content = os.path.join(root, "site-src", "content", "actueel")
    found = {}
    for slug in sorted(os.listdir(content)):
        path = os.path.join(content, slug, "index.md")
        if not os.path.isfile(path):
            continue
        data, body = front_matter(path)
        if data and data.get("title"):
            data["body"] = body
            found["/actueel/%s/" % slug] = data
    return found


# ---- the checks ---------------------------------------------------------------------------

def exact_titles(db, arts):
    misses = []
    for url, data in arts.items():
        code, result = search_json(db, data["title"], "--limit", "1")
        hits = result.get("results") or [{}]
        first = hits[0].get("url")
        # Articles that share their exact title ("Nieuwjaarsborrel" twice) cannot be told apart by it.
        same_title = hits[0].get("title") == data["title"]
        if first != url and not same_title:
            misses.append("%s -> %s  (title %r)" % (url, first, data["title"]))
    share = 1 - len(misses) / max(1, len(arts))
    tap.diag("exact titles: %d of %d articles first (%.1f %%)" % (len(arts) - len(misses), len(arts), 100 * share))
    ok = tap.ok(share >= 0.95, "an article's exact title returns it first for >= 95 %% of articles (%.1f %%)"
                % (100 * share))
    if misses:
        tap.diag("misses:\n" + "\n".join(misses[:60]))
    return ok


def diacritics(db):
    _, plain = search_json(db, "clienten", "--all")
    _, marked = search_json(db, "cliënten", "--all")
    urls_plain = [h["url"] for h in plain.get("results", [])]
    urls_marked = [h["url"] for h in marked.get("results", [])]
    tap.ok(urls_plain and urls_plain == urls_marked, "clienten and cliënten return identical lists (%d)"
           % len(urls_plain), "%s\n%s" % (urls_plain[:10], urls_marked[:10]))


def plural(db, root, arts):
    only_plural = []
    for url, data in arts.items():
        text = data["title"] + "\n" + data["body"]
        if re.search(r"\bbewoners\b", text, re.I) and not re.search(r"\bbewoner\b", text, re.I):
            only_plural.append(url)
    text_dir = os.path.join(root, "pdf", "text")
    for name in sorted(os.listdir(text_dir)):
        if not name.endswith(".pdf.txt"):
            continue
        with open(os.path.join(text_dir, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        if re.search(r"\bbewoners\b", text, re.I) and not re.search(r"\bbewoner\b", text, re.I):
            only_plural.append("/" + name[: -len(".txt")])
    _, result = search_json(db, "bewoner", "--all")
    found = {h["url"] for h in result.get("results", [])}
    missing = [u for u in only_plural if u not in found]
    tap.ok(only_plural and not missing,
           "bewoner finds all %d documents that contain only bewoners" % len(only_plural), missing)


def pdf_phrases(root):
    """(pdf path, page number, phrase): three words of five letters or more that occur on exactly one page of
    a PDF text, the middle page of the first PDFs with four pages or more (record_baseline.py searches
    them too)."""
    text_dir = os.path.join(root, "pdf", "text")
    for name in sorted(os.listdir(text_dir)):
        if not name.endswith(".pdf.txt"):
            continue
        with open(os.path.join(text_dir, name), encoding="utf-8", errors="replace") as f:
            pages = f.read().split("\f")
        if len(pages) < 4:
            continue
        page_number = len(pages) // 2 + 1
        words = re.findall(r"[a-zà-ÿ]{5,}", pages[page_number - 1].lower())
        for i in range(len(words) - 3):
            candidate = " ".join(words[i:i + 3])
            if sum(1 for p in pages if candidate in re.sub(r"\s+", " ", p.lower())) == 1:
                yield os.path.join(root, "pdf", name[: -len(".txt")]), page_number, candidate
                break


def pdf_pages(db, root):
    """Phrases that occur on exactly one page of one PDF text: the hit reports that page."""
    if not shutil.which("pdftotext"):
        tap.skip("PDF phrase pages", "pdftotext not installed")
        return
    checked = 0
    failures = []
    for pdf, page_number, phrase in pdf_phrases(root):
        if checked >= 6:
            break
        page_text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page_number), "-l", str(page_number),
                                    pdf, "-"], stdout=subprocess.PIPE).stdout.decode("utf-8", "replace")
        if phrase not in re.sub(r"\s+", " ", page_text.lower()):
            continue  # a line-break hyphenation or column layout the phrase crosses
        checked += 1
        url = "/" + os.path.basename(pdf)
        _, result = search_json(db, '"%s"' % phrase, "--all")
        hit = next((h for h in result.get("results", []) if h["url"] == url), None)
        if not hit or page_number not in hit.get("pages", []):
            failures.append("%s page %d %r: %s" % (url, page_number, phrase, hit and hit.get("pages")))
    tap.ok(checked >= 3 and not failures,
           "a phrase from page N of a PDF returns page N (%d PDFs, checked with pdftotext -f N -l N)" % checked,
           "\n".join(failures))


def facets(db, arts):
    def expected(key, keep):
        counter = collections.Counter()
        for data in arts.values():
            if keep(data):
                for value in set(data.get(key) or []):
                    counter[value] += 1
                if not data.get(key):
                    counter[None] += 1  # the row of the articles without one ("(geen thema)")
        return dict(counter)

    def actual(by, *filters):
        code, out, err = vind(db, "count", "--by", by, "--type", "article", "--format", "json", *filters)
        try:
            return {v["value"]: v["count"] for v in json.loads(out)["values"]}
        except (ValueError, KeyError):
            return {"error": err}

    def year(data):
        return str(data.get("date", ""))[:4]

    cases = [
        ("theme", "thema", (), lambda d: True, "all articles"),
        ("tag", "trefwoord", (), lambda d: True, "all articles"),
        ("theme", "thema", ("--year", "2012"), lambda d: year(d) == "2012", "--year 2012"),
        ("tag", "trefwoord", ("--year", "2025", "--year", "2026"), lambda d: year(d) in ("2025", "2026"),
         "--year 2025 --year 2026"),
    ]
    for by, key, filters, keep, label in cases:
        want = expected(key, keep)
        got = actual(by, *filters)
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        tap.ok(want and not diff, "count --by %s (%s) equals the front matter's %s counts (%d values)"
               % (by, label, key, len(want)), "value: (vind, front matter)\n%s" % dict(list(diff.items())[:20]))
    want_years = collections.Counter(year(d) for d in arts.values())
    code, out, _ = vind(db, "count", "--by", "year", "--type", "article", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    got_years = {r[0]: int(r[1]) for r in rows[1:]}
    tap.ok(rows and rows[0] == ["year", "count"] and got_years == dict(want_years),
           "count --by year (csv) equals the front matter's dates", (got_years, dict(want_years)))


def count_rows(db):
    """count --by year: only years with documents, in time order, undated last, adding up to the total; --by
    theme and tag have a row of the documents without one; every filter applies to the counts."""
    def rows_of(*args):
        code, out, err = vind(db, "count", *args)
        total = int(re.search(r"^(\d+) resultat", err, re.M).group(1)) if code == 0 else -1
        return code, [tuple(re.match(r"^(.*?)\s+(\d+)$", line).groups()) for line in out.splitlines()], total
    code, rows, total = rows_of("--by", "year", "zorg")
    years = [r[0] for r in rows if r[0] != "(geen datum)"]
    tap.ok(code == 0 and years == sorted(years) and all(re.match(r"^(1\d|20)\d\d$", y) for y in years)
           and rows[-1][0] == "(geen datum)" and sum(int(r[1]) for r in rows) == total,
           "count --by year zorg: years in order, '(geen datum)' last, adding up to %d" % total, rows)
    code, rows, total = rows_of("--by", "year", "--year", "2019", "--year", "1999", "zorg")
    tap.ok(code == 0 and rows == [("2019", str(total))],
           "count --by year --year 2019 --year 1999: only 2019 (no other years, no '1999 0')", (rows, total))
    code, rows, total = rows_of("--by", "year", "year:2019..2021", "zorg")
    tap.ok(code == 0 and [r[0] for r in rows] == ["2019", "2020", "2021"] and sum(int(r[1]) for r in rows) == total,
           "count --by year year:2019..2021: the three years, adding up", rows)
    code, rows, total = rows_of("--by", "type", "zorg")
    tap.ok(code == 0 and sum(int(r[1]) for r in rows) == total, "count --by type adds up to the total", rows)
    for by, label in (("theme", "(geen thema)"), ("tag", "(geen tag)")):
        code, rows, total = rows_of("--by", by, "zorg")
        none = [r for r in rows if r[0] == label]
        _, with_value = search_json(db, "zorg", "--all")
        without = sum(1 for h in with_value.get("results", []) if not h[by + "s"])
        tap.ok(code == 0 and none == [(label, str(without))] and rows[-1][0] == label,
               "count --by %s zorg: a last row %r of the %d matches without one" % (by, label, without), rows[-3:])
    code, out, err = vind(db, "stats")
    years = re.findall(r"^  (\d{4}) +\d+$", out.split("per year:")[-1].split("\n\n")[0], re.M)
    tap.ok(code == 0 and len(years) > 5 and years == sorted(years), "stats: per year in year order", years)
    code, out, err = vind(db, "stats", "--format", "json")
    years = [y["value"] for y in json.loads(out)["years"]]
    tap.ok(years == sorted(years), "stats --format json: years in year order", years)


def csv_rows_equal_count(db):
    for query in ("zorg", "toegankelijkheid", "privacy app", "\"open source\""):
        code, out, err = vind(db, "count", "--", query)
        total = int(out.strip()) if out.strip().isdigit() else -1
        code_csv, csv_out, _ = vind(db, "search", "--all", "--format", "csv", "--", query)
        rows = list(csv.reader(io.StringIO(csv_out, newline="")))
        header = rows[0] if rows else []
        tap.ok(header == ["url", "title", "type", "date", "score", "pages", "tags", "themes", "snippet"]
               and len(rows) - 1 == total and total > 0,
               "search --all --format csv %r: %d rows, count says %d" % (query, len(rows) - 1, total))
        urls = [r[0] for r in rows[1:]]
        tap.ok(len(set(urls)) == len(urls) and all("<mark>" not in r[-1] for r in rows[1:]),
               "csv %r: no URL twice, snippets as plain text" % query)


def nothing_matched(db):
    for command in ("search", "count", "kwic"):
        code, out, err = vind(db, command, "zzqxjwv")
        tap.equal(code, 1, "vind %s of an unknown word exits 1" % command)


def unformula(cell):
    """A CSV cell without the ' vind puts before a cell a spreadsheet would run (= + - @ tab CR): at the
    start, or behind a ';' or a tab (a cell when the file is split at those), after spaces and quotes."""
    return re.sub(r"(^[ \"]*|[;\t][ \"]*)'(?=[=+\-@\t\r])", r"\1", cell)


def kwic_and_stats(db, arts):
    code, out, err = vind(db, "kwic", "--format", "csv", "--width", "30", "--type", "pdf", "privacy")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    body = rows[1:]
    tap.ok(code == 0 and rows[0] == ["left", "match", "right", "url", "page"] and body
           and all("privacy" in r[1].lower() for r in body)
           and all(int(r[4]) >= 1 and r[3].endswith(".pdf") for r in body)
           and all(len(unformula(r[0])) <= 30 and len(unformula(r[2])) <= 30 for r in body),
           "kwic --type pdf privacy: CSV lines of match, <= 30 characters each side, PDF page (%d lines)"
           % len(body), rows[:3])
    code, out, err = vind(db, "stats", "--format", "json")
    stats = json.loads(out)
    types = {t["value"]: t["count"] for t in stats.get("types", [])}
    tap.ok(stats.get("documents") == sum(types.values()) and types.get("article") == len(arts)
           and all(k in stats for k in ("revision", "size_bytes", "tags", "themes", "years")),
           "stats: documents = sum per type, %d articles" % len(arts), {k: stats.get(k) for k in ("documents",)})
    code, out, err = vind(db, "count")
    tap.ok(code == 0 and out.strip() == str(stats.get("documents")), "count without a query counts every document")
    url = next(iter(arts))
    code, out, err = vind(db, "doc", "--format", "json", "--text", url)
    record = json.loads(out) if code == 0 else {}
    tap.ok(record.get("url") == url and record.get("title") == arts[url]["title"] and record.get("text"),
           "doc --format json --text %s: the stored record and its text" % url, err)


def main():
    if not require_corpus(tap, "vind over the corpus"):
        return
    if not require_programs(tap, "vind over the corpus", "vind", "vind-index"):
        return
    root = corpus()
    arts = articles(root)
    with tempfile.TemporaryDirectory(prefix="vind-cli-") as tmp:
        # VIND_CLI_TEST_DB: an index of the corpus made before (while working on these checks).
        db = os.environ.get("VIND_CLI_TEST_DB") or os.path.join(tmp, "db")
        if not os.environ.get("VIND_CLI_TEST_DB"):
            index_site(db, os.path.join(root, "site"), extra=[os.path.join(root, "pdf")])
        exact_titles(db, arts)
        diacritics(db)
        plural(db, root, arts)
        pdf_pages(db, root)
        facets(db, arts)
        count_rows(db)
        csv_rows_equal_count(db)
        nothing_matched(db)
        kwic_and_stats(db, arts)


if __name__ == "__main__":
    main()
    sys.exit(tap.done())
