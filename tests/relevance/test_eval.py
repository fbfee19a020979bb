#!/usr/bin/env python3
"""test_eval.py - proves eval.py's metrics on a hand-computed example and checks the
judged query set itself. Prints TAP ("ok N - ..."). Python standard library only.

The example (grades: 3 answer, 2 highly relevant, 1 relevant; gain 2^g - 1):
  q1 judged A=3 B=2 C=1, ranked X B A   (X unjudged)
     DCG  = 0/log2(2) + 3/log2(3) + 7/log2(4) = 1.892789 + 3.5           = 5.392789
     IDCG = 7/log2(2) + 3/log2(3) + 1/log2(4) = 7 + 1.892789 + 0.5       = 9.392789
     nDCG = 0.574141, RR = 1/2 (B at rank 2), recall = 2/3
  q2 judged D=3, ranked nothing                      -> 0, 0, 0
  q3 judged E=1 F=3, ranked F F E (F twice)          -> 1, 1, 1 (the repeat counts once)
  means: nDCG 0.524714, MRR 0.5, recall 0.555556
"""
import json
import os
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import eval as ev  # noqa: E402

count = 0
failed = 0


def ok(condition, what):
    global count, failed
    count += 1
    if not condition:
        failed += 1
    print(f"{'' if condition else 'not '}ok {count} - {what}")
    sys.stdout.flush()


def skip(why):
    global count
    count += 1
    print(f"ok {count} # SKIP {why}")


def close(a, b, eps=1e-5):
    return abs(a - b) < eps


HEADER = "query_id\tquery\turl\tgrade\tkind\twhy\n"
QRELS = HEADER + (
    "# a comment line\n"
    "q1\tbewoners\t/actueel/a/\t3\tinflection\tthe answer\n"
    "q1\tbewoners\t/actueel/b/\t2\tinflection\t\n"
    "q1\tbewoners\t/c.pdf\t1\tinflection\t\n"
    "q2\tclienten\t/d.pdf\t3\tdiacritics\tthe answer\n"
    "q3\t\"bron- en contactonderzoek\"\t/actueel/e/\t1\tphrase\t\n"
    "q3\t\"bron- en contactonderzoek\"\t/f.pdf\t3\tphrase\tthe answer\n"
)
RUN = (
    "# a run of some ranker\n"
    "query_id\trank\turl\n"
    "q1\t1\t/actueel/x/\n"
    "q1\t3\t/actueel/a/\n"
    "q1\t2\thttps://www.nieuwsportaal.example/actueel/b/index.html\n"
    "q3\t1\t/f.pdf\n"
    "q3\t2\t/f.pdf\n"
    "q3\t3\t/actueel/e\n"
    "q9\t1\t/actueel/a/\n"
)

# A stand-in for `vind search --db DB --format jsonl --limit 10 QUERY`: answers by query text.
FAKE_VIND = r'''#!PYTHON
import json, sys
args = sys.argv[1:]
assert args[0] == "search" and "--db" in args and args[args.index("--format") + 1] == "jsonl", args
assert args[args.index("--limit") + 1] in ("10", "100"), args
query = args[-1]
answers = {"bewoners": ["/actueel/x/", "/actueel/b/", "/actueel/a/"],
           '"bron- en contactonderzoek"': ["/f.pdf", "/actueel/e/"]}
if query == "crash":
    sys.stderr.write("vind: index is corrupt\n"); sys.exit(2)
if "--similar" in args:  # the group 00ff: /actueel/a/ and its near-duplicate /actueel/a2/
    assert args[args.index("--similar") + 1] == "00ff", args
    answers[query] = ["/actueel/a/", "/actueel/a2/"]
urls = answers.get(query, [])
for rank, url in enumerate(urls, 1):
    group = "00ff" if url == "/actueel/a/" and "--similar" not in args else None
    print(json.dumps({"rank": rank, "url": url, "title": "t", "similar": 1 if group else 0, "group": group}))
sys.exit(0 if urls else 1)
'''


def write(directory, name, text, mode=None):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)
    return path


def run_eval(*args):
    return subprocess.run([sys.executable, os.path.join(HERE, "eval.py"), *args],
                          capture_output=True, text=True, timeout=120)


