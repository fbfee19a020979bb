#!/usr/bin/env python3
"""test_crash.py - kill -9 of vind-index at random moments (issue 8, crash recovery).

A clean run indexes a tree into one index and takes its snapshot (tests/e2e/vindlib.py: every
document's stored record and text, the stats, the ranked answers to QUERIES). Then, on a second
index of the same tree:

1. fresh phase: runs that build the index from nothing are killed (SIGKILL, vind-index only, as
   an OOM killer or a power cut would) at random moments of the clean run's duration. After each
   kill the index opens, its stats and searches answer (through libvind, and `vind stats` /
   `vind search` when the CLI has them), and every document it holds is exactly the clean one: a
   reader sees whole commits, never a half-written document. The next run starts at once (the
   lock died with the process).
2. a run that is not killed completes the index: its snapshot equals the clean one.
3. --full phase: rebuilds of the complete index are killed the same way. After each kill the
   index still equals the clean snapshot exactly (nothing of the killed run was committed, or all
   of it was).
4. a last --full run completes: equal to the clean snapshot again.

5. kills inside a commit: random moments almost never hit the commit (the last ~0.1 s of a
   run), so tests/e2e/write_faults.c (LD_PRELOAD) makes vind-index SIGKILL itself at a chosen
   step of its final commit: at the first table sync, at the first write of the new version
   file, just before and just after the rename that is the commit point. Before the rename the
   index must be the previous one (empty for a fresh index, the clean one for --full), after it
   the new one (the clean one); each time the next run completes it.

Orphaned extraction workers (files are extracted in forked worker processes, lib/isolate.c) must end
on their own once their parent is gone.

Modes:
  default (make check): 5 kills on 16 copies of the sample site (~6 s a run), and kills just
      before and just after the commit point; on an ASan build 2 kills and one commit kill.
  VIND_CRASH_FULL=1 (make check-crash): 20 kills during full indexes of the shared corpus
      ($CORPUS/site and $CORPUS/pdf; skipped when absent unless CI=true), and kills at four
      steps of the final commit of a fresh index and of a --full rebuild.
  VIND_CRASH_SEED=N: the random seed (default 20240611); printed, so a failure reproduces.
  VIND_CRASH_KILLS=N: the number of kills.
Standard library only; TAP.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap  # noqa: E402
from vindlib import (BUILD, TOP, build_write_faults, differences, fault_env, sanitized,  # noqa: E402
                     snapshot)

CORPUS = os.environ.get("CORPUS", os.path.join(os.path.dirname(TOP), "shared", "corpus"))
FULL = os.environ.get("VIND_CRASH_FULL") == "1"
SEED = int(os.environ.get("VIND_CRASH_SEED", "20240611"))
INDEX = os.path.join(BUILD, "bin", "vind-index")
# Under ASan (make check runs every test on build-asan too) a run takes 3-5 times longer, and
# the kills test the commit protocol, not memory errors: fewer of them there.
SLOW = os.access(INDEX, os.R_OK) and sanitized(INDEX)
KILLS = int(os.environ.get("VIND_CRASH_KILLS", "20" if FULL else "2" if SLOW else "5"))
VIND = os.path.join(BUILD, "bin", "vind")

# Words of both trees (sample site: care; corpus: Dutch government IT), with a phrase, a prefix
# and an English word, so rankings depend on positions, stems and collection statistics.
QUERIES = ["zorg", "bewoners", "mantelzorgers", "verpleeghuis", "\"open source\"", "api",
           "gemeente", "toegankelijkheid", "beveilig*", "digitale overheid", "standaarden",
           "evaluatie", "privacy"]
# The fields of a record that a kill must never leave half-written.
CORE_FIELDS = ("url", "path", "type", "title", "date", "author", "description", "text", "pages")

tap = Tap()


def cli_has(command):
    if not os.access(VIND, os.X_OK):
        return False
    probe = subprocess.run([VIND, command, "--help"], capture_output=True, text=True)
    return probe.returncode == 0


def descendants(pid):
    """Pids of pid's children and their children (from /proc)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir("/proc/%d/task" % parent)
        except OSError:
            continue
        for task in tasks:
            try:
                with open("/proc/%d/task/%s/children" % (parent, task)) as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split(") ")[-1][:1] not in ("Z", "X")
    except OSError:
        return False


def index_command(db, roots, full):
    return [INDEX, "--db", db, "--base-url", "/", "--quiet"] + (["--full"] if full else []) + roots


def run(db, roots, full=False):
    started = time.time()
    proc = subprocess.run(index_command(db, roots, full), capture_output=True, text=True,
                          errors="replace")
    return proc.returncode, proc.stderr, time.time() - started


