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


# --- asking the analyzer ----------------------------------------------------------------------------

class Terms:
    __slots__ = ("snowball", "vind", "lemma", "extra", "stop")


def ask_terms(evalmorph, words):
    """word -> Terms, by one run of `evalmorph --terms` (vind_analyze and Snowball alone)."""
    words = sorted(set(w for w in words if w and "\n" not in w and "\t" not in w))
    out = subprocess.run([evalmorph, "--terms"], input="\n".join(words) + "\n", capture_output=True,
                         text=True, check=True).stdout
    result = {}
    for line in out.split("\n"):
        if not line:
            continue
        word, snow, vind, lemma, extra, stop = line.split("\t")
        t = Terms()
        t.snowball, t.vind, t.lemma, t.stop = snow, vind, lemma or fold(word), stop == "1"
        t.extra = extra.split() if extra else []
        result[word] = t
    return result


def read_tsv(path):
    """Rows of a tab-separated file with '#' comments and a header line, as dicts."""
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                raise ValueError(f"{path}:{number}: {len(fields)} fields, header has {len(header)}")
            rows.append(dict(zip(header, fields)))
    if header is None:
        raise ValueError(f"{path}: no header")
    return rows


def split_forms(text):
    return [f for f in (x.strip() for x in text.split(",")) if f]


def pct(part, whole):
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


# --- 2. the hand-checked sample ---------------------------------------------------------------------

CLASSES = ("noun", "adj", "verb", "sverb")


def sample_words(rows):
    words = set()
    for r in rows:
        if r["class"] in CLASSES:
            words.update([r["token"], r["lemma"]] + split_forms(r["forms"]))
    return words


def eval_sample(rows, terms, out):
    """Share of content-word tokens whose term equals the term of their lemma and of every hand-written
    form of it, per class and half, Snowball alone vs vind."""
    out.write("\n2. Hand-checked sample (tests/data/morph-sample.tsv): token's term = term of its lemma\n"
              "   and of all the lemma's forms (share of tokens; 'lemma' column: = term of the lemma only)\n")
    out.write(f"   {'class':<22} {'half':<9} {'tokens':>6}  {'Snowball':>8} {'vind':>8}   "
              f"{'lemma S':>8} {'lemma v':>8}\n")
    groups = [("noun", ("noun",)), ("adj", ("adj",)), ("verb (weak)", ("verb",)),
              ("verb (strong/irregular)", ("sverb",)), ("verb (all)", ("verb", "sverb")),
              ("all content words", CLASSES)]
    misses = []
    summary = {}
    for name, classes in groups:
        for half in ("tune", "held-out", "both"):
            n = s_all = v_all = s_lem = v_lem = 0
            for r in rows:
                if r["class"] not in classes or (half != "both" and r["half"] != half):
                    continue
                tok = terms.get(r["token"])
                forms = [r["lemma"]] + [f for f in split_forms(r["forms"]) if f != r["lemma"]]
                ft = [terms.get(f) for f in forms]
                if tok is None or any(t is None for t in ft):
                    continue
                n += 1
                s_ok = all(t.snowball == tok.snowball for t in ft)
                v_ok = all(t.vind == tok.vind for t in ft)
                s_all += s_ok
                v_all += v_ok
                s_lem += ft[0].snowball == tok.snowball
                v_lem += ft[0].vind == tok.vind
                if half == "tune" and name in ("noun", "adj", "verb (weak)", "verb (strong/irregular)") \
                        and not v_ok:
                    odd = sorted({f"{f}={t.vind}" for f, t in zip(forms, ft) if t.vind != tok.vind})
                    misses.append(f"{r['token']}={tok.vind} [{r['lemma']}] vs {' '.join(odd)}")
            out.write(f"   {name:<22} {half:<9} {n:>6}  {pct(s_all, n):>8} {pct(v_all, n):>8}   "
                      f"{pct(s_lem, n):>8} {pct(v_lem, n):>8}\n")
            summary[(name, half)] = (n, s_all, v_all)
    out.write(f"   vind misses on the tune half ({len(misses)}; the held-out half is not listed):\n")
    for m in misses:
        out.write(f"     {m}\n")
    return summary


# --- 3. compound split points -----------------------------------------------------------------------

