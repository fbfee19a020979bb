#!/usr/bin/env python3
"""eval_groups.py - the judged set with near-duplicates as one answer, collapsed and not (docs/ranking.md).

`make eval` (eval.py) already scores every list both ways: per document and with each group of
near-duplicates one answer (the indexer's groups, read from `vind search --similar`). This runs the
judged queries once more with --no-collapse, so that collapsing itself is measured: the same groups,
the lists with and without it.

    python3 tests/relevance/eval_groups.py --vind build/bin/vind --db DB
Standard library only.
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as judged  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--vind", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--qrels", default=judged.DEFAULT_QRELS)
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()
    queries = judged.load_qrels(args.qrels)
    groups = judged.group_map(args.vind, args.db, queries, args.timeout)
    print("groups met by the judged queries: %d (%d documents)" % (len(set(groups.values())), len(groups)))
    for name, extra in (("collapsed", ()), ("not collapsed", ("--no-collapse",))):
        rankings = {qid: [hit["url"] for hit in judged.vind_hits(args.vind, args.db, entry["query"],
                                                                 args.timeout, extra=extra)]
                    for qid, entry in queries.items()}
        print("\n%s, a group one answer:" % name)
        judged.print_report(judged.evaluate_grouped(queries, rankings, groups), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
