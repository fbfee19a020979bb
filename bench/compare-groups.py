#!/usr/bin/env python3
"""compare-groups.py OLD NEW - compares slots 9 (fingerprint) and 10 (group key) of two indexes,
document by document (matched by URL, slot 5). Prints counts; exit 1 on any difference."""
import subprocess, sys
def values(db, slot):
    out = subprocess.run(["xapian-delve", "-V%d" % slot, db], capture_output=True, text=True, check=True).stdout
    body = out.split(":", 1)[1] if out.startswith("Value") else out
    vals = {}
    for item in body.split():
        docid, _, value = item.partition(":")
        vals[int(docid)] = value
    return vals
def by_url(db):
    urls = values(db, 5)
    fp, group = values(db, 9), values(db, 10)
    return {u: (fp.get(d), group.get(d)) for d, u in urls.items()}
old, new = by_url(sys.argv[1]), by_url(sys.argv[2])
diff = [u for u in old.keys() | new.keys() if old.get(u) != new.get(u)]
keyed = sum(1 for v in old.values() if v[1])
groups = len({v[1] for v in old.values() if v[1]})
print("documents %d/%d, fingerprinted %d, keyed %d in %d groups, differing %d" % (
    len(old), len(new), sum(1 for v in old.values() if v[0]), keyed, groups, len(diff)))
for u in diff[:10]:
    print(u, old.get(u), new.get(u))
sys.exit(1 if diff else 0)
