"""searchd-queries.py URL SITE OUT [N] - N (default 1,000) realistic request paths for wrk
(bench/searchd.lua), built from the words and titles of the site vind-searchd at URL serves.

The mix, from a fixed seed so runs compare: single words (half of them among the site's 300 most
frequent, as real search boxes see), two-word queries, the first words of titles (some as a
"phrase"), prefix searches, and queries with facets the daemon itself reports for that query
(tag=, theme=, type=, year=), a date sort or a second page. Each path is tried once against
the daemon and kept only when it answers 200 (a word like "niet" alone would be a stop word,
still 200; an odd title fragment may be a 400). Standard library only.
"""

import collections
import html.parser
import json
import os
import random
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

WORD = re.compile(r"[a-zà-öø-ÿ]{4,}")


class Text(html.parser.HTMLParser):
    """The <title> and the text of <p> elements of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.paragraphs = []
        self.where = None

    def handle_starttag(self, tag, attrs):
        if tag in ("title", "p"):
            self.where = tag
            if tag == "p":
                self.paragraphs.append("")

    def handle_endtag(self, tag):
        if tag == self.where:
            self.where = None

    def handle_data(self, data):
        if self.where == "title":
            self.title += data
        elif self.where == "p":
            self.paragraphs[-1] += data


def read_site(site):
    words = collections.Counter()
    titles = []
    for folder, _, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            parser = Text()
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                parser.feed(f.read())
            title = re.split(r"\s+[|\u2013-]\s+", parser.title.strip())[0]
            if len(title.split()) >= 2:
                titles.append(title)
            for paragraph in parser.paragraphs:
                words.update(WORD.findall(paragraph.lower()))
    return words, sorted(set(titles))


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError):
        return None, None


def search_path(**params):
    return "/api/search?" + urllib.parse.urlencode(params)


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    base, site, out = argv[1].rstrip("/"), argv[2], argv[3]
    wanted = int(argv[4]) if len(argv) > 4 else 1000
    rng = random.Random(8)
    words, titles = read_site(site)
    frequent = [w for w, _ in words.most_common(300)]
    everything = sorted(w for w, n in words.items() if n >= 2)
    if not everything:
        sys.stderr.write("searchd-queries.py: no words in %s\n" % site)
        return 1

    def a_word():
        return rng.choice(frequent) if rng.random() < 0.5 else rng.choice(everything)

    def facet_query():
        word = rng.choice(frequent)
        status, data = get(base, search_path(q=word, size=1))
        if status != 200 or not data:
            return search_path(q=word)
        facets = [(key, entry["value"]) for key, entries in (data.get("facets") or {}).items()
                  for entry in entries or [] if isinstance(entry, dict) and "value" in entry]
        if not facets:
            return search_path(q=word)
        key, value = rng.choice(facets)
        return search_path(q=word, **{key: value})

    makers = [
        (0.35, lambda: search_path(q=a_word())),
        (0.15, lambda: search_path(q=a_word() + " " + a_word())),
        (0.10, lambda: search_path(q=" ".join(rng.choice(titles).split()[:rng.randint(2, 4)])) if titles else None),
        (0.05, lambda: search_path(q='"%s"' % " ".join(rng.choice(titles).split()[:2])) if titles else None),
        (0.05, lambda: search_path(q=a_word()[:4] + "*")),
        (0.20, facet_query),
        (0.05, lambda: search_path(q=a_word(), sort="date")),
        (0.05, lambda: search_path(q=rng.choice(frequent), page=2)),
    ]
    paths, refused, tries = [], 0, 0
    while len(paths) < wanted and tries < wanted * 3:
        tries += 1
        roll, acc = rng.random(), 0.0
        for share, make in makers:
            acc += share
            if roll < acc:
                break
        path = make()
        if path is None:
            continue
        status, _ = get(base, path)
        if status == 200:
            paths.append(path)
        else:
            refused += 1
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
    sys.stderr.write("searchd-queries.py: %d paths from %d words and %d titles (%d refused by the daemon, "
                     "left out)\n" % (len(paths), len(everything), len(titles), refused))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
