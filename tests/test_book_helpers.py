import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lxenu import plotting
from lxenu.scorecard import Row, format_value, scorecard_markdown
from lxenu.widgets import MagneticMomentExplorer, static_explorer_html


@pytest.fixture(scope="module")
def explorer(mm_fit):
    return MagneticMomentExplorer(mm_fit)


def test_explorer_limit_matches_fit(explorer, mm_fit):
    r = explorer.compute(threshold_keV=3.0, source_mci=7.0, days=120.0, deployments=2)
    assert r["limit_muB"] == pytest.approx(mm_fit.limit_for(3.0, source_mci=7.0, days=120.0, deployments=2), rel=1e-12)
    # the displayed spectra scale with exposure: background with live days
    base = explorer.compute()
    assert np.allclose(r["background"], base["background"] * 2.4)
    assert np.all(r["signal_with_mu"] >= r["signal"])


def test_explorer_redraw_updates_lines(explorer):
    fig, artists = explorer.figure()
    r = explorer.redraw(artists, threshold_keV=5.0, source_mci=10.0)
    np.testing.assert_allclose(artists["sm"].get_ydata(), r["signal"])
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()


def test_static_explorer_is_self_contained(explorer):
    html = static_explorer_html(explorer, thresholds_keV=[1.0, 2.0], sources_mci=[5.0], days=[100.0])
    assert "<script>" in html and "lxenu-explorer" in html
    assert "http://" not in html and "https://" not in html
    assert "__DATA__" not in html and "__UID__" not in html


@pytest.mark.parametrize("make", [
    lambda exp: plotting.cross_sections(),
    lambda exp: plotting.recoil_spectrum(exp),
    lambda exp: plotting.activity_and_decays(exp.source, exp.run),
    lambda exp: plotting.events_per_5keV(exp, t_max_keV=200.0),
    lambda exp: plotting.limit_vs_threshold([1, 2], [4e-12, 5e-12]),
    lambda exp: plotting.sterile_plane(),
])
def test_figures_have_labelled_axes(paper, make):
    fig, ax = make(paper)
    assert ax.get_xlabel() and ax.get_ylabel()
    matplotlib.pyplot.close(fig)


def test_scorecard_rows_judge_tolerances():
    good = Row("x", "2", 100.0, 101.0, 0.02)
    bad = Row("x", "2", 100.0, 110.0, 0.02)
    claim = Row("x", "3", "most", True, kind="claim")
    given = Row("x", "1", 5.0, 5.0, kind="input")
    assert good.within and bad.within is False and claim.within and given.within is None
    table = scorecard_markdown([good, bad, claim, given])
    assert table.count("\n") == 5 and "✗" in table and "✓" in table
    assert format_value(12518.0) == "12,518" and format_value(4.9e-12) == "4.9e-12"
