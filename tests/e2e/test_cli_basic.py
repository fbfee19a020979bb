"""test_cli_basic.py - the `vind` command line over a small site the test writes itself (no corpus needed):
output formats (text, JSON, JSONL, CSV per RFC 4180), the summary line, exit statuses (0 found, 1 nothing,
2 usage or fatal, one stderr line), --help of every command, highlighting only on a terminal, and a hostile
document whose title and body hold <script> and <img onerror=…>: no output format ever carries its markup
live (JSON snippets are escaped HTML and JSON strings spell < > & as \\u003c \\u003e \\u0026; text and CSV are
plain text without terminal control characters).
"""

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, error_body, index_site, require_programs  # noqa: E402

tap = Tap()

HOSTILE_TITLE = "Pas op voor <script>alert(1)</script> en <img src=x onerror=alert(2)> bij bewoners"
HOSTILE_BODY = ("Een verhaal over bewoners en de <script>alert(3)</script> tag, en over "
                "<img src=x onerror=\"alert(4)\"> in een verpleeghuis. \x1b[31mrood\x1b[0m en '&' tekens.")

PAGES = {
    "kas.html": ("Zorgboerderij opent een kas voor bewoners", "2024-06-11", ["Wonen en zorg"], ["Verpleeghuizen"],
                 "Zorgboerderij De Zilvermeeuw heeft een kas geopend waar bewoners van drie verpleeghuizen "
                 "elke week groente kweken. De cliënten kozen zelf wat er groeit."),
    "kraanvogel.html": ("Kraanvogelproject verbindt jeugdzorg en ouderenzorg", "2023-02-07", ["Cliënt en naaste"],
                        ["Jeugdzorg", "Verpleeghuizen"],
                        "In het kraanvogelproject vouwen kinderen uit de jeugdzorg papieren kraanvogels met een "
                        "bewoner van een verpleeghuis."),
    "wachtlijst.html": ("Wachtlijsten in de wijkverpleging", "2021-09-01", ["Wonen en zorg"], [],
                        "De wachtlijst voor wijkverpleging groeit; clienten wachten langer."),
}


def html_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page(title, date, themes, tags, body):
    meta = ['<meta property="article:published_time" content="%sT10:00:00+01:00">' % date]
    meta += ['<meta property="article:section" content="%s">' % html_escape(t) for t in themes]
    meta += ['<meta property="article:tag" content="%s">' % html_escape(t) for t in tags]
    return ("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n%s\n</head>\n"
            "<body>\n<main>\n<article>\n<h1>%s</h1>\n<p>%s</p>\n</article>\n</main>\n</body>\n</html>\n"
            % (html_escape(title), "\n".join(meta), html_escape(title), html_escape(body)))


def vind(db, *args, tty=False):
    command = [binary("vind")] + list(args[:1]) + (["--db", db] if db else []) + list(args[1:])
    if tty:
        return run_in_pty(command)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def run_in_pty(command):
    """Runs command with standard output on a pseudo-terminal; returns (code, output, "")."""
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL, env=env())
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace"), ""


def no_live_markup(text):
    """No tag start of <script or <img in raw form (their words as text are harmless)."""
    return not re.search(r"<\s*/?\s*(script|img)", text, re.I)


