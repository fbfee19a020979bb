"""prefix-paths.py SITE OUT [N] - N (default 100) `prefix*` request paths for
bench/searchd-answers.py and bench/search-cost, from the words of the site's HTML pages.

Schema 4 finds a prefix's snippet places through its forms' stems (lib/stored.c), a path the
1,000 bench requests take only 35 times: these exercise it alone. From a fixed seed, so runs
compare: prefixes of 2 to 6 letters of the site's words (short ones expand to the 64 forms a
snippet looks up), some after a plain word, some as a title: prefix, some with a second page,
a date sort or type=pdf. Standard library only. Session 15 kept the output as
bench/data/prefix-paths.txt.
"""

import os
import random
import re
import sys
import urllib.parse

WORD = re.compile(r"[a-zà-öø-ÿ]{4,}")
TAG = re.compile(r"<[^>]*>")


def site_words(site):
    """Every word of 4+ letters in the site's HTML pages, in a fixed order."""
    words = []
    for folder, dirs, files in sorted(os.walk(site)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    words.extend(WORD.findall(TAG.sub(" ", f.read()).lower()))
    return words


def main():
    site, out = sys.argv[1], sys.argv[2]
    wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    words = site_words(site)
    rng = random.Random(15)
    paths = []
    while len(paths) < wanted:
        word = rng.choice(words)
        prefix = word[:rng.randint(2, 6)] + "*"
        kind = rng.random()
        if kind < 0.15:
            query, extra = rng.choice(words) + " " + prefix, ""
        elif kind < 0.22:
            query, extra = "title:" + prefix, ""
        elif kind < 0.32:
            query, extra = prefix, "&page=2"
        elif kind < 0.40:
            query, extra = prefix, "&type=pdf"
        elif kind < 0.46:
            query, extra = prefix, "&sort=date"
        else:
            query, extra = prefix, ""
        path = "/api/search?q=" + urllib.parse.quote(query, safe="") + extra
        if path not in paths:
            paths.append(path)
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(p + "\n" for p in paths))


if __name__ == "__main__":
    main()