def run_and_kill(db, roots, full, delay):
    """Starts vind-index, SIGKILLs it after delay seconds. Returns (killed mid-run, stderr tail,
    pids of the extraction children it had at the kill)."""
    proc = subprocess.Popen(index_command(db, roots, full), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.time() + delay
    while time.time() < deadline and proc.poll() is None:
        time.sleep(min(0.01, max(0.0, deadline - time.time())))
    mid_run = proc.poll() is None
    children = descendants(proc.pid) if mid_run else []
    proc.send_signal(signal.SIGKILL)
    stderr = proc.communicate()[1].decode("utf-8", "replace")
    return mid_run, stderr[-500:], children


def core(record):
    return {key: (record or {}).get(key) for key in CORE_FIELDS}


# Steps of a commit to die at, and which occurrence is the run's final commit. A fresh index
# is committed three times (strace): Xapian's creation (1 sync, 1 version file, 1 rename), the
# schema version (vind_index_open: 3 syncs), the run (6 syncs); a --full rebuild commits once.
COMMIT_POINTS = [  # (point, nth on a fresh index, nth on --full, committed when killed there)
    ("sync", 5, 1, False),
    ("version", 3, 1, False),
    ("rename-before", 3, 1, False),
    ("rename-after", 3, 1, True),
]


def commit_kills(tmp, db, roots, clean):
    """Step 5 above."""
    shim, why = build_write_faults(tmp)
    if why:
        tap.skip("kills inside a commit", why)
        return
    points = COMMIT_POINTS if FULL else COMMIT_POINTS[2:3] if SLOW else COMMIT_POINTS[2:4]
    for point, nth_fresh, nth_full, committed in points:
        for full in (False, True):
            if not full:
                shutil.rmtree(db, ignore_errors=True)
            label = "killed at %s of the final commit of a %s" % (
                point, "--full rebuild" if full else "fresh index")
            env = fault_env(shim, db, VIND_KILL_AT=point, VIND_KILL_NTH=nth_full if full else nth_fresh)
            proc = subprocess.run(index_command(db, roots, full), capture_output=True, text=True,
                                  errors="replace", env=env)
            tap.ok(proc.returncode == -signal.SIGKILL, "%s: the run died there" % label,
                   "exit %d: %s" % (proc.returncode, proc.stderr[-500:]))
            try:
                now = snapshot(db, QUERIES)
            except RuntimeError as error:
                now = {"documents": {"the index does not open: %s" % error: None}}
            if full or committed:
                found = differences(clean, now) if "stats" in now else list(now["documents"])
                tap.ok(not found, "%s: the index equals the clean one (%d documents)"
                       % (label, len(now["documents"])), "\n".join(found))
            else:
                tap.ok(not now["documents"], "%s: the index is the previous, empty one" % label,
                       "\n".join(list(now["documents"])[:3]))
            code, stderr, seconds = run(db, roots, full)
            found = differences(clean, snapshot(db, QUERIES)) if code in (0, 1) else ["exit %d" % code]
            tap.ok(not found, "%s: the next run completes it (%.1f s)" % (label, seconds),
                   "\n".join(found) + stderr[-500:])


def check_after_kill(label, db, clean, exact):
    """The index after a kill: opens, answers, holds only whole clean documents (exact: equals the
    clean snapshot)."""
    if not os.path.exists(os.path.join(db, "iamglass")):
        # Killed before vind_index_open's first commit created the index: nothing to open yet; the
        # next run must still start (checked by the caller).
        tap.ok(not exact, "%s: killed before the index existed (fresh index only)" % label)
        return
    try:
        now = snapshot(db, QUERIES)
    except RuntimeError as error:
        # Xapian writes an empty revision when it creates the index, vind_index_open commits the
        # schema version a few milliseconds later: a kill in between leaves an index that readers
        # refuse ("no schema version") and the next vind-index completes.
        early = not exact and "no schema version" in str(error)
        tap.ok(early, "%s: the index opens, its stats and searches answer" % label
               + (" (killed before its schema was committed)" if early else ""), error)
        return
    tap.ok(True, "%s: the index opens, its stats and searches answer (%d documents)"
           % (label, len(now["documents"])))
    if exact:
        found = differences(clean, now)
        tap.ok(not found, "%s: the index equals the clean one" % label, "\n".join(found))
    else:
        wrong = [url for url, record in now["documents"].items()
                 if core(record) != core(clean["documents"].get(url))]
        tap.ok(not wrong, "%s: every document it holds is whole and equals the clean one" % label,
               "\n".join(wrong[:10]))
    if cli_has("stats"):
        stats = subprocess.run([VIND, "stats", "--db", db], capture_output=True, text=True)
        tap.ok(stats.returncode == 0, "%s: `vind stats` works" % label, stats.stderr)
    if cli_has("search"):
        # Exit 1 is "nothing matched" (an index killed before its first commit holds nothing).
        search = subprocess.run([VIND, "search", "--db", db, "zorg"], capture_output=True, text=True)
        tap.ok(search.returncode in (0, 1) and (search.stdout + search.stderr).strip(),
               "%s: `vind search zorg` answers (exit %d)" % (label, search.returncode), search.stderr)


def sample_tree(tmp):
    """16 copies of the sample site: ~500 documents, ~6 s to index."""
    built = os.path.join(BUILD, "sample-site")
    if not os.path.isfile(os.path.join(built, "index.html")):
        built = os.path.join(tmp, "sample-site")
        subprocess.run([sys.executable, os.path.join(TOP, "sample", "build.py"), built],
                       capture_output=True)
    tree = os.path.join(tmp, "tree")
    for i in range(16):
        shutil.copytree(built, os.path.join(tree, "copy%02d" % i))
    return [tree]


def main():
    if not os.access(INDEX, os.X_OK):
        tap.ok(False, "vind-index is built (%s)" % INDEX)
        return tap.done()
    rng = random.Random(SEED)
    tap.diag("seed %d (VIND_CRASH_SEED=%d reproduces this run), %d kills, %s"
             % (SEED, SEED, KILLS, "corpus" if FULL else "sample site x16"))
    with tempfile.TemporaryDirectory(prefix="vind-crash-") as tmp:
        if FULL:
            if not os.path.isdir(os.path.join(CORPUS, "site")):
                if os.environ.get("CI") == "true":
                    tap.ok(False, "the shared corpus is present in CI (%s)" % CORPUS)
                else:
                    tap.skip("20 kills during a corpus index", "corpus absent (%s)" % CORPUS)
                return tap.done()
            roots = [os.path.join(CORPUS, "site"), os.path.join(CORPUS, "pdf")]
        else:
            roots = sample_tree(tmp)
        clean_db, db = os.path.join(tmp, "clean.db"), os.path.join(tmp, "crash.db")
        code, stderr, seconds = run(clean_db, roots)
        clean_code = code
        if not tap.ok(code in (0, 1), "the clean run completes (%.1f s)" % seconds, stderr[-2000:]):
            return tap.done()
        clean = snapshot(clean_db, QUERIES)
        tap.diag("clean run: %.1f s, %d documents, %d queries"
                 % (seconds, len(clean["documents"]), len(QUERIES)))
        # A later run may be faster than the clean one (a warm page cache): no kill near its end.
        moments = [round(rng.uniform(0.02, 0.9) * seconds, 2) for _ in range(KILLS)]
        fresh, rebuild = moments[: (KILLS + 1) // 2], moments[(KILLS + 1) // 2:]
        mid_run, orphans = 0, []
        phases = (("fresh index", 1, fresh, False), ("--full rebuild", len(fresh) + 1, rebuild, True))
        for phase, first, delays, full in phases:
            for number, delay in enumerate(delays, start=first):
                # A run faster than the clean one (a warm cache, a machine less busy) may end
                # before its kill: then the same kill again at half the moment, twice at most.
                for _ in range(3):
                    label = "kill %d/%d at %.2f s of a %s" % (number, KILLS, delay, phase)
                    killed, tail, children = run_and_kill(db, roots, full, delay)
                    orphans += children
                    if not killed:
                        tap.diag("%s: the run had finished already" % label)
                    check_after_kill(label, db, clean, exact=full)
                    if not full and not killed:
                        # A complete index would make the next "fresh" run a no-op: start over.
                        shutil.rmtree(db, ignore_errors=True)
                    if killed:
                        break
                    delay = round(delay / 2, 2)
                mid_run += killed
            code, stderr, seconds = run(db, roots, full)
            tap.ok(code == clean_code and "locked" not in stderr.lower(),
                   "after the %s kills the next run starts at once and completes (%.1f s, exit %d)"
                   % (phase, seconds, code), stderr[-2000:])
            found = differences(clean, snapshot(db, QUERIES))
            tap.ok(not found, "after the %s kills the index equals a clean run (%d documents, %d "
                   "stored records, %d queries)" % (phase, len(clean["documents"]),
                                                    len(clean["documents"]), len(QUERIES)),
                   "\n".join(found))
        tap.ok(mid_run >= KILLS // 2, "%d of %d kills landed in the middle of a run" % (mid_run, KILLS))
        commit_kills(tmp, db, roots, clean)
        deadline = time.time() + 30
        while time.time() < deadline and any(alive(pid) for pid in orphans):
            time.sleep(0.2)
        left = [pid for pid in orphans if alive(pid)]
        tap.ok(not left, "the %d extraction children of killed runs all ended on their own"
               % len(orphans), "still running: %s" % left)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
