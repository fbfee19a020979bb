"""test_morph_search.py - Dutch word forms through the whole chain (issue 13): the indexer's terms and a
query's meet for the forms of one word and only for them. `vind search lopen` finds a page that has only
`liep`; `kans` does not find a page that has only `kan`; `lid` finds `leden`, `kaart` finds `kaartje`,
`ondernemen` finds `ondernam`, `opnemen` finds `opgenomen`, `goed` finds `beter`; `boek` does not find
`geboekt`, `kiezen` finds `gekozen` and `kies`, `echt` not `echter`. Writes its own small site
(no corpus needed).
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env, index_site, require_programs  # noqa: E402

tap = Tap()

# One page per word form; no page shares a content word with another.
PAGES = {
    "wandeling": "De wandelaar liep gisteren door het bos bij Ede.",
    "kans": "De kans op regen is vandaag groot volgens het weerbericht.",
    "kan": "Hij kan morgen helaas niet op het feest zijn.",
    "leden": "Alle leden van de vereniging kregen een brief.",
    "kaartje": "Zij stuurde haar oma een kaartje uit Parijs.",
    "ondernam": "De gemeente ondernam niets tegen de overlast.",
    "opgenomen": "De patiënt werd in het ziekenhuis opgenomen.",
    "beter": "Het eten in de kantine smaakt beter dan vorig jaar.",
    "boom": "In de tuin staat een oude boom.",
    "bom": "Op het strand werd een bom uit de oorlog gevonden.",
    "server": "The backend handles every request of the mobile app.",
    "downloads": "Het aantal downloads van de app steeg snel na de lancering.",
    "beheer": "Het beheer van de tuin ligt bij de vrijwilligers.",
    "gekozen": "Zij werd unaniem gekozen tot voorzitter.",
    "kies": "Mijn kies doet pijn sinds het weekend.",
    "geboekt": "Wij hebben een hotel in Rome geboekt.",
    "boek": "Dat boek over dinosaurussen ligt op tafel.",
    "echter": "Het museum was echter gesloten.",
    "echt": "Dit schilderij is echt van Rembrandt.",
    "tonen": "De grafieken tonen een stijgende lijn.",
}
# Pages in English (indexed with English stems).
ENGLISH = {"server"}


def page(name, text, lang="nl"):
    return ("<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>Bericht %s</title>\n"
            "</head>\n<body>\n<main>\n<article>\n<h1>Bericht %s</h1>\n<p>%s</p>\n</article>\n</main>\n</body>\n"
            "</html>\n" % (name, name, text))


def hits(db, word):
    result = subprocess.run([binary("vind"), "search", "--db", db, "--format", "json", "--all", word],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    if result.returncode not in (0, 1):
        return None
    data = json.loads(result.stdout.decode("utf-8"))
    return sorted(os.path.basename(r["url"]).replace(".html", "") for r in data["results"])


def main():
    if not require_programs(tap, "word forms end to end", "vind", "vind-index"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        for name, text in PAGES.items():
            with open(os.path.join(site, name + ".html"), "w", encoding="utf-8") as f:
                f.write(page(name, text, "en" if name in ENGLISH else "nl"))
        db = os.path.join(tmp, "db")
        index_site(db, site)
        cases = [
            ("lopen", ["wandeling"], "vind search lopen finds the page that has only liep"),
            ("gelopen", ["wandeling"], "gelopen finds liep"),
            ("kans", ["kans"], "kans does not find the page that has only kan"),
            ("lid", ["leden"], "lid finds leden"),
            ("kaart", ["kaartje"], "kaart finds kaartje"),
            ("ondernemen", ["ondernam"], "ondernemen finds ondernam"),
            ("opnemen", ["opgenomen"], "opnemen finds opgenomen"),
            ("goed", ["beter"], "goed finds beter"),
            ("boom", ["boom"], "boom does not find bom"),
            ("bommen", ["bom"], "bommen finds bom, not boom"),
            # backend's Dutch lemma is backen (a participle): its English stem is the word as typed,
            # no other Dutch word, so it is searched too (make eval's `load test backend`)
            ("backend", ["server"], "backend finds the English page that has backend"),
            # a verb also finds the noun of its stem, at a lower weight (lib/query.c, converted_noun)
            ("gedownload", ["downloads"], "gedownload finds the noun downloads"),
            ("beheren", ["beheer"], "beheren finds the noun beheer"),
            # a verb whose infinitive is the plural of a noun of another meaning stops at the
            # infinitive (docs/morphology.md, "Verb and noun"); the infinitive typed is both words
            ("boek", ["boek"], "boek does not find geboekt"),
            ("kies", ["kies"], "kies (molar) does not find gekozen"),
            ("kiezen", ["gekozen", "kies"], "kiezen finds the verb's gekozen and the noun's kies"),
            ("getoond", ["tonen"], "getoond finds the infinitive tonen (its extra term)"),
            ("echt", ["echt"], "echt does not find echter (however)"),
        ]
        for word, expected, what in cases:
            got = hits(db, word)
            tap.ok(got == expected, what, (word, got))


if __name__ == "__main__":
    try:
        main()
    finally:
        tap.done()
