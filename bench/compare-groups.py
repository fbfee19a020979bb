#!/usr/bin/env python3
"""compare-groups.py OLD NEW - compares slots 9 (fingerprint) and 10 (group key) of two indexes,
document by document (matched by URL, slot 5). Prints counts; exit 1 on any difference.
(bench/groups.py compare: the groups' members only, whatever their keys.)"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from groups import by_url  # noqa: E402
old, new = by_url(sys.argv[1]), by_url(sys.argv[2])
diff = [u for u in old.keys() | new.keys() if old.get(u) != new.get(u)]
keyed = sum(1 for v in old.values() if v[1])
groups = len({v[1] for v in old.values() if v[1]})
print("documents %d/%d, fingerprinted %d, keyed %d in %d groups, differing %d" % (
    len(old), len(new), sum(1 for v in old.values() if v[0]), keyed, groups, len(diff)))
for u in diff[:10]:
    print(u, old.get(u), new.get(u))
sys.exit(1 if diff else 0)
