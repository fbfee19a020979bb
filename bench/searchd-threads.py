#!/usr/bin/env python3
"""searchd-threads.py BUILD DB PATHS [W:S ...] - vind-searchd's p99 by HTTP workers (--http-threads W)
and search threads (--threads S), timing only (never pass/fail; docs/searchd.md "Session 20: HTTP
workers and search threads counted apart").

For each round (ROUNDS, default 3) and each W:S (default 4:4 1:2 2:2 1:1, interleaved: ABCD ABCD ...)
it starts BUILD's vind-searchd over DB with thr.sh's settings (--cache-size 0, the bench's connection
limits, --heavy-search-ms 100000), warms it 3 s with wrk, then runs, 10 s each (SECONDS):
  full    wrk -t2 -c64 over PATHS (bench/searchd.lua), and meanwhile three light probes, each one
          keep-alive connection sending a request every 33 ms: the wildcard paths of PATHS (those
          queue later: server.c's queue_later), the other paths, and /health (never waits for a
          search thread: its tail is the scheduling). /metrics is read before and after: the share
          of searches whose answer (request in -> answer made: the queue and the search) and whose
          request (line read -> last byte) took over 50 ms, as the daemon saw them;
  nowild  wrk over PATHS without the wildcard paths;
  health  wrk over /health.
Prints one block a run, then a table: the median (min-max) of each figure per W:S, and the load.
The machine must be said with the figures: on a shared machine the p99 is its scheduling.

  python3 bench/searchd-threads.py build /tmp/corpus.db /work/tools/paths.txt 4:4 1:2 1:1

BASE=OTHER_BUILD adds OTHER_BUILD's daemon at --threads 4 (before session 20: 4 workers, 4 search
threads) as "base". Needs wrk. Standard library only.
"""
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SECONDS = int(os.environ.get("SECONDS_EACH", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
PORT = int(os.environ.get("PORT", str(20000 + os.getpid() % 20000)))


def probe(port, paths_file, seconds, interval):
    """One keep-alive connection, a request every `interval` s over the paths in turn: latencies (ms)."""
    paths = [line.strip() for line in open(paths_file) if line.strip()]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, i, end = [], 0, time.monotonic() + seconds
    next_at = time.monotonic()
    while time.monotonic() < end:
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
        start = time.perf_counter()
        connection.request("GET", paths[i % len(paths)])
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - start) * 1000)
        i += 1
    latencies.sort()
    return latencies


def percentile(values, fraction):
    return values[min(len(values) - 1, int(len(values) * fraction))]


def wrk(port, connections, seconds, paths_file):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--timeout", "30s", "-s",
                          os.path.join(HERE, "searchd.lua"), "http://127.0.0.1:%d" % port, "--", paths_file],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT")), "")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def over_50ms(before, after, metric):
    """Share (%) of /api/search requests over 50 ms in `metric` between two /metrics texts."""
    def buckets(text):
        return {le: int(n) for le, n in re.findall(
            r'^%s_bucket\{route="/api/search",le="([^"]+)"\} (\d+)$' % metric, text, re.M)}
    b0, b1 = buckets(before), buckets(after)
    total = b1.get("+Inf", 0) - b0.get("+Inf", 0)
    within = b1.get("0.05", 0) - b0.get("0.05", 0)
    return 100.0 * (total - within) / total if total else float("nan")


