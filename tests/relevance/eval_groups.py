#!/usr/bin/env python3
"""eval_groups.py - the judged set with near-duplicates as one answer (docs/ranking.md).

queries.tsv grades every version of a report on its own, so a list that shows one version with
"N vergelijkbare documenten" scores lower there than a list of N + 1 versions, though the reader
sees the same answers and more others. This counts a group of near-duplicates (the indexer's
groups, read from `vind search --similar`) as one answer: its grade is the best of its members, a
second member of a group already listed gains nothing, and the ideal list has each group once.
It runs the judged queries with collapsing (the default) and with --no-collapse and prints both.

    python3 tests/relevance/eval_groups.py --vind build/bin/vind --db DB
Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as judged  # noqa: E402


def hits(vind, db, query, *extra):
    command = [vind, "search", "--db", db, "--format", "jsonl", "--limit", str(judged.CUTOFF)]
    done = subprocess.run(command + list(extra) + ["--", query], capture_output=True, timeout=60)
    return [json.loads(line) for line in done.stdout.decode("utf-8", "replace").splitlines()
            if line.strip()]


def group_map(vind, db, queries):
    """URL -> group key of every member of a group some judged query collapses."""
    groups = {}
    for entry in queries.values():
        for hit in hits(vind, db, entry["query"]):
            if hit.get("group") and hit["group"] not in groups.values():
                for member in hits(vind, db, entry["query"], "--similar", hit["group"]):
                    groups[judged.normalise_url(member["url"])] = hit["group"]
    return groups


def as_groups(judgments, ranking, groups):
    """Judgments and ranking with each group one key (duplicates of a listed group gain nothing)."""
    grouped = {}
    for url, grade in judgments.items():
        key = groups.get(url, url)
        grouped[key] = max(grouped.get(key, 0), grade)
    listed, seen = [], set()
    for i, url in enumerate(ranking):
        key = groups.get(judged.normalise_url(url), judged.normalise_url(url))
        listed.append(key if key not in seen else "#again%d" % i)
        seen.add(key)
    return grouped, listed


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vind", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--qrels", default=judged.DEFAULT_QRELS)
    args = p.parse_args()
    queries = judged.load_qrels(args.qrels)
    groups = group_map(args.vind, args.db, queries)
    print("groups met by the judged queries: %d (%d documents)" % (len(set(groups.values())), len(groups)))
    for name, extra in (("collapsed", ()), ("not collapsed", ("--no-collapse",))):
        grouped = {}
        rankings = {}
        for qid, entry in queries.items():
            ranking = [h["url"] for h in hits(args.vind, args.db, entry["query"], *extra)]
            judgments, rankings[qid] = as_groups(entry["judgments"], ranking, groups)
            grouped[qid] = dict(entry, judgments=judgments)
        result = judged.evaluate(grouped, rankings)
        print("\n%s, a group one answer:" % name)
        judged.print_report(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
