#!/usr/bin/env python3
"""offline.py - try a related-links bonus without touching lib/related.c
(session 19): main's own scores, `vind related --all --limit 50 --min-score 0`,
are multiplied by a bonus per (source, candidate) and the first 5 kept, as
lib/related.c would order them (ties by URL, the 0.075 floor). The judged set
then scores the result like any run (judged.py score, pool). An approximation:
lib applies its bonuses before the mutual check and the one-version rule, this
script after them; a bonus that wins here is built into lib/ and measured again.

    vind related --db DB --all --limit 50 --min-score 0 --output ALL50.json
    offline.py cocite  --all50 ALL50.json --weight 2 --out RUN.tsv [--data DATA.json]
    offline.py follows --all50 ALL50.json --weight 0.5 --days 21 --gate 1 --out RUN.tsv
    offline.py hub     --all50 ALL50.json --weight 1 --hub-k 8 --out RUN.tsv

cocite: two articles linked from the body of one third article (the authors'
links in the Markdown sources) are related; each co-citing page counts
1 / (its number of links to other articles), as Adamic-Adar weights a shared
neighbour, so an overview page of 25 posts says little about any two of them.
score x (1 + weight x the sum).

follows: session 18's later-only bonus, score x (1 + weight x 2^(-days after /
days)) for a candidate dated after the source, here only for a source whose
themes and tags at most --gate other articles share within --window days of
it: a daily series (an advent calendar, 24 unrelated posts on 24 days) is dense
in its theme, an event's announcement, reminder and report are not.

hub (session 20): a penalty for hub pages, the documents that are in many
articles' first 5 (main's own lists, the 0.075 floor): one in n lists with n
above --hub-k gets score x (k / n)^weight; a link in everyone's first 5 is
rarely the one a reader wants next.

--data writes the rewritten first-5 lists of every article, shaped as
`vind related --all` (eval_related.py's theme/tag share reads it). Standard
library only.
"""
import argparse
import bisect
import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import eval_related  # noqa: E402
import judged  # noqa: E402

MIN_SCORE = 0.075     # lib/related.c's default floor (vind related --min-score)
SCORE_SCALE = 10000   # lib/related.c rounds scores to 4 decimals before ties by URL
LINK = re.compile(r"(?:\]\(|href=[\"'])(?:https?://(?:www\.)?fronteers\.nl)?(/actueel/[^)\"'#?\s]*)")


def body_links(corpus):
    """article URL -> the other articles its Markdown body links, in order, once each."""
    articles = judged.article_paths(corpus)
    links = {}
    for url, path in articles.items():
        with open(path, encoding="utf-8") as f:
            _, body = judged.split_front_matter(f.read())
        targets = []
        for match in LINK.finditer(body):
            target = match.group(1) if match.group(1).endswith("/") else match.group(1) + "/"
            if target in articles and target != url and target not in targets:
                targets.append(target)
        if targets:
            links[url] = targets
    return links


def cocitation(links):
    """(a, b) -> the sum over pages linking both of 1 / that page's number of links."""
    weights = collections.defaultdict(float)
    for targets in links.values():
        for a in targets:
            for b in targets:
                if a != b:
                    weights[(a, b)] += 1.0 / len(targets)
    return weights


def article_dates(corpus, all50):
    """URL -> date (YYYY-MM-DD): the articles' front matter, the PDFs' from the lists."""
    dates = {item["url"]: item["date"] for items in all50.values() for item in items
             if item.get("date")}
    for url, path in judged.article_paths(corpus).items():
        with open(path, encoding="utf-8") as f:
            match = re.search(r"^date:\s*'?(\d{4}-\d{2}-\d{2})", f.read(), flags=re.M)
        if match:
            dates[url] = match.group(1)
    return dates


def day(date):
    return datetime.date.fromisoformat(date).toordinal()


def dense_sources(dates, truth, window, gate):
    """Articles that more than `gate` others sharing a theme or tag surround within
    `window` days: the entries of a daily series."""
    days_by_key = collections.defaultdict(list)
    for url, keys in truth.items():
        if url in dates:
            for key in keys:
                days_by_key[key].append((day(dates[url]), url))
    for entries in days_by_key.values():
        entries.sort()
    dense = set()
    for url, keys in truth.items():
        if url not in dates:
            continue
        when = day(dates[url])
        near = set()
        for key in keys:
            entries = days_by_key[key]
            lo = bisect.bisect_left(entries, (when - window, ""))
            hi = bisect.bisect_right(entries, (when + window, "\uffff"))
            near.update(u for _, u in entries[lo:hi] if u != url)
        if len(near) > gate:
            dense.add(url)
    return dense


def list_counts(lists):
    """url -> in how many of the lists it stands."""
    return collections.Counter(item["url"] for items in lists.values() for item in items)


def hub_factor(count, k, weight):
    """(k / count)^weight for a document in more than k lists, else 1."""
    return (k / count) ** weight if count > k else 1.0


def rerank(all50, bonus):
    """url -> the first 5 of its list with each score x bonus(source, item)."""
    lists = {}
    for source, items in all50.items():
        scored = sorted(((-round(item["score"] * bonus(source, item) * SCORE_SCALE) / SCORE_SCALE,
                          item["url"], item) for item in items), key=lambda t: (t[0], t[1]))
        lists[source] = [dict(item, score=-score) for score, _, item in scored
                         if -score >= MIN_SCORE][:judged.DEPTH]
    return lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bonus", choices=["cocite", "follows", "hub"])
    parser.add_argument("--all50", required=True)
    parser.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    parser.add_argument("--weight", type=float, required=True)
    parser.add_argument("--days", type=float, default=21.0, help="follows: half-life in days")
    parser.add_argument("--gate", type=int, default=1,
                        help="follows: at most this many same-theme articles near the source")
    parser.add_argument("--window", type=int, default=7, help="follows: days either side")
    parser.add_argument("--hub-k", type=float, default=8.0,
                        help="hub: lists a document may stand in before the penalty")
    parser.add_argument("--out", required=True, help="the judged sources' run (judged.py)")
    parser.add_argument("--data", help="every article's rewritten list, as `vind related --all`")
    args = parser.parse_args()
    with open(args.all50, encoding="utf-8") as f:
        all50 = json.load(f)

    if args.bonus == "cocite":
        weights = cocitation(body_links(args.corpus))

        def bonus(source, item):
            return 1.0 + args.weight * weights.get((source, item["url"]), 0.0)
    elif args.bonus == "hub":
        counts = list_counts(rerank(all50, lambda s, i: 1.0))

        def bonus(source, item):
            return hub_factor(counts[item["url"]], args.hub_k, args.weight)
    else:
        dates = article_dates(args.corpus, all50)
        dense = dense_sources(dates, eval_related.ground_truth(args.corpus), args.window,
                              args.gate)

        def bonus(source, item):
            if source in dense or source not in dates or not item.get("date"):
                return 1.0
            after = day(item["date"]) - day(dates[source])
            return 1.0 + args.weight * 2 ** (-after / args.days) if after > 0 else 1.0

    lists = rerank(all50, bonus)
    judged.write_run(args.out, {s: [item["url"] for item in lists.get(s, [])]
                                for s, _ in judged.read_sources()})
    if args.data:
        with open(args.data, "w", encoding="utf-8") as f:
            json.dump(lists, f)
    before = rerank(all50, lambda s, i: 1.0)
    changed = sum([i["url"] for i in lists[s]] != [i["url"] for i in before[s]] for s in lists)
    print("offline: %d of %d lists change" % (changed, len(lists)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
