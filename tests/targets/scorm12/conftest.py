"""Browser test harness for the SCORM 1.2 player (the SCO).

A local HTTP server on 127.0.0.1 serves one folder per test holding:
  host.html    a test "LMS" page: window.API = new Scorm12API(...) from scorm-again,
               optionally pre-loaded with CMI JSON (for resume), every API call recorded
               into window.__calls, and the player in <iframe src="sco/index.html">;
               optionally a faulty LMS (see FAULTS below): chosen calls answer "false"
               with a chosen error code, or are slow;
  scorm12.js   scorm-again's browser build (a classic script defining Scorm12API);
  sco/         the player: index.html with the quiz data injected, player.js, player.css.

Prerequisites: Chromium (/usr/bin/chromium or $QTIEXPORT_CHROMIUM) and scorm-again
($QTIEXPORT_SCORM_AGAIN = path of dist/scorm12.js, else <repo>/node_modules/scorm-again/dist/scorm12.js,
installed by `npm ci` at the repository root). Missing: skip locally, fail when CI=true.
"""

from __future__ import annotations

import html
import http.server
import itertools
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PLAYER_DIR = REPO / "qtiexport" / "targets" / "scorm12" / "player"
QUIZ_DATA_ELEMENT = '<script type="application/json" id="quiz-data"></script>'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require(condition: bool, reason: str) -> None:
    """Skip with a visible reason; on CI (CI=true) fail instead, so nothing is silently skipped."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- the player files

def inject_quiz_data(template: str, quiz_data: dict) -> str:
    """Put the quiz data into index.html: the writer's own function, so tests and packages cannot drift apart."""
    from qtiexport.targets.scorm12.data import render_index

    return render_index(template, quiz_data)


def make_player(tmpdir, quiz_data: dict) -> Path:
    """Write the SCO into `tmpdir`: index.html with the data injected, player.js and player.css copied."""
    folder = Path(tmpdir)
    folder.mkdir(parents=True, exist_ok=True)
    template = (PLAYER_DIR / "index.html").read_text(encoding="utf-8")
    (folder / "index.html").write_text(inject_quiz_data(template, quiz_data), encoding="utf-8")
    for name in ("player.js", "player.css"):
        shutil.copyfile(PLAYER_DIR / name, folder / name)
    return folder / "index.html"


# ---------------------------------------------------------------- the test LMS page

