#!/usr/bin/env python3
"""derive-corpus-stats.py - the statistics bench/gen-corpus draws from.

Run once over the shared corpus (CORPUS.md); its output,
bench/data/corpus-stats.json, is committed. It holds counts only, never
corpus text: the vocabulary as (word, count) pairs of words seen at least
MIN_COUNT times, the length distributions of articles, PDFs and their pages,
sentences and paragraphs, the themes and tags with their counts (the tag
list extended to a few hundred along the fitted Zipf curve), and the year
of publication.

    python3 bench/derive-corpus-stats.py [/work/shared/corpus] > bench/data/corpus-stats.json
"""
import collections
import json
import math
import os
import re
import sys

MIN_COUNT = 3          # rarer words are the generator's "new word" mass
TAGS_WANTED = 300      # "a few hundred tags"
THEMES_WANTED = 30
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def front_matter(text):
    """(fields, body) of a Hugo page: the scalar and list fields we use."""
    parts = text.split("---", 2)
    if len(parts) < 3:
        return {}, text
    fields, current = {}, None
    for line in parts[1].splitlines():
        match = re.match(r"^(\w+):\s*(.*)$", line)
        if match:
            current = match.group(1)
            value = match.group(2).strip().strip("'\"")
            fields[current] = [] if value in ("", "[]") else value
        elif line.startswith("- ") and isinstance(fields.get(current), list):
            fields[current].append(line[2:].strip().strip("'\""))
    return fields, parts[2]


def strip_markdown(body):
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"[*_`#>|]", " ", body)


class Stats:
    def __init__(self):
        self.words = collections.Counter()
        self.sentence_words = collections.Counter()
        self.paragraph_sentences = collections.Counter()
        self.title_words = collections.Counter()

    def text(self, text):
        """Counts words, sentence and paragraph lengths; returns the word count."""
        total = 0
        for paragraph in re.split(r"\n\s*\n", text):
            sentences = [s for s in SENTENCE_END.split(paragraph) if WORD.search(s)]
            if sentences:
                self.paragraph_sentences[min(len(sentences), 20)] += 1
            for sentence in sentences:
                words = WORD.findall(sentence)
                self.sentence_words[min(len(words), 80)] += 1
                self.words.update(w.lower() for w in words)
                total += len(words)
        return total


def articles(corpus, stats):
    root = os.path.join(corpus, "site-src", "content", "actueel")
    lengths, themes, tags, years = [], collections.Counter(), collections.Counter(), collections.Counter()
    n_themes, n_tags = collections.Counter(), collections.Counter()
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "index.md")
        if not os.path.exists(path):
            continue
        fields, body = front_matter(open(path, encoding="utf-8").read())
        lengths.append(stats.text(strip_markdown(body)))
        stats.title_words[len(WORD.findall(str(fields.get("title", ""))))] += 1
        page_themes = fields.get("thema") or []
        page_tags = fields.get("trefwoord") or []
        themes.update(page_themes)
        tags.update(page_tags)
        n_themes[len(page_themes)] += 1
        n_tags[len(page_tags)] += 1
        date = str(fields.get("date", ""))
        if re.match(r"\d{4}", date):
            years[date[:4]] += 1
    return lengths, themes, tags, years, n_themes, n_tags


def pdfs(corpus, stats):
    root = os.path.join(corpus, "pdf", "text")
    pages, page_words = [], []
    for name in sorted(os.listdir(root)):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(root, name), encoding="utf-8", errors="replace").read()
        split = text.rstrip("\f").split("\f")
        pages.append(len(split))
        # PDF text has line breaks inside paragraphs: join them first
        page_words.extend(stats.text(re.sub(r"(?<!\n)\n(?!\n)", " ", p)) for p in split)
    return pages, page_words


def extend_zipf(counts, wanted, fillers):
    """counts (name -> n) extended to `wanted` names whose counts continue the
    Zipf curve fitted to the real ones (least squares on log rank, log count)."""
    ranked = counts.most_common()
    xs = [math.log(r + 1) for r in range(len(ranked))]
    ys = [math.log(n) for _, n in ranked]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    intercept = my - slope * mx
    out = [[name, n] for name, n in ranked]
    names = set(counts)
    for filler in fillers:
        if len(out) >= wanted:
            break
        if filler in names:
            continue
        names.add(filler)
        rank = len(out) + 1
        out.append([filler, round(math.exp(intercept + slope * math.log(rank)), 3)])
    return out, -slope


def histogram(counter):
    return sorted([k, v] for k, v in counter.items())


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus"
    stats = Stats()
    lengths, themes, tags, years, n_themes, n_tags = articles(corpus, stats)
    pdf_pages, pdf_page_words = pdfs(corpus, stats)
    vocabulary = [[w, n] for w, n in stats.words.most_common() if n >= MIN_COUNT]
    total = sum(stats.words.values())
    rare = sum(n for n in stats.words.values() if n < MIN_COUNT)
    # synthetic tag names: mid-frequency vocabulary words of 6+ letters, hyphen-joined pairs
    content = [w for w, n in vocabulary[300:4000] if len(w) >= 6 and w.isalpha()]
    fillers = [content[i] if i % 3 else content[i] + "-" + content[i + 7]
               for i in range(0, len(content) - 8)]
    tag_list, tag_skew = extend_zipf(tags, TAGS_WANTED, fillers)
    print(json.dumps({
        "source": "derived by bench/derive-corpus-stats.py from the shared corpus (counts only)",
        "articles": len(lengths),
        "pdfs": len(pdf_pages),
        "tokens": total,
        "rare_token_share": rare / total,
        "vocabulary": vocabulary,
        "article_words": sorted(lengths),
        "pdf_pages": sorted(pdf_pages),
        "pdf_page_words": sorted(pdf_page_words),
        "sentence_words": histogram(stats.sentence_words),
        "paragraph_sentences": histogram(stats.paragraph_sentences),
        "title_words": histogram(stats.title_words),
        "themes": [[n, c] for n, c in themes.most_common(THEMES_WANTED)],
        "themes_per_doc": histogram(n_themes),
        "tags": tag_list,
        "tag_zipf_exponent": round(tag_skew, 3),
        "tags_per_doc": histogram(n_tags),
        "years": histogram(years),
    }, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