def formats(db):
    code, out, err = vind(db, "search", "--format", "json", "bewoner")
    data = json.loads(out)
    tap.ok(code == 0 and data["total"] >= 3 and all(k in data for k in (
        "query", "understood", "total", "offset", "limit", "fallback", "fallback_total", "suggestion", "results",
        "facets")),
        "search --format json: the docs/api.md shape", data.get("total"))
    hit = data["results"][0]
    tap.ok(all(k in hit for k in ("url", "title", "type", "date", "author", "description", "snippet", "pages",
                                  "tags", "themes", "parent", "score", "rank")),
           "a JSON hit has every field of docs/api.md", sorted(hit))
    tap.ok(all("<mark>" in h["snippet"] for h in data["results"]), "every JSON snippet marks a match")
    code, out, err = vind(db, "search", "--format", "jsonl", "--all", "bewoner")
    lines = [json.loads(l) for l in out.splitlines()]
    tap.ok([l["url"] for l in lines] == [h["url"] for h in data["results"]], "JSONL: one hit per line, same order")
    code, out, err = vind(db, "search", "--format", "csv", "--all", "bewoner")
    tap.ok("\r\n" in out, "CSV lines end with CRLF (RFC 4180)")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    tap.ok(rows[0] == ["url", "title", "type", "date", "score", "pages", "tags", "themes", "snippet"]
           and len(rows) - 1 == data["total"], "CSV: header row and one row per hit", rows[:2])
    kraan = next((r for r in rows if "kraanvogel" in r[0]), None)
    tap.ok(kraan and kraan[6] == "Jeugdzorg; Verpleeghuizen" and "<mark>" not in kraan[8] and "bewoner" in kraan[8],
           "CSV: tags joined with '; ', snippet as plain text", kraan)
    code, out, err = vind(db, "search", "bewoner")
    tap.ok(code == 0 and re.search(r"^\d+ resultaten$", err, re.M) and "Zorgboerderij" in out
           and "\x1b" not in out and "<mark>" not in out,
           "text: titles and snippets, '3 resultaten' on stderr, no colour and no tags off a terminal", err)
    code, out, _ = vind(db, "search", "bewoner", tty=True)
    tap.ok(code == 0 and "\x1b[1;31mbewoners\x1b[0m" in out, "on a terminal the match is bold and coloured")
    code, out, err = vind(db, "search", "--limit", "1", "--offset", "1", "--format", "json", "bewoner")
    data2 = json.loads(out)
    tap.ok(len(data2["results"]) == 1 and data2["results"][0]["url"] == data["results"][1]["url"]
           and data2["results"][0]["rank"] == 2, "--limit 1 --offset 1 gives the second hit")
    code, out, err = vind(db, "search", "--sort", "date", "--format", "json", "bewoner")
    dates = [h["date"] for h in json.loads(out)["results"]]
    tap.ok(dates == sorted(dates, reverse=True), "--sort date: newest first", dates)
    code, out, err = vind(db, "search", "--tag", "Jeugdzorg", "--format", "json", "bewoner")
    tap.ok([h["url"] for h in json.loads(out)["results"]] == ["/kraanvogel.html"], "--tag filters")
    code, out, err = vind(db, "search", "--facets", "--format", "json", "bewoner")
    facets = json.loads(out)["facets"]
    tap.ok(facets and {v["value"]: v["count"] for v in facets["tag"]}.get("Verpleeghuizen") == 2,
           "--facets counts tags", facets)
    code, out, err = vind(db, "search", "--explain", "--facets", "--format", "json", "bewoner")
    explain = re.findall(r"^explain: (.*)$", err, re.M)
    tap.ok(code == 0 and json.loads(out)["total"] >= 3 and len(explain) == 1
           and re.search(r"\brank 1 run .*\bruns 1 total \d+", explain[0]),
           "--explain: one line on stderr; one ranked run that counts the facets too (stdout stays JSON)", err)
    code, out, err = vind(db, "count", "--by", "theme", "bewoner")
    tap.ok(code == 0 and re.search(r"^Wonen en zorg\s+1$", out, re.M) and re.search(r"^Veiligheid\s+1$", out, re.M), "count --by theme: aligned text", out)
    code, out, err = vind(db, "kwic", "--width", "20", "bewoner")
    tap.ok(code == 0 and len(out.splitlines()) >= 3 and all("bewoner" in l.lower() for l in out.splitlines()),
           "kwic: one line per occurrence", out)
    code, out, err = vind(db, "suggest", "kraanv")
    tap.ok(code == 0 and "kraanvogelproject" in out.lower(), "suggest completes a prefix", out)
    code, out, err = vind(db, "doc", "/kas.html")
    tap.ok(code == 0 and re.search(r"^title:\s+Zorgboerderij", out, re.M) and re.search(r"^tags:\s+Verpleeghuizen", out, re.M),
           "doc: the stored record as text", out)
    code, out, err = vind(db, "stats", "--format", "json")
    stats = json.loads(out)
    tap.ok(code == 0 and stats["documents"] == 4 and "size_bytes" in stats and "revision" in stats,
           "stats --format json: documents, size, revision", stats)


