#!/usr/bin/env python3
"""test_marked_site.py - a site that looks like neither WordPress nor Hugo, told vind what its pages
hold with data-vind-* attributes (docs/indexing.md), searched through vind-searchd's facets.

tests/data/marked-site: data-vind-body/-ignore choose the text, data-vind-title/-date the title and
date, data-vind-tag/-theme the filters, data-vind-type what a page is (an archive-looking page
marked "page" is indexed, a page marked "listing" is skipped). Standard library only; TAP.
"""
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, Searchd, Tap, index_site, query, require_programs  # noqa: E402

SITE = os.path.join(REPO, "tests", "data", "marked-site")
tap = Tap()


def facet(data, name):
    """{value: count} of one facet, the values with a count only."""
    return {v["value"]: v["count"] for v in (data.get("facets") or {}).get(name, []) if v["count"] > 0}


def urls(data):
    return sorted(hit["url"] for hit in data.get("results", []))


def main():
    if not require_programs(tap, "marked site", "vind-index", "vind-searchd"):
        return tap.done()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        result = index_site(db, SITE)
        log = result.stderr.decode("utf-8", "replace")
        tap.ok("indexed 3," in log and "skipped 1 page: 1 marked as a listing" in log,
               "3 pages indexed, the page marked data-vind-type=listing skipped", log)
        with Searchd(db) as sd:
            status, data = sd.json("/api/search?" + query(q="mantelzorgers"))
            tap.ok(status == 200 and data["total"] == 3, "'mantelzorgers' finds the three pages", data)
            tap.equal(facet(data, "tag"), {"Mantelzorg": 1, "Wijkteams": 1, "Parkeren": 1},
                      "tag facet: data-vind-tag values (text and attribute)")
            tap.equal(facet(data, "theme"), {"Zorg en welzijn": 1, "Wonen en verkeer": 1},
                      "theme facet: data-vind-theme values")
            tap.equal(facet(data, "year"), {"2023": 1, "2022": 1}, "year facet: data-vind-date")
            tap.equal(facet(data, "type"), {"article": 1, "page": 2},
                      "type facet: data-vind-type=article, =page, and an unmarked page")

            status, data = sd.json("/api/search?" + query(q="mantelzorgers", tag="Wijkteams"))
            tap.equal(urls(data), ["/nieuws/wijkteams.html"], "filter tag=Wijkteams")
            hit = data["results"][0] if data.get("results") else {}
            tap.equal((hit.get("title"), hit.get("date")), ("Wijkteams gaan van start", "2023-03-14"),
                      "title and date from data-vind-title and data-vind-date")
            status, data = sd.json("/api/search?" + query(q="mantelzorgers", theme="Wonen en verkeer"))
            tap.equal(urls(data), ["/nieuws/parkeren.html"], "filter theme=Wonen en verkeer")
            status, data = sd.json("/api/search?" + query(q="mantelzorgers", year="2022"))
            tap.equal(urls(data), ["/nieuws/parkeren.html"], "filter year=2022")

            for word, why in (("negeerwoord", "data-vind-ignore"), ("voetwoord", "outside data-vind-body"),
                              ("afvalkalender", "the header outside data-vind-body")):
                status, data = sd.json("/api/search?" + query(q=word))
                tap.ok(status == 200 and data["total"] == 0, "'%s' is not indexed (%s)" % (word, why), data)
            status, data = sd.json("/api/search?" + query(q="loket gemeentehuis"))
            tap.equal(urls(data), ["/nieuws/wijkteams.html"], "the second data-vind-body is indexed")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