def gold_points(parts):
    points, pos = set(), 0
    for piece in parts.split("+")[:-1]:
        pos += len(piece)
        points.add(pos)
    return points


def _undoubled(word):
    """The word with double vowels made single (Snowball's "jaar" -> "jar"), and for each of its
    letters the index of that letter in the word."""
    letters, index = [], []
    for i, c in enumerate(word):
        if letters and c in "aeou" and c == letters[-1] and index[-1] == i - 1:
            continue
        letters.append(c)
        index.append(i)
    return "".join(letters), index


def vind_points(word, extra):
    """Where vind's compound parts start inside the word (its split points). The first part starts
    the word; each further part is looked for after the one before it. Parts are stemmed terms
    ("kantor" of "zorgkantoren", "jar" of "bestuursjaar"), so a part is also looked for in the word
    with double vowels made single, and shortened by up to two letters at its end."""
    parts = [p for p in extra if len(p) < len(word) - 1]  # not the joined whole of a hyphenated word
    single, index = _undoubled(word)
    points, after = set(), 1
    for part in parts[1:]:
        found = None
        for cut in range(0, 3):
            probe = part[:len(part) - cut]
            if len(probe) < 3:
                break
            p = word.find(probe, after)
            if p < 0:
                q = single.find(probe, next((k for k, i in enumerate(index) if i >= after), len(single)))
                p = index[q] if q >= 0 else -1
            if p > 0:
                found = p
                break
        if found is not None:
            points.add(found)
            after = found + 1
    return points


def eval_compounds(rows, terms, out):
    out.write("\n3. Compound split points (tests/data/compound-splits.tsv), vind's compound parts\n")
    out.write(f"   {'compounds':<10} {'half':<9} {'words':>5} {'gold':>5} {'vind':>5} {'right':>5}  "
              f"{'precision':>9} {'recall':>7} {'words exact':>11}\n")
    summary, wrong = {}, []
    for kind in ("known", "unknown", "all"):
        for half in ("tune", "held-out", "both"):
            n = g = v = right = exact = 0
            for r in rows:
                if (kind != "all" and r["known"] != kind) or (half != "both" and r["half"] != half):
                    continue
                t = terms.get(r["word"])
                gp = gold_points(r["parts"])
                vp = vind_points(r["word"], t.extra if t else [])
                n += 1
                g += len(gp)
                v += len(vp)
                right += len(gp & vp)
                exact += gp == vp
                if kind == "all" and half == "tune" and gp != vp:
                    wrong.append(f"{r['parts']} -> {' + '.join(t.extra) if t and t.extra else '(whole)'}")
            out.write(f"   {kind:<10} {half:<9} {n:>5} {g:>5} {v:>5} {right:>5}  {pct(right, v):>9} "
                      f"{pct(right, g):>7} {pct(exact, n):>11}\n")
            summary[(kind, half)] = (n, g, v, right)
    out.write(f"   differences on the tune half ({len(wrong)}; held-out not listed): " + "; ".join(wrong) + "\n")
    return summary


# --- 1. wrong merges --------------------------------------------------------------------------------

# Suffixes that keep a word in its family: inflection (-e, -en, -n, -s, -t, -d, -te, -de, -st) and
# the common derivations (-heid, -heden, -ing, -lijk, -baar, -ig, -isch with their -e forms).
FAMILY_SUFFIXES = ("heden", "heid", "ingen", "ing", "lijke", "lijk", "bare", "baar", "ige", "ig",
                   "ische", "isch", "en", "st", "te", "de", "n", "e", "s", "t", "d")


def _variants(w):
    """w and its base after one derivational or inflectional suffix, with Dutch spelling undone:
    bewaking/bewaken -> bewaak, gezondheid -> gezond, lopen -> loop."""
    out = {w}
    for suffix in FAMILY_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            b = w[: -len(suffix)]
            out.add(b)
            if len(b) >= 2 and b[-1] == b[-2] and b[-1] not in "aeiou":
                out.add(b[:-1])
            if b[-1] in "vz":
                out.add(b[:-1] + {"v": "f", "z": "s"}[b[-1]])
            if len(b) >= 3 and b[-1] not in "aeiou" and b[-2] in "aeou" and b[-3] not in "aeiou":
                out.add(b[:-1] + b[-2] + b[-1])
    return out


