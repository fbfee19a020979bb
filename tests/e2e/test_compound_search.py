"""test_compound_search.py - compounds and hyphenated words end to end (issue 13), over a small site the
test writes itself (no corpus needed):

- `vind search melding` finds a document that has only an unknown compound ending in melding
  ("cookiemelding", which the lexicon lacks);
- `vind search niet-rokers` ranks a document about niet-rokers above one that has only rokers: a
  hyphenated word is the phrase of all its parts, the stop word "niet" included;
- a compound typed apart ("reageer knoppen") ranks the document that writes it as one word
  ("reageerknoppen") above one that has the two words far apart;
- a compound typed apart ranks the document titled with it first ("effectbeoordeling privacy": the
  "Privacyeffectbeoordeling" above a letter that says "privacy" in every sentence and names the
  privacyeffectbeoordeling once);
- the parts of a compound are its longest known words: "wachtwoord" finds "wachtwoordbeheer" but
  "woord" does not, and "lijn" does not find "richtlijn" (a word of its own).
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env, index_site, require_programs  # noqa: E402

tap = Tap()

FILLER = ("Het artikel gaat over afspraken, aandacht en begeleiding in de buurt. Een tweede zin over de "
          "gemeente, zodat dit een artikel is en geen overzichtspagina.")

PAGES = {
    "cookies": ("Nieuwe website", "Op de nieuwe website verschijnt bij het eerste bezoek een cookiemelding. "
                "Bezoekers kunnen die wegklikken."),
    "nietrokers": ("Rookvrije terrassen", "Niet-rokers willen rookvrije terrassen. Voor niet-rokers is een "
                   "terras vol rook geen plezier; de vereniging van niet-rokers vraagt om regels."),
    "rokers": ("Rokers buiten", "Rokers staan buiten. Rokers roken op het terras, en rokers vragen om "
               "asbakken. Veel rokers, meer rokers, alle rokers."),
    "wachtwoord": ("Beveiliging", "Goed wachtwoordbeheer voorkomt inbraak in accounts."),
    "richtlijn": ("Nieuwe regels", "De richtlijn voor toegankelijke websites is herzien."),
    # a compound typed apart: "reageer knoppen" for "reageerknoppen"
    "reageerknoppen": ("Nieuwe website", "Onder elk bericht staan nu reageerknoppen, zodat lezers snel "
                       "iets kwijt kunnen."),
    # a compound typed apart, named by a title: "effectbeoordeling privacy"
    "beoordeling": ("Privacyeffectbeoordeling", "Deze privacyeffectbeoordeling beschrijft welke gegevens "
                    "de app verwerkt en welke risico's dat heeft."),
    "brief": ("Brief aan de minister", "Privacy staat voorop. De privacy van burgers, privacy bij de overheid "
              "en privacy in de wet: privacy is een grondrecht, en privacy vraagt om regels. Over de privacy "
              "van gebruikers is een privacyeffectbeoordeling gemaakt."),
    "lift": ("Lift", "Reageer gerust op dit bericht. " + FILLER + " " + FILLER +
             " De knoppen van de lift in het stadhuis werken niet."),
}


def page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n"
            "<meta property=\"og:type\" content=\"article\">\n"
            "<meta property=\"article:published_time\" content=\"2024-03-01T10:00:00+01:00\">\n</head>\n"
            "<body>\n<main>\n<article>\n<h1>%s</h1>\n<p>%s</p>\n<p>%s</p>\n</article>\n</main>\n</body>\n"
            "</html>\n" % (title, title, body, FILLER))


def search(db, query):
    """The URLs vind search returns for query, best first."""
    result = subprocess.run([binary("vind"), "search", "--db", db, "--format", "json", query],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    if result.returncode not in (0, 1):
        raise RuntimeError("vind search %s failed: %s" % (query, result.stderr.decode("utf-8", "replace")))
    return [hit["url"] for hit in json.loads(result.stdout)["results"]]


def slug(urls):
    return [url.strip("/").split("/")[-1] for url in urls]


def main():
    if not require_programs(tap, "compound search", "vind", "vind-index"):
        return tap.done()
    with tempfile.TemporaryDirectory() as root:
        site = os.path.join(root, "site")
        for name, (title, body) in PAGES.items():
            folder = os.path.join(site, "actueel", name)
            os.makedirs(folder)
            with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
                f.write(page(title, body))
        db = os.path.join(root, "site.db")
        index_site(db, site)

        hits = slug(search(db, "melding"))
        tap.ok("cookies" in hits, "melding finds the document that has only the unknown cookiemelding", hits)

        hits = slug(search(db, "niet-rokers"))
        tap.ok(hits[:1] == ["nietrokers"], "niet-rokers ranks the niet-rokers document first", hits)
        tap.ok("rokers" not in hits[:1], "niet-rokers is not rokers alone: the rokers-only document is not first",
               hits)
        hits = slug(search(db, "nietrokers"))
        tap.ok("nietrokers" in hits, "nietrokers as one word finds niet-rokers", hits)
        hits = slug(search(db, "rokers"))
        tap.ok("rokers" in hits and "nietrokers" in hits, "rokers still finds both documents", hits)

        tap.ok("wachtwoord" in slug(search(db, "wachtwoord")), "wachtwoord finds wachtwoordbeheer")
        tap.ok("wachtwoord" not in slug(search(db, "woord")),
               "woord does not find wachtwoordbeheer (wachtwoord is the known part)")
        tap.ok("richtlijn" not in slug(search(db, "lijn")), "lijn does not find richtlijn (a word of its own)")

        # Without the joined-form boost the document with both words far apart ranked first.
        hits = slug(search(db, "reageer knoppen"))
        tap.ok("reageerknoppen" in hits and "lift" in hits and
               hits.index("reageerknoppen") < hits.index("lift"),
               "reageer knoppen ranks reageerknoppen above a document with the two words far apart", hits)
        hits = slug(search(db, "knoppen reageer"))
        tap.ok("reageerknoppen" in hits and "lift" in hits and
               hits.index("reageerknoppen") < hits.index("lift"), "in either order", hits)

        # Without the title boost the letter ranked first: its many "privacy" outweighed the
        # compound, which both documents have (the boost: lib/query.c, joined_title_boost).
        hits = slug(search(db, "effectbeoordeling privacy"))
        tap.ok(hits[:1] == ["beoordeling"] and "brief" in hits,
               "effectbeoordeling privacy ranks the document titled Privacyeffectbeoordeling first", hits)
        hits = slug(search(db, "privacy effectbeoordeling"))
        tap.ok(hits[:1] == ["beoordeling"], "in either order", hits)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
