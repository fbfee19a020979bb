"""harness.py - shared helpers for vind's end-to-end tests (standard library only).

    from harness import Tap, Searchd, build_dir, binary, index_site, sample_site

    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        index_site(db, sample_site())            # runs vind-index
        with Searchd(db) as sd:                   # vind-searchd on a free port, /health answered
            status, headers, body = sd.get("/api/search?q=zorg")
            tap.ok(status == 200, "search answers 200")
        tap.ok(sd.exit_code == 0, "SIGTERM exits 0")
    sys.exit(tap.done())

Binaries come from $VIND_BUILD/bin (default: build/ of the repository), data from
$VIND_BUILD/share/vind. Output is TAP ("ok N - ...", "not ok N - ...", "ok N # SKIP why");
tests/run.sh counts the lines.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Tap:
    """TAP output: ok/skip lines, a plan at the end, done() gives the exit status."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, what, detail=None):
        self.count += 1
        if condition:
            print("ok %d - %s" % (self.count, what))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.count, what))
            if detail is not None:
                for line in str(detail)[:2000].splitlines() or [""]:
                    print("#   " + line)
        sys.stdout.flush()
        return bool(condition)

    def equal(self, actual, expected, what):
        return self.ok(actual == expected, what, "got %r, expected %r" % (actual, expected))

    def skip(self, what, why):
        self.count += 1
        print("ok %d - %s # SKIP %s" % (self.count, what, why))
        sys.stdout.flush()

    def diag(self, text):
        for line in str(text).splitlines():
            print("# " + line)

    def done(self):
        print("1..%d" % self.count)
        return 1 if self.failed else 0


def build_dir():
    """The build folder under test ($VIND_BUILD, else <repo>/build), absolute."""
    return os.path.abspath(os.environ.get("VIND_BUILD") or os.path.join(REPO, "build"))


def binary(name):
    """Path of a program in $VIND_BUILD/bin (may not exist). $VIND_SEARCHD overrides
    vind-searchd alone (make check-searchd-tsan runs a ThreadSanitizer build of the daemon
    against the ordinary vind-index)."""
    if name == "vind-searchd" and os.environ.get("VIND_SEARCHD"):
        return os.path.abspath(os.environ["VIND_SEARCHD"])
    return os.path.join(build_dir(), "bin", name)


def have(name):
    return os.access(binary(name), os.X_OK)


def sample_site():
    """The demo site built by `make build/sample-site/index.html`, or None."""
    for candidate in (os.path.join(build_dir(), "sample-site"), os.path.join(REPO, "build", "sample-site")):
        if os.path.isfile(os.path.join(candidate, "index.html")):
            return candidate
    return None


def require_programs(tap, what, *programs):
    """True when every one of programs is built; otherwise a SKIP "a, b or c not built"."""
    if all(have(name) for name in programs):
        return True
    names = ", ".join(programs[:-1]) + " or " + programs[-1] if len(programs) > 1 else programs[0]
    tap.skip(what, names + " not built")
    return False


def require_sample_site(tap, what, programs=("vind-searchd", "vind-index")):
    """The sample site's folder when it and the programs are built; otherwise None after a SKIP
    naming what is missing (the programs first)."""
    if not require_programs(tap, what, *programs):
        return None
    site = sample_site()
    if site is None:
        tap.skip(what, "sample site not built (make build/sample-site/index.html)")
    return site


@contextlib.contextmanager
def sample_index(tap, what):
    """For a with-block: the sample site indexed into a temporary folder, as the path of its
    database; None after a SKIP naming what is missing (require_sample_site). The folder is
    removed when the block ends."""
    source = require_sample_site(tap, what)
    if source is None:
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        index_site(db, source)
        yield db


def corpus():
    """The shared corpus ($CORPUS), or None when absent."""
    path = os.environ.get("CORPUS")
    return path if path and os.path.isdir(path) else None


