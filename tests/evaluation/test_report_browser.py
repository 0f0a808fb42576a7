"""Open report.html from disk in headless Chromium: no console errors, every plotly figure drawn
with data on every axis, no constant trace in the loss figures.

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

# For every plotted figure: its axes (from plotly's full layout) and, per axis, how many finite
# points of the drawn traces lie on it; and for each trace its finite y range.
FIGURE_SUMMARY = """() => Array.from(document.querySelectorAll('section.figure')).map(section => {
  const gd = section.querySelector('.js-plotly-plot');
  const layout = gd._fullLayout;
  const axes = Object.keys(layout).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => layout[k]._id);
  const points = Object.fromEntries(axes.map(a => [a, 0]));
  const traces = gd._fullData.filter(t => t.visible !== false).map(t => {
    const xs = Array.from(t.x || []), ys = Array.from(t.y || []);
    const ok = xs.map((x, i) => x !== null && x !== undefined && Number.isFinite(Number(ys[i])) ? 1 : 0);
    const n = ok.reduce((a, b) => a + b, 0);
    points[t.xaxis] = (points[t.xaxis] || 0) + n;
    points[t.yaxis] = (points[t.yaxis] || 0) + n;
    const finite = ys.map(Number).filter(Number.isFinite);
    return {name: t.name, n: n, ymin: Math.min(...finite), ymax: Math.max(...finite)};
  });
  return {name: section.dataset.figure, axes: axes, points: points, traces: traces};
})"""


def check_report_page(html_path: Path, shot: Path) -> list[dict]:
    """Open ``html_path`` in headless Chromium and check it; returns the per-figure summary."""
    from playwright import sync_api  # in the 'test' extra; a missing package is a failure, not a skip
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            n_figures = page.evaluate("document.querySelectorAll('section.figure').length")
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_figures}", timeout=60000)
            plots = page.query_selector_all(".js-plotly-plot")
            assert len(plots) == n_figures >= 4
            for plot in plots:
                assert plot.query_selector("svg.main-svg") is not None
                box = plot.bounding_box()
                assert box and box["width"] > 100 and box["height"] > 100
            summary = page.evaluate(FIGURE_SUMMARY)
            # traces really drawn: bars with error bars, loss lines, star markers of the maps
            assert page.query_selector_all(".js-plotly-plot .barlayer .point")
            assert page.query_selector_all(".js-plotly-plot .errorbar")
            assert page.query_selector_all(".js-plotly-plot .scatterlayer .trace")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == [], errors
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    for figure in summary:
        empty = [axis for axis in figure["axes"] if figure["points"].get(axis, 0) == 0]
        assert figure["axes"] and not empty, f"{figure['name']}: no data on axes {empty}"
        if figure["name"].startswith("loss"):
            for trace in figure["traces"]:
                assert trace["n"] >= 2 and trace["ymax"] > trace["ymin"], \
                    f"{figure['name']}: trace {trace['name']} is constant or empty"
    assert shot.stat().st_size > 10_000
    return summary


def test_report_renders_in_chromium(built_report, tmp_path):
    summary = check_report_page(Path(built_report.paths["html"]), tmp_path / "report.png")
    assert [f["name"] for f in summary] == list(built_report.figures) and len(summary) >= 8
    loss = next(f for f in summary if f["name"] == "loss")
    assert len(loss["axes"]) == 2 * len(loss["traces"]) == 4  # one panel per training run
    try:  # a copy to look at by hand
        shutil.copyfile(tmp_path / "report.png", "/tmp/report_screenshot.png")
    except OSError:
        pass


@pytest.mark.skipif(not os.environ.get("REPORT_HTML"), reason="set REPORT_HTML=path/to/report.html to check a "
                    "report made elsewhere (e.g. glove-gensim compare political.txt --seeds 3 --out r)")
def test_given_report_renders_in_chromium(tmp_path):
    summary = check_report_page(Path(os.environ["REPORT_HTML"]), tmp_path / "given.png")
    names = [f["name"] for f in summary]
    assert {"loss", "loss_relative", "similarity_vs_epoch", "similarity_vs_seconds", "similarity_scores"} <= set(names)
    shutil.copyfile(tmp_path / "given.png", Path(os.environ["REPORT_HTML"]).with_name("report_screenshot.png"))
