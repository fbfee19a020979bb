"""test_replication.py - a replica kept by Xapian's own replication is served by vind-searchd
(docs/scaling.md, "Replication").

vind-index writes a master index (with XAPIAN_MAX_CHANGESETS, so that each commit leaves a
changeset); stock xapian-replicate-server serves the master's parent folder on 127.0.0.1 and stock
xapian-replicate keeps a replica folder current (a stub XAPIANDB naming replica_0 or replica_1);
vind-searchd serves the replica path. Four steps, each seen through a daemon within a
bounded wait:
1. the first copy of an index in the previous schema (VIND_INDEX_WRITE_SCHEMA=1): the site is
   found, snippets included;
2. a full copy: a schema upgrade on the master rebuilds the index beside it and swaps the folders
   (docs/schema.md, "Upgrading"); the master is another database now, xapian-replicate copies it
   whole into the replica's other sub-folder and replaces the stub. Four clients search all along:
   every answer is 200, the daemon serves the new database (not an answer cached from the old one:
   the copy's revision equals the old one's), and its snippets come from the text store (the page
   text lives in Xapian user metadata, lib/textstore.c: replication carries it);
3. a changeset: once the replica holds the master's last revision, a new page, a changed page
   and a deleted page on the master, applied in place in the replica's sub-folder while four
   clients search (every answer 200); xapian-replicate is stopped while the master commits
   (a replica asking during a commit may be sent a full copy: changeset());
4. the replica served by xapian-tcpsrv and searched as a remote shard (a stub with one `remote`
   line): another full copy switched in behind it is found (not a cached answer: over remote,
   Xapian reports revision 0 whatever the shard holds);
5. half states (session 16, docs/scaling.md "Half states"): one-shot xapian-replicate runs under
   tests/e2e/write_faults.c, SIGKILLed as they apply a changeset (at its first table sync, and at
   its commit's rename) and as they switch in a full copy, and one whose disk fills during a full
   copy: while four clients search, every answer is 200 and the daemon serves the whole old
   revision; the next run completes and its change is served.

Needs xapian-tools (scripts/debian-packages.txt); skips without it outside CI, fails under CI=true.
Every process is stopped at the end, also when a step fails; every wait has a limit.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Clients, Searchd, Tap, index_site, query, require_programs, write_article  # noqa: E402
from vindlib import build_write_faults, fault_env  # noqa: E402

tap = Tap()
WAIT = 60.0  # seconds any replicated change may take to be served (polled, never asserted)
ARTICLES = 6
SWAPPED, CHANGED, DELETED, ADDED, REMOTE = 7, 5, 6, 8, 9  # article numbers (harness.write_article)
HALF = 10  # the article of the half states, rewritten with a new word for each


def url(n):
    return "/actueel/bericht-%02d/" % n


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, limit=WAIT):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


class Process:
    """A program with its output in a file; stop() sends SIGTERM, then SIGKILL after 10 s."""

    def __init__(self, command, log_path):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        # A session of its own: xapian-replicate-server passes SIGTERM on to its whole
        # process group, which would otherwise be this test.
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def alive(self):
        return self.process.poll() is None

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Replicate:
    """The xapian-replicate that keeps the replica current, restarted by start() after stop().
    -i 1: ask every second (60 by default); -r 1: wait a second for readers before a repeated
    changeset (30); -t 10: a stalled connection ends in 10 s (never by default)."""

    def __init__(self, port, replica, tmp, processes):
        self.command = ["xapian-replicate", "-h", "127.0.0.1", "-p", str(port), "-m", "site",
                        "-i", "1", "-r", "1", "-t", "10", "-v", replica]
        self.tmp = tmp
        self.processes = processes
        self.process = None
        self.start()

    def start(self):
        log_path = os.path.join(self.tmp, "replicate-%d.log" % len(self.processes))
        self.process = Process(self.command, log_path)
        self.processes.append(self.process)

    def stop(self):
        self.process.stop()

    def alive(self):
        return self.process.alive()

    def log(self):
        return self.process.log()


def start_on_free_port(command, tmp, name):
    """command(port) started on a free port of 127.0.0.1 (another port when one was taken
    between choosing and binding); returns (process, port) once it accepts connections."""
    for attempt in range(5):
        port = free_port()
        server = Process(command(port), os.path.join(tmp, "%s-%d.log" % (name, attempt)))

        def listening():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return True
            except OSError:
                return False
        if wait_until(lambda: listening() or not server.alive(), 10) and server.alive():
            return server, port
        server.stop()
    raise RuntimeError("%s does not listen: %s" % (name, server.log()))


# What the clients ask while the index changes (harness.Clients).
SEARCHES = ["/api/search?" + query(q="bewoners"), "/api/search?" + query(q="wijkzorg mantelzorgers"),
           "/zoeken?" + query(q="verpleegkundigen"), "/api/doc?" + query(url=url(1))]


def urls(sd, words):
    """The URLs the replica's daemon finds for words (None when it does not answer 200)."""
    status, data = sd.json("/api/search?" + query(q=words, limit=50))
    if status != 200 or not data:
        return None
    return [hit["url"] for hit in data["results"]]


