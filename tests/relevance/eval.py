#!/usr/bin/env python3
"""eval.py - scores vind's ranking against the judged Dutch query set (queries.tsv).

For every judged query it takes the top 10 URLs, either by running
`vind search --db DB --format jsonl --limit 10 QUERY` or from a run file, and
computes nDCG@10, the reciprocal rank of the first document graded >= 2 (MRR
when averaged) and recall@10 of the documents graded >= 1. It prints one row per
query, the means per query kind and the overall means; --json writes the same.

It scores every query twice: per document, as judged, and with each group of
near-duplicates one answer (docs/ranking.md, "Measuring a collapsed list"): the
judged set grades every version of a report, and a collapsed list shows one
version with "N vergelijkbare documenten". The groups are the index's own
(`vind search` reports a group under its head, `--similar GROUP` lists it); a
run file is scored with the groups of --groups (a JSON file written by --json).

    python3 tests/relevance/eval.py --vind build/bin/vind --db DB [--json OUT] [--save-run RUN.tsv]
    python3 tests/relevance/eval.py --run-file RUN.tsv [--groups OUT.json] [--json OUT]
    python3 tests/relevance/eval.py --check [--corpus ../shared/corpus]

A run file is TSV: query id, rank (1-based), url; '#' lines and a header are
skipped. Unjudged documents count as not relevant. Python standard library only.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_QRELS = os.path.join(HERE, "queries.tsv")
CUTOFF = 10
# Grades: 3 = the answer, 2 = highly relevant, 1 = relevant (docs/relevance.md).
MRR_MIN_GRADE = 2
RECALL_MIN_GRADE = 1
MAX_JUDGED_PER_QUERY = 15
# How deep the group look-up reads each judged query's collapsed list: deeper than the cut-off, so
# that a version another build ranks in its top 10 is known as a member of its group too.
GROUP_LOOKUP_DEPTH = 100
COLUMNS = ["query_id", "query", "url", "grade", "kind", "why"]


class EvalError(Exception):
    pass


def normalise_url(url):
    """Compares URLs by path: '/actueel/x/', 'https://host/actueel/x/index.html'
    and '/actueel/x' are the same page; percent-escapes are decoded."""
    parts = urllib.parse.urlsplit(url.strip())
    path = urllib.parse.unquote(parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if not path.endswith("/") and not os.path.splitext(path)[1]:
        path += "/"
    return path


def load_qrels(path):
    """Returns an ordered dict: query id -> {"query", "kind", "judgments": {url: grade}, "why"}."""
    queries = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header_seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if fields[: len(COLUMNS)] != COLUMNS:
                raise EvalError(f"{path}:{number}: header must be {' '.join(COLUMNS)}")
            header_seen = True
            continue
        if len(fields) < 4:
            raise EvalError(f"{path}:{number}: needs at least query_id, query, url, grade")
        fields += [""] * (len(COLUMNS) - len(fields))
        qid, text, url, grade, kind, why = fields[: len(COLUMNS)]
        try:
            grade = int(grade)
        except ValueError:
            raise EvalError(f"{path}:{number}: grade '{grade}' is not a number") from None
        if grade not in (1, 2, 3):
            raise EvalError(f"{path}:{number}: grade {grade} is not 1, 2 or 3")
        entry = queries.setdefault(qid, {"query": text, "kind": kind, "judgments": {}, "why": ""})
        if entry["query"] != text:
            raise EvalError(f"{path}:{number}: {qid} has two texts: '{entry['query']}' and '{text}'")
        if kind and entry["kind"] and kind != entry["kind"]:
            raise EvalError(f"{path}:{number}: {qid} has two kinds: {entry['kind']} and {kind}")
        entry["kind"] = entry["kind"] or kind
        key = normalise_url(url)
        if key in entry["judgments"]:
            raise EvalError(f"{path}:{number}: {qid} judges {key} twice")
        entry["judgments"][key] = grade
        if grade == 3 and why:
            entry["why"] = why
    if not header_seen:
        raise EvalError(f"{path}: empty, no header")
    for qid, entry in queries.items():
        count = len(entry["judgments"])
        if count > MAX_JUDGED_PER_QUERY:
            raise EvalError(f"{path}: {qid} judges {count} URLs, at most {MAX_JUDGED_PER_QUERY}")
    return queries


def dcg(gains):
    # Exponential gain: a grade-3 answer (7) is worth more than two grade-2 documents (3 + 3).
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def score_query(judgments, ranking, cutoff=CUTOFF):
    """nDCG@cutoff, reciprocal rank (grade >= 2), recall@cutoff (grade >= 1) for one query.
    A URL returned twice counts once, at its first rank."""
    seen = []
    for url in ranking:
        key = normalise_url(url)
        if key not in seen:
            seen.append(key)
    top = seen[:cutoff]
    gains = [judgments.get(url, 0) for url in top]
    ideal = sorted(judgments.values(), reverse=True)[:cutoff]
    ideal_dcg = dcg(ideal)
    ndcg = dcg(gains) / ideal_dcg if ideal_dcg > 0 else 0.0
    first = next((i + 1 for i, g in enumerate(gains) if g >= MRR_MIN_GRADE), None)
    relevant = [u for u, g in judgments.items() if g >= RECALL_MIN_GRADE]
    found = sum(1 for u in top if judgments.get(u, 0) >= RECALL_MIN_GRADE)
    recall = found / len(relevant) if relevant else 0.0
    return {
        "ndcg": ndcg,
        "rr": 1.0 / first if first else 0.0,
        "recall": recall,
        "first_relevant_rank": first,
        "returned": len(top),
    }


def read_run_file(path):
    """query id -> list of URLs in rank order."""
    rows = {}
    first = True
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise EvalError(f"{path}:{number}: needs query id, rank, url")
            try:
                rank = int(fields[1])
            except ValueError:
                if first:
                    first = False
                    continue  # a header line
                raise EvalError(f"{path}:{number}: rank '{fields[1]}' is not a number") from None
            first = False
            rows.setdefault(fields[0], []).append((rank, fields[2]))
    return {qid: [url for _, url in sorted(pairs, key=lambda p: p[0])] for qid, pairs in rows.items()}


def vind_hits(vind, db, query, timeout, limit=CUTOFF, extra=()):
    """Runs one search and returns its hits (JSON objects) in rank order. Exit status 1 is "nothing
    found" (or a partial failure: whatever was printed still counts); any other non-zero status is
    an error."""
    command = [vind, "search", "--db", db, "--format", "jsonl", "--limit", str(limit), *extra, query]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise EvalError(f"cannot run {vind}: no such program") from None
    except subprocess.TimeoutExpired:
        raise EvalError(f"{vind} search '{query}' took more than {timeout} s") from None
    out = done.stdout.decode("utf-8", errors="replace")
    if done.returncode not in (0, 1):
        err = done.stderr.decode("utf-8", errors="replace").strip()
        raise EvalError(f"{vind} search '{query}' exited {done.returncode}: {err}")
    hits = []
    for number, line in enumerate(out.split("\n"), 1):
        if not line.strip():
            continue
        try:
            hit = json.loads(line)
        except json.JSONDecodeError as e:
            raise EvalError(f"{vind} search '{query}': line {number} is not JSON ({e}): {line[:80]}") from None
        if isinstance(hit, dict) and isinstance(hit.get("url"), str):
            hits.append(hit)
    return hits


def run_vind(vind, db, query, timeout):
    """The URLs of one search's top 10 in rank order."""
    return [hit["url"] for hit in vind_hits(vind, db, query, timeout)]