def metrics(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/metrics")
    return connection.getresponse().read().decode()


def load():
    return float(open("/proc/loadavg").read().split()[0])


def one_run(build, db, w, s, files, base):
    args = ["--threads", str(s)] + ([] if base else ["--http-threads", str(w)])
    env = dict(os.environ, VIND_DATADIR=os.path.join(build, "share", "vind"))
    daemon = subprocess.Popen(
        [os.path.join(build, "bin", "vind-searchd"), "--db", db, "--listen", "127.0.0.1:%d" % PORT,
         "--max-connections", "1024", "--max-connections-per-ip", "1024", "--max-searches-per-ip", "64",
         "--heavy-search-ms", "100000", "--cache-size", "0", "--log-level", "warning"] + args,
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        wrk(PORT, 64, 3, files["all"])
        row = {"load": load()}
        m0 = metrics(PORT)
        probes = {kind: subprocess.Popen([sys.executable, __file__, "--probe", str(PORT), files[kind], str(SECONDS)],
                                         stdout=subprocess.PIPE, text=True)
                  for kind in ("wild", "plain", "health")}
        full = wrk(PORT, 64, SECONDS, files["all"])
        for kind, process in probes.items():
            values = [float(v) for v in process.communicate()[0].split()]
            row["probe %s p50" % kind], row["probe %s p99" % kind] = percentile(values, 0.5), percentile(values, 0.99)
        m1 = metrics(PORT)
        row["answer>50ms %"] = over_50ms(m0, m1, "vind_http_answer_duration_seconds")
        row["request>50ms %"] = over_50ms(m0, m1, "vind_http_request_duration_seconds")
        nowild = wrk(PORT, 64, SECONDS, files["plain"])
        health = wrk(PORT, 64, SECONDS, files["health"])
        row.update({"req/s": full.get("rps"), "p50": full.get("p50_ms"), "p99": full.get("p99_ms"),
                    "errors": sum(full.get(k, 0) for k in ("connect", "read", "write", "status", "timeout")),
                    "nowild req/s": nowild.get("rps"), "nowild p99": nowild.get("p99_ms"),
                    "health req/s": health.get("rps"), "health p99": health.get("p99_ms")})
        row["share %"] = 100.0 * row["req/s"] / row["health req/s"] if row["health req/s"] else float("nan")
        return row
    finally:
        daemon.terminate()
        daemon.wait()


def main():
    if sys.argv[1] == "--probe":
        port, paths_file, seconds = int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        print(" ".join("%.3f" % v for v in probe(port, paths_file, seconds, 0.033)))
        return
    build, db, paths = sys.argv[1], sys.argv[2], sys.argv[3]
    configs = [tuple(int(n) for n in c.split(":")) for c in (sys.argv[4:] or ["4:4", "1:2", "2:2", "1:1"])]
    runs = [(build, w, s, False) for w, s in configs]
    if os.environ.get("BASE"):
        runs.insert(0, (os.environ["BASE"], 4, 4, True))
    with tempfile.TemporaryDirectory() as tmp:
        lines = [l.strip() for l in open(paths) if l.strip()]
        files = {"all": paths, "wild": os.path.join(tmp, "wild"), "plain": os.path.join(tmp, "plain"),
                 "health": os.path.join(tmp, "health")}
        with open(files["wild"], "w") as f:
            f.write("\n".join(l for l in lines if "%2A" in l.upper() or "*" in l) + "\n")
        with open(files["plain"], "w") as f:
            f.write("\n".join(l for l in lines if not ("%2A" in l.upper() or "*" in l)) + "\n")
        with open(files["health"], "w") as f:
            f.write("/health\n")
        results = {}
        for round_number in range(ROUNDS):
            for build_dir, w, s, base in runs:
                name = "base %d:%d" % (w, s) if base else "%d:%d" % (w, s)
                row = one_run(build_dir, db, w, s, files, base)
                results.setdefault(name, []).append(row)
                print("round %d %s: %s" % (round_number + 1, name,
                                           " ".join("%s=%.1f" % (k.replace(" ", "_"), v) for k, v in row.items())),
                      flush=True)
    keys = ["load", "req/s", "p50", "p99", "errors", "nowild req/s", "nowild p99", "health req/s", "health p99",
            "share %", "probe wild p50", "probe wild p99", "probe plain p50", "probe plain p99",
            "probe health p50", "probe health p99", "answer>50ms %", "request>50ms %"]
    print("\n| W:S | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, rows in results.items():
        cells = []
        for k in keys:
            values = [r[k] for r in rows if r.get(k) is not None]
            cells.append("%.1f (%.1f-%.1f)" % (statistics.median(values), min(values), max(values)) if values else "-")
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
