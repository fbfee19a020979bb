#!/usr/bin/env python3
"""test_searchd_threads.py - vind-searchd counts its HTTP workers (--http-threads) and its search
threads (--threads) apart (docs/searchd.md "Session 20: HTTP workers and search threads counted
apart"). Until session 20 --threads N meant N libmicrohttpd workers and N search threads.

  1. --http-threads 3 --threads 2: /metrics has 3 vind_worker_connections gauges, and 6 keep-alive
     connections sit 2 on each of them; vind_search_threads says 2; the start line names both;
  2. every search held VIND_SEARCHD_TEST_DELAY_MS, --threads 2 --http-threads 1, 5 searches sent
     from 5 connections: exactly 2 run at once (vind_searches_running), the other 3 wait in the
     queue (vind_searches_queued), /health is answered meanwhile, and all 5 are answered;
     --threads 3: 3 run, 2 wait. Counted from the gauges once all 5 are in and the search threads
     have each taken one, so it does not depend on how fast the machine is (the hold is 4 s, well
     past the time to send 5 requests; more than S running fails at once);
  3. the config file's http-threads key; --http-threads given on the command line wins over it;
  4. bad values (--http-threads -1, 65, "two", the key "http-threads = x") are refused with exit 2
     and a message naming the option; 0 is one worker per CPU;
  5. each daemon of 1 and 2 exits 0 on SIGTERM with no sanitizer report (run it under ASan too).
Standard library only; TAP. Over a generated index of 10 articles.
"""
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, binary, env, generated_index, get_from, query, require_programs  # noqa: E402

tap = Tap()
HELD_MS = 4000
SEARCHES = 5


def metrics_text(sd):
    return sd.get("/metrics")[2].decode()


def workers(text):
    """vind_worker_connections by worker, in worker order."""
    found = re.findall(r'^vind_worker_connections\{worker="(\d+)"\} (\d+)$', text, re.M)
    return [count for _, count in sorted((int(w), int(c)) for w, c in found)]


def gauge(text, name):
    match = re.search(r"^%s (\d+)$" % re.escape(name), text, re.M)
    return int(match.group(1)) if match else None


