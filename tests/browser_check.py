#!/usr/bin/env python3
"""browser_check.py - open HTML files in headless Chromium and report what went wrong.

    python3 tests/browser_check.py [--no-script] [--screenshot-dir DIR] [--timeout S] FILE...
    python3 tests/browser_check.py --which

For every FILE, one line: "OK FILE (title, N characters)" or "FAIL FILE: why" when the page
threw an exception, logged a console error or warning, met a browser error or warning (a
Content-Security-Policy violation arrives that way), asked for anything beyond itself (every
request other than the file and data:/blob: URLs), did not load, has no title or no text, or
has content that sticks out of its box in a 1366-pixel window (text pushed past a column into
the next, or a page wider than the window).
--no-script loads each file a second time with JavaScript disabled: a report must read
without its script. --screenshot-dir DIR writes DIR/NAME-light.png and DIR/NAME-dark.png,
full-page captures 1366 pixels wide, the second with prefers-color-scheme: dark.
--which prints the browser that would be used.

Exit status: 0 every file is fine, 1 a file had a problem or the browser failed, 2 usage
error, 77 no Chromium (automake's "skipped"). The browser is $CHROMIUM when set, else
chromium or chromium-browser on PATH.

Standard library only, on purpose: the test runs where nothing may be downloaded. It speaks
the Chrome DevTools Protocol over --remote-debugging-pipe (the browser reads commands on its
fd 3 and writes replies on its fd 4, JSON messages ended by a NUL byte), so no port is opened
and no client library is needed. One browser serves every file, one tab per file. Network
requests beyond file:// are blocked, so a faulty page cannot reach anything, and are still
reported.
"""

import argparse
import base64
import fcntl
import json
import math
import os
import pathlib
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77

FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--remote-debugging-pipe",
]

# Everything a page could reach the network with; file:, data: and blob: stay allowed.
BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
LOCAL_SCHEMES = ("data:", "blob:")

CONSOLE_TYPES = {"error": "console.error", "warning": "console.warn", "assert": "console.assert"}
LOG_LEVELS = ("error", "warning")

VIEW_WIDTH = 1366
VIEW_HEIGHT = 768
# Bounds the browser's bitmap (1366 x 32768 x 4 bytes, 179 MB); longer pages are cut there.
MAX_SHOT_HEIGHT = 32768

CALL_TIMEOUT = 15.0  # one protocol command (a screenshot of a long page is the slowest)
START_TIMEOUT = 30.0  # the browser's first reply
MAX_MESSAGE = 256 << 20  # a full-page PNG in base64 stays far below this
MAX_REASONS = 8  # per file, so one broken page cannot flood the log
MAX_TEXT = 200  # characters of console text quoted per reason

# Facts the checks need from the loaded page; read by DevTools, so it works with scripts off.
# overflow: the boxes whose content is wider than they are and shows past their edge (not
# inline text, not a box that clips or scrolls), so it runs over what is beside them; each
# named by tag, class and text, innermost first (the box that holds the culprit).
FACTS = """({
    href: location.href,
    title: document.title.trim(),
    body: document.body !== null,
    text: document.body ? document.body.innerText.trim().length : 0,
    pageWidth: document.documentElement.scrollWidth,
    overflow: (() => {
        const boxes = [];
        for (const e of document.querySelectorAll('body *')) {
            const cs = getComputedStyle(e);
            if (cs.display !== 'inline' && cs.overflowX === 'visible' && e.clientWidth > 0 &&
                e.scrollWidth > e.clientWidth + 1) { boxes.push(e); }
        }
        const inner = e => !boxes.some(o => o !== e && e.contains(o));
        return boxes.filter(inner).concat(boxes.filter(e => !inner(e))).map(e => {
            const cls = typeof e.className === 'string' && e.className ?
                '.' + e.className.trim().split(/ +/).join('.') : '';
            return `${e.tagName.toLowerCase()}${cls} by ${e.scrollWidth - e.clientWidth}px ` +
                   `("${e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40)}")`;
        });
    })()
})"""
# Two animation frames after load: whatever the page's load handlers scheduled has run.
SETTLE = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class BrowserError(Exception):
    """The browser failed (did not start, died, stopped answering): no page is to blame."""


