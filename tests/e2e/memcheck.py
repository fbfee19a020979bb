"""memcheck.py - valgrind memcheck over a representative end-to-end run (`make check-valgrind`;
not part of `make check`: about a minute and a half).

Under valgrind, each with its own log per process (vind-index forks extraction workers):
  1. vind-index over the sample site (HTML and PDF extraction, analysis, commits);
  2. vind: searches (text, JSON, facets, operators, prefix), count, kwic, suggest, stats, doc;
  3. vind-searchd answering ~45 requests: searches, the page, suggestions, documents, health,
     metrics, assets, and refused ones (400, 404, 405, 413, 414, 431, a cut chunked body),
     a client cut off for never finishing its request, three that hang up unanswered, then SIGTERM.
Passes when every process reports "definitely lost: 0 bytes" (or frees everything) and
"ERROR SUMMARY: 0 errors" (no invalid read or write, no use of uninitialised memory). The
figures go into docs/reliability.md. Standard library only; TAP output.
"""

import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attacks  # noqa: E402
from harness import Tap, binary, env, have, sample_site  # noqa: E402

tap = Tap()
SUPPRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "valgrind.supp")
# vind-searchd and vind-index allocate with tcmalloc: their malloc and free are valgrind's too (somalloc).
VALGRIND = ["valgrind", "--tool=memcheck", "--soname-synonyms=somalloc=*tcmalloc*",
            "--suppressions=" + SUPPRESSIONS,
            "--leak-check=full", "--show-leak-kinds=definite",
            "--errors-for-leak-kinds=definite", "--track-origins=yes", "--num-callers=30"]


def memcheck_env():
    environment = env()
    # GLib's slice allocator hides frees from valgrind; gc-friendly clears freed pointers.
    environment["G_SLICE"] = "always-malloc"
    environment["G_DEBUG"] = "gc-friendly"
    return environment


def under_valgrind(logs, label, command, **kwargs):
    log = os.path.join(logs, label + ".%p.log")
    return subprocess.run(VALGRIND + ["--log-file=" + log] + command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=memcheck_env(), **kwargs)