def group_map(vind, db, queries, timeout):
    """URL -> group key of every member of a group of near-duplicates that a judged query meets in
    its collapsed list (GROUP_LOOKUP_DEPTH deep). One `--similar` search per group."""
    groups = {}
    for entry in queries.values():
        for hit in vind_hits(vind, db, entry["query"], timeout, GROUP_LOOKUP_DEPTH):
            key = hit.get("group")
            if isinstance(key, str) and key and key not in groups.values():
                for member in vind_hits(vind, db, entry["query"], timeout, GROUP_LOOKUP_DEPTH,
                                        ("--similar", key, "--")):
                    groups[normalise_url(member["url"])] = key
    return groups


def as_groups(judgments, ranking, groups):
    """Judgments and ranking with each group one answer: the group's grade is the best of its
    members, a member listed after another of its group gains nothing (it stays in the list, as a
    place taken), and the ideal list holds each group once. A group is named as a path
    ("/group:KEY/") because score_query compares normalised URLs."""
    def key_of(url):
        url = normalise_url(url)
        return "/group:%s/" % groups[url] if url in groups else url

    grouped = {}
    for url, grade in judgments.items():
        key = key_of(url)
        grouped[key] = max(grouped.get(key, 0), grade)
    listed, seen = [], set()
    for i, url in enumerate(ranking):
        key = key_of(url)
        listed.append(key if key not in seen else "/again:%d/" % i)
        seen.add(key)
    return grouped, listed


