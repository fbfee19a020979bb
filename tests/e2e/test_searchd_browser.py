"""test_searchd_browser.py - the search page in a real browser (Debian's chromium, headless),
driven over the DevTools protocol with a small WebSocket client (standard library only).

Checks what only a browser shows: search.js runs under the page's Content-Security-Policy without
errors, results appear as you type, suggestions open under the box, a facet click filters without
a reload and updates the address, the back button restores the previous results, page links work
in place, and with JavaScript off the server-rendered page is complete. On phones (320 and 390 px,
emulated) and at 1280 px: no sideways scrolling with a very long word and URL in the results, the
first result on the first screen at 390 px, the keyboard reaches the search field, the button, the
Filters toggle and the first result, and Enter searches. search.js's link check refuses off-site
URLs (/api/search answers are replaced over DevTools to feed it hostile ones), Dutch dates are read
and a wrong one is shown at its field, and active filters can be removed in place.

Needs chromium (apt-get install chromium), vind-index and the sample site; skips without them.
Chromium runs headless with a fresh profile and without sandbox, GPU, QUIC or background
traffic (CI runs it as root, where the sandbox cannot start). With $VIND_SCREENSHOTS set (`make
check-browser` sets $(BUILD)/screenshots) it saves a PNG of each state it checks.
"""

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Searchd, Tap, have, index_site, sample_site  # noqa: E402

tap = Tap()


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: masked text frames out, frames in."""

    def __init__(self, url):
        match = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           % (path, host, port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("WebSocket handshake refused: %r" % head)
        self.buffer = b""

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("WebSocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self):
        message = b""
        while True:
            first, second = self._read(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = first & 0x0F
            if opcode in (0x1, 0x0):
                message += payload
                if first & 0x80:
                    return message.decode("utf-8", "replace")
            elif opcode == 0x8:
                raise RuntimeError("WebSocket closed by the browser")


# --no-sandbox: root in CI; the rest keeps a headless run quiet and self-contained (no GPU, no
# QUIC, no update or sync traffic, no first-run dialogs).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--window-size=1280,900", "--remote-debugging-port=0"]


class Browser:
    """A headless chromium page controlled over DevTools; profile must be a fresh folder."""

    def __init__(self, chromium, profile):
        self.screenshots = os.environ.get("VIND_SCREENSHOTS")
        self.process = subprocess.Popen(
            [chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            line = self.process.stderr.readline().decode("utf-8", "replace")
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                port = int(match.group(1))
            elif not line and self.process.poll() is not None:
                break
        if port is None:
            raise RuntimeError("chromium did not start")
        targets = json.loads(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10).read())
        page = [t for t in targets if t.get("type") == "page"][0]
        self.ws = WebSocket(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.intercept = None  # a function(url) -> JSON text replacing an /api/search answer
        self.exceptions = []
        self.console_errors = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Log.enable")

    def _send(self, method, **params):
        """A command whose answer is not waited for (it is dropped by call())."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))

    def _event(self, message):
        method = message.get("method")
        if method == "Fetch.requestPaused":
            request = message["params"]
            body = self.intercept(request["request"]["url"]) if self.intercept else None
            if body is None:
                self._send("Fetch.continueRequest", requestId=request["requestId"])
            else:
                self._send("Fetch.fulfillRequest", requestId=request["requestId"], responseCode=200,
                           responseHeaders=[{"name": "Content-Type", "value": "application/json"}],
                           body=base64.b64encode(body.encode()).decode())
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(message["params"]["exceptionDetails"].get("text"))
        elif method == "Log.entryAdded" and message["params"]["entry"].get("level") == "error":
            self.console_errors.append(message["params"]["entry"].get("text"))

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self._event(message)

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError("JS error in %r: %s" % (expression[:80], result["exceptionDetails"].get("text")))
        return result["result"].get("value")

    def wait(self, expression, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        return None

    def open(self, url):
        self.call("Page.navigate", url=url)
        time.sleep(0.1)
        return self.wait("document.readyState === 'complete' && location.href !== 'about:blank'")

    def viewport(self, width, height, mobile):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=mobile, screenWidth=width, screenHeight=height)

    def key(self, key, code, keycode, text=None):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": keycode}
            if text and kind == "keyDown":
                params["text"] = text
            self.call("Input.dispatchKeyEvent", **params)

    def screenshot(self, name):
        """Saves the page as $VIND_SCREENSHOTS/NAME.png (nothing without the variable)."""
        if not self.screenshots:
            return
        os.makedirs(self.screenshots, exist_ok=True)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(self.screenshots, name + ".png"), "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