def hostile(db):
    queries = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "bewoners script img onerror"]
    for query in queries:
        outputs = {}
        for fmt in ("text", "json", "jsonl", "csv"):
            code, out, err = vind(db, "search", "--format", fmt, "--", query)
            outputs[fmt] = (code, out, err)
        code, out, err = outputs["json"]
        data = json.loads(out) if code in (0, 1) else {}
        found = any(h["url"] == "/hostile.html" for h in data.get("results", []))
        tap.ok(found, "query %r finds the hostile document" % query, data.get("understood"))
        tap.ok(no_live_markup(out) and no_live_markup(outputs["jsonl"][1]) and "\x1b" not in out,
               "query %r: JSON and JSONL carry no raw <script or <img tag" % query)
        snippets = [h["snippet"] or "" for h in data.get("results", [])]
        tags = set(re.findall(r"<[^>]*>", "".join(snippets)))
        tap.ok(tags <= {"<mark>", "</mark>"}, "query %r: the only tags in snippets are <mark>" % query, tags)
        code, text, err = outputs["text"]
        tap.ok("\x1b" not in text and "<mark>" not in text and "\x1b" not in err,
               "query %r: text has no terminal escapes from the document and no tags of its own" % query)
        code, out, err = outputs["csv"]
        rows = list(csv.reader(io.StringIO(out, newline="")))
        tap.ok(rows and all(len(r) == 9 for r in rows) and all("<mark>" not in r[8] and "&lt;" not in r[8]
                                                              for r in rows[1:]),
               "query %r: CSV parses into 9 columns, snippet as plain text" % query)
    code, out, err = vind(db, "kwic", "--format", "json", "script")
    tap.ok(code == 0 and no_live_markup(out), "kwic JSON of the hostile document: no raw markup")
    code, out, err = vind(db, "doc", "--format", "json", "--text", "/hostile.html")
    record = json.loads(out)
    tap.ok(no_live_markup(out) and record["title"] == HOSTILE_TITLE,
           "doc JSON: the title is exact data, with no raw markup in the output", record.get("title"))
    code, out, err = vind(db, "doc", "--text", "/hostile.html")
    tap.ok("\x1b" not in out, "doc text: the escape sequence of the body is not passed to the terminal")


