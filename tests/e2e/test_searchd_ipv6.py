#!/usr/bin/env python3
"""test_searchd_ipv6.py - an IPv6 client is its /64 for vind-searchd's per-address limits.

A home or a server gets a /64 (or more) and may send from any of its 2^64 addresses. Until
session 14 (its hostile probe) each address was a client of its own: six searches at once from
six addresses of one /64 all ran (--threads 4, --max-searches-per-ip 3: the six held every search
thread), and 600 connections from 600 of its addresses held all 512 of --max-connections, so
another client's /health waited the 10 s until they were cut off.

The test runs in a network namespace of its own (`unshare -n`, root only: skipped otherwise), in
which 2001:db8:5ec::/48 is local, so that the client can send from any of its addresses:

  1. six searches at once from six addresses of one /64 (held by VIND_SEARCHD_TEST_DELAY_MS):
     three run, three get 429 (as from one address);
  2. six from six /64s of the /48: none refused (a /64 is one client, not the /48);
  3. 600 idle connections from 600 addresses of one /64: the daemon holds 64 sockets of them
     (--max-connections-per-ip), counted in /proc; another /64's /health is answered.

Standard library only; TAP.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env, index_site, require_programs, write_article  # noqa: E402

SERVER = "2001:db8:5ec::1"
NAMESPACE_SETUP = ("ip link set lo up && ip -6 addr add %s/128 dev lo nodad && "
                   "ip -6 route add local 2001:db8:5ec::/48 dev lo && "
                   "sysctl -q -w net.ipv6.ip_nonlocal_bind=1" % SERVER)


def start(db, log_path, extra, delay_ms=0):
    """vind-searchd on SERVER, port 0; returns (process, port)."""
    log = open(log_path, "w")
    environment = env()
    if delay_ms:
        environment["VIND_SEARCHD_TEST_DELAY_MS"] = str(delay_ms)
    process = subprocess.Popen([binary("vind-searchd"), "--db", db, "--listen", "[%s]:0" % SERVER]
                               + extra, stdout=log, stderr=log, env=environment)
    log.close()
    for _ in range(600):
        time.sleep(0.05)
        with open(log_path) as f:
            match = re.search(r"listening on \S*:(\d+)/", f.read())
        if match:
            return process, int(match.group(1))
        if process.poll() is not None:
            break
    process.kill()
    with open(log_path) as f:
        raise RuntimeError("vind-searchd did not start: " + f.read())


def connect(port, source, timeout=30):
    s = socket.socket(socket.AF_INET6)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect((SERVER, port))
    return s


def get(port, source, path, statuses):
    try:
        with connect(port, source) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
            answer = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        statuses.append(int(answer.split()[1]) if answer.startswith(b"HTTP/") else "closed")
    except OSError as error:
        statuses.append(type(error).__name__)


def at_once(port, sources, round_):
    """One uncached search from each source, all at once; their statuses, sorted."""
    statuses = []
    threads = [threading.Thread(target=get, args=(port, source, "/api/search?q=wijkzorg&page=%d"
                                                  "&size=%d" % (n + 1, 10 + round_), statuses))
               for n, source in enumerate(sources)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(map(str, statuses))


def sockets_of(pid):
    count = 0
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            count += os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:")
        except OSError:
            pass
    return count


def inside(tap, tmp):
    site, db = os.path.join(tmp, "site"), os.path.join(tmp, "db")
    for n in range(20):
        write_article(site, n)
    index_site(db, site)
    log = os.path.join(tmp, "searchd.log")
    process, port = start(db, log, ["--threads", "4"], delay_ms=1500)
    try:
        one_64 = ["2001:db8:5ec::%x" % (0x100 + n) for n in range(6)]
        tap.equal(at_once(port, one_64, 1), ["200", "200", "200", "429", "429", "429"],
                  "six searches at once from six addresses of one /64: three run, three get 429 "
                  "(--max-searches-per-ip 3)")
        six_64s = ["2001:db8:5ec:%x::1" % (n + 1) for n in range(6)]
        tap.equal(at_once(port, six_64s, 2), ["200"] * 6,
                  "six searches at once from six /64s of one /48: none refused")
    finally:
        process.terminate()
        process.wait()
    process, port = start(db, log, [])
    held = []
    try:
        before = sockets_of(process.pid)
        for n in range(600):
            try:
                held.append(connect(port, "2001:db8:5ec::1:%x" % n, timeout=2))
            except OSError:
                pass
        time.sleep(1)
        daemon_holds = sockets_of(process.pid) - before
        tap.ok(daemon_holds == 64,
               "600 idle connections from 600 addresses of one /64: the daemon holds 64 of them "
               "(--max-connections-per-ip)", "%d sockets" % daemon_holds)
        statuses = []
        get(port, "2001:db8:5ec:7::7", "/health", statuses)
        tap.equal(statuses, [200], "... and another /64's /health is answered")
    finally:
        for s in held:
            s.close()
        process.terminate()
        process.wait()


def main():
    tap = Tap()
    if not require_programs(tap, "an IPv6 /64 is one client", "vind-searchd", "vind-index"):
        return tap.done()
    if os.environ.get("VIND_IN_NAMESPACE") != "1":
        unshare = shutil.which("unshare")
        if os.geteuid() != 0 or not unshare or not shutil.which("ip"):
            tap.skip("an IPv6 /64 is one client", "needs root, unshare and ip (a network namespace)")
            return tap.done()
        script = "%s && ulimit -n 4096 && VIND_IN_NAMESPACE=1 exec %s %s" % (
            NAMESPACE_SETUP, sys.executable, os.path.abspath(__file__))
        return subprocess.call([unshare, "-n", "sh", "-c", script])
    tmp = tempfile.mkdtemp(prefix="vind-ipv6-")
    try:
        inside(tap, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
