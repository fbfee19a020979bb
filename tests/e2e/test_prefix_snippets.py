"""test_prefix_snippets.py - schema 4 keeps no positions of the exact forms (E terms), and a prefix*
query still marks the same words (docs/schema.md, "Schema 4").

The sample site is indexed twice by this build: as schema 3 wrote it (VIND_INDEX_WRITE_SCHEMA=3: the
E terms with their positions, the snippets' places of a prefix's forms) and in the current schema
(none: a prefix's places are its forms' stems' places whose word is one of its forms, lib/stored.c).
The E terms' positions are there in the first and gone in the second (xapian-delve), the position
table is smaller, and every prefix* query answers the same hits with the same snippets, marks
included, on both. Then vind-index upgrades the schema-3 index (rebuilt beside and swapped in):
its E positions are gone and its answers unchanged. Last, the same comparison over generated
pages of 40-120 kB, whose long texts take the snippets' other path (scan_long_text: places chosen
by density, regions around them), with many forms of few stems.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env, index_site, require_sample_site  # noqa: E402

tap = Tap()

# Prefixes whose forms share a stem with forms they do not match ("ga*": "gaat" of "gaan", whose
# places hold "gingen"; "zorg*": "zorgde" of "zorgen", at "gezorgd" too), a word with a prefix,
# a field prefix, and short prefixes with many forms (past the 64 a snippet looks up).
QUERIES = ["verpleeg*", "zorg*", "bewon*", "ga*", "wijk*", "ste*", "ge*", "be*", "ver*", "mantelzorg* wijk",
           "title:zorg*", "client*", "jaar*", "rapport*", "w*", "zorg verpleeg*", "20*"]


def with_schema(version, action):
    """Runs action() with VIND_INDEX_WRITE_SCHEMA=version (None: unset)."""
    saved = dict(os.environ)
    if version:
        os.environ["VIND_INDEX_WRITE_SCHEMA"] = str(version)
    else:
        os.environ.pop("VIND_INDEX_WRITE_SCHEMA", None)
    try:
        return action()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def answers(db, extra=()):
    """query -> [(url, snippet, pages)] of `vind search --format json`, 20 hits."""
    found = {}
    for q in QUERIES:
        result = subprocess.run([binary("vind"), "search", "--db", db, "--format", "json", "--limit", "20"]
                                + list(extra) + ["--", q], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env(), timeout=120)
        try:
            data = json.loads(result.stdout.decode("utf-8"))
            found[q] = [(hit["url"], hit["snippet"], hit["pages"]) for hit in data["results"]]
        except (ValueError, KeyError):
            found[q] = ("failed", result.returncode, result.stderr.decode("utf-8", "replace")[-300:])
    return found


def delve(*args):
    result = subprocess.run(["xapian-delve"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=60)
    return result.stdout.decode("utf-8", "replace")


def positions(db, term):
    """The positions of term in the first of the documents holding it that has any (a theme's
    word has none), [] when none has; None when no document holds it (xapian-delve)."""
    posting = delve("-t", term, db).split(":", 1)
    docids = posting[1].split() if len(posting) == 2 else []
    if not docids:
        return None
    for docid in docids:
        listing = delve("-r", docid, "-t", term, db).split(":", 1)
        if len(listing) == 2 and listing[1].split():
            return listing[1].split()
    return []


def position_bytes(db):
    path = os.path.join(db, "position.glass")
    return os.path.getsize(path) if os.path.exists(path) else 0


def compare(what, old, new):
    failed = [q for q in QUERIES if old.get(q) != new.get(q)]
    tap.ok(not failed, "%s: every prefix query answers the same hits and snippets" % what,
           [(q, old.get(q), new.get(q)) for q in failed[:2]])


def marked(found):
    return sum(1 for hits in found.values() if isinstance(hits, list)
               for _, snippet, _ in hits if snippet and "<mark>" in snippet)


def check_site(tmp, site, what, check_delve):
    old, new = os.path.join(tmp, what + "-3"), os.path.join(tmp, what + "-4")
    with_schema(3, lambda: index_site(old, site))
    with_schema(None, lambda: index_site(new, site))
    if check_delve:
        tap.ok(positions(old, "Ezorg"), "%s, schema 3: the exact form Ezorg has positions" % what)
        tap.ok(positions(new, "Ezorg") == [] and positions(new, "zorg"),
               "%s, schema 4: Ezorg has none, its stem zorg has them" % what,
               (positions(new, "Ezorg"), positions(new, "zorg")))
    tap.ok(position_bytes(new) < position_bytes(old),
           "%s: the position table is smaller (%d -> %d bytes)" % (what, position_bytes(old), position_bytes(new)))
    before, after = answers(old), answers(new)
    tap.ok(marked(before) >= len(QUERIES), "%s: the prefix queries' snippets mark words (%d snippets)"
           % (what, marked(before)))
    compare(what + ", schema 3 and schema 4", before, after)
    return old, before


# Words of the long pages: forms a prefix splits from others of their stem, and filler.
LONG_WORDS = ["zorg", "zorgde", "gezorgd", "zorgen", "liep", "loopt", "lopen", "gelopen", "stad", "steden",
              "gaat", "ging", "gingen", "gegaan", "wijk", "wijken", "verpleegkundige", "verpleegden", "de",
              "het", "een", "bewoners", "bewoner", "gemeente", "rapport", "jaar", "jaren", "werk", "wonen"]


def long_site(tmp):
    """Five long articles, deterministic: words drawn by a fixed linear congruential sequence, in
    paragraphs, each page with its own skew."""
    root = os.path.join(tmp, "long")
    state = 12345
    for n in range(5):
        paragraphs = []
        for _ in range(60 + 40 * n):
            words = []
            for _ in range(60):
                state = (state * 1103515245 + 12345) % 2 ** 31
                pick = state % (len(LONG_WORDS) + 40)
                words.append(LONG_WORDS[pick % len(LONG_WORDS)] if pick < len(LONG_WORDS) + 5 * n
                             else LONG_WORDS[18 + pick % 3])
            paragraphs.append("<p>%s.</p>" % " ".join(words).capitalize())
        folder = os.path.join(root, "actueel", "lang-%d" % n)
        os.makedirs(folder)
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Lang verhaal %d</title>'
                    '<meta property="og:type" content="article"></head><body><article><h1>Lang verhaal %d</h1>'
                    '%s</article></body></html>' % (n, n, "\n".join(paragraphs)))
    return root


def main():
    site = require_sample_site(tap, "prefix snippets on schema 4", ("vind", "vind-index"))
    if site is None:
        return
    check_delve = shutil.which("xapian-delve") is not None
    if not check_delve:
        tap.skip("the E terms' positions", "xapian-delve not installed (xapian-tools)")
    with tempfile.TemporaryDirectory(prefix="vind-prefix-") as tmp:
        old, before = check_site(tmp, site, "sample site", check_delve)
        result = index_site(old, site, check=False)
        tap.ok(result.returncode == 0, "vind-index upgrades the schema-3 index",
               result.stderr.decode("utf-8", "replace")[-300:])
        if check_delve:
            tap.ok(positions(old, "Ezorg") == [], "the upgraded index keeps no positions of Ezorg")
        compare("sample site, upgraded from schema 3", before, answers(old))
        check_site(tmp, long_site(tmp), "long pages", check_delve)


if __name__ == "__main__":
    main()
    sys.exit(tap.done())
