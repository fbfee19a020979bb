#!/usr/bin/env python3
"""test_searchd_accept.py - vind-searchd's accept thread (searchd/acceptor.c) hands each
connection to the libmicrohttpd worker with the fewest open connections, and keeps the connection
limits (docs/searchd.md "Session 19: connections assigned by vind", docs/security.md "Session 19:
connections assigned by vind").

  1. 8 keep-alive connections over --threads 4: 2 on each worker (/metrics
     vind_worker_connections; ff1eb68's libmicrohttpd pool let its workers take connections as they
     woke, and had no such gauge); two closed and two new ones: 2 on each again;
  2. --max-connections 6: a 7th connection waits in the backlog, unanswered (as with
     libmicrohttpd's own accepting), and is served once one of the 6 closes
     (vind_accept_full_total counts the pause);
  3. --max-connections-per-ip 3: an address's 4th and 5th connection are closed at once
     (reason="max_connections_per_ip" 2); another address is served meanwhile; a burst of 60 from
     one address with the limit 8 (connects sent together): the 52 past it are closed by the accept thread (none reaches a
     worker) and the 8 kept are 2 on each worker (counted when the address's connections start on
     their workers, a burst left them 3, 3, 24, 35);
  4. the process out of descriptors (its RLIMIT_NOFILE lowered under it to 8 with prlimit): new
     connections wait in the backlog, the accept thread waits 100 ms between tries
     (vind_accept_errors_total counts the tries: a few dozen in 2 s, where a spinning loop would
     count millions), and once descriptors are free again they are served;
  5. SIGTERM with connections open exits 0.
Standard library only; TAP. No timing assertions (the bound on the tries is a count).
"""
import http.client
import os
import re
import resource
import select
import socket
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, generated_index, require_programs  # noqa: E402

tap = Tap()
ARTICLES = 10
BURST = 60


def keep_alive(port, source="127.0.0.1"):
    """A keep-alive connection from `source` that had one /health answered, or None when the
    daemon closed it unanswered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        response.read()
        return connection if response.status in (200, 503) else None
    except (ConnectionError, http.client.HTTPException, socket.timeout):
        connection.close()
        return None


def closed_unread(port, source="127.0.0.1"):
    """True when a new connection from `source` is closed by the daemon before any request."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        sock.close()


def connect_at_once(port, source, count):
    """count connections from source, their connects sent together (non-blocking), so that they
    wait in the backlog together."""
    socks = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((source, 0))
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        socks.append(sock)
    for sock in socks:
        select.select([], [sock], [], 10)
        sock.setblocking(True)
    return socks


def closed_now_count(socks):
    """How many of socks the daemon closed (EOF or reset within a short wait)."""
    closed = 0
    for sock in socks:
        sock.settimeout(0.2)
        try:
            closed += sock.recv(1) == b""
        except socket.timeout:
            pass
        except OSError:
            closed += 1
    return closed


def metrics_over(connection):
    """/metrics over an open connection ("" when the daemon closed it)."""
    try:
        connection.request("GET", "/metrics")
        return connection.getresponse().read().decode()
    except (ConnectionError, http.client.HTTPException, socket.timeout):
        return ""


def workers(text):
    """vind_worker_connections by worker, in worker order."""
    found = re.findall(r'^vind_worker_connections\{worker="(\d+)"\} (\d+)$', text, re.M)
    return [count for _, count in sorted((int(w), int(c)) for w, c in found)]


def labelled(text, name, reason):
    match = re.search(r'^%s\{reason="%s"\} (\d+)$' % (re.escape(name), reason), text, re.M)
    return int(match.group(1)) if match else None


def settled_workers(connection, total):
    """The gauges once they add up to `total` (a closed connection is counted off when its worker
    sees the close; bounded wait)."""
    deadline = time.time() + 10
    while True:
        counts = workers(metrics_over(connection))
        if sum(counts) == total or time.time() > deadline:
            return counts
        time.sleep(0.05)


def balance(db):
    with Searchd(db, "--threads", "4", "--http-threads", "4") as sd:
        connections = [keep_alive(sd.port) for _ in range(8)]
        tap.ok(all(connections), "8 keep-alive connections answered")
        counts = settled_workers(connections[0], 8)
        tap.equal(counts, [2, 2, 2, 2], "8 keep-alive connections over --threads 4: 2 on each worker")
        for c in (connections.pop(5), connections.pop(1)):
            c.close()
        settled_workers(connections[0], 6)
        connections += [keep_alive(sd.port) for _ in range(2)]
        counts = settled_workers(connections[0], 8)
        tap.equal(counts, [2, 2, 2, 2], "two closed, two new: the new ones go to the least loaded, 2 on each again")
        for c in connections:
            c.close()
    tap.equal(sd.exit_code, 0, "SIGTERM with connections open exits 0")


