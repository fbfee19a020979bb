"""attacks.py - hostile clients for vind-searchd, shared by tests/e2e/test_searchd_attack.py
(pass/fail: every attack gets a 4xx or is cut off, a normal client keeps being served) and
bench/searchd.sh (the exact p99 of a normal client with and without the attacks).

Everything stays on loopback. Hostile clients come from their own loopback addresses
(127.0.0.2-127.0.0.5: Linux routes all of 127.0.0.0/8 to lo) so that the per-address
connection limit (--max-connections-per-ip) they run into is not the normal client's, who
connects from 127.0.0.1 as a visitor would from their own address. Every loop has a deadline.

    python3 attacks.py flood PORT SECONDS          hostile requests one after another
    python3 attacks.py held PORT SECONDS [--renew] 1,000 idle connections, slow headers, slow bodies
    python3 attacks.py normal PORT SECONDS         a normal client's latencies (p50/p99)

Each prints one JSON object on stdout. Standard library only.
"""

import collections
import http.client
import json
import selectors
import socket
import sys
import time

# One loopback address per kind of attacker (see above).
FLOOD_ADDRESS = "127.0.0.5"
HELD_ADDRESSES = {"idle": "127.0.0.2", "slow_header": "127.0.0.3", "slow_body": "127.0.0.4"}

# The routes of searchd/server.c's table (one path each) and the GET status they give on the
# sample site's index, for the method checks.
ROUTES = ["/api/search?q=zorg", "/api/suggest?q=zo", "/api/doc?url=/", "/api/related?url=/",
          "/health", "/metrics", "/zoeken?q=zorg", "/zoeken/", "/zoeken/assets/style.css",
          "/assets/search.js", "/"]

# A normal visitor: searches of the sample site (words it contains), its page and suggestions.
NORMAL_PATHS = ["/api/search?q=zorg", "/api/search?q=wijkverpleging&sort=date",
                "/api/search?q=cli%C3%ABntenraad", "/zoeken?q=verpleeghuis",
                "/api/search?q=zorg+kwaliteit&page=2", "/api/suggest?q=wijk",
                "/api/search?q=%22eerste+lijn%22", "/zoeken?q=jaarverslag&type=pdf"]


def _request(method, target, headers=(), body=b""):
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (method, target)
    return head.encode("latin-1") + b"".join(h + b"\r\n" for h in headers) + b"Connection: close\r\n\r\n" + body