def has_doc(sd, n):
    status, _, _ = sd.get("/api/doc?" + query(url=url(n)))
    return status == 200


def snippet(sd, words):
    status, data = sd.json("/api/search?" + query(q=words))
    if status != 200 or not data or not data["results"]:
        return ""
    return data["results"][0]["snippet"] or ""


def stub(replica):
    """What the replica's stub names (replica_0 or replica_1), or None before the first copy."""
    try:
        with open(os.path.join(replica, "XAPIANDB"), encoding="utf-8") as f:
            return [line.split()[-1] for line in f if line.startswith("auto ")][0]
    except (OSError, IndexError):
        return None


def index_master(db, site, schema=None, changesets=True):
    """vind-index over site into the master: every commit leaves a changeset for replicas
    (changesets=False: none, so replicas get a full copy); schema "1" writes the previous
    schema (VIND_INDEX_WRITE_SCHEMA)."""
    old_env = dict(os.environ)
    if changesets:
        os.environ["XAPIAN_MAX_CHANGESETS"] = "20"
    else:
        os.environ.pop("XAPIAN_MAX_CHANGESETS", None)
    if schema:
        os.environ["VIND_INDEX_WRITE_SCHEMA"] = schema
    try:
        return index_site(db, site)
    finally:
        os.environ.clear()
        os.environ.update(old_env)


def first_copy(sd, replica):
    found = wait_until(lambda: url(1) in (urls(sd, "wijkzorg") or []))
    tap.ok(found, "the replica's vind-searchd serves the master's first index")
    tap.ok(stub(replica) in ("replica_0", "replica_1"), "xapian-replicate keeps the replica as a stub "
           "and a sub-folder", os.listdir(replica))
    tap.ok("<mark>" in snippet(sd, "mantelzorgers"), "snippets are made on the replica")


def full_copy(sd, replica, db, site):
    before = stub(replica)
    _, health = sd.json("/health")
    # Asked before, so that the answer "nothing found" sits in the result cache: the copy's
    # revisions start anew (a rebuilt master, here at the revision the replica had), and only
    # the database's identity tells the cache that this answer is stale.
    tap.equal(urls(sd, "zonnepanelen"), [], "before the upgrade the replica knows no zonnepanelen")
    write_article(site, SWAPPED, word="zonnepanelen")

    def served():
        return stub(replica) not in (None, before) and url(SWAPPED) in (urls(sd, "zonnepanelen") or [])
    with Clients(sd, SEARCHES) as clients:
        time.sleep(0.3)
        index_master(db, site)  # the current schema: a rebuild beside, swapped in
        switched = wait_until(served)
        time.sleep(0.5)  # past a reopen interval of every worker
    tap.ok(switched, "after a schema upgrade on the master, the replica switches to a full copy and "
           "vind-searchd serves it", (before, stub(replica), urls(sd, "zonnepanelen")))
    tap.ok(clients.count > 20 and not clients.failures,
           "every one of %d searches during the switch answered 200" % clients.count, clients.failures[:5])
    text = snippet(sd, "zonnepanelen")
    tap.ok("<mark>zonnepanelen</mark>" in text,
           "snippets of the new schema come from the text store: user metadata is replicated", text)
    status, after = sd.json("/health")
    tap.diag("replica revision %s before the switch, %s after" % ((health or {}).get("revision"),
                                                                   (after or {}).get("revision")))
    tap.ok(status == 200 and after.get("documents") == ARTICLES + 1, "/health counts the copy's documents",
           after)


