import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lxenu.report import plotting
from lxenu.report.plotting import COLORS, LINESTYLES
from lxenu.report.scorecard import Row, format_value, scorecard_markdown, scorecard_rows
from lxenu.report.tables import table, typeset_isotopes, typeset_number
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

    rows = {r.quantity: r for r in scorecard_rows(n_mc=100_000)}
    xe = rows["of which 136Xe 2nu-beta-beta"]
    assert xe.tolerance == 0.10 and xe.within
    assert xe.ours == pytest.approx(47968, rel=2e-3, abs=0)  # the physics value, EXO-200 half-life (ch. 3)


def test_table_formats_aligns_and_renders_markdown():

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


def _book_extension():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "offline_book", Path(__file__).resolve().parents[1] / "book" / "_ext" / "offline_book.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_citations_in_one_style_and_references_in_order():
    from pybtex.database import parse_string

    ext = _book_extension()
    bib = parse_string(
        r"""
        @misc{SAGE, author = {Abdurashitov, J. N. and others}, title = {Gallium}, year = {2009}}
        @misc{GALLEX, author = {Kaether, F. and Hampel, W. and Heusser, G.}, title = {Reanalysis}, year = {2010}}
        @misc{Two, author = {Erler, Jens and Ramsey-Musolf, Michael J.}, title = {Weak}, year = {2005}}
        @misc{Bx, author = {{Borexino Collaboration}}, title = {Be7}, year = {2011}}
        @misc{NNDC, author = {{National Nuclear Data Center}}, title = {ENSDF}, year = {2024}}
        @misc{Zed, author = {Zhou, X. and others}, title = {PandaX}, year = {2021}}
        """,
        "bibtex",
    )
    entries = list(bib.entries.values())
    style = ext.AuthorYearStyle(label_style=ext.AuthorYearLabelStyle, sorting_style=ext.AuthorYearSortingStyle)
    formatted = list(style.format_entries(entries))
    labels = [f.label for f in formatted]
    # "and others" reads "et al.", as for an entry with many authors; braces and case do not move an entry
    assert labels == [
        "Abdurashitov et al., 2009",
        "Borexino Collaboration, 2011",
        "Erler and Ramsey-Musolf, 2005",
        "Kaether et al., 2010",
        "National Nuclear Data Center, 2024",
        "Zhou et al., 2021",
    ]
    text = {f.label: f.text.render_as("text") for f in formatted}
    assert text["Abdurashitov et al., 2009"].startswith("J. N. Abdurashitov et al.")
    assert "others" not in " ".join(text.values())
    assert text["Kaether et al., 2010"].startswith("F. Kaether, W. Hampel, and G. Heusser.")


def test_citations_in_the_text_write_et_al():
    from pybtex.database import parse_string

    ext = _book_extension()
    style = ext.EtAlAuthorYearReferenceStyle()
    bib = parse_string(r"@article{SAGE, author = {Abdurashitov, J. N. and others}, year = {2009}}", "bibtex")
    entry = bib.entries["SAGE"]
    node = style.person.author_or_editor_or_title(full=False)
    assert node.format_data({"entry": entry, "style": style}).render_as("text") == "Abdurashitov et al."
    bib2 = parse_string(r"@article{Two, author = {Baker, Steve and Cousins, Robert D.}, year = {1984}}", "bibtex")
    node = style.person.author_or_editor_or_title(full=False)
    assert node.format_data({"entry": bib2.entries["Two"], "style": style}).render_as("text") == "Baker and Cousins"


