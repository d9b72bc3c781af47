import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lxenu.report import plotting
from lxenu.report.scorecard import Row, format_value, scorecard_markdown
from lxenu.report.widgets import MagneticMomentExplorer, static_explorer_html


@pytest.fixture(scope="module")
def explorer(mm_fit):
    return MagneticMomentExplorer(mm_fit)


def test_explorer_limit_matches_fit(explorer, mm_fit):
    r = explorer.compute(threshold_keV=3.0, source_mci=7.0, days=120.0, deployments=2)
    assert r["limit_muB"] == pytest.approx(
        mm_fit.limit_for(3.0, source_mci=7.0, days=120.0, deployments=2), rel=1e-12, abs=0
    )
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


@pytest.mark.parametrize(
    "make",
    [
        lambda exp: plotting.cross_sections(),
        lambda exp: plotting.recoil_spectrum(exp),
        lambda exp: plotting.activity_and_decays(exp.source, exp.run),
        lambda exp: plotting.events_per_5keV(exp, t_max_keV=200.0),
        lambda exp: plotting.limit_vs_threshold([1, 2], [4e-12, 5e-12]),
        lambda exp: plotting.sterile_plane(),
    ],
)
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


def test_scorecard_markdown_typesets_units_and_links_chapters():
    row = Row("mu_nu bound, 95 % CL, 2 keV [mu_B]", "2", 4.9e-12, 4.79e-12, 0.10, chapter="04_magnetic_moment")
    plain = scorecard_markdown([row])
    assert "mu_B" in plain and "| 4 |" in plain  # the command line keeps plain text and chapter numbers
    book = scorecard_markdown([row], typeset=True, link_prefix="../notebooks/")
    assert r"$\mu_\nu$" in book and r"$\mu_B$" in book and "mu_B" not in book.replace(r"\mu_B", "")
    assert "[4. The neutrino magnetic moment](../notebooks/04_magnetic_moment)" in book
    sterile = Row("gallium anomaly best fit dm2 [eV^2] ('~1')", "3", 1.0, 2.1, kind="context")
    assert r"$\Delta m^2$ [eV²]" in scorecard_markdown([sterile], typeset=True)


def test_xe136_row_held_to_ten_percent():
    from lxenu.report.scorecard import scorecard_rows

    rows = {r.quantity: r for r in scorecard_rows(n_mc=100_000)}
    xe = rows["of which 136Xe 2nu-beta-beta"]
    assert xe.tolerance == 0.10 and xe.within
    assert xe.ours == pytest.approx(47968, rel=2e-3, abs=0)  # the physics value, EXO-200 half-life (ch. 3)


def test_table_formats_aligns_and_renders_markdown():
    from lxenu.report.tables import table

    t = table(
        [("pp", 1.0094, 1.05), ("pep", 0.0213, None), ("sox", float("nan"), 2)],
        ["flux", "lxenu", "paper"],
        [None, ".3f", ".2f"],
        caption="rates",
    )
    md = t._repr_markdown_()
    lines = md.splitlines()
    assert lines[0] == "rates" and lines[2] == "| flux | lxenu | paper |" and lines[3] == "|:---|---:|---:|"
    assert "| pp | 1.009 | 1.05 |" in md and "| pep | 0.021 | – |" in md and "| sox | none | 2.00 |" in md
    text = repr(t).splitlines()
    assert text[1].split() == ["flux", "lxenu", "paper"] and text[3].endswith("1.05")
    assert len({len(line) for line in text[1:3]}) == 1  # header and rule aligned
    with pytest.raises(ValueError, match="rows\\[1\\] has 2 cells"):
        table([(1, 2, 3), (1, 2)], ["a", "b", "c"])
    assert "a \\| b" in table([("a | b",)], ["x"])._repr_markdown_()


def test_sterile_plane_draws_smooth_regions_contours_and_a_legend_below():
    s = np.geomspace(1e-2, 1.0, 60)
    m = np.geomspace(0.1, 100.0, 50)
    S, Mg = np.meshgrid(s, m, indexing="ij")
    field = (np.log(S / 0.2) ** 2 + np.log(Mg / 2.0) ** 2) * 4  # a round valley at (0.2, 2 eV^2)
    fig, ax = plotting.sterile_plane(
        s_grid=s,
        m_grid=m,
        anomalies=[dict(delta_chi2=field, threshold=5.99, label="region")],
        contours=[dict(chi2=field, threshold=5.99, label="exclusion")],
        star=(0.2, 2.0, "best fit"),
    )
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["region", "exclusion", "best fit"]
    fig.canvas.draw()
    box = legend.get_window_extent()
    assert box.y1 <= ax.get_window_extent().y0  # the legend sits below the axes
    # the region's outline is a smooth contour of the field: its vertices lie on the threshold
    outline = ax.collections[1].get_paths()[0].vertices
    x, y = outline[:, 0], outline[:, 1]
    on = (np.log(x / 0.2) ** 2 + np.log(y / 2.0) ** 2) * 4
    np.testing.assert_allclose(on, 5.99, rtol=0.05)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    matplotlib.pyplot.close(fig)


def test_explorer_figure_is_not_left_open_in_pyplot(explorer):
    before = matplotlib.pyplot.get_fignums()
    explorer.figure()
    assert matplotlib.pyplot.get_fignums() == before


def test_clean_notebooks_merges_streams_and_drops_session_metadata():
    import importlib.util
    from pathlib import Path

    import nbformat

    spec = importlib.util.spec_from_file_location(
        "clean_notebooks", Path(__file__).resolve().parents[1] / "scripts" / "clean_notebooks.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    nb = nbformat.v4.new_notebook(
        metadata={
            "widgets": {"state": 1},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        }
    )
    cell = nbformat.v4.new_code_cell("print(1); print(2)", metadata={"execution": {"iopub.status.busy": "t"}})
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
        nbformat.v4.new_output("stream", name="stderr", text="w\n"),
    ]
    nb.cells.append(cell)
    mod.clean_notebook(nb)
    assert set(nb.metadata) == {"kernelspec", "language_info"} and "version" not in nb.metadata.language_info
    assert "execution" not in nb.cells[0].metadata
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [("stdout", "1\n2\n"), ("stderr", "w\n")]