STATUS = "document.getElementById('vind-status').textContent"
HITS = "document.querySelectorAll('#vind-results .vind-hit').length"


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    site = sample_site()
    if chromium is None:
        tap.skip("browser test", "chromium not installed (apt-get install chromium)")
        return
    if not (have("vind-searchd") and have("vind-index")) or site is None:
        tap.skip("browser test", "vind-index, vind-searchd or the sample site not built")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        index_site(db, site, extra=[long_words_site(tmp)])
        with Searchd(db) as sd:
            browser = Browser(chromium, os.path.join(tmp, "profile"))
            try:
                run(browser, sd)
            finally:
                browser.close()
        tap.equal(sd.exit_code, 0, "vind-searchd exits 0")


LONG_WORD = "Gegevensbeschermingseffectbeoordelingsrapportageverplichtingen"
LONG_FOLDER = "een-heel-lange-adresregel-over-de-gegevensbeschermingseffectbeoordeling-voor-zorgaanbieders-2024"


def long_words_site(tmp):
    """One article with a very long word in its title and text, at a very long URL."""
    folder = os.path.join(tmp, "long", "nieuws", LONG_FOLDER)
    os.makedirs(folder)
    with open(os.path.join(folder, "index.html"), "w") as f:
        f.write('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>%s in de zorg</title>'
                '<meta property="article:published_time" content="2024-03-01T00:00:00+01:00"></head>'
                '<body><main><h1>%s in de zorg</h1><p>De %s gelden voor iedere zorgaanbieder. Een '
                'Gegevensbeschermingseffectbeoordeling is verplicht bij zorg met gevoelige gegevens.</p>'
                '</main></body></html>' % (LONG_WORD, LONG_WORD, LONG_WORD))
    return os.path.join(tmp, "long")


# innerWidth alone is not enough: a phone (mobile emulation) widens the layout viewport to content
# that does not fit, so the screen's own width is checked too.
NO_SIDEWAYS = ("document.documentElement.scrollWidth <= window.innerWidth && "
               "document.documentElement.scrollWidth <= screen.width")
FIRST_HIT_TOP = "document.querySelector('#vind-results .vind-hit').getBoundingClientRect().top"


def layout(browser, sd):
    """Reflow at 320, 390 and 1280 px; the first result on the first screen of a phone."""
    for width, height, mobile in ((320, 640, True), (390, 844, True), (1280, 900, False)):
        browser.viewport(width, height, mobile)
        for q in ("zorg", "gegevensbeschermingseffectbeoordeling"):
            browser.open(sd.url("/zoeken?q=" + q))
            browser.wait(HITS + " > 0")
            size = browser.js("[document.documentElement.scrollWidth, window.innerWidth, screen.width]")
            tap.ok(browser.js(NO_SIDEWAYS), "%d px, q=%s: no sideways scrolling" % (width, q[:12]),
                   "scrollWidth %d, innerWidth %d, screen %d" % tuple(size))
            browser.screenshot("layout-%d-%s" % (width, q[:12]))
        if width == 390:
            browser.open(sd.url("/zoeken?q=zorg"))
            top = browser.js(FIRST_HIT_TOP)
            tap.ok(top < height, "390 px: the first result starts on the first screen", "top %s" % top)
            tap.ok(not browser.js("document.getElementById('vind-filters-panel').open"),
                   "390 px: the filters wait behind the Filters button")
            browser.js("document.querySelector('.vind-filters-toggle').click(); true")
            tap.ok(browser.wait("document.getElementById('vind-filters-panel').open && "
                                "document.querySelector('#vind-facets input').getBoundingClientRect().height > 0"),
                   "390 px: the Filters button opens the filters")
            tap.ok(browser.js(NO_SIDEWAYS), "390 px: no sideways scrolling with the filters open")
            browser.screenshot("layout-390-filters-open")
            keyboard(browser, sd)
        if width == 1280:
            tap.ok(browser.js("document.getElementById('vind-filters-panel').open && "
                              "document.querySelector('#vind-facets input').getBoundingClientRect().height > 0"),
                   "1280 px: the filters are a visible column")
    browser.call("Emulation.clearDeviceMetricsOverride")


