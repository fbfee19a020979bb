#!/usr/bin/env python3
"""test_evalindep.py - the hand-judged morphology data parse and `make eval-morph`'s independent
checks (lexicon/evalindep.py over build/lexicon/evalmorph --terms) run on a tiny input.

The full run (the corpus, 400k word-list forms) belongs to `make eval-morph`; this test only proves
the yardstick works: files well formed, split points and merges counted as docs/morphology.md says.
"""
import io
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, Tap, build_dir  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "lexicon"))
import evalindep  # noqa: E402

DATA = os.path.join(REPO, "tests", "data")


def check_sample(tap):
    rows = evalindep.read_tsv(os.path.join(DATA, "morph-sample.tsv"))
    tap.equal(len(rows), 600, "morph-sample.tsv has 600 tokens")
    tap.equal([int(r["id"]) for r in rows], list(range(1, 601)), "sample ids run 1..600")
    halves = [r["half"] for r in rows]
    tap.equal((halves.count("tune"), halves.count("held-out")), (300, 300), "sample halves are 300 + 300")
    bad = [r["id"] for r in rows if r["class"] not in ("noun", "adj", "verb", "sverb", "other")]
    tap.equal(bad, [], "every sample class is noun, adj, verb, sverb or other")
    bad = [r["id"] for r in rows if f"[{r['token']}]" not in r["context"]]
    tap.equal(bad, [], "every context shows its token in brackets")
    bad = [r["id"] for r in rows if r["class"] != "other" and not r["lemma"]]
    tap.equal(bad, [], "every content word has a lemma")
    counts = {c: sum(r["class"] == c for r in rows) for c in ("noun", "adj", "verb", "sverb")}
    tap.ok(all(n >= 20 for n in counts.values()), f"each content class has 20+ tokens: {counts}")


def check_compounds(tap):
    rows = evalindep.read_tsv(os.path.join(DATA, "compound-splits.tsv"))
    tap.ok(len(rows) >= 300, f"compound-splits.tsv has 300+ compounds ({len(rows)})")
    bad = [r["word"] for r in rows if r["parts"].replace("+", "") != r["word"] or "+" not in r["parts"]]
    tap.equal(bad, [], "every split spells its word and has a split point")
    known = [r["known"] for r in rows]
    tap.ok(set(known) == {"known", "unknown"} and known.count("unknown") >= 100,
           "compounds known and unknown to the word list, 100+ unknown")
    tap.ok(abs(sum(r["half"] == "tune" for r in rows) - len(rows) / 2) <= 1, "compound halves are even")
    tap.equal(len({r["word"] for r in rows}), len(rows), "no compound twice")


def check_pairs(tap):
    rows = evalindep.read_tsv(os.path.join(DATA, "distinct-pairs.tsv"))
    tap.ok(len(rows) >= 30, f"distinct-pairs.tsv has 30+ pairs ({len(rows)})")
    tap.equal([r["lemma_a"] for r in rows if r["lemma_a"] == r["lemma_b"]], [], "pairs are of two words")


def check_helpers(tap):
    tap.equal(evalindep.gold_points("gegevens+opslag+plaatsen"), {8, 14}, "gold split points")
    # Stems differ from the surface: "jar" of "jaar", "kantor" of "kantoren".
    tap.equal(evalindep.vind_points("bestuursjaar", ["bestur", "jar"]), {8}, "a stemmed part is found")
    tap.equal(evalindep.vind_points("zorgkantoren", ["zorg", "kantor"]), {4}, "head part found")
    tap.equal(evalindep.vind_points("gegevensdeling", ["gev", "deling"]), {8},
              "the first part starts the word even when its term is another word's")
    tap.ok(evalindep.related("bewaking", "bewaken") and evalindep.related("gezond", "gezondheid"),
           "one word family: -ing ~ infinitive, -heid")
    tap.ok(not evalindep.related("boom", "bom") and not evalindep.related("zaak", "zak"),
           "different words are not one family")


def check_collisions(tap):
    """The sampled-token estimate: a token whose term is also a corpus word's of another lemma."""
    import io

    def terms(snowball, vind, lemma):
        t = evalindep.Terms()
        t.snowball, t.vind, t.lemma, t.extra, t.stop = snowball, vind, lemma, [], False
        return t

    table = {"kans": terms("kan", "kans", "kans"), "kan": terms("kan", "kan", "kunnen"),
             "kansen": terms("kans", "kans", "kans")}
    sample = [{"id": "1", "token": "kans", "lemma": "kans", "class": "noun", "forms": "kans,kansen",
               "half": "tune"}]
    out = io.StringIO()
    evalindep.eval_sample_collisions(sample, set(table), {"kans": 3, "kan": 9, "kansen": 1}, table, {}, [], out)
    line = next((l for l in out.getvalue().split("\n") if "content words" in l and " both " in l), "")
    tap.equal(line.split()[-2:], ["100.0%", "0.0%"], "kans~kan (kunnen): merged by Snowball, not by vind")


