"""record_baseline.py - records what `vind` answers today for a fixed set of requests over the shared corpus
(the corpus queries of test_cli_corpus.py plus the judged queries of tests/relevance/queries.tsv and some
filters, date sorts, pages and typos): for each request its URLs in order, total (documents with every word),
fallback_total (those with only some of the words listed after them) and facet counts, the "Bedoelde je"
suggestion and whether it relaxed to any word. Snippets and scores are left out on purpose:
the baseline guards which documents a search finds and counts, not how a hit is shown.

    VIND_BUILD=$PWD/build CORPUS=/work/shared/corpus python3 tests/e2e/record_baseline.py DB > tests/data/search-baseline.json

DB is an index made as test_cli_corpus.py makes it (vind-index --base-url / CORPUS/site CORPUS/pdf).
test_search_baseline.py runs the same requests (the fixture holds them) and compares.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, binary, corpus, env  # noqa: E402
import test_cli_corpus as sources  # noqa: E402

WORDS = ["zorg", "zorg wonen", "javascript framework", "toegankelijke formulieren", "privacy app", "bewoner",
         "toegankelijkheid", "gemeente", "css", "html5", "fronteers", "wcag 2.1", "digitale toegankelijkheid",
         "open source", "cookie", "responsive design", "webrichtlijnen", "vacature", "conferentie amsterdam",
         "bijeenkomst rotterdam 2009", "hoe vaak is coronamelder gedownload", "jaarverslag", "zo*", "toegank*",
         "zorg -wonen", "zorg OR wonen", "title:fronteers", "accessibility", "ministerie van vws",
         "kubernets haven", "javascirpt", "toegankelijkhied", "draagmoedershap", "zzqxjwv", "de het een"]
PHRASES = ['"open source"', '"digitale toegankelijkheid"', '"algemene ledenvergadering"', '"web standards"']
FILTERED = [
    ["--type", "pdf", "--", "toegankelijkheid"],
    ["--type", "article", "--", "javascript"],
    ["--year", "2012", "--", "fronteers"],
    ["--year", "2019", "--year", "2021", "--", "zorg"],
    ["--from", "2015-01-01", "--to", "2016-12-31", "--", "css"],
    ["--theme", "Toegankelijkheid", "--", "formulieren"],
    ["--tag", "javascript", "--", "framework"],
    ["--type", "pdf", "--year", "2024", "--", "onderzoek"],
    ["--sort", "date", "--", "zorg"],
    ["--sort", "date-asc", "--", "javascript"],
    ["--sort", "date", "--type", "article", "--", "bijeenkomst"],
    ["--offset", "10", "--", "zorg"],
    ["--offset", "10", "--", "javascript framework"],
    ["--offset", "20", "--limit", "5", "--", "toegankelijkheid"],
    ["--offset", "5", "--", "bijeenkomst rotterdam 2009"],
    ["--offset", "10", "--", "bijeenkomst rotterdam 2009"],
]


def requests(root):
    """Every request, as the arguments of `vind` after the database (command first)."""
    arts = sources.articles(root)
    found = []
    for data in arts.values():
        found.append(["search", "--limit", "1", "--", data["title"]])
    for query in ("clienten", "cliënten", "bewoner"):
        found.append(["search", "--all", "--", query])
    for _, _, phrase in sources.pdf_phrases(root):
        found.append(["search", "--all", "--", '"%s"' % phrase])
    for by, filters in (("theme", []), ("tag", []), ("theme", ["--year", "2012"]),
                        ("tag", ["--year", "2025", "--year", "2026"]), ("year", [])):
        found.append(["count", "--by", by, "--type", "article"] + filters)
    for by, filters in (("year", ["zorg"]), ("year", ["--year", "2019", "--year", "1999", "zorg"]),
                        ("year", ["year:2019..2021", "zorg"]), ("type", ["zorg"]), ("theme", ["zorg"]),
                        ("tag", ["zorg"])):
        found.append(["count", "--by", by] + filters)
    for query in ("zorg", "toegankelijkheid", "privacy app", '"open source"'):
        found.append(["count", "--", query])
        found.append(["search", "--all", "--", query])
    found.append(["count"])
    langs = []
    with open(os.path.join(REPO, "tests", "relevance", "queries.tsv"), encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cells) < 2 or cells[0] == "query_id" or cells[1] in langs:
                continue
            langs.append(cells[1])
    for query in WORDS + PHRASES + langs:
        found.append(["search", "--facets", "--", query])
    for args in FILTERED:
        found.append(["search", "--facets"] + args)
    return found


def answer(db, args):
    """What the baseline keeps of `vind ARGS` over db."""
    command = [binary("vind"), args[0], "--db", db, "--format", "json"] + args[1:]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=300)
    kept = {"exit": result.returncode}
    try:
        data = json.loads(result.stdout.decode("utf-8"))
    except ValueError:
        return kept
    kept["total"] = data.get("total")
    if args[0] == "count":
        if "values" in data:
            kept["values"] = [[v["value"], v["count"]] for v in data["values"]]
        return kept
    kept["urls"] = [h["url"] for h in data.get("results", [])]
    for key in ("understood", "suggestion", "corrected", "fallback", "fallback_total", "notices"):
        if key in data:
            kept[key] = data[key]
    if data.get("facets"):
        kept["facets"] = {name: [[v["value"], v["count"], bool(v.get("selected"))] for v in values]
                          for name, values in data["facets"].items()}
    return kept


def main():
    if len(sys.argv) != 2 or not corpus():
        sys.exit("usage: CORPUS=... record_baseline.py DB > tests/data/search-baseline.json")
    rows = [{"args": args, "answer": answer(sys.argv[1], args)} for args in requests(corpus())]
    json.dump({"requests": rows}, sys.stdout, ensure_ascii=False, indent=0, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