def require_corpus(tap, what):
    """True when the corpus is there; otherwise a SKIP (a failure under CI=true)."""
    if corpus():
        return True
    if os.environ.get("CI") == "true":
        tap.ok(False, what + ": the corpus is required under CI (set CORPUS)")
    else:
        tap.skip(what, "corpus not found (set CORPUS)")
    return False


ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Bericht {n} over {word}</title>
<meta property="og:type" content="article">
<meta property="article:tag" content="etiket{tag:02d}">
<meta property="article:section" content="Zorg">
<meta property="article:published_time" content="2021-{month:02d}-01T10:00:00+02:00">
</head>
<body>
<article>
<h1>Bericht {n} over {word}</h1>
<p>De {word} in buurt {n} wordt besproken met bewoners, mantelzorgers en verpleegkundigen.
Het artikel gaat over afspraken, aandacht, ambities, avonden en begeleiding in de buurt.</p>
<p>Een tweede alinea over de zorg, zodat dit een artikel is en geen overzichtspagina. De gemeente
en de zorgverzekeraar praten mee over wonen, welzijn en wachtlijsten.</p>
</article>
</body>
</html>
"""


def write_article(root, n, word="wijkzorg", tag=None):
    """Writes article n (actueel/bericht-NN/index.html) of a generated site: a Dutch article about
    `word`, tagged etiket<tag> (default n), in month n % 12 + 1 of 2021."""
    folder = os.path.join(root, "actueel", "bericht-%02d" % n)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(ARTICLE_PAGE.format(n=n, word=word, tag=n if tag is None else tag, month=n % 12 + 1))


def env():
    environment = dict(os.environ)
    environment.setdefault("VIND_DATADIR", os.path.join(build_dir(), "share", "vind"))
    return environment


def index_site(db, site, base_url="/", extra=(), check=True):
    """Runs vind-index over site into db; returns the CompletedProcess (its stderr printed as
    TAP comments when some files failed)."""
    command = [binary("vind-index"), "--db", db, "--base-url", base_url, "-q"] + list(extra) + [site]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                            timeout=600)
    # Exit 1: some files failed but the rest was committed (a slow listing page under ASan
    # can pass the extraction time limit); only 2 (usage or fatal) stops a test.
    if check and result.returncode not in (0, 1):
        raise RuntimeError("vind-index failed (%d): %s" % (result.returncode,
                                                          result.stderr.decode("utf-8", "replace")))
    if result.returncode == 1:
        for line in result.stderr.decode("utf-8", "replace").splitlines()[:10]:
            print("# vind-index: " + line)
    return result


def indexed_copy(source, folder):
    """A private copy of the site source in folder/site, indexed into folder/db (for tests that
    change the site and index it again): (site, db)."""
    site = os.path.join(folder, "site")
    shutil.copytree(source, site)
    db = os.path.join(folder, "db")
    index_site(db, site)
    return site, db


def nul_glyph_pdf():
    """A one-page PDF whose font's ToUnicode map gives the glyph '#' the text U+0000 U+0041: poppler's
    text of the page holds a NUL there, and poppler_page_get_text (a C string) stops at it. The
    words before it: 'nulvoorwoord'; after it: 'daarna', 'nulachterwoord' (24 pt: OCR reads them)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Nul def "
            b"1 begincodespacerange <00> <FF> endcodespacerange "
            b"1 beginbfchar <23> <00000041> endbfchar endcmap "
            b"CMapName currentdict /CMap defineresource pop end end")
    content = (b"BT /F1 24 Tf 72 700 Td (Voorwoord nulvoorwoord # daarna) Tj "
               b"0 -40 Td (het achterwoord nulachterwoord) Tj ET")
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                   b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
                   b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
                   b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                   b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"])


