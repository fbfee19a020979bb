#!/usr/bin/env python3
"""test_translations.py - a Dutch query word finds an ENGLISH document through its translation
(Debian's dict-freedict-nld-eng, build/share/vind/synonyms/nl-en.txt, docs/synonyms.md), and a
DUTCH document that happens to use the English word is not lifted by it (issue 13).

A tiny site of three pages, indexed in a few seconds:
  - en: an English note on exporting a public key (html lang="en");
  - nl-key: a Dutch page that uses the English word "key" but never "sleutel";
  - nl-sleutel: a Dutch page about a "sleutel";
  - en-code, en-apart, nl-broncode: a compound the dictionary lacks ("broncode"), translated part
    by part as an English phrase ("source code"), not as its parts anywhere.
"""
import json
import os
import subprocess
import sys
import tempfile

from harness import Tap, binary, build_dir, env, have, index_site

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{body}</p></main></body></html>
"""

PAGES = {
    "en": ("en", "Exporting a public key",
           "This note explains how the public key is exported from the hardware module as X9.62. "
           "The key is exported once; the key never leaves the module, only the public key."),
    "nl-key": ("nl", "Nieuwe huisstijl",
               "De key visual van de campagne is een foto van het stadhuis. De key visual komt op "
               "elke poster."),
    "nl-sleutel": ("nl", "Sleutel van het stadhuis",
                   "De burgemeester kreeg de sleutel van het stadhuis bij de opening."),
    "nl-both": ("nl", "Campagnebeeld",
                "Het ontwerpbureau leverde de key visual en gaf ons de sleutel tot het archief."),
    "en-code": ("en", "Source code review",
                "We reviewed the source code of the app. The source code is published online."),
    "en-apart": ("en", "Spring notes",
                 "The source of the river is a spring. A dress code applies at the dinner."),
    "nl-broncode": ("nl", "Open werken", "De broncode van de app staat online."),
}
# Dutch pages that say "sleutel" once: a common Dutch word, a rare English one ("key").
for n in range(6):
    PAGES["nl-%d" % n] = ("nl", "Bericht %d" % n, "De sleutel ligt bij de buren, bericht %d." % n)


def write_site(root):
    for slug, (lang, title, body) in PAGES.items():
        folder = os.path.join(root, slug)
        os.makedirs(folder)
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
            f.write(PAGE.format(lang=lang, title=title, body=body))


def answer(db, query):
    result = subprocess.run([binary("vind"), "search", "--db", db, "--format", "json", query],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.decode("utf-8", "replace"))
    return json.loads(result.stdout)


def snippets(db, query):
    return {hit["url"]: hit.get("snippet") or "" for hit in answer(db, query)["results"]}


def kwic(db, query):
    result = subprocess.run([binary("vind"), "kwic", "--db", db, "--format", "json", query],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
    return json.loads(result.stdout) if result.returncode in (0, 1) else []


def urls(db, query):
    return [hit["url"] for hit in answer(db, query)["results"]]


def main():
    tap = Tap()
    translations = os.path.join(build_dir(), "share", "vind", "synonyms", "nl-en.txt")
    if not (have("vind") and have("vind-index")):
        tap.skip("translations", "no build (make all)")
        return tap.done()
    # `make all` builds the list; without it the rest would only fail.
    if not tap.ok(os.path.isfile(translations), "make all built " + translations):
        return tap.done()
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        write_site(site)
        db = os.path.join(tmp, "db")
        index_site(db, site)

        found = urls(db, "sleutel")
        tap.ok("/en/" in found, "sleutel finds the English page through 'key'", found)
        tap.ok("/nl-key/" not in found, "sleutel does not find a Dutch page that says 'key'", found)
        tap.ok(found[:1] == ["/nl-sleutel/"], "the Dutch page with 'sleutel' comes first", found)
        # A translation weighs as an occurrence of the Dutch word, not with the English word's
        # own (high) idf: the English page with "key" five times ranks below the Dutch pages.
        tap.ok(found[-1:] == ["/en/"], "the English page comes after every Dutch page", found)

        # The snippet shows why an English page was found: "key" is marked there as the
        # query's "sleutel" (plan->english_match_terms), and only there: a Dutch page that
        # says "key" beside "sleutel" marks "sleutel" alone.
        shown = snippets(db, "sleutel")
        tap.ok("<mark>key</mark>" in shown.get("/en/", ""), "sleutel: the English page's "
               "snippet marks 'key'", shown.get("/en/"))
        both = shown.get("/nl-both/", "")
        tap.ok("<mark>sleutel</mark>" in both and "<mark>key</mark>" not in both,
               "sleutel: a Dutch page's snippet marks 'sleutel', not its English 'key'", both)

        # Keyword in context, as the snippets: "key" is a line of the English page only.
        lines = kwic(db, "sleutel")
        tap.ok(any(l["url"] == "/en/" and l["match"].lower() == "key" for l in lines),
               "kwic sleutel: the English page's 'key' is a line", lines)
        tap.ok(not any(l["url"] == "/nl-both/" and l["match"].lower() == "key" for l in lines),
               "kwic sleutel: the Dutch page's 'key' is not", lines)

        found = urls(db, "publieke sleutel exporteren")
        tap.ok(found[:1] == ["/en/"], "publieke sleutel exporteren: the English note first", found)

        # A query with an English word ("note": no Dutch headword, an English word of the
        # dictionary) reaches English pages in the user's words: its Dutch words are not
        # translated, so no page has all words (with "key" for "sleutel" the English one would).
        total = answer(db, "sleutel note")["total"]
        tap.equal(total, 0, "sleutel note: no translation when the query holds an English word")

        # A compound the dictionary lacks is translated part by part, as an English phrase in the
        # parts' order: "broncode" (bron + code) finds "source code", not "source" and "code" apart,
        # and weighs as an occurrence of the word (make eval's `broncode onderzoek coronamelder app`).
        found = urls(db, "broncode")
        tap.ok("/en-code/" in found, "broncode finds the English page that says 'source code'", found)
        tap.ok("/en-apart/" not in found, "broncode does not find 'source' and 'code' apart", found)
        tap.ok(found[:1] == ["/nl-broncode/"], "broncode: the Dutch page with the word comes first", found)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