def database_state(path):
    """(UUID, revision) of the database at path (a folder, or a replica's stub) as xapian-delve
    reports them; None when it cannot be opened (a replica switching sub-folders)."""
    try:
        result = subprocess.run(["xapian-delve", path], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    fields = dict(line.split(" = ", 1) for line in result.stdout.decode("utf-8", "replace").splitlines()
                  if " = " in line)
    if result.returncode != 0 or "UUID" not in fields or "revision" not in fields:
        return None
    return fields["UUID"], fields["revision"]


def changeset(sd, replica, db, site, replicate):
    """A new, a changed and a deleted page arrive as a changeset, applied in place.

    xapian-replicate is stopped while the master commits them and started again after. Xapian
    1.4's glass commit renames its version file (the new revision is visible) before it syncs
    and renames the changeset to that revision (changesN); a replica that asks in between is
    sent a full copy instead. Polling every second, the continuous replica did so now and then
    (a CI run under ASan); with vind-index's fdatasync delayed (strace), every time. A replica
    that polls during a commit may get a full copy: docs/scaling.md, "Replication"."""
    master = database_state(db)
    caught_up = wait_until(lambda: master is not None and database_state(replica) == master)
    tap.ok(caught_up, "before the change the replica holds the master's last revision",
           (master, database_state(replica)))
    replicate.stop()
    before = stub(replica)
    write_article(site, CHANGED, word="kraamzorg")
    shutil.rmtree(os.path.join(site, "actueel", "bericht-%02d" % DELETED))
    write_article(site, ADDED, word="dagbesteding")

    def served():
        added = urls(sd, "dagbesteding") or []
        changed = urls(sd, "kraamzorg") or []
        return url(ADDED) in added and url(CHANGED) in changed and not has_doc(sd, DELETED)
    with Clients(sd, SEARCHES) as clients:
        time.sleep(0.3)
        index_master(db, site)
        replicate.start()
        seen = wait_until(served)
        time.sleep(0.5)  # past a reopen interval of every worker
    tap.ok(seen, "the replica's vind-searchd serves a new, a changed and a deleted page "
           "within %d s" % WAIT, (urls(sd, "dagbesteding"), urls(sd, "kraamzorg"), has_doc(sd, DELETED)))
    tap.ok(clients.count > 20 and not clients.failures,
           "every one of %d searches while the changeset was applied answered 200" % clients.count,
           clients.failures[:5])
    tap.ok(url(CHANGED) not in (urls(sd, "wijkzorg") or []), "the changed page's old text is gone")
    tap.ok(stub(replica) == before, "a changeset is applied in place (the stub names the same sub-folder)",
           (before, stub(replica), replicate.log()[-1000:]))


def remote_replica(replica, db, site, tmp, processes):
    """The replica served by xapian-tcpsrv and searched as a remote shard (a stub with one
    `remote` line, docs/scaling.md "More documents"): a full copy switched in on the replica (the
    master written without changesets) is found through the remote connection, and not hidden
    by the result cache (the remote backend reports revision 0 whatever the shard holds)."""
    tcpsrv, port = start_on_free_port(
        lambda p: ["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", str(p), replica],
        tmp, "tcpsrv")
    processes.append(tcpsrv)
    remote = os.path.join(tmp, "remote")
    os.makedirs(remote)
    with open(os.path.join(remote, "XAPIANDB"), "w", encoding="utf-8") as f:
        f.write("remote 127.0.0.1:%d\n" % port)
    with Searchd(remote, "--threads", "4", "--max-searches-per-ip", "8", "--max-heavy-searches", "0") as sd:
        tap.ok(url(ADDED) in (urls(sd, "dagbesteding") or []),
               "vind-searchd searches the replica as a remote shard over xapian-tcpsrv")
        before = stub(replica)
        # Asked first, so that "nothing found" would sit in the result cache.
        tap.equal(urls(sd, "fietsenmaker"), [], "before the switch the remote replica knows no fietsenmaker")
        write_article(site, REMOTE, word="fietsenmaker")

        def served():
            return stub(replica) not in (None, before) and url(REMOTE) in (urls(sd, "fietsenmaker") or [])
        with Clients(sd, SEARCHES) as clients:
            time.sleep(0.3)
            index_master(db, site, changesets=False)
            switched = wait_until(served)
        tap.ok(switched, "a full copy switched in behind xapian-tcpsrv is served through the remote shard",
               (before, stub(replica), urls(sd, "fietsenmaker")))
        tap.ok(clients.count > 20 and not clients.failures,
               "every one of %d remote searches during the switch answered 200" % clients.count,
               clients.failures[:5])
    tap.equal(sd.exit_code, 0, "the remote vind-searchd exits 0")


def replicate_once(port, replica, env=None, force=False):
    """One xapian-replicate run (-o) into replica; returns (exit status, its output)."""
    command = ["xapian-replicate", "-h", "127.0.0.1", "-p", str(port), "-m", "site", "-o", "-r", "0",
               "-t", "10"] + (["-f"] if force else []) + [replica]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            timeout=120)
    return result.returncode, result.stdout.decode("utf-8", "replace")