def keyboard(browser, sd):
    """Tab from the top reaches the field, the button, the Filters toggle and the first result."""
    browser.open(sd.url("/zoeken?q=zorg"))
    browser.wait(HITS + " > 0")
    browser.call("Emulation.setFocusEmulationEnabled", enabled=True)
    browser.js("document.activeElement && document.activeElement.blur(); window.focus(); true")
    reached = []
    for _ in range(40):
        browser.key("Tab", "Tab", 9)
        reached.append(browser.js(
            "(function (e) { if (!e) return ''; if (e.id) return '#' + e.id;"
            " if (e.closest('.vind-hit')) return 'hit'; return e.tagName.toLowerCase() + '.' + e.className; })"
            "(document.activeElement)"))
        if reached[-1] == "hit":
            break
    wanted = ["#vind-q", "button.vind-submit", "summary.vind-filters-toggle", "hit"]
    positions = [reached.index(w) if w in reached else -1 for w in wanted]
    tap.ok(-1 not in positions and positions == sorted(positions),
           "Tab reaches the search field, the button, the Filters toggle and the first result, in that order",
           reached)
    browser.js("var q = document.getElementById('vind-q'); q.focus(); q.value = ''; true")
    browser.call("Input.insertText", text="wijkverpleging")
    browser.js("document.getElementById('vind-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); true")
    browser.key("Enter", "Enter", 13, "\r")
    tap.ok(browser.wait("location.search.indexOf('q=wijkverpleging') >= 0 && " + HITS + " > 0"),
           "Enter in the search field searches", browser.js("location.href"))


def hostile_links(browser, sd):
    """search.js renders only http(s) and site-relative links: the answers of /api/search are
    replaced with hits whose URLs would open another site."""
    urls = ["/\\attacker.example/", "/\t/attacker.example/", "//attacker.example/", "javascript:alert(1)",
            "/ok/\\x", "/safe/page/", "HTTPS://elsewhere.example/ok"]
    answer = {"query": "proef", "understood": "proef", "total": len(urls), "page": 1, "size": 10,
              "fallback": False, "suggestion": None, "corrected": False, "facets": {},
              "results": [{"url": u, "title": "Proef %d" % i, "type": "page", "date": None, "snippet": "proef",
                           "pages": [], "tags": [], "themes": [], "parent": None} for i, u in enumerate(urls)]}
    browser.intercept = lambda url: json.dumps(answer) if "/api/search?" in url and "q=proef" in url else None
    browser.call("Fetch.enable", patterns=[{"urlPattern": "*/api/search*"}])
    try:
        browser.open(sd.url("/zoeken"))
        browser.js("var q = document.getElementById('vind-q'); q.value = 'proef';"
                   "document.getElementById('vind-form').requestSubmit(); true")
        browser.wait(HITS + " === %d" % len(urls))
        hrefs = browser.js("[].map.call(document.querySelectorAll('#vind-results .vind-hit-title'),"
                           " function (h) { var a = h.querySelector('a'); return a ? a.getAttribute('href') : null; })")
        tap.equal(hrefs, [None, None, None, None, None, "/safe/page/", "HTTPS://elsewhere.example/ok"],
                  "search.js links only http(s) and site-relative URLs: no backslash, control character or //")
    finally:
        browser.call("Fetch.disable")
        browser.intercept = None


def dates_and_filters(browser, sd):
    """Dutch dates in the period fields; a wrong one at its field; active filters removed in place."""
    browser.open(sd.url("/zoeken?q=zorg"))
    browser.wait(HITS + " > 0")
    browser.js("document.getElementById('vind-from').value = '31-02-2021';"
               "document.getElementById('vind-form').requestSubmit(); true")
    tap.ok(browser.wait("document.getElementById('vind-from').getAttribute('aria-invalid') === 'true' && "
                        "/bestaat niet/.test(document.getElementById('vind-from-error').textContent) && "
                        "document.getElementById('vind-from').getAttribute('aria-describedby').indexOf('vind-from-error') >= 0"),
           "search.js: an impossible date is an error at its field (aria-invalid, aria-describedby)")
    tap.ok(browser.js("document.getElementById('vind-from').value === '31-02-2021' && "
                      "/Controleer de periode/.test(document.getElementById('vind-results').textContent)"),
           "... the typed date is kept and the results say what to fix")
    browser.screenshot("6-date-error")
    _, iso = sd.json("/api/search?q=zorg&from=2019-01-01")
    browser.js("document.getElementById('vind-from').value = '01-01-2019';"
               "document.getElementById('vind-form').requestSubmit(); true")
    tap.ok(browser.wait("location.search.indexOf('from=01-01-2019') >= 0 && !document.getElementById('vind-from-error')"
                        " && /(^%d resultat| van %d ).* met 1 filter$/.test(%s)" % (iso["total"], iso["total"], STATUS)),
           "search.js: 01-01-2019 searches from 2019-01-01 and the status names the filter", browser.js(STATUS))
    tap.ok(browser.js("/Vanaf: 1 januari 2019/.test(document.getElementById('vind-active-filters').textContent)"),
           "the date is listed as an active filter")
    browser.js("document.querySelector('#vind-active-filters .vind-chip').click(); true")
    tap.ok(browser.wait("location.search === '?q=zorg' && !document.querySelector('#vind-active-filters .vind-chip')"
                        " && document.getElementById('vind-from').value === ''"),
           "its remove link drops it in place", browser.js("location.href"))