def read_log(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lost = re.search(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks", text)
    errors = re.search(r"ERROR SUMMARY: ([\d,]+) errors", text)
    return {
        "definitely_lost": int(lost.group(1).replace(",", "")) if lost else 0,
        "all_freed": "All heap blocks were freed" in text,
        "errors": int(errors.group(1).replace(",", "")) if errors else None,
        "invalid": len(re.findall(r"Invalid (read|write|free)", text)),
        "uninitialised": len(re.findall(r"uninitialised", text)),
        "in_use": (re.search(r"in use at exit: ([\d,]+) bytes", text) or [None, "?"])[1],
        "command": (re.search(r"Command: (.*)", text) or [None, "?"])[1],
        "text": text,
    }


def report(logs, label, what):
    """One TAP line per program: every process of label clean."""
    paths = sorted(glob.glob(os.path.join(logs, label + ".*.log")))
    results = [read_log(p) for p in paths]
    bad = [r for r in results if r["definitely_lost"] or r["errors"] != 0 or r["invalid"]]
    lost = sum(r["definitely_lost"] for r in results)
    errors = sum(r["errors"] or 0 for r in results)
    tap.ok(results and not bad,
           "%s: %d process(es), definitely lost %d bytes, %d errors (invalid reads/writes: %d)"
           % (what, len(results), lost, errors, sum(r["invalid"] for r in results)),
           "\n".join(r["text"][-3000:] for r in bad[:2]))
    return results


def searchd_requests(port):
    paths = attacks.NORMAL_PATHS + [
        "/api/search?q=zorg&tag=Verpleeghuizen&tag=Wijkverpleging", "/api/search?q=zorg&year=2023&sort=date-asc",
        "/api/search?q=kwaliteit&from=2020&to=2023-06", "/api/search?q=wijk*", "/api/search?q=zorg+NOT+thuis",
        "/api/search?q=verpleeghuizn", "/api/search?q=qqqxxyyzz", "/api/search?theme=Wonen+en+zorg",
        "/zoeken?q=zorg&page=2", "/zoeken?q=%22eerste+lijn%22&type=article", "/zoeken", "/zoeken?q=",
        "/api/suggest?q=zo", "/api/suggest?q=", "/api/doc?url=/", "/api/doc?url=/bestaat-niet/",
        "/api/related?url=/", "/health", "/metrics", "/assets/style.css", "/zoeken/assets/search.js", "/",
        "/api/search?q=a&page=-1", "/api/search?q=a&size=1000", "/api/search?q=(((", "/nothing",
        "/api/search?q=" + "zorg" * 2000, "/api/search?q=100%zeker", "/api/search?q=zorg&q=wijk",
        "/api/search?q=%ff", "/assets/../page.html",
    ]
    statuses = []
    # A client that never finishes its request (the daemon cuts it off after 10 s, while the
    # requests below run) and clients that hang up without reading the answer.
    import socket
    slow = socket.create_connection(("127.0.0.1", port), timeout=60)
    slow.sendall(b"GET /api/search?q=zorg HTTP/1.1\r\nHost: x\r\nX-Slow: a")
    started = time.time()
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as gone:
            gone.sendall(b"GET /api/search?q=zorg&size=100 HTTP/1.1\r\nHost: x\r\n\r\n")
    for path in paths:
        status, _ = attacks.raw_request(port, attacks._request("GET", path), timeout=60)
        statuses.append(status)
    for name, data, _ in attacks.HOSTILE:
        if name in ("a 40 kB header", "a 300 kB header", "an endless chunked body", "a 10 MB body announced",
                    "POST /api/search?q=zorg", "OPTIONS /health", "10,000 query words"):
            statuses.append(attacks.raw_request(port, data, timeout=60)[0])
    time.sleep(max(0.0, 13 - (time.time() - started)))
    slow.settimeout(5)
    try:
        cut = slow.recv(100) == b""
    except OSError:
        cut = True
    slow.close()
    return statuses, cut


def first_article(site):
    """The URL of the sample site's first article (/actueel/SLUG/)."""
    slugs = sorted(os.path.basename(os.path.dirname(p))
                   for p in glob.glob(os.path.join(site, "actueel", "*", "index.html")))
    return "/actueel/%s/" % slugs[0] if slugs else "/"


def main():
    source = sample_site()
    if subprocess.run(["sh", "-c", "command -v valgrind"], stdout=subprocess.DEVNULL).returncode != 0:
        tap.skip("memcheck", "valgrind not installed (apt-get install valgrind)")
        return
    if not all(have(p) for p in ("vind", "vind-index", "vind-searchd")) or source is None:
        tap.skip("memcheck", "programs or the sample site not built (make all sample-site)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        logs = os.path.join(tmp, "logs")
        os.makedirs(logs)
        db = os.path.join(tmp, "db")
        started = time.time()
        result = under_valgrind(logs, "index", [binary("vind-index"), "--db", db, "--base-url", "/", source],
                                timeout=900)
        tap.ok(result.returncode == 0, "vind-index under valgrind exits 0 (%.0f s)" % (time.time() - started),
               result.stderr.decode("utf-8", "replace")[-1500:])
        report(logs, "index", "vind-index over the sample site")

        vind = binary("vind")
        runs = [["search", "--db", db, "zorg"],
                ["search", "--db", db, "--format", "json", "--facets", "--tag", "Verpleeghuizen", "zorg kwaliteit"],
                ["search", "--db", db, "--format", "json", 'wijk* OR "eerste lijn"'],
                ["search", "--db", db, "--format", "csv", "--sort", "date", "verpleeghuizen NOT corona"],
                ["count", "--db", db, "--by", "year", "zorg"],
                ["kwic", "--db", db, "zorg"],
                ["suggest", "--db", db, "zo"],
                ["stats", "--db", db],
                ["doc", "--db", db, "--text", first_article(source)]]
        codes = []
        for number, args in enumerate(runs):
            result = under_valgrind(logs, "vind-%d" % number, [vind] + args, timeout=300)
            codes.append((args[0], result.returncode))
        tap.ok(all(code in (0, 1) for _, code in codes), "vind commands under valgrind exit 0 or 1 (no hits)",
               codes)
        for number, args in enumerate(runs):
            report(logs, "vind-%d" % number, "vind " + " ".join(a for a in args if a != db and a != "--db"))

        log = os.path.join(logs, "searchd.%p.log")
        stderr_path = os.path.join(tmp, "searchd.stderr")
        with open(stderr_path, "wb") as stderr:
            daemon = subprocess.Popen(VALGRIND + ["--log-file=" + log, binary("vind-searchd"), "--db", db,
                                                  "--listen", "127.0.0.1:0", "--threads", "2"],
                                      stdout=subprocess.DEVNULL, stderr=stderr, env=memcheck_env())
            port = None
            deadline = time.time() + 120
            while time.time() < deadline and port is None and daemon.poll() is None:
                with open(stderr_path, encoding="utf-8", errors="replace") as f:
                    match = re.search(r"listening on http://[^:]+:(\d+)/", f.read())
                port = int(match.group(1)) if match else None
                time.sleep(0.2)
            if port is None:
                daemon.kill()
                tap.ok(False, "vind-searchd under valgrind starts")
                return
            statuses, cut = searchd_requests(port)
            daemon.send_signal(signal.SIGTERM)
            try:
                code = daemon.wait(timeout=120)
            except subprocess.TimeoutExpired:
                daemon.kill()
                code = "killed"
        answered = [s for s in statuses if s is not None]
        tap.ok(len(answered) >= len(statuses) - 1 and any(s == 200 for s in answered)
               and not any(s >= 500 and s != 501 for s in answered),
               "vind-searchd under valgrind answered %d requests (%d cut off), no 5xx but 501"
               % (len(answered), len(statuses) - len(answered)), statuses)
        tap.ok(cut, "vind-searchd under valgrind cut off the client that never finished its request")
        tap.equal(code, 0, "vind-searchd under valgrind: SIGTERM exits 0")
        report(logs, "searchd", "vind-searchd serving %d requests" % len(statuses))
        tap.diag("memcheck run took %.0f s" % (time.time() - started))


main()
sys.exit(tap.done())
