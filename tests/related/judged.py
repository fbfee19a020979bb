#!/usr/bin/env python3
"""judged.py - the blind-judged related-links set (issue 13): sources drawn at
random from the shared corpus's site, a plain TF-IDF "more like this"
baseline, pooling without system labels, and the scores. Standard library
only.

    judged.py draw   --corpus DIR                 # tests/related/sources.tsv (seed 13)
    judged.py draw   --corpus DIR --part untouched-2 --seed 2026 --count 40
                                                  # appends a part drawn from the rest
    judged.py tfidf  --corpus DIR --out RUN.tsv   # the baseline's top 5 per source
    judged.py vind   --vind BIN --db DB --out RUN.tsv
    judged.py pool   --corpus DIR RUN.tsv... --out POOL.tsv --text POOL.txt
    judged.py score  --corpus DIR NAME=RUN.tsv...  # nDCG@5, first link, unrelated, shared theme
    judged.py eval   --vind BIN --db DB --corpus DIR  # `make eval`: this vind, TF-IDF, the
                                                     # recorded vind before issue 13 (first
                                                     # 45 sources), at the start of session 6
                                                     # and with the BM25 content score (main
                                                     # before the cosine, the first 125
                                                     # sources), the cosine before session
                                                     # 7's mutual check (the first 165),
                                                     # main before session 8 (the first 205),
                                                     # before session 9 (the first 245),
                                                     # before session 10 (the first 285)
                                                     # before session 11 (the first 325)
                                                     # before session 18 (the first 365)
                                                     # before session 19 (the first 405)
                                                     # and before session 20 (all 445)

A run file is TSV: source url, rank (1-5), candidate url. The judgements
(tests/related/judgements.tsv) are TSV: source url, candidate url, grade
0-2, a few words why. `pool` writes only the pairs not judged yet, shuffled
with a fixed seed and without saying which system proposed them.
"""
import argparse
import csv
import html
import math
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import eval_related  # noqa: E402  (front matter reading, shared with `make eval`)

SOURCES = os.path.join(HERE, "sources.tsv")
JUDGEMENTS = os.path.join(HERE, "judgements.tsv")
SEED = 13          # the number: fixed, so the draw can be repeated
N_SOURCES = 45
N_TUNE = 25        # the first 25 drawn are the tuning part, the other 20 are never tuned on
DEPTH = 5


# ---------------------------------------------------------------- corpus

def article_paths(corpus):
    root = os.path.join(corpus, "site-src", "content", "actueel")
    return {"/actueel/%s/" % slug: os.path.join(root, slug, "index.md")
            for slug in sorted(os.listdir(root))
            if os.path.isfile(os.path.join(root, slug, "index.md"))}


def split_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            return text[4:end], text[end + 4:]
    return "", text


