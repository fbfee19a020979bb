#!/usr/bin/env python3
"""plant-near-dups.py SEED < gen.jsonl > out.jsonl - adds near-duplicates to bench/gen-corpus's
records: for ~20% of them a variant (0-8% of its words replaced by words of other records; some
exact copies, some variants of variants), written up to 50 records later under another URL. With
bench/compare-groups.py it checks that a change to the near-duplicate look-up keeps every
document's group (bench/scale-results.md, "Near-duplicate look-up")."""
import json, random, sys
rng = random.Random(int(sys.argv[1]))
pending = []
vocab = []
n = 0
def variant(rec, share):
    out = dict(rec)
    pages = []
    for page in rec["pages"]:
        words = page.split(" ")
        for i in range(len(words)):
            if vocab and rng.random() < share:
                words[i] = rng.choice(vocab)
        pages.append(" ".join(words))
    out["pages"] = pages
    return out
for line in sys.stdin:
    rec = json.loads(line)
    sys.stdout.write(line)
    n += 1
    words = rec["pages"][0].split(" ") if rec["pages"] else []
    vocab.extend(rng.sample(words, min(5, len(words))))
    del vocab[:-2000]
    if rng.random() < 0.2:
        k = 1
        while True:
            share = rng.choice([0.0, 0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08])
            v = variant(rec, share)
            v["url"] = rec["url"] + "v%d/" % k
            v["canonical"] = v["url"]
            pending.append((n + rng.randint(0, 50), v))
            if rng.random() > 0.3:
                break
            rec, k = v, k + 1
    keep = []
    for due, v in pending:
        if due <= n:
            sys.stdout.write(json.dumps(v, ensure_ascii=False) + "\n")
        else:
            keep.append((due, v))
    pending = keep
for due, v in pending:
    sys.stdout.write(json.dumps(v, ensure_ascii=False) + "\n")
