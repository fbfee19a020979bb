"""test_searchd_browser.py - the search page in a real browser (Debian's chromium, headless),
driven over the DevTools protocol with a small WebSocket client (standard library only).

Checks what only a browser shows: search.js runs under the page's Content-Security-Policy without
errors, results appear as you type, suggestions open under the box, a facet click filters without
a reload and updates the address, the back button restores the previous results, page links work
in place, and with JavaScript off the server-rendered page is complete.

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
        self.exceptions = []
        self.console_errors = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Log.enable")

    def _event(self, message):
        method = message.get("method")
        if method == "Runtime.exceptionThrown":
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
        index_site(db, site)
        with Searchd(db) as sd:
            browser = Browser(chromium, os.path.join(tmp, "profile"))
            try:
                run(browser, sd)
            finally:
                browser.close()
        tap.equal(sd.exit_code, 0, "vind-searchd exits 0")


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
