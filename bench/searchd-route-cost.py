"""searchd-route-cost.py DB [REPEAT] - the daemon's CPU per request of the costliest requests of
/api/suggest, /api/doc and /api/related, beside a normal and a costly /api/search (docs/security.md
"Costly routes" has the figures).

Starts $VIND_BUILD/bin/vind-searchd (default ./build) over the index DB (the corpus: the largest
PDFs are named below) with --threads 4 and the result cache off, sends each path once to warm up,
then REPEAT times (default 20) one after another on new connections, and prints the daemon's CPU
time per request (utime + stime of the process from /proc) and the median wall time. Timing is
printed, never asserted: loopback only, standard library only.
"""

import http.client
import statistics
import sys
import time
import urllib.parse

from searchdlib import COSTLY, Daemon, cpu_seconds
BIG_PDFS = ["/huge.html",  # in the index only with --huge (below)
            "/coronamelder-duidingsrapportage-2020-09-28.pdf",
            "/coronamelder-website-evaluation-after-9-months-english.pdf",
            "/coronamelder-bijlage-j-report-v1-0.pdf"]
PATHS = ([("search, a normal word", "/api/search?q=zorg"),
          ("search, 64 wildcards, size 100", COSTLY)]
         + [("suggest, prefix %r" % p[:12], "/api/suggest?" + urllib.parse.urlencode({"q": p}))
            for p in ("a", "ver", "gemeente", "a" * 256, "ver " * 63 + "ver")]
         + [("doc %s" % u, "/api/doc?" + urllib.parse.urlencode({"url": u})) for u in BIG_PDFS]
         + [("related %s limit %d" % (u, n), "/api/related?" + urllib.parse.urlencode({"url": u, "limit": n}))
            for u in BIG_PDFS for n in (10, 50)])


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def main(argv):
    db = argv[1]
    repeat = int(argv[2]) if len(argv) > 2 else 20
    with Daemon(db, "--cache-size", "0", "--max-heavy-searches", "0") as daemon:
        port = daemon.port
        for label, path in PATHS:
            status, size = get(port, path)
            before, times = cpu_seconds(daemon.pid), []
            for _ in range(repeat):
                t0 = time.perf_counter()
                get(port, path)
                times.append(time.perf_counter() - t0)
            cpu = (cpu_seconds(daemon.pid) - before) / repeat
            print("%-62s %3d %8d bytes  CPU %6.1f ms  median %6.1f ms"
                  % (label, status, size, cpu * 1000, statistics.median(times) * 1000))


if __name__ == "__main__":
    main(sys.argv)
