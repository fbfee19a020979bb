#!/usr/bin/env python3
"""make_bad_files.py OUT_DIR - writes the broken and hostile files the indexer tests feed to vind-index.

Why generated and not committed: some fixtures are large (a 3 MB page to test --max-size 1M, 100,000
nested <div>s) and the PDFs come from scripts/mkpdf.py, so the repository keeps only this script.
Alongside the bad files it writes two good article pages and one good PDF, each with a word found
nowhere else (zilvermeeuw, kraanvogelproject, lepelaarmethode), so a test can check that the good
files were indexed although their neighbours were not.  docs/sample-site.md lists every file.

Usage: make_bad_files.py OUT_DIR [--big-size BYTES] [--manifest]
Prints the path of every file written, one per line; with --manifest, a tab-separated line per file
instead: name, what a robust indexer should do with it, what the file is.

Python standard library only.  Every file is byte-identical between runs (fixed seeds, fixed dates),
except the two encrypted PDFs: qpdf draws random salts for AES-256 and cannot be made to repeat them.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # importing mkpdf must not leave __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "scripts"))
sys.path.insert(0, os.path.join(TOP, "sample"))
import build  # noqa: E402  (sample/build.py: the same page template as the demo site)
import mkpdf  # noqa: E402

SEED = 20240611

# Words for generated filler text: Dutch, with the inflections and diacritics vind must handle.
WORDS = (
    "de het een en van in op met voor naar bewoner bewoners cliënt cliënten zorg verpleeghuis verpleeghuizen "
    "organisatie organisaties medewerker medewerkers wijkverpleging mantelzorger mantelzorgers naasten team "
    "teams coördinator ideeën financiële geïnformeerd één ouderenzorg zorgkantoren jeugdzorg kinderen kind "
    "gebruikt gebruiken gemaakt maken samen werken leren vernieuwing bestuur toezicht dagbesteding rooster "
    "aandacht tijd ruimte gesprek gesprekken afspraken regels relatie thuis wonen buurt"
).split()

GOOD_ARTICLES = [
    (
        "goed-artikel-1",
        """---
title: "Zorgboerderij De Zilvermeeuw opent een kas voor bewoners"
date: 2024-06-11
themes: ["Wonen en zorg"]
tags: ["Leefplezier", "Verpleeghuizen"]
author: "Testredactie"
description: "Bewoners van drie verpleeghuizen kweken groente in de nieuwe kas van zorgboerderij De Zilvermeeuw."
---
Zorgboerderij De Zilvermeeuw in Wieringerwerf heeft een kas geopend waar bewoners van drie verpleeghuizen
elke week groente kweken. De cliënten kozen zelf wat er groeit: tomaten, paprika's en kruiden.

‘Hier ben ik weer boer’, zegt een bewoner van tachtig. De medewerkers van De Zilvermeeuw zijn geïnformeerd
over dementie, en de coördinator plant de bezoeken samen met de teams van de verpleeghuizen.
""",
    ),
    (
        "goed-artikel-2",
        """---
title: "Kraanvogelproject verbindt jeugdzorg en ouderenzorg"
date: 2023-02-07
themes: ["Cliënt en naaste"]
tags: ["Jeugdzorg", "Verpleeghuizen"]
author: "Testredactie"
description: "In het kraanvogelproject vouwen kinderen uit de jeugdzorg samen met bewoners van een verpleeghuis papieren kraanvogels."
---
In het kraanvogelproject vouwen kinderen uit de jeugdzorg elke woensdag papieren kraanvogels met bewoners
van een verpleeghuis. Het idee kwam van een kind van twaalf, dat het vouwen van haar oma had geleerd.

