#!/usr/bin/env python3
"""eval_related.py - how good are vind's related links on the shared corpus?

Runs `vind related --all` over an index of the corpus site and measures, over
the articles that have a theme or a tag in their front matter
($CORPUS/site-src/content/actueel/<slug>/index.md, `thema:` / `trefwoord:`,
URL /actueel/<slug>/), the share of related links whose target shares at
least one theme or tag with the source. A link to a document without front
matter (a PDF) counts as not sharing. Also prints the time of --all and
whether two runs gave identical bytes. Standard library only.

    eval_related.py --vind build/bin/vind --db DB [--corpus DIR] [--limit N]
                    [--min-share 0.70]   # exit 1 below it, or when runs differ
"""
import argparse
import json
import os
import subprocess
import sys
import time
import unicodedata


def normalise(value):
    """'Coördinatoren ' -> 'coordinatoren': the comparison the site's slugs make."""
    value = unicodedata.normalize("NFKD", value.strip().strip("'\"").casefold())
    value = "".join(c for c in value if not unicodedata.combining(c))
    return " ".join(value.split())


def front_matter_lists(text, keys=("thema", "trefwoord")):
    """The list values of keys in a Markdown file's YAML front matter. Knows
    the three shapes the corpus uses: `key: []`, `key: [a, b]` and a block of
    `- item` lines."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}
    found = {}
    current = None
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if current is not None and line.startswith("- "):
            found[current].append(line[2:])
            continue
        current = None
        key, sep, rest = line.partition(":")
        if not sep or key not in keys or line.startswith(" "):
            continue
        rest = rest.strip()
        if rest.startswith("[") and rest.endswith("]"):
            found[key] = [v for v in rest[1:-1].split(",") if v.strip()]
        elif rest == "":
            found[key] = []
            current = key
        else:
            found[key] = [rest]
    return {k: {normalise(v) for v in vs if normalise(v)} for k, vs in found.items()}


def ground_truth(corpus):
    """URL path -> set of normalised themes and tags, for every corpus article."""
    root = os.path.join(corpus, "site-src", "content", "actueel")
    truth = {}
    for slug in sorted(os.listdir(root)):
        path = os.path.join(root, slug, "index.md")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            lists = front_matter_lists(f.read())
        truth["/actueel/%s/" % slug] = set().union(*lists.values()) if lists else set()
    return truth


def run_all(vind, db, limit, extra=()):
    """(seconds, bytes) of one `vind related --all` run."""
    command = [vind, "related", "--db", db, "--all", "--format", "json"]
    if limit:
        command += ["--limit", str(limit)]
    command += list(extra)
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(command), result.returncode,
                                                   result.stderr.decode(errors="replace")))
    return seconds, result.stdout


def share(data, truth):
    """(links sharing, links, sources) over sources with a theme or tag."""
    sharing = links = sources = 0
    for url, related in data.items():
        own = truth.get(url)
        if not own:
            continue
        sources += 1
        for item in related:
            links += 1
            if own & truth.get(item["url"], set()):
                sharing += 1
    return sharing, links, sources


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vind", default="build/bin/vind")
    parser.add_argument("--db", required=True)
    parser.add_argument("--corpus", default=os.environ.get("CORPUS", "../shared/corpus"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--min-share", type=float, default=None)
    parser.add_argument("--prefer-recent", default=None)
    args = parser.parse_args()

    extra = ["--prefer-recent", args.prefer_recent] if args.prefer_recent else []
    truth = ground_truth(args.corpus)
    first_seconds, first = run_all(args.vind, args.db, args.limit, extra)
    second_seconds, second = run_all(args.vind, args.db, args.limit, extra)
    data = json.loads(first)
    sharing, links, sources = share(data, truth)
    ratio = sharing / links if links else 0.0
    lengths = [len(v) for v in data.values()]
    empty = sum(1 for n in lengths if n == 0)
    identical = first == second

    print("related: %d articles in the data file, %d without related links, %.1f links each"
          % (len(data), empty, sum(lengths) / len(lengths) if lengths else 0.0))
    print("related: %d articles with a theme or tag; %d of their %d links share one: %.1f%%"
          % (sources, sharing, links, 100.0 * ratio))
    print("related: --all in %.2f s (second run %.2f s), %d bytes; two runs identical: %s"
          % (first_seconds, second_seconds, len(first), "yes" if identical else "NO"))
    failed = not identical
    if args.min_share is not None and ratio < args.min_share:
        print("related: share %.1f%% is below %.1f%%" % (100.0 * ratio, 100.0 * args.min_share))
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