def related(a, b):
    """Same word family by one suffix of FAMILY_SUFFIXES and the spelling rules above (stem ~
    infinitive, -ing, -heid, -e, -s): such lemmas may share a term; everything else counts as
    distinct. A heuristic that errs towards 'related' (plaat ~ plaats looks like one family), so it
    hides some real wrong merges rather than inventing them; the hand pairs are always distinct."""
    return bool(_variants(a) & _variants(b))


def wordlist_forms(path):
    forms = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and " " not in w and not w[:1].isupper():
                forms.add(fold(w))
    return forms


def hand_lemmas(sample, pairs):
    """form -> lemma from the hand-made files; they overrule the lexicon's lemma (the source judged)."""
    votes = collections.defaultdict(collections.Counter)
    for r in sample:
        if r["class"] in CLASSES:
            for f in [r["token"], r["lemma"]] + split_forms(r["forms"]):
                votes[fold(f)][fold(r["lemma"])] += 1
    for p in pairs:
        for side in ("a", "b"):
            for f in [p["lemma_" + side]] + split_forms(p["forms_" + side]):
                votes[fold(f)][fold(p["lemma_" + side])] += 1
    return {f: c.most_common(1)[0][0] for f, c in votes.items()}


def eval_merges(universe, counts, terms, hand, pairs, out):
    lemma = {f: hand.get(f, fold(terms[f].lemma)) for f in universe if f in terms}
    freq = collections.Counter()
    for f, c in counts.items():
        if f in lemma:
            freq[lemma[f]] += c
    total = sum(c for f, c in counts.items() if f in lemma)
    content = sum(c for f, c in counts.items() if f in lemma and not terms[f].stop)
    out.write("\n1. Wrong merges: distinct lemmas (not of one word family) with one term.\n"
              f"   Lemmas: the word list's forms ({len(lemma)}) with the lexicon's lemma, overruled by the hand\n"
              "   files; weight: corpus tokens (pdf text + site articles) of word-list forms, "
              f"{total} tokens.\n")
    distinct = {frozenset((fold(p["lemma_a"]), fold(p["lemma_b"]))) for p in pairs}
    result = {}
    for system in ("snowball", "vind"):
        by_term = collections.defaultdict(lambda: collections.defaultdict(set))
        for f, l in lemma.items():
            by_term[getattr(terms[f], system)][l].add(f)
        pairs_all = 0
        weighted_forms = set()
        heavy = collections.Counter()
        for term, lemmas in by_term.items():
            if len(lemmas) < 2:
                continue
            ls = sorted(lemmas)
            for i, a in enumerate(ls):
                for b in ls[i + 1:]:
                    if related(a, b) and frozenset((a, b)) not in distinct:
                        continue
                    pairs_all += 1
                    wa = sum(counts.get(f, 0) for f in lemmas[a])
                    wb = sum(counts.get(f, 0) for f in lemmas[b])
                    if wa and wb:
                        weighted_forms |= {f for f in lemmas[a] | lemmas[b] if counts.get(f)}
                        heavy[(a, b, term)] = wa + wb
        merged_tokens = sum(counts[f] for f in weighted_forms)
        merged_content = sum(counts[f] for f in weighted_forms if not terms[f].stop)
        result[system] = (pairs_all, merged_tokens, total, heavy, merged_content)
    s, v = result["snowball"], result["vind"]
    out.write(f"   {'':<44} {'Snowball':>10} {'vind':>10}\n")
    out.write(f"   {'merged lemma pairs, whole word list':<44} {s[0]:>10} {v[0]:>10}\n")
    out.write(f"   {'pairs with both lemmas in the corpus':<44} {len(s[3]):>10} {len(v[3]):>10}\n")
    out.write(f"   {'corpus tokens on a merged term':<44} {s[1]:>10} {v[1]:>10}\n")
    out.write(f"   {'weighted wrong-merge share, all tokens':<44} {pct(s[1], s[2]):>10} {pct(v[1], v[2]):>10}\n")
    out.write(f"   {'  the same, tokens of non-stop words only':<44} {pct(s[4], content):>10} "
              f"{pct(v[4], content):>10}\n")
    for system in ("snowball", "vind"):
        heavy = result[system][3]
        out.write(f"   heaviest 50 ({system}; lemma a ~ lemma b (term) corpus tokens):\n")
        line = []
        for (a, b, term), w in heavy.most_common(50):
            line.append(f"{a}~{b} ({term}) {w}")
        for i in range(0, len(line), 4):
            out.write("     " + "; ".join(line[i:i + 4]) + "\n")
    return result


