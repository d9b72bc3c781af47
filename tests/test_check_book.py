"""The offline browser check must catch what it promises to catch (needs Debian's chromium)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lxenu.report.widgets import MagneticMomentExplorer, static_explorer_html

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_book.py"


def run_check(site: Path):
    return subprocess.run([sys.executable, str(SCRIPT), str(site)], capture_output=True, text=True, timeout=180)


def test_broken_page_fails(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script></head><body>'
        '<span class="math">\\(x^2\\)</span><img src="missing.png"><script>notDefined();</script></body></html>'
    )
    proc = run_check(tmp_path)
    assert proc.returncode == 1
    for problem in ("network request", "JavaScript error", "not rendered", "images that did not load"):
        assert problem in proc.stdout


def test_static_explorer_passes(tmp_path, mm_fit):

    html = static_explorer_html(
        MagneticMomentExplorer(mm_fit), thresholds_keV=[1.0, 2.0, 3.0, 4.0, 5.0], sources_mci=[5.0], days=[100.0]
    )
    (tmp_path / "index.html").write_text(f"<html><body>{html}</body></html>")
    proc = run_check(tmp_path)
    assert proc.returncode == 0, proc.stdout


WIDE_PAGE = """<html><body><article style="width: 600px">
<p>text</p>
<mjx-container display="true" style="display: block">
<span style="display: inline-block; width: 900px">wide equation</span></mjx-container>
<div class="cell_output"><div class="output text_plain"><pre style="overflow: auto">{line}</pre></div></div>
<div class="cell_input"><div class="highlight"><pre style="overflow: auto">{line}</pre></div></div>
<table style="width: 900px"><tr><td>a wide table</td></tr></table>
</article></body></html>"""


def test_overflow_is_reported_per_element(tmp_path):
    (tmp_path / "index.html").write_text(WIDE_PAGE.format(line="x = 1; " * 40))
    proc = run_check(tmp_path)
    assert proc.returncode == 1
    for kind in ("display equation", "output block", "code cell", "table"):
        assert f"{kind} wider than its column" in proc.stdout
    assert proc.stdout.count("wider than its column") == 4


def test_fitting_page_passes(tmp_path):
    narrow = WIDE_PAGE.replace("900px", "500px").format(line="x = 1")
    (tmp_path / "index.html").write_text(narrow)
    proc = run_check(tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_shown_warnings_tracebacks_and_raw_latex_fail(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html><body><article>"
        '<div class="cell_output"><div class="output stderr"><pre>/x.py:3: DeprecationWarning: old</pre></div></div>'
        '<div class="cell_output"><div class="output"><pre>Traceback (most recent call last):</pre></div></div>'
        '<div class="cell_output"><div class="output"><pre>RuntimeWarning: invalid value</pre></div></div>'
        '<div class="citation"><p>Measurement of the half-life of $^136$Xe with KamLAND-Zen</p></div>'
        '<div class="citation"><p>Improved measurement of the $2\\nu\\beta\\beta$ half-life</p></div>'
        "</article></body></html>"
    )
    proc = run_check(tmp_path)
    assert proc.returncode == 1
    assert "stderr/traceback output shown" in proc.stdout
    assert '"Traceback" shown in an output' in proc.stdout
    assert '"Warning:" shown in an output' in proc.stdout
    assert proc.stdout.count("raw LaTeX") == 2


def test_clean_references_pass(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><body><article><div class="citation"><p>Measurement of the half-life of ¹³⁶Xe</p></div>'
        '<div class="cell_output"><div class="output"><pre>ValueError: days must lie in (0, inf)</pre></div></div>'
        "</article></body></html>"
    )
    proc = run_check(tmp_path)
    assert proc.returncode == 0, proc.stdout


STALE_EXPLORER = """<html><body><article style="width: 600px">
<div class="cell_output"><div class="output"><div class="lxenu-explorer"><p>bound</p>
<input type="range" min="0" max="5" value="0"><canvas id="c" style="width: 500px; height: 100px"></canvas>
</div></div></div></article>
<script>
  // a redraw that uses a width measured before the layout settled: fine at first, too wide after a resize
  var c = document.getElementById("c"), last = 500;
  c.getContext("2d").fillRect(0, 0, 10, 10);
  document.querySelector("input").addEventListener("input", function () {
    document.querySelector("p").textContent = "bound " + this.value;
  });
  window.addEventListener("resize", function () { c.style.width = last + "px"; last = window.innerWidth - 100; });
</script></body></html>"""


def test_explorer_too_wide_after_a_resize_fails(tmp_path):
    (tmp_path / "index.html").write_text(STALE_EXPLORER)
    proc = run_check(tmp_path)
    assert proc.returncode == 1
    assert "explorer wider than its column (800 px > 600 px)" in proc.stdout


def test_screenshot_shows_the_whole_page(tmp_path):
    from importlib.util import module_from_spec, spec_from_file_location

    (tmp_path / "index.html").write_text(
        '<html><body><div style="height: 3000px">tall</div><p id="end">the end</p></body></html>'
    )
    shots = tmp_path / "shots"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), "--screenshots", str(shots)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout
    spec = spec_from_file_location("check_book", SCRIPT)
    mod = module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.png_height(shots / "index.png") >= 3000