def pdf_of(objects, root=1):
    """The bytes of a PDF whose objects 1, 2, ... are objects (bytes; object root the catalog),
    with its cross-reference table: the generated PDFs of the tests, standard library only."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def index_any_base(db, site, base_url):
    """Indexes site into db with a base URL vind-index refuses since session 14 ("javascript:",
    "/\\host/", a control character: what an older vind-index made), through the test tool
    $VIND_BUILD/tests/index-any-base (built with the unit tests). Returns its exit status."""
    tool = os.path.join(build_dir(), "tests", "index-any-base")
    if not os.access(tool, os.X_OK):
        raise RuntimeError("%s is not built (make %s)" % (tool, os.path.relpath(tool, REPO)))
    result = subprocess.run([tool, db, base_url, site], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), timeout=600)
    if result.returncode not in (0, 1):
        raise RuntimeError("index-any-base failed (%d): %s" % (
            result.returncode, result.stderr.decode("utf-8", "replace")))
    return result.returncode


class Searchd:
    """vind-searchd on a free port of 127.0.0.1 (it binds port 0 and logs the port).

    stderr goes to a file (self.log_path) so that a chatty daemon never blocks on a full pipe.
    stop() sends SIGTERM and records exit_code.
    """

    def __init__(self, db, *args, wait_health=True, timeout=15):
        self.db = db
        self.args = list(args)
        self.wait_health = wait_health
        self.timeout = timeout
        self.process = None
        self.port = None
        self.exit_code = None
        self._tmp = tempfile.TemporaryDirectory(prefix="vind-searchd-")
        self.log_path = os.path.join(self._tmp.name, "stderr.log")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._log = open(self.log_path, "wb")
        command = [binary("vind-searchd"), "--db", self.db, "--listen", "127.0.0.1:0"] + self.args
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self._log, env=env())
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            match = re.search(r"listening on http://[^:]+:(\d+)/", self.log())
            if match:
                self.port = int(match.group(1))
                break
            if self.process.poll() is not None:
                raise RuntimeError("vind-searchd exited with %d: %s" % (self.process.returncode, self.log()))
            time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise RuntimeError("vind-searchd did not start: " + self.log())
        if self.wait_health:
            while time.time() < deadline:
                try:
                    status, _, _ = self.get("/health")
                    if status in (200, 503):
                        return self
                except OSError:
                    pass
                time.sleep(0.05)
            raise RuntimeError("vind-searchd does not answer /health")
        return self

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.process is None or self.exit_code is not None:
            return self.exit_code
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.exit_code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.exit_code = self.process.wait()
            self.exit_code = "killed after %ds" % timeout
        self._log.close()
        if isinstance(self.exit_code, int) and self.exit_code < 0 and -self.exit_code != sig:
            # Died of a signal nobody sent (an abort, a crash): show why,
            # since the test only sees the exit code.
            print("# vind-searchd died of signal %d; the end of its log:" % -self.exit_code)
            for line in self.log().splitlines()[-30:]:
                print("#   " + line)
        return self.exit_code

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def get(self, path, method="GET", headers=None, body=None, timeout=10):
        """One request; returns (status, headers dict with lower-case names, body bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()

    def json(self, path):
        """GET path; returns (status, parsed JSON or None)."""
        status, _, body = self.get(path)
        try:
            return status, json.loads(body.decode("utf-8"))
        except ValueError:
            return status, None

    def raw(self, data, timeout=10):
        """Sends raw bytes (for requests http.client refuses to make); returns (status, body bytes)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        reply = b"".join(chunks)
        match = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
        head, _, body = reply.partition(b"\r\n\r\n")
        return (int(match.group(1)) if match else None), body


def get_from(port, source, path, timeout=30):
    """GET path from the client address source (127.0.0.x, one address of loopback's /8):
    (status, headers dict with lower-case names, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def generated_index(folder, articles):
    """Writes `articles` generated articles (write_article, tags 0-6 in turn) into folder/site and
    indexes them into folder/db; returns (site, db)."""
    site = os.path.join(folder, "site")
    for n in range(articles):
        write_article(site, n, tag=n % 7)
    db = os.path.join(folder, "db")
    index_site(db, site)
    return site, db


def metric(sd, name):
    """The value of the unlabelled metric `name` on sd's /metrics, or None when absent."""
    _, _, body = sd.get("/metrics")
    match = re.search(r"^%s (\d+)$" % re.escape(name), body.decode(), re.M)
    return int(match.group(1)) if match else None


def wait_revision(sd, revision):
    """Waits (bounded, 20 s) until sd's /health reports a revision other than `revision`; returns
    the revision it reports then."""
    deadline = time.time() + 20
    while time.time() < deadline:
        _, health = sd.json("/health")
        if health and health.get("revision") != revision:
            return health.get("revision")
        time.sleep(0.1)
    return revision


def query(**params):
    """Builds a query string; list values repeat the key (tag=a&tag=b)."""
    pairs = []
    for key, value in params.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((key, v))
    return urllib.parse.urlencode(pairs)


def error_body(body):
    """The {"error": {"status", "message"}} object of an error body, or None."""
    try:
        data = json.loads(body.decode("utf-8"))
        error = data.get("error")
        if isinstance(error, dict) and isinstance(error.get("status"), int) and isinstance(error.get("message"), str):
            return error
    except (ValueError, AttributeError):
        pass
    return None


class Clients:
    """Clients searching in a loop, one thread per path, while something changes the index
    (`with Clients(sd, paths) as clients:`); every answer that is not 200 is kept in
    clients.failures, clients.count counts the answers."""

    def __init__(self, sd, paths):
        self.sd = sd
        self.failures = []
        self.count = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.loop, args=(p,)) for p in paths]

    def loop(self, path):
        while not self.stop.is_set():
            try:
                status, _, body = self.sd.get(path, timeout=10)
                self.count += 1
                if status != 200:
                    self.failures.append((path, status, body[:200]))
            except OSError as e:
                self.failures.append((path, "error", str(e)))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(20)
        return False
