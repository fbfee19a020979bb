#!/usr/bin/env python3
"""spelling.py - what vind's spelling does with correct Dutch and with typos, over an index of the shared corpus.

Two sets drawn at random with --seed (docs/query.md has the figures; seeds 13 and 14 were looked at while
the rule was made, 15 was not):
  A  300 lower-case words of OpenTaal's word list (/usr/share/dict/dutch, Debian's wdutch), 5-14 letters:
     correct Dutch. Counts how many are searched as another word ("corrected": true), get a "Bedoelde je"
     although the search finds them, or are offered another word when the site lacks them.
  B  300 typos: one random edit (deletion, swap, substitution, insertion) of a random word of the corpus's
     articles that is in the word list and in at least 5 of them, the typo itself not in the word list.
     Counts how many get the word back as the suggestion, and how many of those were searched with it.

    python3 tests/relevance/spelling.py --vind build/bin/vind --db DB [--seed 15] [--corpus ../shared/corpus]

DB is an index of the corpus as `make eval` builds it. Python standard library only.
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess

WORDLIST = "/usr/share/dict/dutch"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def search(vind, db, query):
    out = subprocess.run([vind, "search", "--db", db, "--format", "json", "--limit", "10", "--", query],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
    return json.loads(out)


def article_words(corpus):
    """Document frequency of the lower-case words (6-14 letters) of the corpus's articles."""
    frequency = collections.Counter()
    for root, _, files in os.walk(os.path.join(corpus, "site-src", "content")):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    frequency.update(set(re.findall(r"\b[a-z]{6,14}\b", f.read())))
    return frequency


def typo(rng, word):
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice("dsti")
    if kind == "d":
        return word[:i] + word[i + 1:]
    if kind == "s":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "t":
        return word[:i] + rng.choice(LETTERS) + word[i + 1:]
    return word[:i] + rng.choice(LETTERS) + word[i:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vind", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    args = parser.parse_args()
    with open(WORDLIST, encoding="utf-8") as f:
        words = [line.strip() for line in f]
    known = {w.lower() for w in words}
    rng = random.Random(args.seed)
    correct = rng.sample([w for w in words if re.fullmatch(r"[a-z]{5,14}", w)], 300)
    frequency = article_words(args.corpus)
    frequent = sorted(w for w, n in frequency.items() if n >= 5 and w in known)
    typos = []
    while len(typos) < 300:
        word = rng.choice(frequent)
        wrong = typo(rng, word)
        if wrong != word and wrong not in known:
            typos.append((word, wrong))
    counts = collections.Counter()
    for word in correct:
        d = search(args.vind, args.db, word)
        found = d["total"] + d.get("fallback_total", 0) > 0 and not d["corrected"]
        counts["A correct words"] += 1
        counts["A searched as another word"] += bool(d["corrected"])
        counts["A found, yet 'Bedoelde je'"] += bool(found and d["suggestion"])
        counts["A not found, another word offered"] += bool(not found and d["suggestion"] and not d["corrected"])
    for word, wrong in typos:
        d = search(args.vind, args.db, wrong)
        back = (d["suggestion"] or "") == word
        counts["B typos"] += 1
        counts["B the word suggested back"] += back
        counts["B ... and searched with it"] += back and bool(d["corrected"])
    for key in sorted(counts):
        print("%-40s %d" % (key, counts[key]))


if __name__ == "__main__":
    main()