def plain(markdown):
    """Markdown/HTML body -> plain text (links keep their words, not their URLs)."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"[#*_>`|]+", " ", text)
    return " ".join(html.unescape(text).split())


def documents(corpus):
    """url -> (title, plain text) of every article (Markdown source) and PDF (pdftotext)."""
    docs = {}
    for url, path in article_paths(corpus).items():
        with open(path, encoding="utf-8") as f:
            front, body = split_front_matter(f.read())
        match = re.search(r"^title:\s*(.*)$", front, flags=re.M)
        title = match.group(1).strip().strip("'\"") if match else url
        docs[url] = (title, plain(body))
    text_dir = os.path.join(corpus, "pdf", "text")
    for name in sorted(os.listdir(text_dir)):
        if name.endswith(".pdf.txt"):
            with open(os.path.join(text_dir, name), encoding="utf-8", errors="replace") as f:
                text = " ".join(f.read().split())
            docs["/" + name[:-4]] = (name[:-4], text)
    return docs


# ---------------------------------------------------------------- draw

def cmd_draw(args):
    """Without --part: the first draw (seed 13, 45 sources, 25 tuned + 20
    untouched), rewriting sources.tsv. With --part NAME --seed S --count K:
    appends K more sources drawn by random.Random(S) from the articles not
    drawn yet, as a part of their own (session 6: "untouched-2", 40 sources,
    seed 2026; session 7: "untouched-4", seed 20261206; session 8: "untouched-5", seed
    20261207; session 9: "untouched-6", seed 20261209; session 10: "untouched-7", seed
    20261210; session 11: "untouched-8", seed 20261211; session 18: "untouched-9", seed
    20261218; session 19: "untouched-10", seed 20261219;
    session 20: "untouched-11", seed 20261220), so the earlier parts and their
    judgements stay as they are."""
    urls = sorted(article_paths(args.corpus))
    if args.part:
        return append_part(urls, args.part, args.seed, args.count)
    drawn = random.Random(SEED).sample(urls, N_SOURCES)
    with open(SOURCES, "w", encoding="utf-8") as f:
        f.write("# %d articles drawn by random.Random(%d).sample(sorted article URLs, %d);\n"
                % (N_SOURCES, SEED, N_SOURCES))
        f.write("# the first %d are the tuning part, the rest are never tuned on.\n" % N_TUNE)
        for i, url in enumerate(drawn):
            f.write("%s\t%s\n" % (url, "tune" if i < N_TUNE else "untouched"))


def append_part(urls, part, seed, count):
    sources = read_sources()
    if any(p == part for _, p in sources):
        sys.exit("draw: the part %s is drawn already" % part)
    taken = {s for s, _ in sources}
    rest = [u for u in urls if u not in taken]
    drawn = random.Random(seed).sample(rest, count)
    with open(SOURCES, "a", encoding="utf-8") as f:
        f.write("# %d more articles, the part %s: random.Random(%d).sample(sorted article URLs not\n"
                "# drawn above, %d); never tuned on.\n" % (count, part, seed, count))
        for url in drawn:
            f.write("%s\t%s\n" % (url, part))


def read_sources():
    with open(SOURCES, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f if not line.startswith("#")]


# ---------------------------------------------------------------- runs

def write_run(path, run):
    with open(path, "w", encoding="utf-8") as f:
        for source, urls in run.items():
            for rank, url in enumerate(urls, 1):
                f.write("%s\t%d\t%s\n" % (source, rank, url))


def read_run(path):
    run = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            source, rank, url = line.rstrip("\n").split("\t")
            run.setdefault(source, []).append((int(rank), url))
    return {s: [u for _, u in sorted(v)][:DEPTH] for s, v in run.items()}


def stopwords():
    words = set()
    for name in ("nl.txt", "en.txt"):
        with open(os.path.join(TOP, "stopwords", name), encoding="utf-8") as f:
            words.update(w.strip().lower() for w in f if w.strip() and not w.startswith("#"))
    return words


def tfidf_vectors(docs):
    """Plain TF-IDF "more like this": lower-cased words of title and text, no
    stemming, no themes or tags; (1 + log tf) * log(N / df), unit length."""
    stop = stopwords()
    counts = {}
    for url, (title, text) in docs.items():
        bag = {}
        for word in re.findall(r"[^\W\d_]{2,}", (title + " " + text).lower()):
            if word not in stop:
                bag[word] = bag.get(word, 0) + 1
        counts[url] = bag
    df = {}
    for bag in counts.values():
        for word in bag:
            df[word] = df.get(word, 0) + 1
    n = len(counts)
    vectors = {}
    for url, bag in counts.items():
        vec = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[url] = {w: v / norm for w, v in vec.items()}
    return vectors


def cmd_tfidf(args):
    docs = documents(args.corpus)
    vectors = tfidf_vectors(docs)
    run = {}
    for source, _ in read_sources():
        mine = vectors[source]
        scores = []
        for url, vec in vectors.items():
            if url == source:
                continue
            small, large = (vec, mine) if len(vec) < len(mine) else (mine, vec)
            s = sum(v * large.get(w, 0.0) for w, v in small.items())
            scores.append((-s, url))
        run[source] = [url for _, url in sorted(scores)[:DEPTH]]
    write_run(args.out, run)


def cmd_vind(args):
    import json
    run = {}
    for source, _ in read_sources():
        out = subprocess.run([args.vind, "related", "--db", args.db, "--url", source,
                              "--format", "json", "--limit", str(DEPTH)] + args.extra,
                             stdout=subprocess.PIPE)
        if out.returncode not in (0, 1):  # 1: nothing related (an empty list, as JSON)
            sys.exit("vind related --url %s: exit status %d" % (source, out.returncode))
        run[source] = [item["url"] for item in json.loads(out.stdout)["related"]]
    write_run(args.out, run)


# ---------------------------------------------------------------- judging

def read_judgements():
    grades = {}
    if os.path.exists(JUDGEMENTS):
        with open(JUDGEMENTS, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t"):
                if row and not row[0].startswith("#"):
                    grades[(row[0], row[1])] = int(row[2])
    return grades


def excerpt(docs, url, chars):
    title, text = docs.get(url, (url, ""))
    return title, text[:chars]


def cmd_pool(args):
    judged = read_judgements()
    pairs = set()
    for path in args.runs:
        for source, urls in read_run(path).items():
            pairs.update((source, url) for url in urls if (source, url) not in judged)
    pairs = sorted(pairs)
    random.Random(SEED).shuffle(pairs)
    pairs.sort(key=lambda p: p[0])  # stable: grouped by source, shuffled within
    docs = documents(args.corpus)
    with open(args.out, "w", encoding="utf-8") as f:
        for source, url in pairs:
            f.write("%s\t%s\n" % (source, url))
    with open(args.text, "w", encoding="utf-8") as f:
        last = None
        for source, url in pairs:
            if source != last:
                title, text = excerpt(docs, source, 700)
                f.write("\n######## SOURCE %s\n# %s\n# %s\n" % (source, title, text))
                last = source
            title, text = excerpt(docs, url, 350)
            f.write("-- %s\n   %s | %s\n" % (url, title, text))
    print("pool: %d pairs not judged yet" % len(pairs))


# ---------------------------------------------------------------- scores

def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def score_run(run, sources, grades, truth):
    ndcg = []
    first2 = first1 = unrelated = links = unjudged = shared = tax_links = 0
    for source in sources:
        urls = run.get(source, [])
        gains = []
        for url in urls:
            grade = grades.get((source, url))
            if grade is None:
                unjudged += 1
                grade = 0
            gains.append(grade)
        ideal = sorted((g for (s, _), g in grades.items() if s == source), reverse=True)[:DEPTH]
        ndcg.append(dcg(gains) / dcg(ideal) if dcg(ideal) > 0 else 0.0)
        first2 += bool(gains) and gains[0] == 2
        first1 += bool(gains) and gains[0] >= 1
        unrelated += sum(1 for g in gains if g == 0)
        links += len(gains)
        own = truth.get(source)
        if own:
            tax_links += len(urls)
            shared += sum(1 for url in urls if own & truth.get(url, set()))
    n = len(sources)
    return {"ndcg": sum(ndcg) / n, "first": first2 / n, "first1": first1 / n, "unrelated": unrelated, "links": links,
            "unjudged": unjudged, "shared": shared / tax_links if tax_links else 0.0}


def cmd_score(args):
    grades = read_judgements()
    truth = eval_related.ground_truth(args.corpus)
    sources = read_sources()
    names = []
    for _, p in sources:
        if p not in names:
            names.append(p)
    parts = [("%s (%d)" % ("tuned" if p == "tune" else p, sum(q == p for _, q in sources)), p)
             for p in names] + [("all (%d)" % len(sources), None)]
    print("%-8s %-15s %7s %8s %8s %13s %12s %9s" % ("system", "sources", "nDCG@5", "first=2",
                                                     "first>0", "unrelated", "share theme",
                                                     "unjudged"))
    failed = False
    for spec in args.runs:
        name, _, path = spec.partition("=")
        run = read_run(path)
        for label, part in parts:
            chosen = [s for s, p in sources if part is None or p == part]
            if not any(s in run for s in chosen) or (part is None and len(run) < len(chosen)):
                continue  # a run recorded before this part was drawn
            r = score_run(run, chosen, grades, truth)
            failed |= r["unjudged"] > 0 and args.strict
            print("%-8s %-15s %7.3f %7.0f%% %7.0f%% %6d of %-4d %11.1f%% %9d"
                  % (name, label, r["ndcg"], 100 * r["first"], 100 * r["first1"], r["unrelated"],
                     r["links"], 100 * r["shared"], r["unjudged"]))
    return 1 if failed else 0


def cmd_eval(args):
    """What `make eval` prints: today's vind, the TF-IDF baseline computed now and
    the recorded run of vind before issue 13, scored on the judgements."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        args.out = os.path.join(tmp, "vind.tsv")
        cmd_vind(args)
        mine = args.out
        args.out = os.path.join(tmp, "tfidf.tsv")
        cmd_tfidf(args)
        args.runs = ["before=" + os.path.join(HERE, "runs", "before.tsv"),
                     "s6start=" + os.path.join(HERE, "runs", "s6-before.tsv"),
                     "s6bm25=" + os.path.join(HERE, "runs", "s6-rel-after.tsv"),
                     "s7before=" + os.path.join(HERE, "runs", "s7-before.tsv"),
                     "s8before=" + os.path.join(HERE, "runs", "s8-before.tsv"),
                     "s9before=" + os.path.join(HERE, "runs", "s9-before.tsv"),
                     "s10main=" + os.path.join(HERE, "runs", "s10-before.tsv"),
                     "s11main=" + os.path.join(HERE, "runs", "s11-before.tsv"),
                     "s18main=" + os.path.join(HERE, "runs", "s18-before.tsv"),
                     "s19main=" + os.path.join(HERE, "runs", "s19-before.tsv"),
                     "s20main=" + os.path.join(HERE, "runs", "s20-before.tsv"),
                     "tfidf=" + args.out, "vind=" + mine]
        status = cmd_score(args)
        unjudged = set()
        for source, urls in read_run(mine).items():
            unjudged.update((source, url) for url in urls if (source, url) not in read_judgements())
        if unjudged:
            print("related: %d links of this vind are not judged yet (scored as unrelated): pool "
                  "them with `judged.py pool` and judge them blind" % len(unjudged))
        return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["draw", "tfidf", "vind", "pool", "score", "eval"])
    parser.add_argument("runs", nargs="*")
    parser.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    parser.add_argument("--vind", default="build/bin/vind")
    parser.add_argument("--db")
    parser.add_argument("--out")
    parser.add_argument("--text")
    parser.add_argument("--part", help="draw: append a new part of this name")
    parser.add_argument("--seed", type=int, default=SEED, help="draw --part: the seed")
    parser.add_argument("--count", type=int, default=40, help="draw --part: how many")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a link is unjudged")
    parser.add_argument("--extra", action="append", default=[],
                        help="vind: one more argument for `vind related` (repeatable)")
    args = parser.parse_intermixed_args()
    return {"draw": cmd_draw, "tfidf": cmd_tfidf, "vind": cmd_vind, "pool": cmd_pool,
            "score": cmd_score, "eval": cmd_eval}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