def evaluate_grouped(queries, rankings, groups):
    """evaluate() with each group of near-duplicates one answer (as_groups)."""
    grouped_queries, grouped_rankings = {}, {}
    for qid, entry in queries.items():
        judgments, grouped_rankings[qid] = as_groups(entry["judgments"], rankings.get(qid, []), groups)
        grouped_queries[qid] = dict(entry, judgments=judgments)
    return evaluate(grouped_queries, grouped_rankings)


def read_groups(path):
    """A group map from a --json file of an earlier run (its "groups"), or a plain {url: group}."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    groups = data.get("groups", data) if isinstance(data, dict) else None
    if not isinstance(groups, dict) or not all(isinstance(v, str) for v in groups.values()):
        raise EvalError(f"{path}: no group map (url -> group key)")
    return {normalise_url(url): key for url, key in groups.items()}


def write_run_file(path, rankings):
    with open(path, "w", encoding="utf-8") as f:
        f.write("query_id\trank\turl\n")
        for qid, urls in rankings.items():
            for rank, url in enumerate(urls, 1):
                f.write(f"{qid}\t{rank}\t{normalise_url(url)}\n")


def mean(values):
    return sum(values) / len(values) if values else 0.0


def evaluate(queries, rankings):
    per_query = []
    for qid, entry in queries.items():
        scores = score_query(entry["judgments"], rankings.get(qid, []))
        scores.update({"id": qid, "query": entry["query"], "kind": entry["kind"],
                       "judged": len(entry["judgments"])})
        per_query.append(scores)
    kinds = {}
    for row in per_query:
        kinds.setdefault(row["kind"] or "-", []).append(row)

    def summary(rows):
        return {"queries": len(rows),
                "ndcg@10": mean([r["ndcg"] for r in rows]),
                "mrr": mean([r["rr"] for r in rows]),
                "recall@10": mean([r["recall"] for r in rows])}

    # Query ids starting with "h" are held out: nobody tunes on them (docs/relevance.md).
    halves = {"tuned": [r for r in per_query if not r["id"].startswith("h")],
              "held-out": [r for r in per_query if r["id"].startswith("h")]}
    return {"per_query": per_query,
            "per_kind": {k: summary(v) for k, v in sorted(kinds.items())},
            "per_half": {k: summary(v) for k, v in halves.items() if v},
            "mean": summary(per_query)}


def print_report(result, out):
    out.write(f"{'id':<5} {'nDCG@10':>7} {'RR':>5} {'R@10':>5} {'1st':>3}  {'kind':<11} query\n")
    for r in result["per_query"]:
        first = str(r["first_relevant_rank"]) if r["first_relevant_rank"] else "-"
        out.write(f"{r['id']:<5} {r['ndcg']:7.3f} {r['rr']:5.2f} {r['recall']:5.2f} {first:>3}  "
                  f"{r['kind']:<11} {r['query']}\n")
    out.write("\nper kind:\n")
    for kind, s in result["per_kind"].items():
        out.write(f"  {kind:<11} n={s['queries']:<3} nDCG@10 {s['ndcg@10']:.3f}  MRR {s['mrr']:.3f}  "
                  f"R@10 {s['recall@10']:.3f}\n")
    for half, s in result.get("per_half", {}).items():
        out.write(f"  {half + ' ids':<16} n={s['queries']:<3} nDCG@10 {s['ndcg@10']:.3f}  MRR {s['mrr']:.3f}  "
                  f"R@10 {s['recall@10']:.3f}\n")
    m = result["mean"]
    out.write(f"\nmean over {m['queries']} queries: nDCG@10 {m['ndcg@10']:.4f}  MRR {m['mrr']:.4f}  "
              f"recall@10 {m['recall@10']:.4f}\n")


def print_grouped(result, grouped, groups, out):
    """The per-kind means side by side: per document (as judged) and a group one answer."""
    out.write(f"\na group of near-duplicates one answer ({len(set(groups.values()))} groups, "
              f"{len(groups)} documents met by the judged queries; docs/ranking.md):\n")
    out.write(f"  {'':<16} {'':<5} {'nDCG@10':>8} {'grouped':>8}   {'MRR':>6} {'grouped':>8}\n")
    rows = [(kind, s, grouped["per_kind"][kind]) for kind, s in result["per_kind"].items()]
    rows += [(half + " ids", s, grouped["per_half"][half]) for half, s in result["per_half"].items()]
    rows.append(("mean", result["mean"], grouped["mean"]))
    for name, plain, group in rows:
        out.write(f"  {name:<16} n={plain['queries']:<3} {plain['ndcg@10']:8.4f} {group['ndcg@10']:8.4f}   "
                  f"{plain['mrr']:6.4f} {group['mrr']:8.4f}\n")


def corpus_path(corpus, url):
    """Where the judged URL lives in the shared corpus (vind-index --base-url / site pdf)."""
    if url.startswith("/actueel/") and url.endswith("/"):
        return os.path.join(corpus, "site", url.strip("/"), "index.html")
    if url.endswith(".pdf"):
        inside_site = os.path.join(corpus, "site", url.lstrip("/"))
        return inside_site if url.count("/") > 1 else os.path.join(corpus, "pdf", url.lstrip("/"))
    return None


def check(queries, corpus, out):
    """Validates the query set; returns the number of problems found."""
    problems = 0
    pairs = sum(len(e["judgments"]) for e in queries.values())
    for qid, entry in queries.items():
        grades = entry["judgments"].values()
        if 3 not in grades and 2 not in grades:
            out.write(f"{qid}: no document graded 2 or 3, MRR is always 0\n")
            problems += 1
        if not entry["kind"]:
            out.write(f"{qid}: no kind\n")
            problems += 1
        if 3 in grades and not entry["why"]:
            out.write(f"{qid}: the grade-3 row says not why it is the answer\n")
            problems += 1
        if corpus:
            for url in entry["judgments"]:
                path = corpus_path(corpus, url)
                if not path or not os.path.isfile(path):
                    out.write(f"{qid}: {url} is not a document of the corpus\n")
                    problems += 1
    out.write(f"{len(queries)} queries, {pairs} judged pairs, {problems} problems\n")
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(description="nDCG@10, MRR and recall@10 of vind over the judged queries")
    p.add_argument("--qrels", default=DEFAULT_QRELS, help="judged queries (default: queries.tsv here)")
    p.add_argument("--vind", help="the vind program (runs `vind search` per query)")
    p.add_argument("--db", help="the index to search")
    p.add_argument("--run-file", help="TSV query id, rank, url instead of running vind")
    p.add_argument("--json", help="also write the results as JSON to this file")
    p.add_argument("--save-run", help="also write the rankings as a run file (query id, rank, url)")
    p.add_argument("--groups", help="the groups of near-duplicates of this --json file (default: the index's; "
                   "none with --run-file)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per search")
    p.add_argument("--check", action="store_true", help="validate the query set and stop")
    p.add_argument("--corpus", help="with --check: verify every judged URL exists in this corpus")
    args = p.parse_args(argv)
    try:
        queries = load_qrels(args.qrels)
        if args.check:
            return 1 if check(queries, args.corpus, sys.stdout) else 0
        if args.run_file:
            rankings = read_run_file(args.run_file)
            unknown = sorted(set(rankings) - set(queries))
            if unknown:
                sys.stderr.write(f"eval: ignoring unjudged query ids in the run file: {' '.join(unknown)}\n")
            groups = read_groups(args.groups) if args.groups else {}
        elif args.vind and args.db:
            rankings = {qid: run_vind(args.vind, args.db, e["query"], args.timeout)
                        for qid, e in queries.items()}
            groups = (read_groups(args.groups) if args.groups
                      else group_map(args.vind, args.db, queries, args.timeout))
        else:
            p.error("give --vind and --db, or --run-file, or --check")
        result = evaluate(queries, rankings)
        print_report(result, sys.stdout)
        grouped = evaluate_grouped(queries, rankings, groups)
        print_grouped(result, grouped, groups, sys.stdout)
        result["grouped"] = grouped
        result["groups"] = groups
        if args.save_run:
            write_run_file(args.save_run, rankings)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(result, f, ensure_ascii=False, indent=1)
                f.write("\n")
        return 0
    except (EvalError, OSError) as e:
        sys.stderr.write(f"eval: {e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
