#!/usr/bin/env python3
"""collisions.py - which words does one index term join? A random, hand-judged sample (issue 13).

For every word type of the shared corpus's running text (lexicon/evalindep.py's tokens: PDF texts
and the site's article bodies) vind's analyzer gives a term and compound-part terms
(`evalmorph --terms`). Two distinct words are *joined* when
  * both have the same word term ("main" pair: `kansen` ~ `kans`), or
  * one is a compound whose part term is the other's word term ("part" pair: `kerstboom` ~ `bomen`:
    a query for `bomen` finds `kerstboom` through its part term).
Two compounds that only share a part are not a pair: each is judged against the simplex words.

  collisions.py draw  --evalmorph E --corpus C [--seed S --split-seed T] > SAMPLE.tsv  (then judge it)
  collisions.py eval  --evalmorph E --corpus C [--sample SAMPLE.tsv ...]
  collisions.py pairs --evalmorph E --corpus C > PAIRS.tsv   (every joined pair with its weight)

`draw` (SEED below, or --seed; each sample's header says its seeds, written down before anything was
judged) draws 300 pairs weighted by corpus
frequency (a pair's weight is count(a) * count(b): the chance that two corpus tokens drawn at random
are its two words), with replacement, so a frequent pair may be drawn several times (the `draws`
column), and 100 pairs uniformly from all distinct pairs, without replacement. Every drawn pair is
assigned to the tune or held-out half by random.Random(SEED + 1) (or --split-seed), before judging.
Samples: collision-sample.tsv (session 13, seeds 2026120613/14), collision-sample-2.tsv (i13-prec2,
seeds 2026120711/12), collision-sample-3.tsv (i13-prec3, seeds 2026120713/14), collision-sample-4.tsv
(i13-prec4, seeds 2026120715/16), collision-sample-5.tsv .. -7.tsv (seeds 2026120717/18, 19/20, 21/22),
collision-sample-8.tsv (i13-prec8, seeds 2026120731/32), -9.tsv (2026120741/42), -10.tsv (2026120751/52),
collision-sample-11.tsv (i13-prec11, seeds 2026120801/02).

`eval` re-asks the analyzer for the sample's words and prints, per half and draw, precision (pairs
judged the same word / joined pairs judged, counting each weighted draw), and which judged pairs the
analyzer no longer joins (a fix) or newly joins; plus the corpus-wide joined-pair counts.
Python standard library only. tests/morph/README.md says how the sample was judged.
"""
import argparse
import collections
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lexicon"))
import evalindep  # noqa: E402  (corpus tokens, fold, ask_terms)

SEED = 2026120613
WEIGHTED, UNIFORM = 300, 100


def corpus_terms(evalmorph, corpus):
    counts = evalindep.corpus_counts(corpus)
    # Hyphenated words are several tokens in vind; the parts are counted by the WORD regex too.
    words = [w for w in counts if "-" not in w and "'" not in w]
    terms = evalindep.ask_terms(evalmorph, words)
    return counts, terms


def joined_pairs(counts, terms):
    """{(a, b): kind} for a < b; kind 'main' or 'part'."""
    by_term = collections.defaultdict(list)
    for w, t in terms.items():
        if w in counts and t.vind:
            by_term[t.vind].append(w)
    pairs = {}
    for ws in by_term.values():
        ws.sort()
        for i, a in enumerate(ws):
            for b in ws[i + 1:]:
                pairs[(a, b)] = "main"
    for w, t in terms.items():
        if w not in counts:
            continue
        for part in set(t.extra):
            for other in by_term.get(part, ()):
                if other != w:
                    key = (min(w, other), max(w, other))
                    pairs.setdefault(key, "part")
    return pairs


def draw(counts, terms, seed=SEED, split_seed=SEED + 1):
    pairs = joined_pairs(counts, terms)
    keys = sorted(pairs)
    rng = random.Random(seed)
    weights = [counts[a] * counts[b] for a, b in keys]
    weighted = collections.Counter(rng.choices(keys, weights=weights, k=WEIGHTED))
    uniform = rng.sample(keys, UNIFORM)
    rows = []
    for key in sorted(weighted):
        rows.append(("weighted", key, weighted[key]))
    for key in sorted(uniform):
        rows.append(("uniform", key, 1))
    halves = random.Random(split_seed)
    out = []
    for draw_kind, (a, b), n in rows:
        half = "held-out" if halves.random() < 0.5 else "tune"
        ta, tb = terms[a], terms[b]
        term = ta.vind if ta.vind == tb.vind else (tb.vind if tb.vind in ta.extra else ta.vind)
        out.append(dict(draw=draw_kind, half=half, draws=n, a=a, b=b, kind=pairs[(a, b)], term=term,
                        count_a=counts[a], count_b=counts[b]))
    return len(keys), out


