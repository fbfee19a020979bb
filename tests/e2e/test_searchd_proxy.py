#!/usr/bin/env python3
"""test_searchd_proxy.py - vind-searchd behind a trusted proxy (--trusted-proxy, searchd/proxy.h;
session 19): from a trusted peer the client is the rightmost X-Forwarded-For address that is no
trusted proxy, and the per-client limits count that client; from any other peer the header is never
read (spoofing).

Until session 19 every client behind nginx was 127.0.0.1: --max-searches-per-ip and costly-search
admission counted the proxy as one client (docs/security.md "Known limits"). Asserted without a
timing, by --max-searches-per-ip 1 (one search at once per client, the next one 429 at once) with
every search held VIND_SEARCHD_TEST_DELAY_MS: a second search started while the first is held gets
429 when both are the same client, 200 when they are two.

Works on the sample site's index (make build/sample-site/index.html); skips without it.
"""

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, index_site, query, require_sample_site  # noqa: E402

tap = Tap()
DELAY_MS = 1200
SEARCH = "/api/search?" + query(q="zorg")


def get(port, source, headers, timeout=30):
    """GET SEARCH from source with the headers [(name, value)]: the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.putrequest("GET", SEARCH)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def two_at_once(port, first, second):
    """first and second are (source, headers); the second starts while the first is held.
    Returns (status of the first, status of the second)."""
    statuses = {}

    def run(name, source, headers):
        statuses[name] = get(port, source, headers)

    held = threading.Thread(target=run, args=("first",) + first)
    held.start()
    time.sleep(0.4)
    run("second", *second)
    held.join(30)
    return statuses.get("first"), statuses.get("second")


def xff(value):
    return [("X-Forwarded-For", value)]


CASES = [
    # (what, first, second, expected second status)
    ("two clients behind the proxy (X-Forwarded-For 203.0.113.1, 203.0.113.2): both run",
     ("127.0.0.1", xff("203.0.113.1")), ("127.0.0.1", xff("203.0.113.2")), 200),
    ("one client behind the proxy twice: the second search gets 429",
     ("127.0.0.1", xff("203.0.113.1")), ("127.0.0.1", xff("203.0.113.1")), 429),
    ("spoofing: a peer that is no trusted proxy sends two different X-Forwarded-For: one client, 429",
     ("127.0.0.2", xff("203.0.113.1")), ("127.0.0.2", xff("203.0.113.2")), 429),
    ("spoofing through the proxy: addresses the client wrote left of its own are not read, 429",
     ("127.0.0.1", xff("198.51.100.1, 203.0.113.1")), ("127.0.0.1", xff("198.51.100.2, 203.0.113.1")), 429),
    ("a trusted hop on the right is passed over (10.0.0.0/8 trusted): two clients, 200",
     ("127.0.0.1", xff("203.0.113.1, 10.0.0.5")), ("127.0.0.1", xff("203.0.113.2, 10.0.0.5")), 200),
    ("the proxy without X-Forwarded-For: it is the client, 429",
     ("127.0.0.1", []), ("127.0.0.1", []), 429),
    ("garbage as the rightmost entry: the proxy is the client, 429",
     ("127.0.0.1", xff("203.0.113.1, unknown")), ("127.0.0.1", xff("203.0.113.2, <script>")), 429),
    ("two X-Forwarded-For headers: the last one's right end (two clients), 200",
     ("127.0.0.1", xff("198.51.100.1") + xff("203.0.113.1")),
     ("127.0.0.1", xff("198.51.100.1") + xff("203.0.113.2")), 200),
    ("IPv6 clients of one /64 (one with a port, in brackets) are one client, 429",
     ("127.0.0.1", xff("2001:db8:1:2::1")), ("127.0.0.1", xff("[2001:db8:1:2:ffff::9]:443")), 429),
    ("IPv6 clients of two /64s are two, 200",
     ("127.0.0.1", xff("2001:db8:1:2::1")), ("127.0.0.1", xff("2001:db8:1:3::1")), 200),
    ("an IPv4 client with a port, 200 beside another",
     ("127.0.0.1", xff("203.0.113.1:50000")), ("127.0.0.1", xff("203.0.113.2:50000")), 200),
    ("a header of 1,000 addresses: its rightmost untrusted one is the client (two clients), 200",
     ("127.0.0.1", xff(", ".join("198.51.100.%d" % (i % 250) for i in range(999)) + ", 203.0.113.1")),
     ("127.0.0.1", xff(", ".join("198.51.100.%d" % (i % 250) for i in range(999)) + ", 203.0.113.2")), 200),
]


def bad_options():
    for value in ("localhost", "127.0.0.1/33", "10.0.0.0/x"):
        result = subprocess.run([binary("vind-searchd"), "--db", "/nonexistent", "--listen", "127.0.0.1:0",
                                 "--trusted-proxy", value], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env(), timeout=30)
        tap.ok(result.returncode == 2 and b"--trusted-proxy " + value.encode() in result.stderr,
               "--trusted-proxy %s is refused at start (exit 2, naming it)" % value,
               (result.returncode, result.stderr[-300:]))


def main():
    source = require_sample_site(tap, "vind-searchd behind a trusted proxy")
    if source is None:
        tap.done()
        return
    bad_options()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        index_site(db, source)
        os.environ["VIND_SEARCHD_TEST_DELAY_MS"] = str(DELAY_MS)
        try:
            sd = Searchd(db, "--threads", "4", "--max-searches-per-ip", "1", "--cache-size", "0",
                         "--max-heavy-searches", "0", "--trusted-proxy", "127.0.0.1",
                         "--trusted-proxy", "10.0.0.0/8")
            try:
                sd.start()
            except RuntimeError as error:
                tap.ok(False, "vind-searchd starts with --trusted-proxy", str(error)[-300:])
                tap.done()
                return
        finally:
            del os.environ["VIND_SEARCHD_TEST_DELAY_MS"]
        try:
            for what, first, second, expected in CASES:
                statuses = two_at_once(sd.port, first, second)
                tap.ok(statuses == (200, expected), what, statuses)
        finally:
            sd.stop()
        tap.equal(sd.exit_code, 0, "SIGTERM exits 0")
    tap.done()


if __name__ == "__main__":
    main()