class CallError(Exception):
    """A command failed: an error answer, or a tab that did not answer in time."""


def shorten(text):
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def find_browser():
    """The browser's path, or None. $CHROMIUM wins, so a wrong one is an error, not a skip."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        path = shutil.which(chosen)
        if path is None:
            sys.exit(f"browser_check: CHROMIUM={chosen}: no such program; unset it to use "
                     "chromium from PATH")
        return path
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def high_fd(fd):
    """fd moved to 10 or above, so it cannot clash with the 3 and 4 the browser expects."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Browser:
    """One Chromium process and its DevTools pipe. Events go to self.on_event."""

    def __init__(self, path):
        self.path = path
        self.profile = tempfile.mkdtemp(prefix="browser_check.")
        self.stderr = tempfile.TemporaryFile()
        self.proc = None
        self.next_id = 0
        self.buffer = bytearray()
        self.on_event = lambda message: None
        self.to_browser = self.from_browser = None

    def start(self):
        """Launches the browser and waits for its first answer."""
        to_browser_r, to_browser_w = (high_fd(fd) for fd in os.pipe())
        from_browser_r, from_browser_w = (high_fd(fd) for fd in os.pipe())
        self.to_browser, self.from_browser = to_browser_w, from_browser_r
        # subprocess keeps passed fds at their numbers; bash moves them to 3 and 4 (dash
        # cannot: it knows single-digit fds only).
        launch = 'exec "$@" 3<&%d 4>&%d %d<&- %d>&-' % (
            to_browser_r, from_browser_w, to_browser_r, from_browser_w)
        argv = [shutil.which("bash") or "/bin/bash", "-c", launch, "bash", self.path,
                f"--user-data-dir={self.profile}"] + FLAGS + ["about:blank"]
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=self.stderr, stderr=self.stderr,
                pass_fds=(to_browser_r, from_browser_w),
                start_new_session=True)  # its own process group: killed as one at the end
        except OSError as e:
            raise BrowserError(f"cannot be started: {e}") from None
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self.call("Browser.getVersion", timeout=START_TIMEOUT)

    def close(self):
        """Always ends the browser and every process it started, and removes its profile."""
        if self.proc is not None:
            try:
                self.send("Browser.close")
                self.proc.wait(timeout=5)
            except (BrowserError, OSError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        for fd in (self.to_browser, self.from_browser):
            if fd is not None:
                os.close(fd)
        self.to_browser = self.from_browser = None
        self.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def died(self, what):
        """A BrowserError that says what the browser printed last, where the reason usually is."""
        status = None
        if self.proc is not None:
            try:
                status = self.proc.wait(timeout=1)  # its pipe may close just before it exits
            except subprocess.TimeoutExpired:
                pass
        self.stderr.seek(0)
        tail = self.stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        why = f"the browser {what}"
        if status is not None:
            why += f" (exit status {status})"
        if tail:
            why += "; it said:\n    " + "\n    ".join(tail)
        return BrowserError(why)

    def send(self, method, params=None, session=None):
        """Sends a command without waiting; returns its id."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        deadline = time.monotonic() + CALL_TIMEOUT
        while data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.to_browser], [], left)[1]:
                raise self.died(f"stopped reading commands ({method})")
            try:
                data = data[os.write(self.to_browser, data):]
            except BrokenPipeError:
                raise self.died("exited") from None
        return self.next_id

    def receive(self, deadline):
        """The next message, or None when the deadline passes."""
        end = self.buffer.find(b"\0")
        while end < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise self.died("exited")
            # Only the new bytes are searched: a screenshot comes in hundreds of chunks.
            end = chunk.find(b"\0")
            if end >= 0:
                end += len(self.buffer)
            self.buffer += chunk
            if len(self.buffer) > MAX_MESSAGE:
                raise self.died(f"sent a message over {MAX_MESSAGE >> 20} MiB")
        raw = bytes(self.buffer[:end])
        del self.buffer[:end + 1]
        try:
            return json.loads(raw)
        except ValueError as e:
            raise self.died(f"sent a message that is not JSON ({e})") from None

    def call(self, method, params=None, session=None, timeout=CALL_TIMEOUT):
        """Sends a command and returns its result; events met meanwhile go to on_event."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(deadline)
            if message is None and session:
                # A tab stuck in a script: its page's problem, the browser still answers.
                raise CallError(f"the tab did not answer {method} within {timeout:g}s "
                                "(a script that never ends?)")
            if message is None:
                raise self.died(f"did not answer {method} within {timeout:g}s")
            if "id" not in message:
                self.on_event(message)
            elif message["id"] == wanted:
                if "error" in message:
                    raise CallError(f"{method}: {message['error'].get('message', '?')}")
                return message.get("result", {})

    def wait(self, done, deadline):
        """Hands events to on_event until done() holds; False when the deadline passes."""
        while not done():
            message = self.receive(deadline)
            if message is None:
                return False
            if "id" not in message:
                self.on_event(message)
        return True


class Page:
    """One file in its own tab: what the browser reported while it loaded."""

    def __init__(self, browser, path, scripts):
        self.browser = browser
        self.url = pathlib.Path(path).resolve().as_uri()
        self.scripts = scripts
        self.reasons = []
        self.loaded = self.crashed = False
        self.session = None
        self.target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]

    def open(self):
        """Attaches to the tab and asks for every event the checks need."""
        self.browser.on_event = self.on_event
        self.session = self.browser.call("Target.attachToTarget",
                                         {"targetId": self.target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Network.setBlockedURLs", {"urls": BLOCKED_URLS})
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": VIEW_WIDTH, "height": VIEW_HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        if not self.scripts:
            self.call("Emulation.setScriptExecutionDisabled", {"value": True})

    def call(self, method, params=None, timeout=CALL_TIMEOUT):
        return self.browser.call(method, params, self.session, timeout)

    def close(self):
        self.browser.on_event = lambda message: None
        try:
            self.browser.call("Target.closeTarget", {"targetId": self.target})
        except CallError:
            pass

    def problem(self, text):
        if text not in self.reasons:
            self.reasons.append(text)

    def on_event(self, message):
        if message.get("sessionId") != self.session:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Page.loadEventFired":
            self.loaded = True
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "?")
            self.problem(f"uncaught exception: {shorten(text)}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in CONSOLE_TYPES:
            words = [a.get("value", a.get("description", "")) for a in params.get("args", [])]
            self.problem(f"{CONSOLE_TYPES[params['type']]}: {shorten(' '.join(map(str, words)))}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") in LOG_LEVELS:
                self.problem(f"browser {entry['level']} ({entry.get('source', '?')}): "
                             f"{shorten(entry.get('text', ''))}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url.split("#")[0] != self.url and not url.startswith(LOCAL_SCHEMES):
                self.problem(f"requests {shorten(url)}")
        elif method == "Page.javascriptDialogOpening":
            self.problem(f"opens a {params.get('type')} dialog: {shorten(params.get('message'))}")
            # Answered without waiting, or the page would hang until the timeout.
            self.browser.send("Page.handleJavaScriptDialog", {"accept": True}, self.session)
        elif method == "Inspector.targetCrashed":
            self.problem("the tab crashed")
            self.crashed = True

    def load(self, timeout):
        """Navigates and waits for the load event; False when it does not come."""
        result = self.call("Page.navigate", {"url": self.url})
        if result.get("errorText"):
            self.problem(f"cannot be opened: {result['errorText']}")
            return False
        if not self.browser.wait(lambda: self.loaded or self.crashed,
                                 time.monotonic() + timeout):
            self.problem(f"did not finish loading within {timeout:g}s")
            return False
        if self.crashed:
            return False
        if self.scripts:
            self.evaluate(SETTLE)
        return True

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CallError(f"evaluating a check failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def check_content(self):
        facts = self.evaluate(FACTS)
        if facts["href"].split("#")[0] != self.url:
            self.problem(f"ended up at {shorten(facts['href'])}")
        if not facts["body"]:
            self.problem("has no body")
        elif facts["text"] == 0:
            self.problem("shows no text")
        if not facts["title"]:
            self.problem("has no title")
        if facts["pageWidth"] > VIEW_WIDTH:
            self.problem(f"is {facts['pageWidth']} pixels wide in a {VIEW_WIDTH}-pixel window")
        over = facts["overflow"]
        if over:
            more = f", and {len(over) - 1} more" if len(over) > 1 else ""
            self.problem(f"content sticks out of its box: {shorten(over[0])}{more}")
        return facts

    def screenshot(self, png_path):
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = max(1, math.ceil(size["height"]))
        if height > MAX_SHOT_HEIGHT:
            print(f"note: {png_path}: the page is {height} pixels tall; cut at "
                  f"{MAX_SHOT_HEIGHT}", file=sys.stderr, flush=True)
            height = MAX_SHOT_HEIGHT
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": VIEW_WIDTH, "height": height, "scale": 1}})
        with open(png_path, "wb") as out:
            out.write(base64.b64decode(shot["data"]))

    def screenshots(self, directory, stem):
        self.screenshot(os.path.join(directory, f"{stem}-light.png"))
        self.call("Emulation.setEmulatedMedia",
                  {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        self.evaluate(SETTLE)
        self.screenshot(os.path.join(directory, f"{stem}-dark.png"))


def check_once(browser, path, scripts, timeout, shots):
    """The problems of one load of path; the page's content facts when it loaded."""
    page = Page(browser, path, scripts)
    facts = None
    try:
        page.open()
        if page.load(timeout):
            facts = page.check_content()
            if shots:
                page.screenshots(shots, pathlib.Path(path).stem)
    except CallError as e:
        page.problem(str(e))
    finally:
        page.close()
    return page.reasons, facts


def check_file(browser, path, args):
    reasons, facts = check_once(browser, path, True, args.timeout, args.screenshot_dir)
    if args.no_script:
        without, _ = check_once(browser, path, False, args.timeout, None)
        reasons += [f"without JavaScript, {r}" for r in without if r not in reasons]
    if reasons or facts is None:
        more = len(reasons) - MAX_REASONS
        shown = reasons[:MAX_REASONS] + ([f"and {more} more"] if more > 0 else [])
        print(f"FAIL {path}: " + "; ".join(shown), flush=True)
        return False
    print(f"OK {path} ({facts['title']!r}, {facts['text']} characters)", flush=True)
    return True


def parse_args():
    parser = argparse.ArgumentParser(
        description="Open HTML files in headless Chromium; report errors, warnings, "
                    "requests beyond the file and missing content.")
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--no-script", action="store_true",
                        help="also load every file with JavaScript disabled")
    parser.add_argument("--screenshot-dir", metavar="DIR",
                        help="write DIR/NAME-light.png and DIR/NAME-dark.png")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                        help="how long a page may take to load (default 20)")
    parser.add_argument("--which", action="store_true", help="print the browser and exit")
    args = parser.parse_args()
    if not args.which and not args.files:
        parser.error("no HTML file to check")
    if args.timeout <= 0:
        parser.error("--timeout must be more than 0 seconds")
    for path in args.files:
        if not os.path.isfile(path):
            parser.error(f"{path}: no such file")
    if args.screenshot_dir and not os.path.isdir(args.screenshot_dir):
        parser.error(f"--screenshot-dir {args.screenshot_dir}: no such directory")
    return args


def on_signal(signum, frame):
    # Turned into an exception so the browser is killed and its profile removed on the way out.
    raise SystemExit(128 + signum)


def main():
    args = parse_args()
    path = find_browser()
    if path is None:
        print("browser_check: no chromium or chromium-browser on PATH (Debian: apt-get install "
              "chromium; or set CHROMIUM): skipped", file=sys.stderr)
        return SKIP
    if args.which:
        print(path)
        return 0
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    browser = Browser(path)
    try:
        browser.start()
        results = [check_file(browser, f, args) for f in args.files]
    except (BrowserError, CallError) as e:
        print(f"browser_check: {path}: {e}", file=sys.stderr)
        return 1
    finally:
        browser.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
