"""searchd-memory.py BUILD DB REQUESTS PORT [THREADS [long]] - the resident memory of BUILD's
vind-searchd (--threads THREADS, default 4, the result cache on) while one client sends REQUESTS
distinct requests a hostile client would: random words of 4-60 letters (one to three a query),
prefixes (`abc*`), facets (`theme=`, `year=`) and pages, and `/api/suggest` of random prefixes;
with `long`, every search is 64 random words of 4-60 letters (session 16: what the plans, the
terms asked and the spellings keep). Prints the
daemon's VmRSS at every eighth of the run and its VmHWM at the end, as a Markdown table row per
mark: what a client sending only new words makes the daemon keep (docs/security.md "The hostile
probe of session 15, second part"). Three connections at a time (--max-searches-per-ip is threads
- 1). Seeded: the same requests each run. Standard library only; a measurement, never pass/fail.
"""

import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def start_daemon(build, db, port, threads):
    env = dict(os.environ, VIND_DATADIR=os.path.join(build, "share", "vind"))
    log = tempfile.TemporaryFile()
    daemon = subprocess.Popen(
        [os.path.join(build, "bin", "vind-searchd"), "--db", db, "--listen",
         "127.0.0.1:%d" % port, "--threads", str(threads), "--max-heavy-searches", "0"],
        stderr=log, env=env)
    for _ in range(200):
        log.seek(0)
        if re.search(rb"listening on", log.read()):
            return daemon
        time.sleep(0.1)
    daemon.kill()
    sys.exit("vind-searchd did not start")


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as status:
        return int(re.search(r"^%s:\s+(\d+) kB" % field, status.read(), re.M).group(1))


def word(rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 60)))


def long_request(rng):
    return "/api/search?" + urllib.parse.urlencode({"q": " ".join(word(rng) for _ in range(64))})


def request(rng):
    kind = rng.random()
    if kind < 0.1:
        return "/api/suggest?" + urllib.parse.urlencode({"q": word(rng)[:rng.randint(2, 8)]})
    words = [word(rng) for _ in range(rng.randint(1, 3))]
    if kind < 0.3:
        words[-1] = words[-1][:rng.randint(3, 6)] + "*"
    params = {"q": " ".join(words)}
    if kind > 0.7:
        params["theme"] = word(rng)[:10]
        params["year"] = str(rng.randint(2000, 2030))
    if kind > 0.9:
        params["page"] = str(rng.randint(1, 5))
    return "/api/search?" + urllib.parse.urlencode(params)


def client(port, paths, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        for attempt in range(20):
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            if answer.status != 429:
                break
            time.sleep(0.01)
        if answer.status != 200:
            errors.append((path, answer.status))
    conn.close()


def main():
    if len(sys.argv) not in (5, 6, 7) or sys.argv[6:] not in ([], ["long"]):
        sys.exit(__doc__)
    build, db, total, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) >= 6 else 4
    rng = random.Random(15)
    make = long_request if sys.argv[6:] == ["long"] else request
    paths = [make(rng) for _ in range(total)]
    daemon = start_daemon(build, db, port, threads)
    errors = []
    try:
        print("| requests | VmRSS MB |")
        print("|---:|---:|")
        print("| 0 | %d |" % (status_kb(daemon.pid, "VmRSS") // 1024))
        step = max(1, total // 8)
        for start in range(0, total, step):
            part = paths[start:start + step]
            workers = [threading.Thread(target=client, args=(port, part[k::3], errors))
                       for k in range(3)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            print("| %d | %d |" % (start + len(part), status_kb(daemon.pid, "VmRSS") // 1024),
                  flush=True)
        print("peak (VmHWM): %d MB; answers not 200: %d" % (status_kb(daemon.pid, "VmHWM") // 1024,
                                                             len(errors)))
    finally:
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    main()