def keep_alive(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/health")
    response = connection.getresponse()
    response.read()
    return connection


def clean_exit(sd, what):
    """The daemon exited 0 on SIGTERM with no sanitizer report in its log."""
    log = sd.log()
    tap.ok(sd.exit_code == 0 and "Sanitizer" not in log and "runtime error" not in log,
           "%s: SIGTERM exits 0, no sanitizer report" % what, (sd.exit_code, log[-1000:]))


def counts_apart(db):
    with Searchd(db, "--http-threads", "3", "--threads", "2") as sd:
        connections = [keep_alive(sd.port) for _ in range(6)]
        deadline = time.time() + 10
        counts = workers(metrics_text(sd))
        while sum(counts) != 7 and time.time() < deadline:  # the 6, and /metrics' own connection
            time.sleep(0.05)
            counts = workers(metrics_text(sd))
        tap.equal(len(counts), 3, "--http-threads 3: three vind_worker_connections gauges")
        tap.equal(sorted(counts), [2, 2, 3], "6 keep-alive connections (and /metrics' own) spread over the 3 workers")
        tap.equal(gauge(metrics_text(sd), "vind_search_threads"), 2, "--threads 2: vind_search_threads 2")
        tap.ok("3 HTTP workers, 2 search threads" in sd.log(), "the start line names both counts", sd.log()[-300:])
        for connection in connections:
            connection.close()
    clean_exit(sd, "--http-threads 3 --threads 2")


def searches_at_once(db, threads):
    """SEARCHES held searches over --threads `threads` and one HTTP worker: how many run and wait."""
    os.environ["VIND_SEARCHD_TEST_DELAY_MS"] = str(HELD_MS)
    try:
        sd = Searchd(db, "--threads", str(threads), "--http-threads", "1", "--cache-size", "0",
                     "--max-searches-per-ip", "64").start()
    finally:
        del os.environ["VIND_SEARCHD_TEST_DELAY_MS"]
    try:
        answers = []
        lock = threading.Lock()

        def client(n):
            status = get_from(sd.port, "127.0.0.1", "/api/search?" + query(q="zorg%d" % n), 60)[0]
            with lock:
                answers.append(status)

        clients = [threading.Thread(target=client, args=(n,)) for n in range(SEARCHES)]
        for thread in clients:
            thread.start()
        deadline = time.time() + HELD_MS / 1000.0
        text = metrics_text(sd)
        while time.time() < deadline:
            running, queued = gauge(text, "vind_searches_running"), queue_total(text)
            # Settled: all in, and every search thread has taken one (a woken thread may not
            # have yet: seen under ThreadSanitizer). More than `threads` running would fail below.
            if running is not None and running + queued == SEARCHES and running >= threads:
                break
            time.sleep(0.02)
            text = metrics_text(sd)
        health = sd.get("/health")[0]
        for thread in clients:
            thread.join(60)
        return gauge(text, "vind_searches_running"), queue_total(text), health, sorted(answers)
    finally:
        sd.stop()
        clean_exit(sd, "--threads %d, held searches" % threads)


def queue_total(text):
    return sum(int(n) for n in re.findall(r'^vind_searches_queued\{queue="\w+"\} (\d+)$', text, re.M))


def held_searches(db):
    for threads in (2, 3):
        running, queued, health, answers = searches_at_once(db, threads)
        tap.equal((running, queued), (threads, SEARCHES - threads),
                  "--threads %d, %d searches held: %d run at once, %d wait in the queue"
                  % (threads, SEARCHES, threads, SEARCHES - threads))
        tap.equal(health, 200, "--threads %d: /health is answered while the search threads are all held" % threads)
        tap.equal(answers, [200] * SEARCHES, "--threads %d: all %d searches are answered" % (threads, SEARCHES))


def run(args, timeout=20):
    return subprocess.run([binary("vind-searchd")] + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env=env(), timeout=timeout)


def config_key(db, tmp):
    path = os.path.join(tmp, "searchd.conf")
    with open(path, "w") as f:
        f.write("[searchd]\nhttp-threads = 2\nthreads = 3\n")
    with Searchd(db, "--config", path) as sd:
        tap.equal(len(workers(metrics_text(sd))), 2, "config http-threads = 2: two workers")
        tap.equal(gauge(metrics_text(sd), "vind_search_threads"), 3, "config threads = 3: three search threads")
    with Searchd(db, "--config", path, "--http-threads", "1") as sd:
        tap.equal(len(workers(metrics_text(sd))), 1, "--http-threads 1 on the command line wins over the file's 2")
    with Searchd(db, "--http-threads", "0") as sd:
        tap.equal(len(workers(metrics_text(sd))), os.cpu_count(), "--http-threads 0: one worker per CPU")
    with Searchd(db) as sd:
        tap.equal(len(workers(metrics_text(sd))), max(1, os.cpu_count() // 4),
                  "no --http-threads: one worker per 4 CPUs, at least 1 (session 20's default)")
        tap.equal(gauge(metrics_text(sd), "vind_search_threads"), 4, "no --threads: 4 search threads")


def bad_values(db, tmp):
    for value in ("-1", "65", "two"):
        result = run(["--db", db, "--listen", "127.0.0.1:0", "--http-threads", value])
        tap.ok(result.returncode == 2 and b"--http-threads" in result.stderr,
               "--http-threads %s: refused, exit 2, the message names the option" % value, result.stderr)
    path = os.path.join(tmp, "bad.conf")
    with open(path, "w") as f:
        f.write("[searchd]\nhttp-threads = x\n")
    result = run(["--db", db, "--listen", "127.0.0.1:0", "--config", path])
    tap.ok(result.returncode == 2 and b"http-threads must be a number" in result.stderr,
           "config http-threads = x: refused, exit 2, the message names the key", result.stderr)


def main():
    if not require_programs(tap, "searchd threads", "vind-searchd", "vind-index"):
        return tap.done()
    with tempfile.TemporaryDirectory() as tmp:
        _, db = generated_index(tmp, 10)
        counts_apart(db)
        held_searches(db)
        config_key(db, tmp)
        bad_values(db, tmp)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