# The half states: (what, a full copy, the shim's settings, the exit status of the run cut short)
HALF_STATES = [
    ("a changeset's apply killed at its first table sync", False, {"VIND_KILL_AT": "sync"}, -9),
    ("a changeset's apply killed at its commit's rename", False, {"VIND_KILL_AT": "rename-before"}, -9),
    ("a full copy killed as it is switched in", True, {"VIND_KILL_AT": "rename-before"}, -9),
    ("a full copy whose disk fills after 64 kB", True, {"VIND_ENOSPC_AFTER": "65536"}, 1),
]


def half_states(replica, db, site, tmp, port):
    """xapian-replicate cut short as it writes the replica (killed, or its disk full): the daemon
    serves the whole old revision meanwhile, every answer 200, and the next run completes."""
    shim, why = build_write_faults(tmp)
    if not shim:
        tap.skip("replication half states", why)
        return
    with Searchd(replica, "--threads", "4", "--max-searches-per-ip", "8", "--max-heavy-searches", "0") as sd:
        for n, (what, full, settings, cut_status) in enumerate(HALF_STATES):
            word = ["kinderopvang", "dagopvang", "buitenschoolse", "gastouders"][n]
            write_article(site, HALF, word=word)
            index_master(db, site, changesets=not full)
            _, before = sd.json("/health")
            stub_before = stub(replica)
            with Clients(sd, SEARCHES) as clients:
                time.sleep(0.2)
                status, output = replicate_once(port, replica, fault_env(shim, replica, **settings), full)
                time.sleep(0.5)  # past a reopen interval of every worker
                _, during = sd.json("/health")
                found = urls(sd, word)
            tap.ok(status == cut_status, "%s: xapian-replicate is cut short (exit %d)" % (what, cut_status),
                   (status, output[-300:]))
            tap.ok(clients.count > 10 and not clients.failures,
                   "%s: every one of %d searches answered 200" % (what, clients.count), clients.failures[:5])
            tap.ok(found == [] and (during or {}).get("revision") == (before or {}).get("revision") and
                   (during or {}).get("documents") == (before or {}).get("documents") and
                   stub(replica) == stub_before,
                   "%s: the daemon serves the whole old revision (the stub unchanged)" % what,
                   (before, during, found, stub_before, stub(replica)))
            status, output = replicate_once(port, replica, force=full)
            tap.ok(status == 0, "%s: the next xapian-replicate run completes" % what, (status, output[-300:]))
            tap.ok(wait_until(lambda: url(HALF) in (urls(sd, word) or [])),
                   "%s: ... and its change is served" % what, urls(sd, word))
    tap.equal(sd.exit_code, 0, "the half states' vind-searchd exits 0")


def main():
    tools = [shutil.which(name) for name in ("xapian-replicate", "xapian-replicate-server", "xapian-tcpsrv",
                                              "xapian-delve")]
    if not all(tools):
        if os.environ.get("CI") == "true":
            tap.ok(False, "replication: xapian-tools is required under CI (scripts/debian-packages.txt)")
        else:
            tap.skip("replication", "xapian-replicate not installed (xapian-tools)")
        return
    if not require_programs(tap, "replication", "vind-searchd", "vind-index"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(tmp, "site")
        for n in range(1, ARTICLES + 1):
            write_article(site, n)
        parent = os.path.join(tmp, "master")
        os.makedirs(parent)
        db = os.path.join(parent, "site")
        replica = os.path.join(tmp, "replica")
        index_master(db, site, schema="1")
        processes = []
        try:
            server, port = start_on_free_port(
                lambda p: ["xapian-replicate-server", "-I", "127.0.0.1", "-p", str(p), parent], tmp, "server")
            processes.append(server)
            with Searchd(replica, "--threads", "4", "--max-searches-per-ip", "8", "--max-heavy-searches", "0") as sd:
                # Before the first copy there is no index: 503, which keeps a load balancer away.
                status, _, _ = sd.get("/health")
                tap.equal(status, 503, "before the first copy the replica's /health answers 503")
                client = Replicate(port, replica, tmp, processes)
                copied = wait_until(lambda: stub(replica) is not None or not client.alive())
                if not tap.ok(copied and client.alive(), "xapian-replicate makes the first copy",
                              client.log()[-1000:]):
                    return
                first_copy(sd, replica)
                full_copy(sd, replica, db, site)
                changeset(sd, replica, db, site, client)
            tap.equal(sd.exit_code, 0, "vind-searchd exits 0")
            remote_replica(replica, db, site, tmp, processes)
            tap.ok(client.alive() and server.alive(), "xapian-replicate and its server still run",
                   client.log()[-1000:])
            client.stop()  # the half states run xapian-replicate once at a time, under the shim
            half_states(replica, db, site, tmp, port)
        finally:
            for process in reversed(processes):
                process.stop()


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.exit(tap.done())
