#!/usr/bin/env python3
"""test_count_limit.py - the count limit: exact below it, "ongeveer N" past it (issue 14).

A generated site (test_shards.generate) is indexed as one database and as 2 shards, served
both as a local stub and by two xapian-tcpsrv on 127.0.0.1 (remote shards: stock servers end
the passes themselves, docs/scaling.md). Over each:
  1. with --count-limit 0 (count all) a common word's total and facet counts are exact;
  2. with a limit above its matches the answer is the same, byte for byte (marked exact);
  3. with --count-limit 20 it is marked an estimate: "total_exact": false, bounds that hold
     the true count, "facets_exact": false and every facet count a lower bound of the true
     one; `vind search` says "ongeveer" and `vind count` says so too (JSON: "exact": false
     and the bounds), also with a facet filter (tested per document) and per year, where the
     counting pass stops (it counts fewer than all matches);
  4. vind-searchd --count-limit 20: /api/search has the marks, /zoeken says "ongeveer N
     resultaten" with the bounds and shows facet counts as "(N+)".
docs/scaling.md, "Exact counts, or 'ongeveer'".
"""

import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, index_site, query, require_programs  # noqa: E402
from test_shards import TcpSrv, generate, vind  # noqa: E402

tap = Tap()
WORD = "gemeente bewoner"  # two common words: an AND, whose count Xapian can only estimate
LIMIT = 5


def search(db, *args):
    code, out, err = vind(db, "search", "--facets", "--format", "json", *args)
    return (json.loads(out) if code == 0 else None), err


def facet_counts(answer):
    return {(f, v["value"]): v["count"] for f, values in answer["facets"].items() for v in values}


def check_layout(name, db):
    exact, _ = search(db, "--count-limit", "0", WORD)
    truth = exact["total"] + exact["fallback_total"]
    tap.ok(exact["total_exact"] and exact["facets_exact"] and truth > 4 * LIMIT
           and exact["total_lower"] == exact["total_upper"] == truth,
           "%s: --count-limit 0 counts all %d matches of %r exactly" % (name, truth, WORD),
           {k: exact.get(k) for k in ("total", "total_exact", "total_lower", "total_upper")})
    under, _ = search(db, "--count-limit", str(truth + 1), WORD)
    default, _ = search(db, WORD)
    tap.ok(under == exact and default == exact,
           "%s: a limit above the matches (and the default) answers exactly the same" % name)

    capped, err = search(db, "--count-limit", str(LIMIT), WORD)
    lower, upper = capped["total_lower"], capped["total_upper"]
    tap.ok(capped["total_exact"] is False and lower <= truth <= upper and lower <= capped["total"] <= upper
           and lower >= LIMIT and lower < truth,
           "%s: --count-limit %d: an estimate %d between %d and %d, the true count %d inside"
           % (name, LIMIT, capped["total"], lower, upper, truth),
           {k: capped.get(k) for k in ("total", "total_exact", "total_lower", "total_upper")})
    true_counts = facet_counts(exact)
    low_counts = facet_counts(capped)
    over = {k: (v, true_counts.get(k, 0)) for k, v in low_counts.items() if v > true_counts.get(k, 0)}
    tap.ok(capped["facets_exact"] is False and low_counts and not over
           and sum(low_counts.values()) < sum(true_counts.values()),
           "%s: past the limit the facet counts are marked and are lower bounds" % name, over)
    code, _, err = vind(db, "search", "--facets", "--count-limit", str(LIMIT), WORD)
    tap.ok("ongeveer %d resultaten" % (capped["total"] + capped["fallback_total"]) in err
           and "tussen %d en %d" % (lower, upper) in err,
           "%s: vind search says 'ongeveer N resultaten (tussen L en U ...)'" % name, err)
    tap.ok([h["url"] for h in capped["results"]] == [h["url"] for h in exact["results"]],
           "%s: the page of hits is the same with the limit" % name)

    code, out, err = vind(db, "count", "--count-limit", str(LIMIT), "--format", "json", WORD)
    counted = json.loads(out) if code == 0 else {}
    tap.ok(counted.get("exact") is False and counted["lower"] <= exact["total"] <= counted["upper"],
           "%s: vind count --format json: exact false with bounds that hold %d" % (name, exact["total"]),
           counted)
    code, out, err = vind(db, "count", "--count-limit", str(LIMIT), WORD)
    tap.ok(code == 0 and out.strip().isdigit() and "ongeveer" in err,
           "%s: vind count says on stderr that its count is approximate" % name, err)
    code, out, _ = vind(db, "count", "--format", "json", WORD)
    tap.ok(code == 0 and json.loads(out) == {"query": WORD, "total": exact["total"], "exact": True},
           "%s: vind count under the limit: exact" % name, out)

    # A facet filter is tested per examined document: the share that passed, scaled.
    tag = max((k for k in true_counts if k[0] == "tag"), key=lambda k: true_counts[k])[1]
    filtered, _ = search(db, "--count-limit", "0", "--tag", tag, WORD)
    capped_f, _ = search(db, "--count-limit", str(LIMIT), "--tag", tag, WORD)
    true_f = filtered["total"] + filtered["fallback_total"]
    tap.ok(capped_f["total_exact"] is False and capped_f["total_lower"] <= true_f <= capped_f["total_upper"],
           "%s: with the filter --tag %s the bounds hold its %d matches (%d..%d)"
           % (name, tag, true_f, capped_f["total_lower"], capped_f["total_upper"]))
    code, out, _ = vind(db, "count", "--by", "year", "--format", "json", "--count-limit", "0", WORD)
    years = {v["value"]: v["count"] for v in json.loads(out)["values"]}
    code, out, err = vind(db, "count", "--by", "year", "--format", "json", "--count-limit", str(LIMIT), WORD)
    low_years = json.loads(out)
    tap.ok(low_years["exact"] is False
           and all(v["count"] <= years.get(v["value"], 0) for v in low_years["values"])
           and sum(v["count"] for v in low_years["values"]) < sum(years.values()),
           "%s: vind count --by year past the limit: lower bounds per year, the pass stopped "
           "(%d of %d counted)" % (name, sum(v["count"] for v in low_years["values"]),
                                   sum(years.values())))
    # One word: Xapian knows its count (the document frequency), so the total stays exact past
    # the limit; the facet counts still cover only the matches examined.
    one_exact, _ = search(db, "--count-limit", "0", "zorg")
    filtered_reference = {(WORD,): exact, ("--tag", tag, WORD): filtered, ("zorg",): one_exact}
    one, _ = search(db, "--count-limit", str(LIMIT), "zorg")
    tap.ok(one["total_exact"] is True and one["total"] == one_exact["total"] > LIMIT
           and one["facets_exact"] is False,
           "%s: one word past the limit: exact total %d, facet counts marked lower bounds"
           % (name, one["total"]), {k: one.get(k) for k in ("total", "total_exact", "facets_exact")})
    return filtered_reference