def _hostile_requests():
    """(name, raw request, allowed statuses). None in the allowed set: the daemon may also cut
    the connection without an answer (a limit that closes rather than answers)."""
    words_10000 = "+".join(["zorg"] * 10000)
    items = [
        ("a 100 kB query", _request("GET", "/api/search?q=" + "zorg" * 25000), {414}),
        ("10,000 query words", _request("GET", "/api/search?q=" + words_10000), {414}),
        ("2,000 query words within 4 kB", _request("GET", "/api/search?q=" + "+".join(["a"] * 2000)), {400}),
        ("65 query words (one over the limit)", _request("GET", "/api/search?q=" + "+".join(["zorg"] * 65)), {400}),
        ("invalid UTF-8 %ff%fe", _request("GET", "/api/search?q=%ff%fe"), {400}),
        ("overlong UTF-8 %c0%ae", _request("GET", "/api/search?q=%c0%ae%c0%ae"), {400}),
        ("raw invalid UTF-8 bytes", b"GET /api/search?q=\xc3\x28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {400}),
        ("%00 in a value", _request("GET", "/api/search?q=zorg%00zorg"), {400}),
        ("%00 in a name", _request("GET", "/api/search?q=zorg&ta%00g=x"), {400}),
        ("a raw NUL in the path", _request("GET", "/assets/style.css\x00.js"), {400}),
        ("a raw NUL between two q=", _request("GET", "/api/search?q=zorg\x00&q=x"), {400}),
        ("a malformed escape %zz", _request("GET", "/api/search?q=100%zeker"), {400}),
        ("a truncated escape", _request("GET", "/api/search?q=zorg%2"), {400}),
        ("a malformed escape on the page", _request("GET", "/zoeken?q=zorg%"), {400}),
        ("q twice", _request("GET", "/api/search?q=zorg&q=wijk"), {400}),
        ("page twice", _request("GET", "/api/search?q=zorg&page=1&page=2"), {400}),
        ("url twice", _request("GET", "/api/doc?url=/a&url=/b"), {400}),
        ("unknown parameters (tolerated, bounded by the count)", _request("GET", "/api/search?q=zorg&utm_source=x&_=1"), {200}),
        ("300 parameters", _request("GET", "/api/search?q=a&" + "&".join("tag=t%d" % i for i in range(300))), {414}),
        ("300 unknown parameters", _request("GET", "/api/search?q=a&" + "&".join("x%d=1" % i for i in range(300))), {414}),
        ("the deepest page, largest size (allowed)", _request("GET", "/api/search?q=zorg&page=1000&size=100"), {200}),
        ("page 1001", _request("GET", "/api/search?q=zorg&page=1001"), {400}),
        ("size 101", _request("GET", "/api/search?q=zorg&size=101"), {400}),
        ("page 2^32+1", _request("GET", "/api/search?q=zorg&page=4294967297"), {400}),
        ("page 10^20", _request("GET", "/api/search?q=zorg&page=99999999999999999999"), {400}),
        ("page -1", _request("GET", "/api/search?q=zorg&page=-1"), {400}),
        ("limit 10^9 on related", _request("GET", "/api/related?url=/&limit=1000000000"), {400}),
        ("a 40 kB header", _request("GET", "/health", [b"X-Padding: " + b"a" * 40000]), {431}),
        ("a 300 kB header", _request("GET", "/health", [b"X-Padding: " + b"a" * 300000]), {431}),
        ("10,000 headers", _request("GET", "/health", [b"X-H%d: v" % i for i in range(10000)]), {431}),
        ("a 10 MB body announced", _request("GET", "/api/search?q=a", [b"Content-Length: 10000000"], b"x" * 2000), {413}),
        ("a 2 kB body sent", _request("GET", "/api/search?q=a", [b"Content-Length: 2048"], b"x" * 2048), {413}),
        ("an endless chunked body", _request("GET", "/health", [b"Transfer-Encoding: chunked"],
                                              (b"400\r\n" + b"x" * 1024 + b"\r\n") * 8), {None, 413}),
        ("a garbage request line", b"GARBAGE\r\n\r\n", {None, 400}),
        ("an absolute-form target", _request("GET", "http://evil.example/etc/passwd"), {400, 404}),
    ]
    for path in ("/assets/../page.html", "/assets/%2e%2e/page.html", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                 "/zoeken/assets/..%2fpage.html", "/assets/..%5cpage.html", "/assets/%252e%252e/page.html",
                 "/assets/%c0%ae%c0%ae/page.html", "/assets/.htaccess", "/assets//etc/passwd",
                 "/../../etc/passwd", "/assets/style.css%00.js", "/assets/style.css/../../../etc/passwd",
                 "/zoeken/../../etc/passwd", "/assets/STYLE.CSS"):
        items.append(("path traversal " + path, _request("GET", path), {400, 404}))
    for route in ROUTES:
        for method in ("POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"):
            items.append(("%s %s" % (method, route), _request(method, route, [b"Content-Length: 6"], b"q=zorg"),
                          {405}))
    return items


HOSTILE = _hostile_requests()


def raw_request(port, data, source="127.0.0.1", timeout=10):
    """Sends data; returns (status or None when cut off without an answer, body bytes)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as s:
            try:
                s.sendall(data)
            except OSError:
                pass  # the daemon may close while a huge request is still being sent
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
    except OSError:
        return None, b""
    reply = b"".join(chunks)
    if not reply.startswith(b"HTTP/1."):
        return None, reply
    head, _, body = reply.partition(b"\r\n\r\n")
    try:
        return int(head[9:12]), body
    except ValueError:
        return None, reply


def flood(port, seconds):
    """The hostile requests, one after another, until seconds pass. Returns
    {name: {status: count}} (status "cut" when closed without an answer) and the total."""
    seen = collections.defaultdict(collections.Counter)
    deadline = time.time() + seconds
    total = 0
    while time.time() < deadline:
        for name, data, _ in HOSTILE:
            status, _ = raw_request(port, data, source=FLOOD_ADDRESS)
            seen[name]["cut" if status is None else str(status)] += 1
            total += 1
            if time.time() >= deadline:
                break
    return {"requests": total, "statuses": {name: dict(counter) for name, counter in seen.items()}}


def unexpected(flood_result):
    """The hostile requests that got a status outside their allowed set: [(name, statuses)]."""
    allowed = {name: {"cut" if s is None else str(s) for s in ok} for name, _, ok in HOSTILE}
    wrong = []
    for name, statuses in flood_result["statuses"].items():
        bad = {s: n for s, n in statuses.items() if s not in allowed[name]}
        if bad:
            wrong.append((name, bad))
    return wrong


def held(port, seconds, idle=1000, slow=20, renew=False, interval=0.5):
    """Connections that hold a slot: `idle` that never send a byte, `slow` that send a request
    header one byte every `interval` s, `slow` that send whole headers and then a body one byte
    every `interval` s. Runs until every connection is closed or seconds pass; with renew (the
    bench), a held connection that is cut off is replaced, so the pressure stays on.

    Returns per kind: opened, refused (closed within 1 s: a connection limit), held (open longer),
    cut_after (seconds until the daemon closed each held one), answered (statuses of any answer),
    open_at_end."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = idle + 2 * slow + 64  # a default soft limit of 1024 is too close to 1,040 sockets
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        idle = min(idle, soft - 2 * slow - 64)  # a hard limit below it: fewer idle ones
    selector = selectors.DefaultSelector()
    header = b"GET /api/search?q=zorg HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
    body_head = b"GET /api/search?q=zorg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
    stats = {kind: {"opened": 0, "refused": 0, "held": 0, "cut_after": [], "answered": [], "open_at_end": 0}
             for kind in HELD_ADDRESSES}
    start = time.time()
    deadline = start + seconds

    def open_one(kind):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((HELD_ADDRESSES[kind], 0))
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            if kind == "slow_body":
                s.sendall(body_head)
        except OSError:
            s.close()
            stats[kind]["opened"] += 1
            stats[kind]["refused"] += 1
            return
        s.setblocking(False)
        stats[kind]["opened"] += 1
        state = {"kind": kind, "opened": time.time(), "sent": 0, "reply": b""}
        selector.register(s, selectors.EVENT_READ, state)

    def close(s, state):
        selector.unregister(s)
        s.close()
        alive = time.time() - state["opened"]
        record = stats[state["kind"]]
        if state["reply"].startswith(b"HTTP/1."):
            record["answered"].append(state["reply"][9:12].decode("latin-1"))
        if alive < 1.0:
            record["refused"] += 1
            return
        record["held"] += 1
        record["cut_after"].append(round(alive, 2))
        if renew and time.time() < deadline - 1:
            open_one(state["kind"])

    for _ in range(idle):
        open_one("idle")
    for _ in range(slow):
        open_one("slow_header")
        open_one("slow_body")
    next_byte = time.time() + interval
    while time.time() < deadline and selector.get_map():
        for key, _ in selector.select(timeout=0.05):
            try:
                data = key.fileobj.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if data:
                key.data["reply"] += data[:64]
            else:
                close(key.fileobj, key.data)
        if time.time() >= next_byte:
            next_byte += interval
            for key in list(selector.get_map().values()):
                state = key.data
                if state["kind"] == "idle":
                    continue
                payload = header if state["kind"] == "slow_header" else b"x" * 1000
                if state["sent"] >= len(payload):
                    continue
                try:
                    key.fileobj.send(payload[state["sent"]:state["sent"] + 1])
                    state["sent"] += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    close(key.fileobj, state)
    for key in list(selector.get_map().values()):
        stats[key.data["kind"]]["open_at_end"] += 1
        selector.unregister(key.fileobj)
        key.fileobj.close()
    stats["seconds"] = round(time.time() - start, 2)
    stats["idle_requested"] = idle
    return stats


def normal(port, seconds, paths=NORMAL_PATHS, stop=None):
    """A normal client on 127.0.0.1: one request after another (a new connection each, as a
    browser after its keep-alive timeout), cycling through paths. Returns [(status, seconds)]."""
    results = []
    deadline = time.time() + seconds
    i = 0
    while time.time() < deadline and not (stop is not None and stop.is_set()):
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
            connection.close()
        except OSError as e:
            status = "error: %s" % e
        results.append((status, time.perf_counter() - t0))
    return results


def percentile(values, p):
    """The p-th percentile (nearest rank) of values, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def summary(results):
    """{"requests", "failed", "p50_ms", "p99_ms", "max_ms"} of normal()'s results."""
    times = [t for _, t in results]
    return {"requests": len(results), "failed": sum(1 for s, _ in results if s != 200),
            "p50_ms": round(1000 * (percentile(times, 50) or 0), 2),
            "p99_ms": round(1000 * (percentile(times, 99) or 0), 2),
            "max_ms": round(1000 * max(times or [0]), 2)}


def main(argv):
    if len(argv) < 4 or argv[1] not in ("flood", "held", "normal"):
        sys.stderr.write(__doc__)
        return 2
    port, seconds = int(argv[2]), float(argv[3])
    if argv[1] == "flood":
        result = flood(port, seconds)
    elif argv[1] == "held":
        result = held(port, seconds, renew="--renew" in argv)
    else:
        result = summary(normal(port, seconds))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