COLUMNS = ("draw", "half", "draws", "a", "b", "kind", "term", "count_a", "count_b", "judgement", "why")


def joined_now(a, b, terms):
    ta, tb = terms.get(a), terms.get(b)
    if not ta or not tb:
        return False
    return ta.vind == tb.vind or ta.vind in tb.extra or tb.vind in ta.extra


def evaluate(sample, terms, out, name="collision-sample.tsv"):
    """Precision per draw and half: a pair no longer joined leaves the joined set (a 'different'
    pair split = a fix, a 'same' pair split = a recall loss, counted too). Rows not judged yet (a
    held-out half kept unread) are counted apart and left out of the precision."""
    out.write(f"\n4. Term collisions (tests/morph/{name}: word pairs one term joined,"
              " drawn at random, judged by hand)\n")
    out.write(f"   {'draw, half':20} {'judged':>7} {'joined now':>10} {'same':>6} {'precision':>9}"
              f" {'different left':>14} {'same split':>10}\n")
    for draw_kind in ("weighted", "uniform"):
        for half in ("tune", "held-out"):
            rows = [r for r in sample if r["draw"] == draw_kind and r["half"] == half]
            unjudged = sum(int(r["draws"]) for r in rows if not r["judgement"])
            rows = [r for r in rows if r["judgement"]]
            judged = sum(int(r["draws"]) for r in rows)
            now = [r for r in rows if joined_now(r["a"], r["b"], terms)]
            n_now = sum(int(r["draws"]) for r in now)
            same = sum(int(r["draws"]) for r in now if r["judgement"] == "same")
            diff = n_now - same
            lost = sum(int(r["draws"]) for r in rows if r["judgement"] == "same" and r not in now)
            note = f"   ({unjudged} draws not judged yet)" if unjudged else ""
            out.write(f"   {draw_kind + ', ' + half:20} {judged:7} {n_now:10} {same:6} "
                      f"{evalindep.pct(same, n_now):>9} {diff:14} {lost:10}{note}\n")
    tune_diff = [r for r in sample if r["half"] == "tune" and r["judgement"] not in ("same", "")
                 and joined_now(r["a"], r["b"], terms)]
    if tune_diff:
        out.write("   different words still joined (tune half): " +
                  ", ".join(f"{r['a']}~{r['b']} ({r['why']})" for r in tune_diff) + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["draw", "eval", "pairs"])
    p.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    p.add_argument("--evalmorph", required=True)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--split-seed", type=int)
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--sample", action="append",
                   help="judged sample(s); default: every collision-sample*.tsv here")
    a = p.parse_args(argv)
    if a.command in ("draw", "pairs"):
        counts, terms = corpus_terms(a.evalmorph, a.corpus)
        if a.command == "pairs":
            for (x, y), kind in sorted(joined_pairs(counts, terms).items()):
                print(f"{x}\t{y}\t{kind}\t{counts[x] * counts[y]}")
            return 0
        split_seed = a.split_seed if a.split_seed is not None else a.seed + 1
        total, rows = draw(counts, terms, a.seed, split_seed)
        print(f"# {total} joined pairs of distinct corpus words; SEED {a.seed}, split seed {split_seed}")
        print("\t".join(COLUMNS))
        for r in rows:
            print("\t".join(str(r.get(c, "")) for c in COLUMNS))
        return 0
    paths = a.sample or sorted((os.path.join(here, f) for f in os.listdir(here)
                                if f.startswith("collision-sample") and f.endswith(".tsv")), key=len)
    samples = [(os.path.basename(path), evalindep.read_tsv(path)) for path in paths]
    words = {r[c] for _, sample in samples for r in sample for c in ("a", "b")}
    terms = evalindep.ask_terms(a.evalmorph, words)
    for name, sample in samples:
        evaluate(sample, terms, sys.stdout, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
