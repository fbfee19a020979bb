#!/usr/bin/env python3
"""evalpairs.py - vind's English terms against hand-judged pairs of words that
Snowball's English stemmer joins (tests/english/snowball-pairs-sample.tsv):
how many pairs vind joins (one term) and how many of those the judgement
says to join. Snowball alone joins every pair, so its precision is the share
of "join" judgements. Usage: evalpairs.py VIND DATADIR PAIRS.tsv
"""
import json
import subprocess
import sys


def terms(vind, datadir, words):
    out = subprocess.run([vind, "analyze", "--lang", "en", "--format", "json", "--datadir", datadir],
                         input="\n".join(words).encode("utf-8"), stdout=subprocess.PIPE,
                         check=True).stdout
    return {t["form"]: t["stem"] for t in json.loads(out)["tokens"]}


def main(vind, datadir, pairs_path):
    pairs = [line.rstrip("\n").split("\t") for line in open(pairs_path, encoding="utf-8")
             if line.strip() and not line.startswith("#")]
    term = terms(vind, datadir, sorted({w for a, b, _ in pairs for w in (a, b)}))
    counts = {}
    for a, b, judged in pairs:
        joined = term[a] == term[b]
        counts[judged, joined] = counts.get((judged, joined), 0) + 1
        if (judged == "join") != joined:
            print("%-6s %s/%s: %s, %s" % ("missed" if joined is False else "wrong", a, b,
                                          term[a], term[b]))
    right = counts.get(("join", True), 0)
    joined = right + counts.get(("apart", True), 0)
    should = right + counts.get(("join", False), 0)
    print("pairs %d: joined %d, of them right %d (precision %.3f); judged join %d, joined %d "
          "(recall %.3f); Snowball alone: precision %.3f, recall 1.000"
          % (len(pairs), joined, right, right / joined if joined else 0, should, right,
             right / should if should else 0, should / len(pairs)))


if __name__ == "__main__":
    main(*sys.argv[1:])
