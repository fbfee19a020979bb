#!/usr/bin/env python3
"""groups.py - the groups of near-duplicates of an index, read from slots 5 (URL), 9 (fingerprint) and
10 (group key) with xapian-delve (docs/schema.md, "Groups of near-duplicates"; session 15).

  groups.py list DB            the groups of two or more documents, one a line (size, then URLs)
  groups.py pairs DB BITS      every pair of fingerprints at most BITS apart, nearest first
  groups.py compare OLD NEW    the documents whose group (its members, not its key) differs
  groups.py truth DB...        of the pairs of versions the corpus's CORPUS.md names (SERIES below),
                               how many are grouped, and every other grouped pair

A group is its members: two indexes that label one group with other keys (docs/schema.md: the key
depends on the order of arrival) compare equal; bench/compare-groups.py compares the keys too.
"""
import itertools
import re
import subprocess
import sys

# The series of versions CORPUS.md names (its PDF table and notes): the ten versions of the
# CoronaMelder app audit (nine in source A, the website's of April 2022 in C), the Stichting
# Accessibility checks that are near-duplicates of each other (8147 ~ 8148, 8646 ~ 8647), the
# OpenVWS and OpenVWS Beheer audits (every version in source B's history), the factsheet and its
# older version. 52 pairs.
SERIES = [r"^/coronamelder-(website-)?toegankelijkheidsonderzoek-",
          r"^/coronamelder-stichting-accessibility-check-814[78]-",
          r"^/coronamelder-stichting-accessibility-check-864[67]-",
          r"^/openvws-toegankelijkheidsonderzoek-",
          r"^/openvws-beheer-toegankelijkheidsonderzoek-",
          r"^/coronamelder-website-factsheet-20"]


def values(db, slot):
    """{docid: value} of one slot."""
    out = subprocess.run(["xapian-delve", "-V%d" % slot, db], capture_output=True, text=True,
                         check=True).stdout
    body = out.split(":", 1)[1] if out.startswith("Value") else out
    vals = {}
    for item in body.split():
        docid, _, value = item.partition(":")
        vals[int(docid)] = value
    return vals


def by_url(db):
    """{url: (fingerprint or None, group key or None)}."""
    urls = values(db, 5)
    fingerprints, keys = values(db, 9), values(db, 10)
    return {u: (fingerprints.get(d), keys.get(d)) for d, u in urls.items()}


def partition(docs):
    """The groups of two or more members (a key alone is a group of one), each a sorted list."""
    members = {}
    for url, (_, key) in docs.items():
        if key:
            members.setdefault(key, []).append(url)
    return sorted(sorted(g) for g in members.values() if len(g) > 1)


def group_of(groups):
    return {url: tuple(g) for g in groups for url in g}


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "list" and len(argv) == 3:
        docs = by_url(argv[2])
        groups = partition(docs)
        print("documents %d, fingerprinted %d, groups %d, members %d" % (
            len(docs), sum(1 for f, _ in docs.values() if f), len(groups), sum(map(len, groups))))
        for g in groups:
            print(len(g), " ".join(g))
    elif command == "pairs" and len(argv) == 4:
        prints = [(u, int(f, 16)) for u, (f, _) in by_url(argv[2]).items() if f]
        near = sorted((bin(x ^ y).count("1"), a, b)
                      for (a, x), (b, y) in itertools.combinations(prints, 2)
                      if bin(x ^ y).count("1") <= int(argv[3]))
        for bits, a, b in near:
            print(bits, a, b)
    elif command == "compare" and len(argv) == 4:
        old, new = group_of(partition(by_url(argv[2]))), group_of(partition(by_url(argv[3])))
        moved = sorted(u for u in old.keys() | new.keys() if old.get(u) != new.get(u))
        print("members %d -> %d, documents whose group differs %d" % (len(old), len(new), len(moved)))
        for url in moved:
            print("  %s: a group of %d -> %d" % (url, len(old.get(url, ())), len(new.get(url, ()))))
        return 1 if moved else 0
    elif command == "truth" and len(argv) >= 3:
        for db in argv[2:]:
            docs = by_url(db)
            groups = partition(docs)
            member = group_of(groups)
            stated = set()
            for series in SERIES:
                stated |= set(itertools.combinations(sorted(u for u in docs if re.search(series, u)), 2))
            grouped = sum(1 for a, b in stated if a in member and member[a] == member.get(b))
            other = [p for g in groups for p in itertools.combinations(g, 2) if p not in stated]
            print("%s: version pairs grouped %d of %d; other grouped pairs %d; groups %d, members %d"
                  % (db, grouped, len(stated), len(other), len(groups), len(member)))
            for a, b in other:
                print("  other: %s %s" % (a, b))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