De jeugdzorgaanbieders en het verpleeghuis hebben samen afspraken gemaakt over begeleiding en vervoer.
Inmiddels hangen er ruim duizend kraanvogels in de huiskamer.
""",
    ),
]


def filler(rng, words):
    """words pseudo-random Dutch words in sentences of 8 to 20 words."""
    out = []
    while words > 0:
        length = min(words, rng.randint(8, 20))
        sentence = [rng.choice(WORDS) for _ in range(length)]
        out.append(" ".join(sentence).capitalize() + ".")
        words -= length
    return " ".join(out)


def good_pdf():
    blocks = [
        ("h", "Aanleiding"),
        ("p", "In 2023 probeerden twee wijkteams de lepelaarmethode uit: een vaste werkwijze voor het eerste "
              "gesprek met cliënten en hun naasten. Dit verslag beschrijft wat de teams ervan leerden."),
        ("h", "Uitkomsten"),
        ("p", "De teams gebruiken de lepelaarmethode inmiddels bij elke nieuwe cliënt. Cliënten voelen zich "
              "beter geïnformeerd, en de coördinator ziet minder misverstanden over afspraken."),
    ] + [("p", filler(random.Random(SEED + n), 120)) for n in range(6)]
    data, _ = mkpdf.render_report("Verslag pilot lepelaarmethode", "Testredactie", "2023-12-05", blocks,
                                  byline="Testredactie \u2013 5 december 2023")
    return data


def good_article_pages():
    articles = [build.Article(slug + ".md", text) for slug, text in GOOD_ARTICLES]
    site = build.Site(articles, [])
    return {slug + ".html": build.article_page(site, article).encode("utf-8")
            for (slug, _), article in zip(GOOD_ARTICLES, articles)}


def html_page(title, body, charset="utf-8"):
    return (
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n"
        f"<meta charset=\"{charset}\">\n<title>{title}</title>\n</head>\n<body>\n<main>\n<article>\n"
        f"<h1>{title}</h1>\n{body}\n</article>\n</main>\n</body>\n</html>\n"
    )


def invalid_utf8():
    """Well-formed HTML whose text holds every kind of invalid UTF-8 sequence between valid Dutch words."""
    head = html_page("Ongeldige UTF-8 in een artikel", "<p>@@</p>").encode("utf-8")
    bad = (
        "Bewoners en cliënten ".encode("utf-8")
        + b"lone continuation \x80\xbf "
        + b"truncated cli\xc3 nten "
        + b"overlong \xc0\xaf slash "
        + b"surrogate \xed\xa0\x80 half "
        + b"invalid bytes \xfe\xff "
        + b"four-byte cut \xf0\x9f\x98 "
        + "en coördinatoren blijven vindbaar.".encode("utf-8")
    )
    return head.replace(b"@@", bad)


def latin1_declared_utf8_content():
    text = ("<p>De cliënten en coördinatoren van het verpleeghuis hebben hun ideeën gedeeld. Eén bewoner "
            "zei: ‘Ik ben goed geïnformeerd over de financiële gevolgen.’</p>")
    return html_page("Verkeerde tekenset: iso-8859-1 gemeld, UTF-8 geschreven", text, "iso-8859-1").encode("utf-8")


def utf8_declared_latin1_content():
    text = ("<p>De cliënten en coördinatoren van het verpleeghuis hebben hun ideeën gedeeld. Eén bewoner "
            "zei: 'Ik ben goed geïnformeerd over de financiële gevolgen.'</p>")
    return html_page("Verkeerde tekenset: UTF-8 gemeld, Latin-1 geschreven", text, "utf-8").encode("latin-1")


def big_html(size):
    rng = random.Random(SEED)
    paragraphs = []
    total = 0
    while total < size:
        paragraph = "<p>" + filler(rng, 150) + "</p>"
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
    return html_page("Een heel groot artikel", "\n".join(paragraphs)).encode("utf-8")


def long_line_pdf():
    rng = random.Random(SEED + 1)
    text = "Begin van de langeregeltekst. " + filler(rng, 15000) + " Einde van de langeregeltekst."
    return mkpdf.render_single_line(text, "Een pdf met een heel lange regel", "Testredactie", "2022-03-01")


def nested_html(depth=100_000):
    # No closing tags: the parser closes them all at </body>, and the file stays at 0.5 MB, under the
    # --max-size 1M the indexer tests run with (with closing tags it would be 1.1 MB and skipped unparsed).
    body = "<div>" * depth + "<p>Diepgenest: de bewoners staan helemaal onderaan.</p>"
    return html_page("Diep geneste div-elementen", body).encode("utf-8")


def entity_bomb_html():
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">')
    return (
        "<!DOCTYPE html [\n" + "\n".join(entities) + "\n]>\n"
        "<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>Entiteitenbom</title>\n</head>\n<body>\n"
        "<main>\n<h1>Entiteitenbom</h1>\n<p>&lol9;</p>\n<p>Na de bom: de bewoners en cliënten.</p>\n</main>\n"
        "</body>\n</html>\n"
    ).encode("utf-8")


def junk_bytes():
    data = bytearray(random.Random(SEED).randbytes(65536))
    data[100:116] = bytes(16)  # a run of NULs, and NULs scattered through the rest anyway
    return bytes(data)


def encrypt(source, target, user_password, stderr_name):
    qpdf = shutil.which("qpdf")
    if not qpdf:
        print(f"make_bad_files: qpdf not on PATH, {stderr_name} not written", file=sys.stderr)
        return False
    result = subprocess.run([qpdf, "--encrypt", user_password, "owner", "256", "--", source, target],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"make_bad_files: qpdf failed for {stderr_name}: {result.stderr.strip()}", file=sys.stderr)
        return False
    return True


def main(argv):
    parser = argparse.ArgumentParser(description="Write vind's broken and hostile indexer fixtures.")
    parser.add_argument("out_dir")
    parser.add_argument("--big-size", type=int, default=3 * 1024 * 1024,
                        help="minimum size of big.html in bytes (default 3 MiB, for --max-size 1M)")
    parser.add_argument("--manifest", action="store_true", help="print name, expectation and description")
    args = parser.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)

    good = good_pdf()
    files = []  # (name, bytes or None when written otherwise, expectation, description)
    for name, data in good_article_pages().items():
        files.append((name, data, "indexed", "good article page in the demo theme"))
    files += [
        ("goed-rapport.pdf", good, "indexed", "good 3-page PDF report (lepelaarmethode on page 1)"),
        ("truncated.pdf", good[: len(good) // 2], "error:corrupt", "the good PDF cut in half"),
        ("file.pdf", b"", "error:corrupt", "0-byte file named .pdf"),
        ("empty.html", b"", "skipped:empty", "0-byte HTML file"),
        ("junk.html", junk_bytes(), "skipped-or-error", "64 KiB of random bytes with NULs (seed %d)" % SEED),
        ("invalid-utf8.html", invalid_utf8(), "indexed", "invalid UTF-8 sequences between valid words"),
        ("charset-latin1-is-utf8.html", latin1_declared_utf8_content(), "indexed",
         "declares iso-8859-1, body is UTF-8"),
        ("charset-utf8-is-latin1.html", utf8_declared_latin1_content(), "indexed",
         "declares utf-8, body is Latin-1"),
        ("big.html", big_html(args.big_size), "skipped:too-large", f"HTML of at least {args.big_size} bytes"),
        ("long-line.pdf", long_line_pdf(), "indexed", "PDF whose whole text is one line of ~100,000 characters"),
        ("nested.html", nested_html(), "indexed-or-error", "100,000 nested <div> elements, never closed (0.5 MB)"),
        ("entity-bomb.html", entity_bomb_html(), "indexed-no-expansion",
         "billion-laughs entities in the DOCTYPE, &lol9; in the body"),
    ]
    written = []
    for name, data, expectation, description in files:
        with open(os.path.join(args.out_dir, name), "wb") as handle:
            handle.write(data)
        written.append((name, expectation, description))

    good_path = os.path.join(args.out_dir, "goed-rapport.pdf")
    if encrypt(good_path, os.path.join(args.out_dir, "encrypted.pdf"), "user", "encrypted.pdf"):
        written.append(("encrypted.pdf", "error:encrypted", "the good PDF, AES-256, user password 'user'"))
    if encrypt(good_path, os.path.join(args.out_dir, "encrypted-owner-only.pdf"), "", "encrypted-owner-only.pdf"):
        written.append(("encrypted-owner-only.pdf", "indexed",
                        "the good PDF, AES-256 with an empty user password (opens without one)"))

    for name, expectation, description in written:
        path = os.path.join(args.out_dir, name)
        print(f"{name}\t{expectation}\t{description}" if args.manifest else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