def test_isotopes_and_powers_of_ten_are_typeset():

    assert typeset_isotopes("measured 222Rn/85Kr; 5 MCi 51Cr, 124Xe") == "measured ²²²Rn/⁸⁵Kr; 5 MCi ⁵¹Cr, ¹²⁴Xe"
    for untouched in ("2 keV", "XENON1T", "arXiv:2207.11330", "1.5 MeV", "$^{136}$Xe", "100 d", "B16-GS98"):
        assert typeset_isotopes(untouched) == untouched
    assert typeset_number("1.598e+22") == r"$1.598\times10^{22}$"
    assert typeset_number("5.0682e-45") == r"$5.0682\times10^{-45}$"
    assert typeset_number("12,467") == "12,467"
    md = table([("solar 7Be", 5.0682e-45, "85Kr")], ["component (51Cr)", "σ [cm²]", "note"], [None, ".4e", None])
    text = md._repr_markdown_()
    assert "solar ⁷Be" in text and "⁸⁵Kr" in text and "component (⁵¹Cr)" in text
    assert r"$5.0682\times10^{-45}$" in text
    assert "5.0682e-45" in repr(md)  # the plain text keeps what it was given


def test_one_colour_per_meaning():

    # every meaning the book draws has a key, and the module docstring documents every key
    for key in (
        "signal",
        "magnetic",
        "background",
        "136Xe",
        "bound",
        "limit reactor",
        "limit solar",
        "limit astrophysical",
        "natural",
        "depleted",
        "sox",
        "gallium",
        "gallium_best",
        "reactor",
        "paper",
        "reference",
    ):
        assert key in COLORS
        assert f"``{key}``" in plotting.__doc__
    # the meanings that appear together in one figure must be told apart
    plane = ("natural", "depleted", "sox", "gallium", "gallium_best", "reactor")
    assert len({COLORS[k] for k in plane}) == len(plane)
    spectra = ("signal", "magnetic", "background", "136Xe", "85Kr", "222Rn", "solar pp", "solar 7Be")
    assert len({COLORS[k] for k in spectra}) == len(spectra)
    bounds = ("bound", "limit reactor", "limit solar", "limit astrophysical", "reference")
    assert len({COLORS[k] for k in bounds}) == len(bounds)
    assert COLORS["magnetic"] not in {COLORS[k] for k in bounds}  # pink means a magnetic signal, nothing else
    assert LINESTYLES["gallium"] != LINESTYLES["gallium_best"]


def test_gallium_regions_in_the_book_style():
    s = np.geomspace(1e-2, 1.0, 40)
    m = np.geomspace(0.1, 100.0, 30)
    S, Mg = np.meshgrid(s, m, indexing="ij")
    chi2 = (np.log(S / 0.2) ** 2 + np.log(Mg / 2.0) ** 2) * 4
    fit = {"chi2": chi2, "chi2_min": 0.0, "threshold": 5.99, "best_sin2_2theta": 0.2, "best_dm2_eV2": 2.0}
    g14, g22 = plotting.gallium_regions(fit, fit)
    assert g14["color"] == plotting.COLORS["gallium"] and g14["fill"]
    assert g22["color"] == plotting.COLORS["gallium_best"] and not g22["fill"] and g22["linestyle"] == "--"
    assert g14["best_fit"][:2] == (0.2, 2.0) and g14["best_fit"][3] != g22["best_fit"][3]
    fig, ax = plotting.sterile_plane(s_grid=s, m_grid=m, anomalies=[g14, g22])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("gallium 2014") and any(lab.startswith("best fit, gallium with BEST") for lab in labels)
    matplotlib.pyplot.close(fig)


def test_mu_limit_chart_colours_each_kind():
    fig, ax = plotting.mu_limit_chart(
        [("GEMMA", 3.2e-11, "limit reactor"), ("XENONnT", 6.3e-12, "limit solar"), ("ours", 4.8e-12, "bound")]
    )
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours == [plotting.COLORS[k].lower() for k in ("limit reactor", "limit solar", "bound")]
    assert ax.get_xscale() == "log" and ax.get_xlabel()
    fig.canvas.draw()
    assert ax.get_legend().get_window_extent().y1 <= ax.get_window_extent().y0 + 1  # legend below the axes
    matplotlib.pyplot.close(fig)


def test_static_explorer_sizes_its_canvases_by_css_and_redraws_on_resize(explorer):
    html = static_explorer_html(explorer, thresholds_keV=[1.0, 2.0], sources_mci=[5.0], days=[100.0])
    assert "ResizeObserver" in html and "aspect-ratio" in html
    assert "style.width = " not in html  # the script never sets a width: the layout (CSS) does
