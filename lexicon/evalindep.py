#!/usr/bin/env python3
"""evalindep.py - morphology checks that do not come from the data nl.lex is built from.

`make eval-morph` runs it after evalmorph. It reads hand-judged files and the shared corpus's
running text, asks vind's analyzer (and Snowball alone) for terms through `evalmorph --terms`,
and prints:
  1. wrong merges: pairs of distinct lemmas that get one term, weighted by corpus frequency;
  2. the hand-checked 600-token sample (tests/data/morph-sample.tsv): does a token's term equal
     the term of its lemma's other forms, per word class, tuned and held-out halves;
  3. compound split points (tests/data/compound-splits.tsv): precision and recall, known and
     unknown compounds, tuned and held-out halves.

  evalindep.py --evalmorph BUILD/lexicon/evalmorph --corpus CORPUS [--data tests/data]
  evalindep.py draw-sample --corpus CORPUS         how morph-sample.tsv's tokens were drawn
  evalindep.py draw-compounds --corpus CORPUS      how compound-splits.tsv's candidates were drawn

Python standard library only. docs/morphology.md explains each figure.
"""
import argparse
import collections
import os
import random
import re
import subprocess
import sys
import unicodedata

SEED = 13
# A word: letters, with inner apostrophes or hyphens ("auto's", "niet-leden").
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def corpus_documents(corpus):
    """(name, running text) of every corpus document in a fixed order: the PDF texts, then the
    site's articles (Markdown body without front matter, code blocks, HTML tags and link targets)."""
    textdir = os.path.join(corpus, "pdf", "text")
    for name in sorted(os.listdir(textdir)):
        if name.endswith(".txt"):
            with open(os.path.join(textdir, name), encoding="utf-8", errors="replace") as f:
                yield "pdf/" + name, f.read()
    content = os.path.join(corpus, "site-src", "content", "actueel")
    for slug in sorted(os.listdir(content)):
        path = os.path.join(content, slug, "index.md")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            yield "site/" + slug, markdown_text(f.read())


def markdown_text(md):
    if md.startswith("---"):
        end = md.find("\n---", 3)
        md = md[end + 4:] if end >= 0 else md
    md = re.sub(r"```.*?```", " ", md, flags=re.S)
    md = re.sub(r"`[^`\n]*`", " ", md)
    md = re.sub(r"\]\([^)]*\)", "] ", md)   # link targets
    md = re.sub(r"<[^>]*>", " ", md)        # HTML tags
    md = re.sub(r"https?://\S+", " ", md)
    return md


def fold(word):
    """Lower case without diacritics, as vind normalises (cliënten -> clienten)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("\u2019", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def corpus_counts(corpus):
    counts = collections.Counter()
    for _, text in corpus_documents(corpus):
        counts.update(fold(w) for w in WORD.findall(text))
    return counts


def draw_sample(corpus, n=600):
    """n word tokens drawn uniformly from all running-text tokens (random.Random(SEED)), each with
    60 characters of context either side; a fixed random half is held out."""
    tokens = []  # (doc, start, end)
    texts = {}
    for name, text in corpus_documents(corpus):
        texts[name] = text
        tokens.extend((name, m.start(), m.end()) for m in WORD.finditer(text))
    rng = random.Random(SEED)
    picked = sorted(rng.sample(range(len(tokens)), n))
    held = set(random.Random(SEED + 1).sample(range(n), n // 2))
    rows = []
    for i, k in enumerate(picked):
        doc, s, e = tokens[k]
        text = texts[doc]
        ctx = text[max(0, s - 60):s] + "[" + text[s:e] + "]" + text[e:e + 60]
        ctx = re.sub(r"\s+", " ", ctx).replace("\t", " ")
        rows.append((i + 1, text[s:e], doc, "held-out" if i in held else "tune", ctx))
    return len(tokens), rows


def draw_compound_candidates(corpus):
    """Candidate words for compound-splits.tsv: word types of 9+ letters a-z of the corpus, sorted,
    900 drawn with random.Random(SEED), then 500 more from the rest with random.Random(SEED + 1).
    The judge kept the Dutch compounds among them in this order, and wrote their splits."""
    counts = corpus_counts(corpus)
    types = sorted(w for w in counts if len(w) >= 9 and re.fullmatch(r"[a-z]+", w))
    first = random.Random(SEED).sample(types, 900)
    seen = set(first)
    rest = [w for w in types if w not in seen]
    return first + random.Random(SEED + 1).sample(rest, 500)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", nargs="?", default="eval", choices=["eval", "draw-sample", "draw-compounds"])
    p.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    p.add_argument("--evalmorph")
    p.add_argument("--data", default="tests/data")
    a = p.parse_args(argv)
    if a.command == "draw-sample":
        total, rows = draw_sample(a.corpus)
        print(f"# {total} tokens")
        for r in rows:
            print("\t".join(str(x) for x in r))
        return 0
    if a.command == "draw-compounds":
        for w in draw_compound_candidates(a.corpus):
            print(w)
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