def global_limit(db):
    with Searchd(db, "--threads", "4", "--http-threads", "4", "--max-connections", "6") as sd:
        held = [keep_alive(sd.port) for _ in range(6)]
        tap.ok(all(held), "--max-connections 6: 6 connections held and answered")
        seventh = socket.create_connection(("127.0.0.1", sd.port), timeout=2)
        seventh.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        try:
            early = seventh.recv(100)
        except socket.timeout:
            early = None
        tap.ok(early is None, "a 7th connection waits, unanswered and not closed", early)
        full = re.search(r"^vind_accept_full_total (\d+)$", metrics_over(held[0]), re.M)
        tap.ok(full and int(full.group(1)) >= 1, "vind_accept_full_total counts the pause",
               full and full.group(0))
        held.pop().close()
        seventh.settimeout(10)
        try:
            late = seventh.recv(100)
        except OSError:
            late = b""
        tap.ok(late.startswith(b"HTTP/1.1 200"), "one of the 6 closed: the 7th is served", late)
        seventh.close()
        for c in held:
            c.close()


def per_address(db):
    with Searchd(db, "--threads", "4", "--http-threads", "4", "--max-connections-per-ip", "3") as sd:
        held = [keep_alive(sd.port, "127.0.0.2") for _ in range(3)]
        tap.ok(all(held), "--max-connections-per-ip 3: an address's 3 connections held")
        refused = [closed_unread(sd.port, "127.0.0.2") for _ in range(2)]
        tap.ok(all(refused), "its 4th and 5th are closed at once, unread", refused)
        other = keep_alive(sd.port, "127.0.0.3")
        tap.ok(other is not None, "another address is served meanwhile")
        tap.equal(labelled(metrics_over(other), "vind_connections_refused_total", "max_connections_per_ip"), 2,
                  "vind_connections_refused_total{reason=\"max_connections_per_ip\"} counts them")
        for c in held + [other]:
            c.close()
    with Searchd(db, "--threads", "4", "--http-threads", "4", "--max-connections-per-ip", "8") as sd:
        burst = connect_at_once(sd.port, "127.0.0.4", BURST)
        watcher = keep_alive(sd.port, "127.0.0.5")
        text = metrics_over(watcher)
        deadline = time.time() + 10
        while labelled(text, "vind_connections_refused_total", "max_connections_per_ip") != BURST - 8 \
                and time.time() < deadline:
            time.sleep(0.05)
            text = metrics_over(watcher)
        tap.equal(labelled(text, "vind_connections_refused_total", "max_connections_per_ip"), BURST - 8,
                  "a burst of %d connections from one address (--max-connections-per-ip 8): %d closed by the "
                  "accept thread, none handed to a worker" % (BURST, BURST - 8))
        tap.equal(sorted(settled_workers(watcher, 9)), [2, 2, 2, 3],
                  "its 8 kept connections spread 2 on each worker (and the watcher's own)")
        tap.equal(closed_now_count(burst), BURST - 8, "the other %d found closed" % (BURST - 8))
        for c in burst + [watcher]:
            c.close()


def out_of_descriptors(db):
    with Searchd(db, "--threads", "2", "--http-threads", "2") as sd:
        first = keep_alive(sd.port)
        metrics_over(first)
        pid = sd.process.pid
        soft, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        # Far below what it holds (its searchers' files): no descriptor for a new connection
        # until the limit is restored, whatever it closes meanwhile.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (8, hard))
        waiting = []
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", sd.port), timeout=10)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            waiting.append(sock)
        time.sleep(2)
        text = metrics_over(first)
        match = re.search(r"^vind_accept_errors_total (\d+)$", text, re.M)
        tries = int(match.group(1)) if match else None
        tap.ok(tries is not None and 1 <= tries <= 100,
               "out of descriptors for 2 s: the accept thread tried %s times (100 ms apart; no spin)" % tries)
        tap.ok("cannot accept connections: Too many open files" in sd.log(), "the log says so, once",
               sd.log()[-400:])
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard))
        answered = 0
        for sock in waiting:
            data = b""
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            answered += data.startswith(b"HTTP/1.1 ")
            sock.close()
        tap.equal(answered, 5, "descriptors free again: the 5 connections that waited are served")
        first.close()
    tap.equal(sd.exit_code, 0, "SIGTERM exits 0")
    tap.equal(sd.log().count("cannot accept connections"), 1, "one log line for the episode")


def main():
    if not require_programs(tap, "searchd accept thread", "vind-searchd", "vind-index"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        _, db = generated_index(tmp, ARTICLES)
        balance(db)
        global_limit(db)
        per_address(db)
        out_of_descriptors(db)


main()
sys.exit(tap.done())
