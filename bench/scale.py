#!/usr/bin/env python3
"""scale.py BUILD [--sizes 10000,100000,1000000] [--out FILE] - the figures of `make bench-scale`.

Timing only, never pass/fail (docs/scaling.md takes the figures). For each size N:
  1. bench/gen-corpus 1 N writes N generated documents (JSONL) to a scratch folder;
  2. vind-index --from-jsonl loads them into a new index: documents/s and MB/s of JSONL, by
     wall-clock time and by CPU time (user + system of the indexer: the steady figure on a
     shared machine), the indexer's peak RSS, and the index's size per document;
  3. an incremental run of 1,000 changed documents (the first 1,000 records with one more
     sentence) and a run of the same 1,000 unchanged lines (skipped by their hash);
  4. queries with all four facets against vind-searchd on 127.0.0.1 (query_figures): latency
     p50/p99 and requests/s of two-word queries, one client on one keep-alive connection, and
     the daemon's RSS; then wrk (bench/searchd.lua, 8 connections, WRK_SECONDS) over the same
     queries when wrk is installed, for each layout of QUERY_TARGETS: one database, 4 local shards
     (vind-index --shards 4) and 2 remote shards (two stock xapian-tcpsrv on 127.0.0.1);
  5. common-word queries (one or two of the most frequent words, four facets) on the one
     database with each count limit of SCALE_COUNT_LIMITS (default 0,1000,10000): latency with
     every match counted and with the count stopped at the limit ("ongeveer N").
--count-limits-db DB runs step 5 alone on an index made before (a generated one of N documents).

SCALE_TMP (default /tmp) holds the scratch data: 1M documents take ~7.5 GB of JSONL and an
index of several GB. Standard library only.
"""
import argparse
import http.client
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = 300


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def run_measured(argv, env, stdin=None):
    """Runs argv; returns (wall seconds, CPU seconds, peak RSS kB, stderr tail). The CPU is
    the rusage of waited-for children after minus before: every other child has been waited
    for by then (gen-corpus, vind-searchd, wrk), so the difference is argv's alone."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_measured.cpu = usage.ru_utime + usage.ru_stime
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, err = proc.communicate()
    wall = time.monotonic() - start
    # the child's rusage: it is our only child that ended since the last call
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_measured.cpu, before = usage.ru_utime + usage.ru_stime, run_measured.cpu
    return wall, run_measured.cpu - before, usage.ru_maxrss, err.decode(errors="replace")[-300:]


run_measured.cpu = 0.0


def generate(n, path):
    start = time.monotonic()
    with open(path, "w") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "gen-corpus"), "1", str(n)],
                       stdout=out, check=True)
    return time.monotonic() - start


def changed_records(src, dst, count):
    """The first `count` records of src, each with one more sentence: changed documents."""
    with open(src) as f, open(dst, "w") as out:
        for i, line in enumerate(f):
            if i >= count:
                break
            record = json.loads(line)
            record["pages"][-1] += "\n\nDit document is bijgewerkt op verzoek van de redactie."
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def query_words(n):
    """Two-word queries from the corpus vocabulary's mid-frequency words (ranks 200-3000:
    common enough to match thousands of documents at scale, not stop words)."""
    with open(os.path.join(HERE, "data", "corpus-stats.json")) as f:
        vocabulary = json.load(f)["vocabulary"]
    words = [w for w, _ in vocabulary[200:3000] if w.isalpha() and len(w) >= 4]
    rng = random.Random(14)
    return ["%s %s" % (rng.choice(words), rng.choice(words)) for _ in range(n)]


def wrk_figures(port, queries, scratch):
    """The same queries under load: wrk with bench/searchd.lua, 8 connections for
    WRK_SECONDS (default 20) s; {} without wrk."""
    if not shutil.which("wrk"):
        return {}
    paths = os.path.join(scratch, "paths.txt")
    with open(paths, "w") as f:
        f.writelines("/api/search?q=%s\n" % urllib.parse.quote(q) for q in queries)
    out = subprocess.run(["wrk", "-t2", "-c8", "-d%ss" % os.environ.get("WRK_SECONDS", "20"),
                          "--timeout", "30s", "-s", os.path.join(HERE, "searchd.lua"),
                          "http://127.0.0.1:%d" % port, "--", paths],
                         capture_output=True, text=True).stdout
    result = next((line for line in out.splitlines() if line.startswith("RESULT")), "")
    values = dict(kv.split("=", 1) for kv in result.split()[1:])
    return {k: float(values[k]) for k in ("rps", "p50_ms", "p99_ms", "status") if k in values}


def wait_for_port(port):
    """Until something listens on 127.0.0.1:port (10 s at most)."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def common_queries(n):
    """Queries of the corpus's most common words (ranks 30-300: past the stop words), one or
    two words: the queries whose counting pass examines a large share of the index."""
    with open(os.path.join(HERE, "data", "corpus-stats.json")) as f:
        vocabulary = json.load(f)["vocabulary"]
    words = [w for w, _ in vocabulary[30:300] if w.isalpha() and len(w) >= 4]
    rng = random.Random(15)
    return [rng.choice(words) if i % 2 else "%s %s" % (rng.choice(words), rng.choice(words))
            for i in range(n)]