def test_metrics(tmp):
    queries = ev.load_qrels(write(tmp, "q.tsv", QRELS))
    ok(list(queries) == ["q1", "q2", "q3"], "qrels: three queries in file order, comment skipped")
    ok(queries["q3"]["query"] == '"bron- en contactonderzoek"', "qrels: phrase query kept with its quotes")
    rankings = ev.read_run_file(write(tmp, "run.tsv", RUN))
    ok(rankings["q1"][1].endswith("/actueel/b/index.html"), "run file: rows sorted by rank, comment and header skipped")
    try:
        ev.read_run_file(write(tmp, "bad-run.tsv", RUN + "q1\tfour\t/actueel/y/\n"))
        ok(False, "run file: a rank that is not a number further down is refused")
    except ev.EvalError:
        ok(True, "run file: a rank that is not a number further down is refused")

    s1 = ev.score_query(queries["q1"]["judgments"], rankings["q1"])
    ok(close(s1["ndcg"], 5.392789 / 9.392789), f"q1 nDCG@10 = 0.574141 (got {s1['ndcg']:.6f})")
    ok(close(s1["rr"], 0.5), "q1 RR = 1/2: first grade>=2 at rank 2, unjudged X at rank 1")
    ok(close(s1["recall"], 2 / 3), "q1 recall@10 = 2/3 (C not retrieved)")
    s3 = ev.score_query(queries["q3"]["judgments"], rankings["q3"])
    ok(close(s3["ndcg"], 1.0) and close(s3["rr"], 1.0) and close(s3["recall"], 1.0),
       "q3: a URL returned twice counts once, so the ranking is ideal")
    s2 = ev.score_query(queries["q2"]["judgments"], [])
    ok(s2["ndcg"] == 0 and s2["rr"] == 0 and s2["recall"] == 0, "q2: no results scores 0 everywhere")

    result = ev.evaluate(queries, rankings)
    m = result["mean"]
    ok(close(m["ndcg@10"], 0.524715) and close(m["mrr"], 0.5) and close(m["recall@10"], 5 / 9),
       f"means: nDCG 0.524714, MRR 0.5, recall 0.555556 (got {m['ndcg@10']:.6f} {m['mrr']:.6f} {m['recall@10']:.6f})")
    ok(result["per_kind"]["inflection"]["queries"] == 1, "per kind: one inflection query")
    ok(list(result["per_half"]) == ["tuned"] and result["per_half"]["tuned"]["queries"] == 3,
       "per half: q ids are tuned, no held-out half without h ids")
    held = ev.evaluate({"h1": queries["q3"], "q1": queries["q1"]}, {"h1": rankings["q3"], "q1": rankings["q1"]})
    ok(held["per_half"]["held-out"]["queries"] == 1 and close(held["per_half"]["held-out"]["ndcg@10"], 1.0),
       "per half: an h id is reported as held out, apart from the tuned ones")

    # A group G of near-duplicates /a/ and /a2/, both graded 3, and /b/ graded 1. Collapsed, the
    # list shows /a/ and /b/: per document DCG 7 + 1/log2(3) = 7.630930 against the ideal
    # 7 + 7/log2(3) + 1/2 = 11.916508; as groups the ideal is G then /b/, so the list is ideal.
    # Not collapsed (/a/ /a2/ /b/), /a2/ gains nothing and /b/ drops to rank 3: 7.5 / 7.630930.
    groups = {"/a/": "G", "/a2/": "G"}
    judged = {"/a/": 3, "/a2/": 3, "/b/": 1}
    ok(close(ev.score_query(judged, ["/a/", "/b/"])["ndcg"], 7.630930 / 11.916508),
       "groups: per document a collapsed list misses the hidden version (nDCG 0.640362)")
    one = ev.evaluate_grouped({"q": {"query": "x", "kind": "k", "judgments": judged}}, {"q": ["/a/", "/b/"]}, groups)
    ok(close(one["mean"]["ndcg@10"], 1.0), "groups: a group counts once, with its best grade: the collapsed list is ideal")
    two = ev.evaluate_grouped({"q": {"query": "x", "kind": "k", "judgments": judged}},
                              {"q": ["/a/", "/a2/", "/b/"]}, groups)
    ok(close(two["mean"]["ndcg@10"], 7.5 / 7.630930),
       "groups: a second version of a listed group gains nothing and takes a place (nDCG 0.982841)")

    judged = {"/a/": 3}
    eleven = [f"/x{i}/" for i in range(10)] + ["/a/"]
    ok(ev.score_query(judged, eleven)["recall"] == 0, "cut-off: a relevant document at rank 11 is not counted")
    only_grade1 = ev.score_query({"/a/": 1}, ["/a/"])
    ok(only_grade1["rr"] == 0 and only_grade1["recall"] == 1, "MRR needs grade >= 2, recall takes grade 1")
    ok(close(ev.score_query({"/a/": 3, "/b/": 3}, ["/b/", "/a/"])["ndcg"], 1.0), "two equal answers in any order: nDCG 1")


def test_urls():
    cases = [("https://www.nieuwsportaal.example/actueel/a/index.html", "/actueel/a/"),
             ("/actueel/a", "/actueel/a/"),
             ("actueel/a/", "/actueel/a/"),
             ("/coronamelder-bijlage-a-dpia.pdf", "/coronamelder-bijlage-a-dpia.pdf"),
             ("/actueel/co%C3%B6rdinatoren/", "/actueel/coördinatoren/")]
    for given, expected in cases:
        got = ev.normalise_url(given)
        ok(got == expected, f"normalise_url({given!r}) = {expected!r} (got {got!r})")


