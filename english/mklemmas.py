#!/usr/bin/env python3
"""mklemmas.py - the English lemma list of vind's English analysis
(docs/morphology.md, "English"), built from Debian's wamerican at build time.

Snowball's English stemmer joins derivations ("management" and "manager" both
"manag", "general" and "generate" both "gener"). vind's English term of a word
the word list knows is its lemma instead: the word with an inflection undone
(plural -s/-es/-ies, verb -ed/-ing, comparative -er/-est of an adjective)
when what remains is itself a word of the list, else the word itself. A word
the list lacks (a name, jargon) keeps Snowball's stem, in lib/analyze.c.

Rules, each checked against the word list, never guessed:
  -ies/-ied/-ier/-iest -> -y       (companies, studied, easier -> easy)
  -s, -es                          (uses -> use, boxes -> box; not -ss, -us, -is)
  -ed, -ing: not an -ing word with a plural of its own ("morning",
             "building": nouns), and not an -s of an adjective ("news");
             the stem + "e" first when it ends consonant-vowel-consonant
             (hoping -> hope, writing -> write), then the stem (called ->
             call), then one of a doubled consonant (stopped -> stop), then
             the stem + "e" (making -> make, based -> base)
  -er, -est: as -ed, but only when the list has both the -er and the -est
             form (faster/fastest -> fast); "manager" has no "managest", so
             it stays a word of its own; nor an -er word with a plural of its
             own ("number", "numbers": no degree of "numb")
A lemma is at least 3 letters. Output: one line per lower-case ASCII word of
the list, sorted by bytes: "word" (its own lemma) or "word<TAB>lemma".
Usage: mklemmas.py WORDLIST OUT
"""
import re
import sys

WORD = re.compile(r"^[a-z]+$")
VOWELS = set("aeiou")
MIN_LEMMA = 3


def ends_cvc(stem):
    """consonant, vowel, consonant (not w, x, y): "hop", "writ", "com"."""
    return (len(stem) >= 3 and stem[-1] not in VOWELS and stem[-1] not in "wxy"
            and stem[-2] in VOWELS and stem[-3] not in VOWELS)


def verb_like_base(stem, words):
    """The base of a stem left by -ed, -ing, -er or -est, or None."""
    if stem.endswith("i") and stem[:-1] + "y" in words and len(stem) >= MIN_LEMMA:
        return stem[:-1] + "y"
    candidates = []
    if ends_cvc(stem):
        candidates.append(stem + "e")
    candidates.append(stem)
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        candidates.append(stem[:-1])
    candidates.append(stem + "e")
    for base in candidates:
        if len(base) >= MIN_LEMMA and base in words:
            return base
    return None


def plural_base(word, words):
    if word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return None
    if word.endswith("ies") and len(word) - 3 + 1 >= MIN_LEMMA and word[:-3] + "y" in words:
        return word[:-3] + "y"
    for base in (word[:-1], word[:-2] if word.endswith("es") else None):
        # An adjective takes no -s: "news" is no plural of "new" (newer, newest).
        if base and len(base) >= MIN_LEMMA and base in words and not is_adjective(base, words):
            return base
    return None


def is_adjective(base, words):
    """The list has its -er and -est forms ("newer", "newest")."""
    for stem in (base, base[:-1] if base.endswith("e") else None,
                 base + base[-1], base[:-1] + "i" if base.endswith("y") else None):
        if stem and stem + "er" in words and stem + "est" in words:
            return True
    return False


def lemma(word, words):
    base = plural_base(word, words)
    if base:
        return base
    # A noun of its own has a plural ("mornings", "buildings"): no verb form then.
    if word.endswith("ing"):
        return None if word + "s" in words else verb_like_base(word[:-3], words)
    if word.endswith("ed"):
        return verb_like_base(word[:-2], words)
    # An adjective's degrees only: both the -er and the -est form are words.
    if word.endswith("est") and word[:-3] + "er" in words:
        return verb_like_base(word[:-3], words)
    # ... and a noun in -er has a plural of its own: "number" (numbers) is no
    # degree of "numb", though the list has "numbest".
    if word.endswith("er") and word[:-2] + "est" in words and word + "s" not in words:
        return verb_like_base(word[:-2], words)
    return None


def main(wordlist, out_path):
    with open(wordlist, encoding="utf-8") as f:
        words = {line.strip() for line in f if WORD.match(line.strip())}
    lines = []
    for word in sorted(words):
        base = lemma(word, words)
        lines.append("%s\t%s\n" % (word, base) if base and base != word else word + "\n")
    with open(out_path, "w", encoding="ascii") as out:
        out.writelines(lines)


if __name__ == "__main__":
    main(*sys.argv[1:])
