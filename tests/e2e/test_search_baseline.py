"""test_search_baseline.py - what `vind search` and `vind count` find over the shared corpus has not changed:
every request of tests/data/search-baseline.json (recorded by record_baseline.py before issue 12 rewrote the
search passes) gives the same URLs in the same order, the same total, the same facet counts, suggestion and
any-word fallback. Snippets and scores are not compared.

The index is built once (vind-index --base-url / site pdf; or $VIND_CLI_TEST_DB, an index made before).
Skips without the corpus unless CI=true.
"""

import concurrent.futures
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import REPO, Tap, corpus, index_site, require_corpus, require_programs  # noqa: E402
from record_baseline import answer  # noqa: E402

tap = Tap()


def main():
    if not require_corpus(tap, "search baseline over the corpus"):
        return
    if not require_programs(tap, "search baseline over the corpus", "vind", "vind-index"):
        return
    with open(os.path.join(REPO, "tests", "data", "search-baseline.json"), encoding="utf-8") as f:
        rows = json.load(f)["requests"]
    with tempfile.TemporaryDirectory(prefix="vind-baseline-") as tmp:
        db = os.environ.get("VIND_CLI_TEST_DB") or os.path.join(tmp, "db")
        if not os.environ.get("VIND_CLI_TEST_DB"):
            index_site(db, os.path.join(corpus(), "site"), extra=[os.path.join(corpus(), "pdf")])
        # Two requests at a time: run.sh runs one test at a time, so on CI's two cores one
        # sat idle while 895 `vind` processes started one after the other (minutes under ASan).
        # map() keeps the order of the requests: the report is the same as one at a time.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda row: answer(db, row["args"]), rows))
        differ = []
        for row, got in zip(rows, answers):
            if got != row["answer"]:
                differ.append("vind %s\n  now:    %s\n  before: %s" % (
                    " ".join(row["args"]), json.dumps(got, ensure_ascii=False)[:400],
                    json.dumps(row["answer"], ensure_ascii=False)[:400]))
        tap.ok(rows and not differ, "%d requests answer as recorded (urls, total, facets, suggestion): %d differ"
               % (len(rows), len(differ)), "\n".join(differ[:15]))


main()
sys.exit(tap.done())
