#!/usr/bin/env python3
"""test_compact.py - `vind-index --compact` keeps every answer, and an interrupted one keeps the old
index serving (issue 14; docs/scaling.md, "Index size").

A generated site (test_shards.generate) is indexed as one database and as 2 shards; then its first
and last articles are deleted (so the docids have a gap at the start and the highest one is
deleted: a renumbering compaction would move every document's text store key, and a new document
could take a deleted one's id). Over each layout:
  1. `vind-index --compact` compacts it beside and swaps it in: exit 0, smaller on disk, the shards
     still shards, and every answer byte for byte the same (test_shards.REQUESTS: searches with
     facets and snippets, counts, kwic, related, doc --text; plus every stored record with its
     text, the stats and the rankings); a vind-searchd open on the index answers alike after it;
  2. an incremental run after the compaction adds a document whose text is its own;
  3. a compaction killed (SIGKILL at its first table sync, tests/e2e/write_faults.c) or failing
     on a full disk leaves the index as it was, answering alike; the next --compact removes the
     partial copy and succeeds.
Then --db a symbolic link to the index's folder, and a shard folder (DB/shard-1) a symbolic link to
another disk, compacted, rebuilt by a schema upgrade (3 -> current), and both in one run: the shard
stays on its disk behind its link, and its old folder is removed with the old index (session 14).
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, index_site, query, require_programs  # noqa: E402
from test_shards import answers, generate, vind  # noqa: E402
from vindlib import build_write_faults, fault_env, snapshot  # noqa: E402

tap = Tap()
QUERIES = ["zorg", "wonen buurt", '"eigen risico"', "verpleeg*", "de"]


def compact(db, environment=None):
    return subprocess.run([binary("vind-index"), "--compact", "--db", db], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=environment or env(), timeout=120)


def size(folder):
    return sum(os.path.getsize(os.path.join(root, name))
               for root, _, names in os.walk(folder) for name in names)


def beside(db, kind):
    parent, base = os.path.split(db)
    return sorted(n for n in os.listdir(parent) if n.startswith(base + "." + kind))


def state(db):
    return answers(db), snapshot(db, QUERIES)


def interrupted(name, db, before, shim):
    """A kill and a full disk during the compaction: the old index stays, answering alike."""
    if not shim:
        tap.skip("%s: an interrupted compaction" % name, "no C compiler for write_faults.c")
        return
    parent = os.path.dirname(db)
    killed = compact(db, fault_env(shim, parent, VIND_KILL_AT="sync"))
    tap.ok(killed.returncode == -9 and len(beside(db, "rebuild")) == 1,
           "%s: a compaction killed at its first sync leaves its partial copy beside" % name,
           (killed.returncode, killed.stderr[-300:], os.listdir(parent)))
    tap.ok(state(db) == before, "%s: after the kill the index answers as before" % name)
    full_env = fault_env(shim, parent, VIND_ENOSPC_AFTER="20000")
    # Xapian 1.4's compactor leaks its output tables' buffers when a write fails (~64 kB, all
    # allocated in libxapian); LeakSanitizer would turn the exit 2 into 1 under ASan.
    full_env["ASAN_OPTIONS"] += ":detect_leaks=0"
    full = compact(db, full_env)
    tap.ok(full.returncode == 2 and b"compact" in full.stderr and not beside(db, "rebuild"),
           "%s: a compaction on a full disk fails (exit 2), removing its partial copy "
           "and the killed one's" % name, (full.returncode, full.stderr[-300:], os.listdir(parent)))
    tap.ok(state(db) == before, "%s: after the full disk the index answers as before" % name)


def layout(name, db, site, shim, sharded):
    before = state(db)
    on_disk = size(db)
    interrupted(name, db, before, shim)
    with Searchd(db) as sd:
        path = "/api/search?" + query(q="zorg wonen", facets="1", limit="20")
        served = sd.json(path)
        result = compact(db)
        tap.ok(result.returncode == 0 and b"compacted" in result.stderr and size(db) < on_disk,
               "%s: vind-index --compact: %d -> %d bytes" % (name, on_disk, size(db)),
               result.stderr[-300:])
        tap.ok(len(beside(db, "old-compact")) == 1 and not beside(db, "rebuild"),
               "%s: the old index waits beside for its readers" % name, os.listdir(os.path.dirname(db)))
        tap.equal(sd.json(path), served, "%s: vind-searchd open during the swap answers alike" % name)
    if sharded:
        with open(os.path.join(db, "XAPIANDB")) as f:
            lines = [line.split() for line in f if not line.startswith("#")]
        tap.equal(lines, [["auto", "shard-0"], ["auto", "shard-1"]], "%s: still 2 shards" % name)
    after = state(db)
    differing = [i for i, (a, b) in enumerate(zip(before[0], after[0])) if a != b]
    tap.ok(not differing, "%s: every request answers as before the compaction" % name,
           differing and (before[0][differing[0]], after[0][differing[0]]))
    tap.ok(after[1] == before[1], "%s: every stored record and text, the stats and the rankings "
           "are unchanged" % name)
    # After the compaction: the next run removes the old index, and a new document's text is its
    # own (the highest docid ever used was kept).
    page = os.path.join(site, "actueel", "bericht-9999", "index.html")
    os.makedirs(os.path.dirname(page), exist_ok=True)
    with open(page, "w", encoding="utf-8") as f:
        f.write("<html lang=nl><head><title>Nieuw na compactie</title></head><body><article>"
                "<h1>Nieuw na compactie</h1><p>Compactieproef in de wijk.</p></article></body></html>")
    index_site(db, site)
    code, out, _ = vind(db, "doc", "--text", "/actueel/bericht-9999/")
    tap.ok(code == 0 and "Compactieproef in de wijk" in out and not beside(db, "old-compact"),
           "%s: a document added after the compaction has its own text" % name, out[-300:])
    os.remove(page)
    os.rmdir(os.path.dirname(page))


def linked(tmp, site):
    """--db a symbolic link to the index on another disk (/var/lib/vind/site.db -> /data/site.db):
    the compaction swaps at the folder the link leads to, so the link stays and nothing is ever
    deleted through it. Before (session 10's probe) the link was swapped aside as
    site.db.old-compact-T and the next run deleted the real index's files through it."""
    def documents(db):
        return (vind(db, "stats")[1].splitlines() or ["no index"])[0]

    real = os.path.join(tmp, "data", "site.db")
    os.makedirs(os.path.dirname(real))
    index_site(real, site)
    count = documents(real)
    link = os.path.join(tmp, "work", "linked.db")
    os.symlink(real, link)
    result = compact(link)
    tap.ok(result.returncode == 0 and os.path.islink(link) and os.readlink(link) == real,
           "a --db that is a symbolic link: compacted, and the link still leads to its folder",
           result.stderr[-300:])
    tap.ok(len(beside(real, "old-compact")) == 1 and not beside(link, "old-compact"),
           "... the old index waits beside the folder, not beside the link",
           os.listdir(os.path.dirname(real)))
    # A link left beside by an older vind, leading to a copy that must survive.
    copy = os.path.join(tmp, "data", "copy.db")
    shutil.copytree(real, copy)
    os.symlink(copy, link + ".old-compact-1")
    index_site(link, site)
    tap.ok(documents(real) == count and not beside(real, "old-compact"),
           "the next run removes the old index beside the folder; the index holds its %s" % count)
    tap.ok(not os.path.lexists(link + ".old-compact-1") and
           documents(copy) == count,
           "a leftover symbolic link beside --db is removed itself, never what it leads to")


def linked_shard(tmp, site, name, what, make, change):
    """DB/shard-1 a symbolic link to a folder on another disk (DB/shard-1 -> /disk2/shard-1):
    make(db) makes the index, change(db) compacts or rebuilds it. The new copy of the shard is
    written on its disk beside its old folder and DB/shard-1 made a link to it; the next run removes
    the old index and its shard's old folder. Before (session 14's probe) the copy was written into
    DB, replacing the link with a folder on the index's disk, and /disk2/shard-1 stayed behind, a
    stale copy whose room was never freed."""
    def documents(db):
        return (vind(db, "stats")[1].splitlines() or ["no index"])[0]

    db = os.path.join(tmp, name, "site.db")
    disk = os.path.join(tmp, name, "disk2")
    os.makedirs(disk)
    make(db)
    shutil.move(os.path.join(db, "shard-1"), os.path.join(disk, "shard-1"))
    os.symlink(os.path.join(disk, "shard-1"), os.path.join(db, "shard-1"))
    count, found = documents(db), vind(db, "search", "--format", "json", "--limit", "50", "zorg")[1]
    result = change(db)
    shard = os.path.join(db, "shard-1")
    target = os.path.realpath(shard)
    tap.diag("%s: %s" % (what, result.stderr.strip()[-200:]))
    tap.ok(result.returncode == 0 and os.path.islink(shard) and os.path.dirname(target) == disk
           and target != os.path.join(disk, "shard-1"),
           "%s of an index whose shard-1 is a symbolic link to another disk: the link stays, and "
           "leads to the new copy on that disk" % what,
           (result.returncode, result.stderr[-300:], os.path.islink(shard), target))
    tap.ok(documents(db) == count and
           vind(db, "search", "--format", "json", "--limit", "50", "zorg")[1] == found,
           "... the index answers as before (%s)" % count)
    # A folder the operator named like an old index, linking to a database of their own: the
    # next run removes the folder and its link (as before), never the database it leads to.
    keep = os.path.join(tmp, name, "keep")
    shutil.copytree(target, keep)
    os.makedirs(db + ".old-backup")
    os.symlink(keep, os.path.join(db + ".old-backup", "shard-0"))
    index_site(db, site)
    tap.ok(os.path.exists(os.path.join(keep, "iamglass")) and not os.path.lexists(db + ".old-backup"),
           "... a folder site.db.old-backup (not a name vind gives) is removed with its shard link, "
           "never the database the link leads to", os.listdir(os.path.dirname(db)))
    tap.ok(sorted(os.listdir(disk)) == [os.path.basename(target)] and os.path.dirname(target) == disk
           and not beside(db, "old-"),
           "... the next run removes the old index and its shard's old folder: %s holds only %s"
           % (os.path.basename(disk), os.path.basename(target)), os.listdir(disk))
    tap.ok(documents(db) == count and os.path.realpath(shard) == target,
           "... and the index keeps its %s and its shard on the other disk" % count)


def main():
    if not require_programs(tap, "compaction", "vind", "vind-index", "vind-searchd"):
        return tap.done()
    with tempfile.TemporaryDirectory(prefix="vind-compact-") as tmp:
        shim, _ = build_write_faults(tmp)
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        documents = int(os.environ.get("VIND_COMPACT_DOCS", "200"))
        for name, extra in (("one database", []), ("2 local shards", ["--shards", "2"])):
            site = os.path.join(tmp, "site")
            shutil.rmtree(site, ignore_errors=True)
            generate(site, documents)
            db = os.path.join(work, name.replace(" ", "-"))
            index_site(db, site, extra=extra)
            for gone in ("bericht-0000", "bericht-%04d" % (documents - 1)):
                shutil.rmtree(os.path.join(site, "actueel", gone))
            index_site(db, site)
            code, _, _ = vind(db, "doc", "/actueel/bericht-0000/")
            tap.ok(code != 0, "%s: the first and last documents are deleted before compacting" % name)
            layout(name, db, site, shim, bool(extra))
        linked(tmp, site)

        def upgrade(db, *extra):
            result = subprocess.run([binary("vind-index"), "--db", db, "--base-url", "/"] + list(extra)
                                    + [site], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                                    timeout=300)
            result.stderr = result.stderr.decode("utf-8", "replace")
            return result

        linked_shard(tmp, site, "compacted", "--compact", lambda db: index_site(db, site, extra=["--shards", "2"]),
                     compact)
        old_schema = dict(env(), VIND_INDEX_WRITE_SCHEMA="3")

        def schema_3(db):
            subprocess.run([binary("vind-index"), "--db", db, "--base-url", "/", "-q", "--shards", "2", site],
                           env=old_schema, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=300)

        linked_shard(tmp, site, "upgraded", "a schema upgrade (3 -> current)", schema_3, upgrade)
        # Both in one run, often within one second: each new folder has a name of its own.
        linked_shard(tmp, site, "both", "a schema upgrade and --compact in one run", schema_3,
                     lambda db: upgrade(db, "--compact"))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