def eval_hand_pairs(pairs, terms, counts, out):
    """A hand pair is merged when any form of one word gets the term of any form of the other."""
    out.write(f"\n   Hand pairs (tests/data/distinct-pairs.tsv, {len(pairs)} pairs of different words), merged by\n")
    hand_result = {}
    for system in ("snowball", "vind"):
        merged, weight, names = 0, 0, []
        for p in pairs:
            fa = [p["lemma_a"]] + split_forms(p["forms_a"])
            fb = [p["lemma_b"]] + split_forms(p["forms_b"])
            ta = {getattr(terms[fold(f)], system) for f in fa if fold(f) in terms}
            tb = {getattr(terms[fold(f)], system) for f in fb if fold(f) in terms}
            if ta & tb:
                merged += 1
                weight += sum(counts.get(fold(f), 0) for f in fa + fb)
                names.append(f"{p['lemma_a']}~{p['lemma_b']}")
        hand_result[system] = (merged, weight)
        out.write(f"     {system:<9} {merged:>3} of {len(pairs)} ({weight} corpus tokens): {' '.join(names)}\n")
    return hand_result


def eval_sample_merges(sample, terms, out):
    """Pairs of distinct lemmas of the hand sample (not one family, see related()) whose forms, as
    judged and written by hand, share a term."""
    forms = collections.defaultdict(set)
    for r in sample:
        if r["class"] in CLASSES:
            forms[fold(r["lemma"])].update(fold(f) for f in [r["token"], r["lemma"]] + split_forms(r["forms"]))
    lemmas = sorted(forms)
    out.write(f"   Sample lemmas ({len(lemmas)} distinct content-word lemmas of morph-sample.tsv), pairs merged by\n")
    for system in ("snowball", "vind"):
        t = {l: {getattr(terms[f], system) for f in forms[l] if f in terms} for l in lemmas}
        merged = [f"{a}~{b}" for i, a in enumerate(lemmas) for b in lemmas[i + 1:]
                  if t[a] & t[b] and not related(a, b)]
        out.write(f"     {system:<9} {len(merged):>3}: {' '.join(merged)}\n")


def evaluate(a, out):
    sample = read_tsv(os.path.join(a.data, "morph-sample.tsv"))
    compounds = read_tsv(os.path.join(a.data, "compound-splits.tsv"))
    pairs = read_tsv(os.path.join(a.data, "distinct-pairs.tsv"))
    have_corpus = os.path.isdir(os.path.join(a.corpus, "pdf", "text"))
    counts = corpus_counts(a.corpus) if have_corpus else collections.Counter()
    universe = wordlist_forms(a.wordlist) if a.wordlist else set()
    hand = hand_lemmas(sample, pairs)
    universe |= set(hand)
    words = set(universe) | sample_words(sample) | {r["word"] for r in compounds}
    for p in pairs:
        words.update(fold(f) for f in [p["lemma_a"], p["lemma_b"]] + split_forms(p["forms_a"] + "," + p["forms_b"]))
    terms = ask_terms(a.evalmorph, words)
    out.write("vind eval-morph, independent checks (lexicon/evalindep.py; hand-judged data in tests/data)\n")
    if universe and have_corpus:
        eval_merges(universe, counts, terms, hand, pairs, out)
    else:
        out.write("\n1. Wrong merges over the word list: skipped (needs --wordlist and the corpus)\n")
    eval_hand_pairs(pairs, terms, counts, out)
    eval_sample_merges(sample, terms, out)
    eval_sample(sample, terms, out)
    eval_compounds(compounds, terms, out)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", nargs="?", default="eval", choices=["eval", "draw-sample", "draw-compounds"])
    p.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    p.add_argument("--evalmorph")
    p.add_argument("--data", default="tests/data")
    p.add_argument("--wordlist", help="OpenTaal's word list (/usr/share/dict/dutch): the lemma universe")
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
    if not a.evalmorph:
        p.error("--evalmorph is needed")
    return evaluate(a, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