def query_figures(build, db, env, queries=None, extra=(), load=True):
    """p50/p99 latency, requests/s and RSS of vind-searchd answering two-word queries (every
    answer carries the four facets: tag, theme, type, year), cache off, one connection; then
    wrk when load. queries: others than query_words; extra: more vind-searchd options."""
    port = free_port()
    log = open(os.path.join(os.path.dirname(db), "searchd.log"), "w")
    daemon = subprocess.Popen([os.path.join(build, "bin", "vind-searchd"), "--db", db,
                               "--listen", "127.0.0.1:%d" % port, "--cache-size", "0",
                               "--log-level", "error", "--search-time-limit", "0",
                               # wrk's 8 connections stand for 8 visitors (as bench/searchd.sh):
                               # the per-address limit would answer most of them 429
                               "--max-searches-per-ip", "64"] + list(extra),
                              env=env, stdout=log, stderr=log)
    try:
        wait_for_port(port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        queries = queries or query_words(QUERIES)
        for q in queries[:20]:  # warm-up: the index's pages into the cache
            conn.request("GET", "/api/search?q=" + urllib.parse.quote(q))
            conn.getresponse().read()
        times, totals, estimated = [], [], 0
        start = time.monotonic()
        for q in queries:
            t = time.monotonic()
            conn.request("GET", "/api/search?q=" + urllib.parse.quote(q))
            response = conn.getresponse()
            body = response.read()
            times.append(time.monotonic() - t)
            if response.status == 200:
                answer = json.loads(body)
                totals.append(answer.get("total", 0))
                estimated += answer.get("total_exact") is False
        elapsed = time.monotonic() - start
        times.sort()
        figures = {"queries": len(queries), "p50_ms": 1000 * times[len(times) // 2],
                   "p99_ms": 1000 * times[int(len(times) * 0.99) - 1],
                   "requests_per_s": len(queries) / elapsed,
                   "median_total": sorted(totals)[len(totals) // 2] if totals else 0,
                   "estimated": estimated}
        figures["wrk"] = wrk_figures(port, queries, os.path.dirname(db)) if load else {}
        figures["searchd_rss_mb"] = rss_kb(daemon.pid) / 1024
        return figures
    finally:
        daemon.terminate()
        daemon.wait()
        log.close()


def sharded(n):
    """A prepare() for QUERY_TARGETS: the same JSONL indexed with --shards n."""
    def prepare(build, jsonl, db, scratch, env):
        path = os.path.join(scratch, "shards-%d.db" % n)
        run_measured([os.path.join(build, "bin", "vind-index"), "--quiet", "--shards", str(n),
                      "--from-jsonl", jsonl, path], env)
        return path
    return prepare


SERVERS = []  # xapian-tcpsrv processes of the remote layout, stopped by stop_servers()


def remote_shards(build, jsonl, db, scratch, env):
    """2 shards served by two stock xapian-tcpsrv on 127.0.0.1, searched through a stub of
    remote lines (spelling from shard 0's folder, #vind-spelling); None without xapian-tcpsrv."""
    if not shutil.which("xapian-tcpsrv"):
        return None
    local = sharded(2)(build, jsonl, db, scratch, env)
    lines = []
    for s in range(2):
        port = free_port()
        SERVERS.append(subprocess.Popen(
            ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
             os.path.join(local, "shard-%d" % s)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        wait_for_port(port)
        lines.append("remote 127.0.0.1:%d\n" % port)
    stub = os.path.join(scratch, "remote.db")
    os.makedirs(stub, exist_ok=True)
    with open(os.path.join(stub, "XAPIANDB"), "w") as f:
        f.writelines(lines + ["#vind-spelling %s\n" % os.path.join(local, "shard-0")])
    return stub


def stop_servers():
    while SERVERS:
        server = SERVERS.pop()
        try:
            os.killpg(server.pid, 15)
        except OSError:
            pass
        server.wait()


# The database layouts queried: (name, prepare(build, jsonl, db_one, scratch, env) -> db path,
# or None to leave the layout out).
QUERY_TARGETS = [("1 database", lambda build, jsonl, db, scratch, env: db),
                 ("4 local shards", sharded(4)),
                 ("2 remote shards (xapian-tcpsrv, loopback)", remote_shards)]


def count_limit_figures(build, db, env):
    """Common-word queries (all four facets) on one database with each count limit of
    SCALE_COUNT_LIMITS (default 0,1000,10000; 0: count every match): what the limit saves."""
    limits = [int(x) for x in os.environ.get("SCALE_COUNT_LIMITS", "0,1000,10000").split(",") if x]
    queries = common_queries(QUERIES)
    return {limit: query_figures(build, db, env, queries, ["--count-limit", str(limit)], load=False)
            for limit in limits}


def one_size(build, n, scratch, env):
    jsonl = os.path.join(scratch, "docs.jsonl")
    gen_seconds = generate(n, jsonl)
    size = os.path.getsize(jsonl)
    db = os.path.join(scratch, "one.db")
    index = os.path.join(build, "bin", "vind-index")
    wall, cpu, rss, err = run_measured([index, "--quiet", "--from-jsonl", jsonl, db], env)
    figures = {"documents": n, "jsonl_mb": size / 1e6, "generate_s": gen_seconds,
               "index_wall_s": wall, "index_cpu_s": cpu, "docs_per_s_wall": n / wall,
               "docs_per_s_cpu": n / cpu, "mb_per_s_wall": size / 1e6 / wall,
               "index_peak_rss_mb": rss / 1024, "index_bytes_per_doc": du(db) / n,
               "index_summary": err.strip().splitlines()[-1] if err.strip() else ""}
    changed = os.path.join(scratch, "changed.jsonl")
    changed_records(jsonl, changed, min(1000, n))
    figures["update_1000_wall_s"], figures["update_1000_cpu_s"], _, _ = run_measured(
        [index, "--quiet", "--from-jsonl", changed, db], env)
    figures["unchanged_1000_wall_s"], _, _, _ = run_measured(
        [index, "--quiet", "--from-jsonl", changed, db], env)
    figures["count_limits"] = count_limit_figures(build, db, env)
    figures["queries"] = {}
    try:
        for name, prepare in QUERY_TARGETS:
            target = prepare(build, jsonl, db, scratch, env)
            if target:
                figures["queries"][name] = query_figures(build, target, env)
    finally:
        stop_servers()
    return figures


def report(all_figures, out):
    lines = ["# make bench-scale (bench/scale.py), %s, %d cores, load average %.1f at the end"
             % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(),
                os.getloadavg()[0]), "",
             "| documents | JSONL MB | index wall s | index CPU s | docs/s (wall) | docs/s (CPU) "
             "| MB/s (wall) | indexer peak RSS MB | index bytes/doc | 1,000 changed: wall s "
             "| 1,000 unchanged: wall s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for f in (f for f in all_figures if "index_wall_s" in f):  # not with --count-limits-db
        lines.append("| %d | %.0f | %.1f | %.1f | %.0f | %.0f | %.2f | %.0f | %.0f | %.1f | %.2f |"
                     % (f["documents"], f["jsonl_mb"], f["index_wall_s"], f["index_cpu_s"],
                        f["docs_per_s_wall"], f["docs_per_s_cpu"], f["mb_per_s_wall"],
                        f["index_peak_rss_mb"], f["index_bytes_per_doc"],
                        f["update_1000_wall_s"], f["unchanged_1000_wall_s"]))
    lines += ["", "| documents | layout | p50 ms | p99 ms | requests/s (1 connection) "
              "| wrk 8 connections: req/s, p50, p99 ms | median total | searchd RSS MB |",
              "|---:|---|---:|---:|---:|---|---:|---:|"]
    for f in all_figures:
        for name, q in f["queries"].items():
            w = q.get("wrk") or {}
            load = ("%.0f, %.1f, %.1f%s" % (w["rps"], w["p50_ms"], w["p99_ms"],
                                            ", %d not 2xx" % w["status"] if w.get("status") else "")
                    if {"rps", "p50_ms", "p99_ms"} <= set(w) else "(no wrk)")
            lines.append("| %d | %s | %.1f | %.1f | %.0f | %s | %d | %.0f |"
                         % (f["documents"], name, q["p50_ms"], q["p99_ms"], q["requests_per_s"],
                            load, q["median_total"], q["searchd_rss_mb"]))
    lines += ["", "Common words (one or two of the corpus's ranks 30-300), all four facets, one database, "
              "one connection:", "",
              "| documents | --count-limit | p50 ms | p99 ms | requests/s | median total "
              "| answers estimated |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for f in all_figures:
        for limit, q in f.get("count_limits", {}).items():
            lines.append("| %d | %s | %.1f | %.1f | %.0f | %d | %d of %d |"
                         % (f["documents"], limit or "0 (all)", q["p50_ms"], q["p99_ms"],
                            q["requests_per_s"], q["median_total"], q["estimated"], q["queries"]))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(out, "w") as f:
        f.write(text)
    with open(out + ".json", "w") as f:
        json.dump(all_figures, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--out", default="build/bench-scale.md")
    parser.add_argument("--count-limits-db", help="step 5 alone, on this index")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ, VIND_DATADIR=os.path.join(build, "share", "vind"))
    if args.count_limits_db:
        db = os.path.abspath(args.count_limits_db)
        stats = subprocess.run([os.path.join(build, "bin", "vind"), "--db", db, "stats"],
                               env=env, capture_output=True, text=True).stdout
        documents = int(stats.split("documents:")[1].split()[0])
        report([{"documents": documents, "queries": {},
                 "count_limits": count_limit_figures(build, db, env)}], args.out)
        return 0
    all_figures = []
    for n in (int(s) for s in args.sizes.split(",") if s):
        scratch = tempfile.mkdtemp(prefix="vind-scale-", dir=os.environ.get("SCALE_TMP", "/tmp"))
        try:
            all_figures.append(one_size(build, n, scratch, env))
            sys.stderr.write("bench-scale: %d documents done\n" % n)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        report(all_figures, args.out)  # after each size: a long run keeps what it measured
    return 0


if __name__ == "__main__":
    sys.exit(main())