def daemon(db, exact):
    with Searchd(db, "--count-limit", str(LIMIT)) as sd:
        status, data = sd.json("/api/search?" + query(q=WORD, facets="1"))
        truth = exact["total"] + exact["fallback_total"]
        tap.ok(status == 200 and data["total_exact"] is False and data["facets_exact"] is False
               and data["total_lower"] <= truth <= data["total_upper"] and data["partial"] is False,
               "vind-searchd --count-limit %d: /api/search marks the estimate and its bounds" % LIMIT,
               {k: data.get(k) for k in ("total", "total_exact", "total_lower", "total_upper")})
        status, _, body = sd.get("/zoeken?" + query(q=WORD))
        page = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        found = re.search(r'id="vind-status"[^>]*>([^<]*)<', page)
        tap.ok(status == 200 and found and "ongeveer" in found.group(1),
               "/zoeken says 'ongeveer N resultaten'", found and found.group(1))
        tap.ok("Te veel resultaten om precies te tellen" in page and re.search(r"\(\d+\+\)", page),
               "/zoeken names the bounds and shows facet counts as lower bounds '(N+)'")
        status, data = sd.json("/api/search?" + query(q="schoonmaak", facets="1"))
        tap.ok(status == 200 and data["total_exact"] is True and data["total"] < LIMIT,
               "a word with fewer matches than the limit stays exact (%s)" % (data or {}).get("total"))


def main():
    if not require_programs(tap, "the count limit", "vind", "vind-index", "vind-searchd"):
        return tap.done()
    tcpsrv = shutil.which("xapian-tcpsrv")
    with tempfile.TemporaryDirectory(prefix="vind-count-limit-") as tmp:
        site = os.path.join(tmp, "site")
        generate(site, int(os.environ.get("VIND_COUNT_LIMIT_DOCS", "300")))
        one, two = os.path.join(tmp, "one"), os.path.join(tmp, "two")
        index_site(one, site)
        index_site(two, site, extra=["--shards", "2"])
        reference = check_layout("one database", one)
        check_layout("2 local shards", two)
        if tcpsrv:
            servers = [TcpSrv(os.path.join(two, "shard-%d" % s)) for s in range(2)]
            try:
                remote = os.path.join(tmp, "remote")
                os.makedirs(remote)
                with open(os.path.join(remote, "XAPIANDB"), "w") as f:
                    f.write("".join("remote 127.0.0.1:%d\n" % s.port for s in servers))
                check_layout("2 remote shards", remote)
            finally:
                for server in servers:
                    server.stop()
        else:
            tap.skip("the count limit over remote shards", "xapian-tcpsrv not installed")
        daemon(one, reference[(WORD,)])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