HOST_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Test LMS</title>
<link rel="icon" href="data:,">
<script src="scorm12.js"></script>
<script>
(function () {
  var PRELOAD = __PRELOAD__;
  window.__calls = [];
  var api = new Scorm12API({autocommit: false, lmsCommitUrl: false, logLevel: 5});
  if (PRELOAD) api.loadFromJSON(PRELOAD, "");
  var lastError = api.LMSGetLastError;
  // Fault injection (window.__setFaults; see FAULTS in conftest.py). An injected failure answers "false"
  // without calling scorm-again; its code is the last error until the next call that is not an error function.
  var ERROR_FUNCTIONS = {LMSGetLastError: 1, LMSGetErrorString: 1, LMSGetDiagnostic: 1};
  var injected = null;
  window.__setFaults = function (f) {
    window.__faults = f ? {
      fail: (f.fail || []).map(function (r) { return Object.assign({used: 0}, r); }),
      errorStrings: f.errorStrings || {}, delayMs: f.delayMs || {}
    } : null;
  };
  window.__setFaults(__FAULTS__);
  function injectedCode(name, args) {
    var rules = window.__faults ? window.__faults.fail : [];
    for (var i = 0; i < rules.length; i++) {
      var r = rules[i];
      if (r.method !== name || (r.element !== undefined && r.element !== String(args[0]))) continue;
      if (r.times !== undefined && r.times !== null && r.used >= r.times) continue;
      r.used++;
      return String(r.code);
    }
    return null;
  }
  function sleep(ms) {   // a slow LMS: blocks like the synchronous XHR real LMS runtimes use
    var x = new XMLHttpRequest();
    x.open("GET", "/__sleep?ms=" + ms, false);
    x.send();
  }
  ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
   "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"].forEach(function (name) {
    var original = api[name];
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var f = window.__faults, result, isInjected = false;
      if (!ERROR_FUNCTIONS[name]) {
        injected = null;
        if (f && f.delayMs[name]) sleep(f.delayMs[name]);
        injected = injectedCode(name, args);
        isInjected = injected !== null;
        result = isInjected ? "false" : original.apply(api, args);
      } else {
        isInjected = injected !== null;
        if (name === "LMSGetLastError" && isInjected) result = injected;
        else if (name === "LMSGetErrorString" && f && f.errorStrings[String(args[0])] !== undefined) {
          result = f.errorStrings[String(args[0])];
        } else result = original.apply(api, args);
      }
      window.__calls.push({method: name, args: args.map(String), result: String(result),
                           error: isInjected ? injected : String(lastError.call(api)), injected: isInjected});
      return result;
    };
  });
  window.API = api;
  // The CMI as the runtime holds it (write-only interaction fields included).
  window.__cmi = function () { return JSON.parse(JSON.stringify(api.renderCMIToJSONObject())); };
}());
</script>
</head>
<body>
<iframe src="sco/index.html" title="Quiz" style="width: 100%; height: 90vh; border: 0"></iframe>
</body>
</html>
"""

# A faulty LMS for open_host(faults=...) and Harness.set_faults(...):
#   {"fail": [{"method": "LMSCommit", "code": "101", "times": 2},          # the next 2 LMSCommit calls fail
#             {"method": "LMSSetValue", "element": "cmi.core.score.raw", "code": "405"}],   # every time
#    "errorStrings": {"351": "General set failure"},   # LMSGetErrorString text (else scorm-again's)
#    "delayMs": {"LMSCommit": 800}}                    # each LMSCommit blocks 800 ms (real time) first
# "times" counts from when the faults are set; without it the rule always applies. Injected failures are
# recorded in window.__calls with "injected": true, as are the error-function calls that report them.


# Moodle's SCORM 1.2 runtime (moodle/moodle mod/scorm/datamodels/scorm_12.js) is stricter than
# scorm-again: these are its checks, applied to every value the player sets.
MOODLE_RULES = [
    (re.compile(r"cmi\.core\.session_time|cmi\.interactions\.\d+\.latency"),
     re.compile(r"^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$")),
    (re.compile(r"cmi\.interactions\.\d+\.time"),
     re.compile(r"^([0-2]{1}[0-9]{1}):([0-5]{1}[0-9]{1}):([0-5]{1}[0-9]{1})(\.[0-9]{1,2})?$")),
    (re.compile(r"cmi\.core\.score\.(raw|min|max)"), re.compile(r"^-?([0-9]{0,3})(\.[0-9]*)?$")),
    (re.compile(r"cmi\.interactions\.\d+\.id"), re.compile(r"^[\u0021-\u007E]{0,255}$")),
    (re.compile(r"cmi\.interactions\.\d+\.type"),
     re.compile(r"^true-false$|^choice$|^fill-in$|^matching$|^performance$|^sequencing$|^likert$|^numeric$")),
    (re.compile(r"cmi\.interactions\.\d+\.result"),
     re.compile(r"^correct$|^wrong$|^unanticipated$|^neutral$|^([0-9]{0,3})?(\.[0-9]*)?$")),
    (re.compile(r"cmi\.interactions\.\d+\.(student_response|correct_responses\.\d+\.pattern)"),
     re.compile(r"^[\s\S]{0,255}$")),
    (re.compile(r"cmi\.core\.lesson_status"), re.compile(r"^passed$|^completed$|^failed$|^incomplete$|^browsed$")),
    (re.compile(r"cmi\.core\.exit"), re.compile(r"^time-out$|^suspend$|^logout$|^$")),
    (re.compile(r"cmi\.suspend_data"), re.compile(r"^[\s\S]{0,4096}$")),
]
MOODLE_RANGES = {
    re.compile(r"cmi\.core\.score\.(raw|min|max)"): (0, 100),
    re.compile(r"cmi\.interactions\.\d+\.weighting"): (-100, 100),
}


def moodle_violations(calls: list[dict]) -> list[str]:
    """Return the LMSSetValue calls Moodle's SCORM 1.2 API would refuse, and interaction indices out of order."""
    out = []
    next_index = 0
    for call in calls:
        if call["method"] != "LMSSetValue":
            continue
        element, value = call["args"][0], call["args"][1]
        for pattern, rule in MOODLE_RULES:
            if pattern.fullmatch(element) and not rule.search(value):
                out.append(f"{element}={value!r} fails Moodle's format check")
        for pattern, (low, high) in MOODLE_RANGES.items():
            if pattern.fullmatch(element) and not low <= float(value) <= high:
                out.append(f"{element}={value!r} is outside Moodle's range {low}..{high}")
        index = re.match(r"cmi\.interactions\.(\d+)\.", element)
        if index:
            n = int(index.group(1))
            if n > next_index:
                out.append(f"{element}: interaction index {n} skips {next_index} (Moodle error 201)")
            next_index = max(next_index, n + 1)
    return out


