"""Open report.html from disk in headless Chromium: no console errors, every plotly figure drawn.

Uses the system's Chromium (Debian's /usr/bin/chromium) through playwright; never downloads a
browser. Skipped only when no Chromium executable is found.
"""
import os
import shutil
from pathlib import Path

import pytest

CANDIDATES = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
              shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")]
CHROMIUM = next((c for c in CANDIDATES if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable found (install Debian's "
                                "chromium: apt-get install -y chromium, or set CHROMIUM=/path/to/chrome)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def test_report_renders_in_chromium(built_report, tmp_path):
    from playwright import sync_api  # in the 'test' extra; a missing package is a failure, not a skip
    html_path = Path(built_report.paths["html"]).resolve()
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(html_path.as_uri(), wait_until="load")
            n_figures = len(built_report.figures)
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_figures}", timeout=20000)
            plots = page.query_selector_all(".js-plotly-plot")
            assert len(plots) == n_figures >= 3
            for plot in plots:
                assert plot.query_selector("svg.main-svg") is not None
                box = plot.bounding_box()
                assert box and box["width"] > 100 and box["height"] > 100
            # traces really drawn: bars with error bars, loss lines, star markers of the maps
            assert page.query_selector_all(".js-plotly-plot .barlayer .point")
            assert page.query_selector_all(".js-plotly-plot .errorbar")
            assert page.query_selector_all(".js-plotly-plot .scatterlayer .trace")
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == [], errors
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert shot.stat().st_size > 10_000
    try:  # a copy to look at by hand
        shutil.copyfile(shot, "/tmp/report_screenshot.png")
    except OSError:
        pass
