"""searchd-costly.py DB [SECONDS] - what one costly query costs vind-searchd, and what eight
connections sending it do to a normal visitor (docs/security.md has the figures).

Starts $VIND_BUILD/bin/vind-searchd (default ./build) over the index DB with 4 threads and
measures:
  1. the daemon's CPU per costly search: 64 two-letter wildcards ("aa* ab* ..."), size=100,
     ten times one after another (utime + stime of the process from /proc, per request);
  2. a normal client's median and p90 ("zorg", "wonen", ... from 127.0.0.1, one request at a
     time) alone, then while 8 connections from 127.0.0.2 send the costly search in a loop;
     the costly requests' statuses (200, 429) are counted.
Extra daemon options after SECONDS are passed on (e.g. --search-time-limit 0). Timing is
printed, never asserted: loopback only, standard library only.
"""

import http.client
import statistics
import sys
import threading
import time

from searchdlib import COSTLY, Daemon, cpu_seconds
NORMAL = ["/api/search?q=" + w for w in ("zorg", "wonen", "gemeente", "jeugd", "onderzoek", "ouderen")]


def get(port, path, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def normal_client(port, seconds):
    times, deadline, i = [], time.time() + seconds, 0
    while time.time() < deadline:
        t0 = time.perf_counter()
        get(port, NORMAL[i % len(NORMAL)])
        times.append(time.perf_counter() - t0)
        i += 1
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.9)] * 1000, len(times)


def main(argv):
    db = argv[1]
    seconds = float(argv[2]) if len(argv) > 2 else 5
    extra = argv[3:]
    with Daemon(db, *extra) as daemon:
        port = daemon.port
        get(port, NORMAL[0])
        before = cpu_seconds(daemon.pid)
        statuses = [get(port, COSTLY) for _ in range(10)]
        per_search = (cpu_seconds(daemon.pid) - before) / 10
        print("costly search (64 two-letter wildcards, size 100): %.0f ms CPU each (statuses %s)"
              % (per_search * 1000, sorted(set(statuses))))
        p50, p90, n = normal_client(port, seconds)
        print("normal client alone: median %.1f ms, p90 %.1f ms (%d requests)" % (p50, p90, n))
        stop = threading.Event()
        counts = {}

        def hostile():
            while not stop.is_set():
                status = get(port, COSTLY, source="127.0.0.2")
                counts[status] = counts.get(status, 0) + 1

        threads = [threading.Thread(target=hostile) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        p50, p90, n = normal_client(port, seconds)
        stop.set()
        for t in threads:
            t.join()
        print("normal client during 8 costly connections: median %.1f ms, p90 %.1f ms (%d requests); "
              "costly answers %s" % (p50, p90, n, counts))


if __name__ == "__main__":
    main(sys.argv)