def test_hostile(tmp):
    bad = {"grade 4": HEADER + "q1\tx\t/a/\t4\tk\t\n",
           "grade not a number": HEADER + "q1\tx\t/a/\tdrie\tk\t\n",
           "two texts for one id": HEADER + "q1\tx\t/a/\t3\tk\tw\nq1\ty\t/b/\t1\tk\t\n",
           "the same URL twice": HEADER + "q1\tx\t/a/\t3\tk\tw\nq1\tx\t/a/index.html\t1\tk\t\n",
           "no header": "q1\tx\t/a/\t3\tk\tw\n",
           "empty file": "",
           "16 judged URLs": HEADER + "".join(f"q1\tx\t/a{i}/\t1\tk\t\n" for i in range(16))}
    for what, text in bad.items():
        try:
            ev.load_qrels(write(tmp, "bad.tsv", text))
            ok(False, f"qrels with {what} is refused")
        except ev.EvalError:
            ok(True, f"qrels with {what} is refused")
    done = run_eval("--qrels", write(tmp, "bad.tsv", bad["grade 4"]), "--run-file", write(tmp, "r.tsv", RUN))
    ok(done.returncode == 2 and "grade 4" in done.stderr, "CLI: a broken qrels file exits 2 with the reason")
    done = run_eval("--qrels", write(tmp, "q.tsv", QRELS))
    ok(done.returncode == 2, "CLI: no --vind/--db/--run-file is a usage error")


def test_cli(tmp):
    qrels = write(tmp, "q.tsv", QRELS)
    out_json = os.path.join(tmp, "out.json")
    done = run_eval("--qrels", qrels, "--run-file", write(tmp, "run.tsv", RUN), "--json", out_json)
    ok(done.returncode == 0, f"CLI --run-file exits 0 ({done.stderr.strip()})")
    ok("nDCG@10 0.5247" in done.stdout and "MRR 0.5000" in done.stdout, "CLI prints the means")
    ok("q9" in done.stderr, "CLI warns about query ids that are not judged")
    with open(out_json, encoding="utf-8") as f:
        data = json.load(f)
    ok(close(data["mean"]["recall@10"], 5 / 9) and len(data["per_query"]) == 3, "--json holds the same figures")

    fake = write(tmp, "fake-vind", FAKE_VIND.replace("PYTHON", sys.executable), stat.S_IRWXU)
    done = run_eval("--qrels", qrels, "--vind", fake, "--db", tmp)
    ok(done.returncode == 0 and "nDCG@10 0.5247" in done.stdout,
       f"CLI --vind runs `vind search --format jsonl --limit 10` per query ({done.stderr.strip()})")
    ok("1 groups, 2 documents" in done.stdout and "grouped" in done.stdout,
       "CLI --vind finds the index's groups (a hit's group, listed with --similar) and reports both ways")
    grouped_qrels = write(tmp, "qg.tsv", QRELS + "q1\tbewoners\t/actueel/a2/\t3\tinflection\t\n")
    out_json = os.path.join(tmp, "groups.json")
    done = run_eval("--qrels", grouped_qrels, "--vind", fake, "--db", tmp, "--json", out_json,
                    "--save-run", os.path.join(tmp, "saved.tsv"))
    with open(out_json, encoding="utf-8") as f:
        data = json.load(f)
    ok(data["groups"] == {"/actueel/a/": "00ff", "/actueel/a2/": "00ff"}
       and data["grouped"]["per_query"][0]["ndcg"] > data["per_query"][0]["ndcg"],
       "--json holds the groups, and q1 scores higher with its two versions one answer")
    again = run_eval("--qrels", grouped_qrels, "--run-file", os.path.join(tmp, "saved.tsv"), "--groups", out_json)
    ok(again.returncode == 0 and again.stdout == done.stdout,
       "--save-run and --groups: the saved run scored with the saved groups prints the same report")
    crash = write(tmp, "q2.tsv", HEADER + "q1\tcrash\t/a/\t3\tk\tw\n")
    done = run_eval("--qrels", crash, "--vind", fake, "--db", tmp)
    ok(done.returncode == 2 and "corrupt" in done.stderr, "CLI: a search that exits 2 stops the evaluation")


def test_query_set():
    qrels = os.path.join(HERE, "queries.tsv")
    queries = ev.load_qrels(qrels)
    pairs = sum(len(e["judgments"]) for e in queries.values())
    ok(len(queries) >= 45, f"queries.tsv: at least 45 queries ({len(queries)}, {pairs} judged pairs)")
    ok(all(3 in e["judgments"].values() or 2 in e["judgments"].values() for e in queries.values()),
       "queries.tsv: every query has a document graded 2 or 3")
    corpus = os.environ.get("CORPUS") or os.path.join(HERE, "..", "..", "..", "shared", "corpus")
    if not os.path.isdir(corpus):
        if os.environ.get("CI") == "true":
            ok(False, f"the corpus is missing at {corpus}")
        else:
            skip(f"no corpus at {corpus}")
        return
    done = run_eval("--check", "--corpus", corpus)
    ok(done.returncode == 0, "queries.tsv --check: every judged URL is a corpus document, every query has a kind "
       "and says why its answer is the answer" + ("" if done.returncode == 0 else "\n# " + done.stdout.replace("\n", "\n# ")))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_metrics(tmp)
        test_urls()
        test_hostile(tmp)
        test_cli(tmp)
    test_query_set()
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