def queries_file(db, tmp):
    """search --queries: every line a query in one process, each answer what a call of its own gives."""
    queries = ["bewoners", "kraanvogel zorg", "zzqxjwv", "-- zorg"]
    path = os.path.join(tmp, "queries.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(queries[:2]) + "\n\n" + "\n".join(queries[2:]) + "\n")
    code, out, err = vind(db, "search", "--queries", path, "--format", "json", "--limit", "2")
    answers = [json.loads(line) for line in out.splitlines()]
    tap.ok(code == 0 and [a["query"] for a in answers] == queries,
           "--queries: one JSON answer a line, in order, empty lines skipped", out)
    same = 0
    for query, answer in zip(queries, answers):
        code1, out1, _ = vind(db, "search", "--format", "json", "--limit", "2", "--", query)
        same += json.loads(out1) == answer
    tap.ok(same == len(queries), "each answer is the one a call of its own gives (%d of %d)" % (same, len(queries)))
    code, out, err = vind(db, "search", "--queries", path, "--limit", "1")
    tap.ok(code == 0 and "# kraanvogel zorg" in out and "# zzqxjwv" in out, "text: each answer under '# query'", out)
    result = subprocess.run([binary("vind"), "search", "--db", db, "--queries", "-", "--format", "json"],
                            input=b"zzqxjwv\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    tap.ok(result.returncode == 1 and json.loads(result.stdout)["total"] == 0,
           "--queries - reads standard input; nothing found by any query: exit 1")
    code, out, err = vind(db, "search", "--queries", path, "zorg")
    tap.ok(code == 2 and "not both" in err, "a QUERY and --queries: a usage error", err)
    code, out, err = vind(db, "search", "--queries", os.path.join(tmp, "missing.txt"))
    tap.ok(code == 2 and "missing.txt" in err, "an unreadable --queries file: exit 2 naming it", err)


def exits(db, tmp):
    code, out, err = vind(db, "search", "zzqxjwv")
    tap.ok(code == 1 and out == "" and err.startswith("0 resultaten"), "nothing matched: exit 1, '0 resultaten'", err)
    code, out, err = vind(db, "search", "--format", "json", "zzqxjwv")
    tap.ok(code == 1 and json.loads(out)["total"] == 0, "nothing matched in JSON: exit 1 and total 0")
    code, out, err = vind(db, "search", "--format", "csv", "zzqxjwv")
    tap.ok(code == 1 and out.strip() == "url,title,type,date,score,pages,tags,themes,snippet",
           "nothing matched in CSV: exit 1 and the header alone")
    usage = [
        ("search", "--limit", "x", "zorg"), ("search", "--bogus", "zorg"), ("search",),
        ("search", "--format", "xml", "zorg"), ("search", "--sort", "random", "zorg"),
        ("search", "--all", "--limit", "5", "zorg"), ("search", "--limit"), ("count", "--by", "colour", "zorg"),
        ("kwic",), ("kwic", "--width", "0", "zorg"), ("doc",), ("suggest",), ("stats", "extra"),
        ("count", "--format", "jsonl"),
    ]
    for args in usage:
        code, out, err = vind(db, *args)
        tap.ok(code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("vind "),
               "usage error %s: exit 2 and one stderr line" % " ".join(args), err)
    code, out, err = vind(os.path.join(tmp, "missing"), "search", "zorg")
    tap.ok(code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("vind: ") and "missing" in err,
           "a missing index: exit 2, one 'vind: ' line naming it", err)
    code, out, err = vind(db, "search", "--from", "2020-13", "zorg")
    tap.ok(code == 2 and err.startswith("vind: ") and "2020-13" in err, "a bad date: exit 2 with the library's message",
           err)
    code, out, err = vind(db, "doc", "/nergens/")
    tap.ok(code == 2 and "/nergens/" in err, "doc of an unknown URL: exit 2 naming it", err)
    code, out, err = vind(db, "search", "--", "bewoner", "-kraanvogelproject")
    tap.ok(code == 0 and "-kraanvogelproject" not in err and "Kraanvogel" not in out,
           "after --, a single-dash word is a NOT in the query", err)
    code, out, err = vind(db, "search", "bewoner", "-kraanvogelproject")
    tap.ok(code == 2 and out == "" and len(err.strip().splitlines()) == 1
           and "unknown option '-kraanvogelproject'" in err and "--" in err,
           "before --, a single-dash word is an unknown option: exit 2, with how to exclude a word", err)
    for command in ("search", "count", "kwic", "doc", "suggest", "stats"):
        code, out, err = vind(None, command, "--help")
        tap.ok(code == 0 and out.startswith("usage: vind %s" % command) and "--db DIR" in out and "Exit status" in out,
               "vind %s --help: usage on stdout, exit 0" % command)
    code, out, err = vind(None, "--help")
    tap.ok(code == 0 and all(c in out for c in ("search", "count", "kwic", "doc", "suggest", "stats")),
           "vind --help lists every command")
    environment = dict(env(), VIND_DB=db)
    result = subprocess.run([binary("vind"), "count", "bewoner"], stdout=subprocess.PIPE, env=environment)
    tap.ok(result.returncode == 0 and result.stdout.strip() == b"3", "$VIND_DB is the default index")


def options(db, tmp):
    """Unknown options are errors (not query words), and global options go before the command."""
    code, out, err = vind(db, "search", "-f", "csv", "bewoner")
    tap.ok(code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "unknown option '-f'" in err
           and "--format" in err and "Bedoelde" not in err,
           "search -f csv: an unknown option, exit 2, naming --format (not the query 'NOT f csv')", err)
    for command in ("count", "kwic", "suggest", "doc", "stats", "related"):
        code, out, err = vind(db, command, "-x", "bewoner")
        tap.ok(code == 2 and "unknown option '-x'" in err, "%s -x: an unknown option, exit 2" % command, err)

    def run(*args):
        result = subprocess.run([binary("vind")] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env(), timeout=60)
        return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    code, out, err = run("--db", db, "count", "bewoner")
    tap.ok(code == 0 and out.strip() == "3", "vind --db DB count: --db before the command", err)
    code, out, err = run("--db=%s" % db, "--format", "json", "search", "bewoner")
    tap.ok(code == 0 and json.loads(out)["total"] == 3, "vind --db=DB --format json search: global --format", err)
    code, out, err = run("--db", os.path.join(tmp, "missing"), "--format", "json", "count", "--db", db,
                         "--format", "text", "bewoner")
    tap.ok(code == 0 and out.strip() == "3", "the command's own --db and --format override the global ones", err)
    code, out, err = run("--format", "json", "analyze", "bewoners")
    tap.ok(code == 0 and json.loads(out)["tokens"][0]["surface"] == "bewoners",
           "vind --format json analyze: the global --format reaches analyze", err)
    code, out, err = run("--bogus", "search", "bewoner")
    tap.ok(code == 2 and len(err.strip().splitlines()) == 1 and "--bogus" in err and "--db" in err,
           "an unknown global option: exit 2, listing the global options", err)
    code, out, err = run("--db")
    tap.ok(code == 2 and "--db needs a value" in err, "a global option without its value: exit 2", err)
    code, out, err = run("--version")
    tap.ok(code == 0 and out.startswith("vind "), "vind --version")
    code, out, err = run("--db", db, "--help")
    tap.ok(code == 0 and "Global options" in out and "--db DIR" in out, "vind --help lists the global options")


def dates_and_fields(db):
    """Impossible dates and values a field cannot take are errors that say what is valid."""
    for args, expected in [
        (("search", "--from", "2021-02-29", "zorg"), "does not exist (month 02 of 2021 has 28 days)"),
        (("count", "--to", "2021-04-31"), "month 04 of 2021 has 30 days"),
        (("kwic", "--from", "2021-13-01", "bewoner"), "has no month 13"),
        (("count", "date:2021-02-29"), "date:2021-02-29: the date \"2021-02-29\" does not exist"),
        (("search", "date:2020-13", "bewoner"), "has no month 13 (months are 01 to 12)"),
        (("count", "year:20x5"), "\"20x5\" is not a year (year: takes YYYY"),
        (("kwic", "type:boek", "bewoner"), "unknown type \"boek\" (the types are article, pdf or page)"),
        (("search", "--type", "boek", "bewoner"), "unknown type \"boek\" (the types are article, pdf or page)"),
        (("count", "--year", "20x5", "bewoner"), "\"20x5\" is not a year"),
    ]:
        code, out, err = vind(db, *args)
        tap.ok(code == 2 and err.startswith("vind: ") and expected in err and len(err.strip().splitlines()) == 1,
               "%s: exit 2 with the message" % " ".join(args), err)
    code, out, err = vind(db, "search", "--format", "json", "bewoner")
    kind = json.loads(out)["results"][0]["type"]
    of_kind = sum(1 for h in json.loads(out)["results"] if h["type"] == kind and h["date"] >= "2020-02-29")
    code, out, err = vind(db, "count", "--type", kind, "type:" + kind.upper(), "date:2020-02-29..2024-12-31",
                          "bewoner")
    tap.ok(code == 0 and out.strip() == str(of_kind), "a leap day and a type in capitals are valid", (out, err))
    with Searchd(db) as sd:
        for path in ["/api/search?q=date:2021-02-29", "/api/search?q=zorg&from=2021-02-29",
                     "/api/search?q=year:20x5", "/api/search?q=type:boek", "/api/search?q=zorg&type=boek",
                     "/api/search?q=zorg&to=2021-04-31"]:
            status, _, body = sd.get(path)
            error = error_body(body)
            tap.ok(status == 400 and error and error["message"], "searchd %s: 400 with the message" % path,
                   (status, body[:200]))


def one_page_index(tmp, name, html):
    """An index of a site of one page (html): its path."""
    site = os.path.join(tmp, name + "-site")
    os.makedirs(site)
    with open(os.path.join(site, name + ".html"), "w", encoding="utf-8") as f:
        f.write(html)
    db = os.path.join(tmp, name + "-db")
    index_site(db, site)
    return db


FORMULA_TITLE = "=HYPERLINK(\"http://example.invalid/\",\"klik\") formulier"
FORMULA_TAGS = ["+SOM(1;2)", "@cmd", "-2+3", "\tTab"]


def formula_injection(tmp):
    """Cells that a spreadsheet would run as a formula (= + - @ tab CR, OWASP) begin with ' in every CSV."""
    db = one_page_index(tmp, "formula", page(FORMULA_TITLE, "2022-03-04", ["=Thema"], FORMULA_TAGS,
                                             "Het formulier=SOM(A1) staat online; vul het formulier in."))
    code, out, err = vind(db, "search", "--format", "csv", "formulier")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    tap.ok(code == 0 and len(rows) == 2 and rows[1][1] == "'" + FORMULA_TITLE,
           "search CSV: a title beginning with = gets a leading '", rows)
    tap.ok(rows[1][6].startswith("'+SOM(1;2)"), "search CSV: a tags cell beginning with + gets a leading '", rows)
    tap.ok(rows[1][7] == "'=Thema", "search CSV: a themes cell beginning with = gets a leading '", rows)
    cells = []
    for args in (("count", "--by", "tag"), ("count", "--by", "theme")):
        code, out, err = vind(db, *args, "--format", "csv", "formulier")
        cells += [r[0] for r in csv.reader(io.StringIO(out, newline=""))][1:]
    tap.ok({"'+SOM(1;2)", "'@cmd", "'-2+3", "'=Thema"} <= set(cells) and not any(c[:1] in "=+-@\t\r" for c in cells),
           "count CSV: every tag and theme cell that starts a formula gets a leading '", cells)
    code, out, err = vind(db, "kwic", "--format", "csv", "--width", "12", "formulier")
    rows = list(csv.reader(io.StringIO(out, newline="")))[1:]
    tap.ok(rows and not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for r in rows for c in r if c)
           and any(r[2].startswith("'=SOM(A1)") for r in rows),
           "kwic CSV: no cell starts a formula (a right context '=SOM(A1)' gets a leading ')", rows)
    code, out, err = vind(db, "search", "--format", "json", "formulier")
    tap.ok(json.loads(out)["results"][0]["title"] == FORMULA_TITLE, "JSON keeps the title exactly as it is")
    separator_formulas(tmp)


