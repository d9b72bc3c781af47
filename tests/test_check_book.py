"""The offline browser check must catch what it promises to catch (needs Debian's chromium)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    from lxenu.widgets import MagneticMomentExplorer, static_explorer_html

    html = static_explorer_html(MagneticMomentExplorer(mm_fit), thresholds_keV=[1.0, 2.0, 3.0, 4.0, 5.0],
                                sources_mci=[5.0], days=[100.0])
    (tmp_path / "index.html").write_text(f"<html><body>{html}</body></html>")
    proc = run_check(tmp_path)
    assert proc.returncode == 0, proc.stdout
