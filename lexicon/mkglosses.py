#!/usr/bin/env python3
"""mkglosses.py - the English glosses of Dutch headwords, for mklexicon's chain rule (issue 13).

Reads Debian's dict-freedict-nld-eng (FreeDict 0.2 from Ergane, GPL; read at build time, never
copied into the repository) with synonyms/mktranslations.py's reader and writes one line per
one-word Dutch headword:

    <headword>\t<gloss> <gloss> ...

mklexicon uses it to tell a verb from the noun its infinitive is the plural of: `gebruiken`
(use, employ) and `gebruik` (use, custom) share a gloss, `boeken` (enter, record, register) and
`boek` (book) share none (docs/morphology.md, "Verb and noun"). Usage:

    mkglosses.py INDEX DICT_DZ OUT
"""
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "synonyms"))
import mktranslations  # noqa: E402  (the dictd reader)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    glosses = collections.defaultdict(set)
    for headword, translations in mktranslations.entries(argv[1], argv[2]):
        word = headword.lower()
        if word and " " not in word and translations:
            glosses[word].update(translations)
    with open(argv[3], "w", encoding="utf-8") as out:
        for word in sorted(glosses):
            out.write(f"{word}\t{' '.join(sorted(glosses[word]))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
