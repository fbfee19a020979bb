#!/usr/bin/env python3
"""test_searchd_replaced.py - vind-searchd serves another database whose files are copied into
the folder it serves (an index built elsewhere and deployed with `rsync -a --delete new/ db/` or
`cp new/* db/`), even when that database is at the same revision as the one it replaces.

Until session 18 the daemon kept answering from the old database (its deleted files, its result
cache, its remembered absent words) until the next commit or SIGHUP: Xapian's reopen sees the same
revision and does nothing, and the folder (its device and inode, the result cache's identity of
the database) stays the same. The hostile probe of session 18 (docs/security.md).

Two small generated sites, each of five articles about a word of its own, are indexed apart (both
at the same revision); the daemon serves the first, then the second's files replace the first's in
two ways: removed and copied (rsync, cp after rm) and written over in place (cp onto the files);
and once more with the old database two commits ahead (another revision: Xapian's reopen reads
the new files; the caches must take them for another database).
"""

import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, index_site, query, require_programs, write_article  # noqa: E402

tap = Tap()
OLD_WORD, NEW_WORD = "alfakwispel", "bravokwispel"
ARTICLES = 5


def total(sd, word):
    status, data = sd.json("/api/search?" + query(q=word))
    return data.get("total") if status == 200 and data else ("status", status)


def replace_removing(db, new_db):
    """The old files removed, the new ones copied in (what rsync --delete and rm; cp do)."""
    for name in os.listdir(db):
        path = os.path.join(db, name)
        shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
    for name in os.listdir(new_db):
        shutil.copy2(os.path.join(new_db, name), os.path.join(db, name))


def replace_over(db, new_db):
    """The new files written over the old ones in place (cp onto existing files: same inodes)."""
    for name in os.listdir(new_db):
        shutil.copyfile(os.path.join(new_db, name), os.path.join(db, name))


def revision(sd):
    status, health = sd.json("/health")
    return health.get("revision") if status == 200 and health else None


def main():
    if not require_programs(tap, "a database copied into the served folder", "vind-searchd", "vind-index"):
        tap.done()
        return
    for how, replace, old_commits in (("removed, then copied in", replace_removing, 1),
                                      ("written over in place", replace_over, 1),
                                      ("copied in at a lower revision", replace_removing, 2)):
        with tempfile.TemporaryDirectory() as tmp:
            old_site, new_site = os.path.join(tmp, "old"), os.path.join(tmp, "new")
            for n in range(1, ARTICLES + 1):
                write_article(old_site, n, word=OLD_WORD)
                write_article(new_site, n, word=NEW_WORD)
            db, new_db = os.path.join(tmp, "db"), os.path.join(tmp, "new-db")
            index_site(db, old_site)
            if old_commits == 2:  # one more commit: the old database is ahead of the new one
                write_article(old_site, ARTICLES + 1, word="deltakwispel")
                index_site(db, old_site)
                os.unlink(os.path.join(old_site, "actueel", "bericht-%02d" % (ARTICLES + 1), "index.html"))
                index_site(db, old_site)
            index_site(new_db, new_site)
            with Searchd(db, "--threads", "2") as sd:
                before = (total(sd, OLD_WORD), total(sd, NEW_WORD))  # both answers cached now
                old_revision = revision(sd)
                replace(db, new_db)
                time.sleep(1.0)  # five reopen checks (VIND_SEARCHD_REOPEN_MS, 0.2 s)
                # Every searcher (two a thread) must have moved: eight searches on new connections.
                after = [(total(sd, OLD_WORD), total(sd, NEW_WORD)) for _ in range(8)]
                with Searchd(db) as fresh:
                    expected = (total(fresh, OLD_WORD), total(fresh, NEW_WORD))
                    new_revision = revision(fresh)
                same = old_revision == new_revision
                tap.ok(before == (ARTICLES, 0) and expected == (0, ARTICLES) and
                       (same if old_commits == 1 else old_revision > new_revision),
                       "%s: the two databases differ, at revisions %s and %s" % (how, old_revision, new_revision),
                       (before, expected, old_revision, new_revision))
                tap.ok(all(answer == expected for answer in after),
                       "%s: the new database is served (%s %d, %s %d), not the old one"
                       % (how, OLD_WORD, expected[0], NEW_WORD, expected[1]), after)
                # A commit after it is served as usual.
                write_article(new_site, ARTICLES + 1, word="charliekwispel")
                index_site(db, new_site)
                time.sleep(1.0)
                tap.ok(all(total(sd, "charliekwispel") == 1 for _ in range(8)),
                       "%s: a commit after it is served" % how)
            tap.ok(sd.exit_code == 0 and "AddressSanitizer" not in sd.log(),
                   "%s: the daemon exits 0, no sanitizer report" % how, sd.log()[-2000:])
    tap.done()


if __name__ == "__main__":
    main()
