"""searchd-held.py DB [SECONDS] - does one client's slow search hold other clients' requests?
(docs/searchd.md "Threads" has the figures).

Starts $VIND_BUILD/bin/vind-searchd (default ./build) over the index DB with --threads 4 and
measures two things:
  1. with VIND_SEARCHD_TEST_DELAY_MS=2000 (each search is held 2 s): one search from 127.0.0.2,
     then, 5 ms later, 20 /health requests at once, each from its own address (127.0.0.10-29):
     how many of them take longer than 1 s, i.e. waited for the held search;
  2. without the delay: one connection from 127.0.0.2 sends a costly search in a loop (64
     two-letter wildcards, size 100, as bench/searchd-costly.py) while 127.0.0.3 sends /health
     and cheap searches one at a time for SECONDS: the cheap client's median, p99 and maximum.
Timing is printed, never asserted: loopback only, standard library only.
"""

import http.client
import itertools
import os
import socket
import statistics
import sys
import threading
import time

from searchdlib import COSTLY, Daemon
CHEAP = ["/health"] + ["/api/search?q=" + w for w in ("zorg", "wonen", "gemeente", "jeugd", "onderzoek")]


def timed_get(port, path, source):
    """(status, seconds) of one GET on a new connection from the address source."""
    t0 = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - t0
    finally:
        connection.close()


def connect(port, source):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    return sock


def answer_time(sock, path, t0):
    """Sends GET path on sock and reads the whole answer (the server closes): seconds since t0."""
    sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    while sock.recv(65536):
        pass
    sock.close()
    return time.perf_counter() - t0


def held_search(db):
    """The held search's connection and the 20 /health connections are opened together, as a
    burst that one worker wakes up to; the search is sent first, each /health 5 ms later."""
    with Daemon(db, env=dict(os.environ, VIND_SEARCHD_TEST_DELAY_MS="2000")) as daemon:
        port = daemon.port
        timed_get(port, "/health", "127.0.0.1")
        holder_sock = connect(port, "127.0.0.2")
        health_socks = [connect(port, "127.0.0.%d" % i) for i in range(10, 30)]
        t0 = time.perf_counter()
        answers = []
        holder = threading.Thread(target=lambda: answers.append(answer_time(holder_sock, "/api/search?q=zorg", t0)))
        holder.start()
        time.sleep(0.005)
        times = []
        health = [threading.Thread(target=lambda s=s: times.append(answer_time(s, "/health", time.perf_counter())))
                  for s in health_socks]
        for t in health:
            t.start()
        for t in health + [holder]:
            t.join()
        waited = sum(1 for t in times if t > 1.0)
        print("held search (2 s) + 20 /health 5 ms later: %d of 20 waited > 1 s; /health median %.1f ms, "
              "max %.0f ms; the held search %.2f s" % (waited, statistics.median(times) * 1000,
                                                         max(times) * 1000, answers[0]))


def costly_loop(db, seconds):
    with Daemon(db) as daemon:
        port = daemon.port
        timed_get(port, COSTLY, "127.0.0.2")
        stop_costly = threading.Event()
        costly = []

        def hostile():
            for n in itertools.count(1):  # a new size or page each time: never a cached answer
                if stop_costly.is_set():
                    break
                path = COSTLY.replace("size=100", "size=%d&page=%d" % (1 + n % 100, 1 + n // 100))
                costly.append(timed_get(port, path, "127.0.0.2"))

        thread = threading.Thread(target=hostile)
        thread.start()
        times, deadline, i = [], time.time() + seconds, 0
        while time.time() < deadline:
            times.append(timed_get(port, CHEAP[i % len(CHEAP)], "127.0.0.3")[1])
            i += 1
        stop_costly.set()
        thread.join()
        times.sort()
        print("cheap client (/health, 5 searches) beside a costly-search loop: median %.1f ms, p99 %.1f ms, "
              "max %.0f ms (%d requests; %d costly, median %.0f ms)"
              % (statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000, times[-1] * 1000,
                 len(times), len(costly), statistics.median(t for _, t in costly) * 1000))


def main(argv):
    db = argv[1]
    seconds = float(argv[2]) if len(argv) > 2 else 10
    held_search(db)
    costly_loop(db, seconds)


if __name__ == "__main__":
    main(sys.argv)