def correction(browser, sd):
    """A searched correction: 'Resultaten voor X; je zocht Y' with 'Zoek toch naar Y', rendered by search.js."""
    _, data = sd.json("/api/search?q=zorgg")
    if not data.get("corrected"):
        tap.skip("search.js: 'je zocht' for a searched correction", "zorgg is not corrected")
        return
    browser.js("var q = document.getElementById('vind-q'); q.value = 'zorgg';"
               "document.getElementById('vind-form').requestSubmit(); true")
    tap.ok(browser.wait("var c = document.querySelector('#vind-suggestion .vind-corrected');"
                        "c && c.textContent.indexOf('Resultaten voor %s; je zocht zorgg') === 0 && "
                        "c.querySelector('a.vind-force').getAttribute('href') === '/zoeken?q=%%22zorgg%%22' && "
                        "!document.querySelector('#vind-suggestion .vind-suggestion')" % data["suggestion"]),
           "search.js: 'Resultaten voor X; je zocht zorgg' with 'Zoek toch naar zorgg', not 'Bedoelde je'",
           browser.js("document.getElementById('vind-suggestion').innerHTML"))


def run(browser, sd):
    tap.ok(browser.open(sd.url("/zoeken")), "the page loads")
    tap.ok(browser.wait("document.documentElement.classList.contains('vind-js')"),
           "search.js runs under the Content-Security-Policy")
    tap.ok(browser.js("getComputedStyle(document.querySelector('.vind-apply')).display") == "none",
           "style.css loads (the no-JS apply button is hidden)")
    browser.screenshot("0-search-form")

    browser.js("var q = document.getElementById('vind-q'); q.focus(); q.value = 'zorg';"
               "q.dispatchEvent(new Event('input', {bubbles: true})); true")
    tap.ok(browser.wait(HITS + " > 0 && /resultat/i.test(" + STATUS + ")"),
           "results appear as you type", browser.js(STATUS))
    tap.ok(browser.wait("location.search.indexOf('q=zorg') >= 0"), "the address follows the query",
           browser.js("location.href"))
    browser.screenshot("1-results-zorg")
    first_status = browser.js(STATUS)
    api = sd.json("/api/search?q=zorg")[1]
    tap.equal(browser.js(HITS), len(api["results"]), "as many hits as /api/search returns")
    tap.ok(browser.js("document.querySelectorAll('#vind-facets input[type=checkbox]').length") > 0,
           "facet checkboxes rendered")
    server_html = sd.get("/zoeken?q=zorg")[2].decode()
    server_ids = re.findall(r'<input type="checkbox" id="([^"]+)"', server_html)
    script_ids = browser.js("[].map.call(document.querySelectorAll('#vind-facets input[type=checkbox]'),"
                            " function (box) { return box.id; })")
    tap.equal(script_ids, server_ids, "search.js renders the facets exactly as the server does (ids, order)")

    browser.js("var q = document.getElementById('vind-q'); q.focus(); q.value = 'zo';"
               "q.dispatchEvent(new Event('input', {bubbles: true})); true")
    opened = browser.wait("!document.getElementById('vind-suggestions').hidden && "
                          "document.querySelectorAll('#vind-suggestions [role=option]').length > 0")
    tap.ok(opened and browser.js("document.getElementById('vind-q').getAttribute('aria-expanded')") == "true",
           "suggestions open under the search box (combobox expanded)")
    browser.screenshot("2-suggestions-zo")
    browser.js("document.getElementById('vind-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); true")
    tap.ok(browser.js("document.getElementById('vind-q').getAttribute('aria-activedescendant')") == "vind-suggestion-0",
           "ArrowDown selects the first suggestion")
    browser.js("document.getElementById('vind-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); true")
    tap.ok(browser.js("document.getElementById('vind-suggestions').hidden"), "Escape closes the suggestions")

    # Back to "zorg", submitted (a history entry), then a facet click.
    browser.js("var q = document.getElementById('vind-q'); q.value = 'zorg';"
               "document.getElementById('vind-form').requestSubmit(); true")
    browser.wait("location.search === '?q=zorg' && " + HITS + " > 0")
    browser.wait(STATUS + " === " + json.dumps(first_status))
    value = browser.js("var box = document.querySelector('#vind-facets input[name=tag]'); box.click(); box.value")
    tap.ok(browser.wait("location.search.indexOf('tag=') >= 0 && " + STATUS + " !== " + json.dumps(first_status)),
           "a facet click filters in place and updates the address", browser.js("location.href"))
    tap.ok(browser.js("!!document.querySelector('#vind-facets input[name=tag][value=%s]:checked')" % json.dumps(value)),
           "the clicked facet stays checked after the update")
    tap.ok(browser.wait("document.querySelectorAll('#vind-results .vind-hit').length > 0"), "filtered results shown")
    browser.screenshot("3-facet-selected")

    browser.js("history.back(); true")
    tap.ok(browser.wait("location.search === '?q=zorg' && " + STATUS + " === " + json.dumps(first_status)),
           "the back button restores the unfiltered results", browser.js("location.href + ' ' + " + STATUS))

    if api["total"] > 10:
        browser.js("document.querySelector('#vind-pagination a[rel=next]').click(); true")
        tap.ok(browser.wait("location.search.indexOf('page=2') >= 0 && "
                            "document.querySelector('#vind-results ol.vind-hits').getAttribute('start') === '11'"),
               "the next-page link loads page 2 in place",
               browser.js("location.href + ' start=' + (document.querySelector('#vind-results ol.vind-hits') || "
                          "{getAttribute: function () { return 'none'; }}).getAttribute('start') + ' ' + " + STATUS))
        # A page link clicked within 300 ms of typing: the pending as-you-type search must not
        # land afterwards and jump back to page 1.
        browser.js("var q = document.getElementById('vind-q'); q.value = 'zorg';"
                   "document.getElementById('vind-form').requestSubmit(); true")
        browser.wait("location.search === '?q=zorg' && document.querySelector('#vind-pagination a[rel=next]')")
        browser.js("var q = document.getElementById('vind-q'); q.value = 'zorg ';"
                   "q.dispatchEvent(new Event('input', {bubbles: true}));"
                   "document.querySelector('#vind-pagination a[rel=next]').click(); true")
        time.sleep(0.8)
        tap.ok(browser.wait("location.search.indexOf('page=2') >= 0 && "
                            "document.querySelector('#vind-results ol.vind-hits').getAttribute('start') === '11'"),
               "a page link right after typing is not undone by the pending as-you-type search",
               browser.js("location.href"))
    else:
        tap.skip("the next-page link loads page 2 in place", "fewer than 11 hits")

    browser.js("var q = document.getElementById('vind-q'); q.value = 'qwxzvbnmkj';"
               "document.getElementById('vind-form').requestSubmit(); true")
    tap.ok(browser.wait("/Geen resultaten/.test(document.getElementById('vind-results').textContent)"),
           "no results: the 'Geen resultaten' help")
    browser.screenshot("4-no-results")

    dates_and_filters(browser, sd)
    correction(browser, sd)
    hostile_links(browser, sd)
    layout(browser, sd)

    tap.ok(not browser.exceptions, "no JavaScript exceptions", browser.exceptions)
    tap.ok(not [e for e in browser.console_errors if "Content Security Policy" in (e or "")],
           "no Content-Security-Policy violations", browser.console_errors)

    browser.call("Emulation.setScriptExecutionDisabled", value=True)
    browser.open(sd.url("/zoeken?q=zorg"))
    tap.ok(browser.js is not None and browser.wait(HITS + " > 0", timeout=5),
           "with JavaScript off the server-rendered results are there")
    browser.screenshot("5-without-javascript")
    browser.call("Emulation.setScriptExecutionDisabled", value=False)


main()
sys.exit(tap.done())