# A formula behind a ';' or a tab inside one field: Excel with Dutch regional settings opens a .csv
# with ';' as its separator (LibreOffice offers ';' and tab), and then that part is a cell of its own.
# The DDE payload has no comma and no double quote, so nothing made vind quote the field.
SEPARATOR_TITLE = "Rapport;=cmd|' /C calc'!A0 sluipformule"
SEPARATOR_TAGS = ["zorg;@SOM(A1)", ";=1+1", ";", "wonen"]  # a cell may begin with the separator


def formula_cells(rows):
    """Cells that begin (after spaces and quotes) with a character a spreadsheet runs as a formula."""
    return [c for r in rows for c in r if c.lstrip(' "')[:1] in ("=", "+", "-", "@")
            or c[:1] in ("\t", "\r")]


def separator_formulas(tmp):
    """No cell of vind's CSV starts a formula when a spreadsheet splits it at ';' or tab either."""
    db = one_page_index(tmp, "separator", page(SEPARATOR_TITLE, "2022-03-05", ["Thema"], SEPARATOR_TAGS,
                                               "De sluipformule staat hier;=HYPERLINK(A1) en ook hier;\t+1 voor "
                                               "de sluipformule."))
    outputs = []
    for args in (("search", "--format", "csv", "sluipformule"), ("kwic", "--format", "csv", "sluipformule"),
                 ("count", "--by", "tag", "--format", "csv", "sluipformule")):
        code, out, err = vind(db, *args)
        outputs.append(out)
        tap.ok(code == 0 and out.count("\r\n") >= 2, "%s: exit 0 with rows" % " ".join(args), (code, out, err))
    rows = list(csv.reader(io.StringIO(outputs[0], newline="")))
    tap.equal(rows[1][1] if len(rows) > 1 else None, "Rapport;'=cmd|' /C calc'!A0 sluipformule",
              "search CSV: a formula behind a ';' in the title gets a leading '")
    for delimiter in (";", "\t"):
        split = [list(csv.reader(io.StringIO(out, newline=""), delimiter=delimiter)) for out in outputs]
        tap.ok(not any(formula_cells(rows) for rows in split),
               "search, kwic and count CSV read with %r as the separator: no cell starts a formula" % delimiter,
               [formula_cells(rows) for rows in split])


