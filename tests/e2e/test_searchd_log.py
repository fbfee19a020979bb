#!/usr/bin/env python3
"""test_searchd_log.py - a log reader that stops reading does not stop vind-searchd (session 19).

vind-searchd writes one access line per request to stderr. When stderr is a pipe or a socket
(journald's stream, `| logger`) whose reader stops reading, the pipe fills; until session 19 every
worker then waited on the log's lock: after 1,147 requests no request was answered, /health
included, and SIGTERM was not heeded (docs/security.md, "The hostile probe of session 19, the
daemon"). Now such a stderr is written without blocking: the lines its reader has no room for are
dropped whole, and the next line that goes through is preceded by a note with their count.

Asserted without a timing: 3,000 requests (about 300 kB of access lines against a pipe's 64 kB)
are answered while nobody reads, then SIGTERM exits 0; every line the reader gets is whole; and
once the reader reads again, the note says how many lines were dropped. The same with a socket.
Needs only the daemon and the sample site's index (make build/sample-site/index.html).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Tap, binary, env, sample_index  # noqa: E402

tap = Tap()
REQUESTS = 3000
LINE = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (info |warn |error|debug) .*$|"
                  rb"^vind-searchd: \d+ log lines dropped: the log's reader was full$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answered(port, count):
    """How many of count /health requests were answered (stops at the first that is not)."""
    for i in range(count):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health" if i % 2 else "/api/search?q=zorg")
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                return i
        except OSError:
            return i
    return count


def drain(read, seconds=1.0):
    """What the reader gets within `seconds` (non-blocking reads)."""
    data = b""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            chunk = read()
        except (BlockingIOError, socket.timeout):
            time.sleep(0.05)
            continue
        if not chunk:
            break
        data += chunk
    return data


def stalled_reader(db, kind):
    port = free_port()
    if kind == "pipe":
        reader, writer = os.pipe()
        os.set_blocking(reader, False)
        read = lambda: os.read(reader, 65536)  # noqa: E731
    else:
        ours, theirs = socket.socketpair()
        ours.setblocking(False)
        writer = theirs.fileno()
        read = lambda: ours.recv(65536)  # noqa: E731
    process = subprocess.Popen([binary("vind-searchd"), "--db", db, "--listen", "127.0.0.1:%d" % port,
                                "--cache-size", "0"], stdout=subprocess.DEVNULL, stderr=writer,
                               env=env())
    if kind == "pipe":
        os.close(writer)
    else:
        theirs.close()
    try:
        started = b""
        for _ in range(100):
            started += drain(read, 0.1)
            if b"listening on" in started:
                break
        tap.ok(b"listening on" in started, "%s: the daemon started" % kind, started[-300:])
        count = answered(port, REQUESTS)
        tap.equal(count, REQUESTS, "%s: %d requests answered while nobody reads the log" % (kind, REQUESTS))
        logged = drain(read)
        tap.ok(answered(port, 1) == 1, "%s: after the reader reads again, a request is answered" % kind)
        logged += drain(read)
        lines = logged.split(b"\n")
        bad = [line for line in lines[:-1] if not LINE.match(line)]
        tap.ok(lines[-1] == b"" and not bad, "%s: every line the reader got is whole" % kind, bad[:3])
        notes = [line for line in lines if b"log lines dropped" in line]
        tap.ok(len(notes) == 1, "%s: a note counts the lines dropped" % kind, notes)
    finally:
        process.terminate()
        try:
            code = process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            code = "still running 15 s after SIGTERM"
        tap.equal(code, 0, "%s: SIGTERM exits 0" % kind)


def main():
    with sample_index(tap, "a stalled log reader") as db:
        if db is not None:
            stalled_reader(db, "pipe")
            stalled_reader(db, "socket")
    tap.done()


if __name__ == "__main__":
    main()