# Records CSP violations in every frame (an init script, so it is not subject to the page's CSP).
CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


class Harness:
    """One test's site (host.html + scorm12.js + sco/) and browser page."""

    def __init__(self, browser, base_url: str, folder: Path, scorm_again):
        self.browser = browser
        self.base_url = base_url
        self.folder = folder
        self._scorm_again = scorm_again   # a Path, or a callable giving it (so standalone tests need no npm)
        self.context = None
        self.page = None
        self.console_errors: list[str] = []
        self._hosts = itertools.count()

    # -- setup
    def _new_page(self, viewport=None):
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.context.add_init_script(CSP_RECORDER)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        return self.page

    def write_sco(self, quiz_data: dict) -> None:
        make_player(self.folder / "sco", quiz_data)

    def write_package(self, package) -> None:
        """Unpack a built SCORM package (a qtiexport Package) as the site's sco/ folder."""
        sco = self.folder / "sco"
        shutil.rmtree(sco, ignore_errors=True)
        for name, data in package.members:
            (sco / name).parent.mkdir(parents=True, exist_ok=True)
            (sco / name).write_bytes(data)

    def open_host(self, quiz_data: dict | None = None, cmi: dict | None = None, viewport=None, reuse_page=False,
                  faults: dict | None = None, fake_clock: bool = False):
        """Open a new host page (optionally with pre-loaded CMI JSON) showing the player.

        reuse_page: load it in the current page (e.g. after page.clock.install()) instead of a new context.
        faults: a faulty LMS from the start (see FAULTS above), e.g. a failing LMSInitialize.
        fake_clock: a new context with Playwright's clock installed (advance it with page.clock.run_for).
        """
        if fake_clock:
            self._new_page(viewport)
            self.page.clock.install()
            reuse_page = True
        if quiz_data is not None:
            self.write_sco(quiz_data)
        if not (self.folder / "scorm12.js").exists():
            source = self._scorm_again() if callable(self._scorm_again) else self._scorm_again
            shutil.copyfile(source, self.folder / "scorm12.js")
        name = f"host{next(self._hosts)}.html"
        host = HOST_TEMPLATE.replace("__PRELOAD__", json.dumps(cmi)).replace("__FAULTS__", json.dumps(faults))
        (self.folder / name).write_text(host, encoding="utf-8")
        page = self.page if reuse_page else self._new_page(viewport)
        page.goto(f"{self.base_url}/{name}")
        self.sco = self._sco_frame()
        self.sco.wait_for_selector(".actions")
        return self.sco

    def open_standalone(self, quiz_data: dict | None = None, viewport=None):
        """Open sco/index.html directly: no API anywhere."""
        if quiz_data is not None:
            self.write_sco(quiz_data)
        page = self._new_page(viewport)
        page.goto(f"{self.base_url}/sco/index.html")
        self.sco = page.main_frame
        self.sco.wait_for_selector(".actions")
        return self.sco

    def _sco_frame(self):
        for _ in range(100):
            for frame in self.page.frames:
                if frame.url.endswith("/sco/index.html"):
                    return frame
            self.page.wait_for_timeout(50)
        raise AssertionError("the player frame did not load")

    # -- reading the runtime
    def calls(self) -> list[dict]:
        return self.page.evaluate("window.__calls")

    def cmi(self) -> dict:
        return self.page.evaluate("window.__cmi()")

    def set_faults(self, faults: dict | None) -> None:
        """Make the LMS faulty from now on (see FAULTS above; "times" counts from now), or healthy with None."""
        self.page.evaluate("f => window.__setFaults(f)", faults)

    def injected_calls(self) -> list[dict]:
        """The recorded calls that failed by injection, and the error-function calls reporting them."""
        return [c for c in self.calls() if c.get("injected")]

    def set_calls(self) -> dict:
        """LMSSetValue calls as {element: [values in call order]}."""
        out: dict[str, list[str]] = {}
        for c in self.calls():
            if c["method"] == "LMSSetValue":
                out.setdefault(c["args"][0], []).append(c["args"][1])
        return out

    def assert_clean(self, allow_injected: bool = False) -> None:
        """No console errors, no CSP violations, and every recorded API call ended with error "0".

        allow_injected: calls failed on purpose by the faulty LMS (and the error calls reporting them) are allowed;
        every other call must still end with error "0".
        """
        assert self.console_errors == [], self.console_errors
        if self.page is not None:
            for frame in self.page.frames:
                try:
                    violations = frame.evaluate("window.__csp || []")
                except Exception:  # a frame that went away
                    continue
                assert violations == [], violations
            if self.page.evaluate("typeof window.__calls") != "undefined":
                bad = [c for c in self.calls() if c["error"] != "0" and not (allow_injected and c.get("injected"))]
                assert bad == [], bad
                stricter = moodle_violations(self.calls())
                assert stricter == [], stricter

    def screenshot(self, path, full_page=True):
        self.page.screenshot(path=str(path), full_page=full_page)

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def chromium_path() -> Path:
    path = Path(os.environ.get("QTIEXPORT_CHROMIUM", "").strip() or "/usr/bin/chromium")
    require(path.is_file(), f"Chromium not found at {path} (install Debian's chromium or set QTIEXPORT_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def scorm_again_js() -> Path:
    env = os.environ.get("QTIEXPORT_SCORM_AGAIN", "").strip()
    path = Path(env) if env else REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
    require(path.is_file(), f"scorm-again not found at {path} (run `npm ci` at the repository root or set QTIEXPORT_SCORM_AGAIN)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        require(False, "Python playwright is not installed (pip install playwright; no browser download needed)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        # /__sleep?ms=N answers after N ms (at most 10 s): a slow LMS call for the faulty host page.
        if self.path.startswith("/__sleep"):
            match = re.search(r"[?&]ms=(\d+)", self.path)
            time.sleep(min(int(match.group(1)) if match else 0, 10_000) / 1000)
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="session")
def web_root(tmp_path_factory):
    """A local HTTP server (127.0.0.1, free port) over a temporary folder: yields (folder, base URL)."""
    root = tmp_path_factory.mktemp("scorm12-site")
    handler = lambda *a, **kw: _QuietHandler(*a, directory=str(root), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="scorm12-http", daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


_site_numbers = itertools.count()


@pytest.fixture
def harness(request, browser, web_root):
    """A fresh site folder and browser context for one test (scorm-again is required only by open_host)."""
    root, base = web_root
    n = next(_site_numbers)
    folder = root / f"t{n}"
    folder.mkdir()
    h = Harness(browser, f"{base}/t{n}", folder, lambda: request.getfixturevalue("scorm_again_js"))
    yield h
    h.close()


@pytest.fixture
def make_player_fn():
    """The make_player(tmpdir, quiz_data) helper, for tests that want it without importing conftest."""
    return make_player