KWIC_BODY = ("Wij werken met privacy-by-design. Lees https://example.invalid/nieuws/ap-privacy-corona-app-gebruikers-"
             "nog-onvoldoende-gewaarborgd-en-nog-veel-meer voor de privacy van de bewoners. Over privacy gaat het.")


def kwic_layout(tmp):
    """kwic text as ptx lays it out: keyword at a fixed column, a long match pads no other line, a hyphenated
    match stays whole; a query of only stop words finds them in kwic as in count."""
    site = os.path.join(tmp, "kwic-site")
    os.makedirs(site)
    with open(os.path.join(site, "privacy.html"), "w", encoding="utf-8") as f:
        f.write(page("Privacyverslag", "2022-05-06", ["Wonen en zorg"], [], KWIC_BODY))
    db = os.path.join(tmp, "kwic-db")
    index_site(db, site)
    width = 20
    code, out, err = vind(db, "kwic", "--width", str(width), "privacy")
    lines = out.splitlines()
    tap.ok(code == 0 and len(lines) >= 4, "kwic privacy: a line per occurrence", out)
    code, data, err = vind(db, "kwic", "--format", "json", "privacy")
    matches = [r["match"] for r in json.loads(data)]
    tap.ok(len(matches) == len(lines) and all(l[width:width + 2] == "  " and l[width + 2:].startswith(m[:width - 1])
                                              for l, m in zip(lines, matches)),
           "kwic text: the keyword starts at the same column (width + 2) on every line", out)
    tap.ok(all(len(l.split("  /")[0]) <= 2 * width + 4 for l in lines) and max(len(l) for l in lines) < 100,
           "kwic text: a long match (a URL) pads no other line; lines stay short", [len(l) for l in lines])
    tap.ok(any(l[width + 2:].startswith("privacy-by-design.") for l in lines),
           "kwic text: privacy-by-design reads whole (not 'privacy   -by-design')", out)
    tap.ok("privacy-by-design" in matches and matches.count("privacy") == 2,
           "kwic JSON: a hyphenated match is the whole word", matches)
    code, out, err = vind(db, "count", "de")
    code2, out2, err2 = vind(db, "kwic", "--format", "json", "de")
    tap.ok(code == 0 and out.strip() == "1" and code2 == 0 and len(json.loads(out2)) == 2,
           "a query of only stop words: count and kwic both find 'de'", (out, out2, err2))
    code, out, err = vind(db, "kwic", "--format", "json", "de bewoners")
    tap.ok(code == 0 and [r["match"] for r in json.loads(out)] == ["bewoners"],
           "beside another word a stop word is dropped, in kwic as in search", out)


def main():
    if not require_programs(tap, "vind command line", "vind", "vind-index"):
        return
    with tempfile.TemporaryDirectory(prefix="vind-cli-basic-") as tmp:
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        for name, (title, date, themes, tags, body) in PAGES.items():
            with open(os.path.join(site, name), "w", encoding="utf-8") as f:
                f.write(page(title, date, themes, tags, body))
        with open(os.path.join(site, "hostile.html"), "w", encoding="utf-8") as f:
            f.write(page(HOSTILE_TITLE, "2022-01-01", ["Veiligheid"], ["<b>vet</b>"], HOSTILE_BODY))
        db = os.path.join(tmp, "db")
        index_site(db, site)
        formats(db)
        hostile(db)
        exits(db, tmp)
        queries_file(db, tmp)
        options(db, tmp)
        dates_and_fields(db)
        formula_injection(tmp)
        kwic_layout(tmp)


main()
sys.exit(tap.done())