TINY_SAMPLE = """# tiny
id\ttoken\tlemma\tclass\tforms\thalf\tsource\tcontext
1\tbomen\tboom\tnoun\tboom,bomen,boompje\ttune\tx\tde [bomen] groeien
2\tliep\tlopen\tsverb\tlopen,loop,loopt,liep,liepen,gelopen\theld-out\tx\tze [liep] weg
3\tde\tde\tother\t\ttune\tx\t[de]
"""
TINY_COMPOUNDS = """word\tparts\tknown\thalf
verpleeghuiszorg\tverpleeghuis+zorg\tknown\ttune
cookiemelding\tcookie+melding\tunknown\theld-out
"""
TINY_PAIRS = """lemma_a\tforms_a\tlemma_b\tforms_b\twhy
zaak\tzaak,zaken\tzak\tzak,zakken\tmatter vs. bag
huis\thuis,huizen\tboom\tboom,bomen\tunrelated
"""


def check_run(tap):
    evalmorph = os.path.join(build_dir(), "lexicon", "evalmorph")
    if not os.path.exists(evalmorph):
        tap.ok(False, f"{evalmorph} exists (make all builds it)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("morph-sample.tsv", TINY_SAMPLE), ("compound-splits.tsv", TINY_COMPOUNDS),
                           ("distinct-pairs.tsv", TINY_PAIRS)):
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        r = subprocess.run([sys.executable, os.path.join(REPO, "lexicon", "evalindep.py"), "--evalmorph",
                            evalmorph, "--data", tmp, "--corpus", os.path.join(tmp, "no-corpus")],
                           capture_output=True, text=True, timeout=120)
    tap.equal(r.returncode, 0, "evalindep runs on a tiny input", )
    out = r.stdout
    tap.ok("Wrong merges over the word list: skipped" in out, "without corpus and word list, section 1 is skipped")
    line = next((l for l in out.split("\n") if l.strip().startswith("noun ") and " both " in l), "")
    tap.ok(line.split()[-4:-2] == ["0.0%", "100.0%"],
           "boom/bomen/boompje: Snowball 0%, vind 100% of noun tokens", line)
    line = next((l for l in out.split("\n") if "snowball" in l and " of 2 " in l), "")
    tap.ok(" 1 of 2 " in line and "zaak~zak" in line and "huis~boom" not in line,
           "Snowball merges zaak~zak, not huis~boom", line)
    compounds = out.split("3. Compound")[-1]
    line = next((l for l in compounds.split("\n") if l.strip().startswith("all ") and " both " in l), "")
    tap.ok(line.split()[2:4] == ["2", "2"], "two compounds, two gold split points", line)
    if r.returncode:
        tap.diag(r.stderr[-2000:])


def check_collision_sample(tap):
    """tests/morph/collision-sample.tsv is whole and judged; collisions.py counts a split pair."""
    sys.path.insert(0, os.path.join(REPO, "tests", "morph"))
    import collisions
    rows = evalindep.read_tsv(os.path.join(REPO, "tests", "morph", "collision-sample.tsv"))
    weighted = sum(int(r["draws"]) for r in rows if r["draw"] == "weighted")
    uniform = sum(1 for r in rows if r["draw"] == "uniform")
    tap.equal((weighted, uniform), (300, 100), "collision sample: 300 weighted draws, 100 uniform pairs")
    bad = [r["a"] for r in rows if r["judgement"] not in ("same", "different") or not r["why"]
           or r["half"] not in ("tune", "held-out")]
    tap.equal(bad, [], "every collision pair is judged, with a reason and a half")

    def terms(vind, extra=()):
        t = evalindep.Terms()
        t.snowball, t.vind, t.lemma, t.extra, t.stop = vind, vind, vind, list(extra), False
        return t
    sample = [dict(draw="weighted", half="tune", draws="3", a="als", b="al", judgement="different", why="x"),
              dict(draw="weighted", half="tune", draws="2", a="kans", b="kansen", judgement="same", why="x")]
    out = io.StringIO()
    collisions.evaluate(sample, {"als": terms("als"), "al": terms("al"), "kans": terms("kans"),
                                 "kansen": terms("kans")}, out)
    tap.ok(" 5          2      2    100.0%              0          0" in out.getvalue(),
           "a different pair no longer joined leaves the joined draws")


def main():
    tap = Tap()
    check_sample(tap)
    check_compounds(tap)
    check_pairs(tap)
    check_helpers(tap)
    check_collisions(tap)
    check_collision_sample(tap)
    check_run(tap)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
