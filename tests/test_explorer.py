"""The static design explorer: its formulas equal the fits, its JavaScript equals its Python, and
the browser check (scripts/check_explorer.py) passes the page and catches broken ones."""

import importlib.util
import itertools
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.path import Path as PolygonPath
from scipy.interpolate import RegularGridInterpolator

from lxenu import MagneticMomentFit, SterileFit
from lxenu.analyses.gallium import GALLIUM_RUNS, RUNS_2014, gallium_fit
from lxenu.analyses.landscape import PRESETS, SOURCES, experiment_for
from lxenu.report.explorer import (
    DM2_GRID_EV2,
    GALLIUM_DM2_GRID,
    GALLIUM_S_GRID,
    MU_EDGES_KEV,
    THRESHOLDS_KEV,
    explorer_data,
    explorer_html,
    load_explorer_data,
    mu_limit,
    sterile_reach,
    write_explorer_page,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import check_explorer  # noqa: E402  (scripts/ is not a package)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_browser = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or importlib.util.find_spec("playwright") is None,
    reason="needs /usr/bin/chromium and playwright",
)
CONFIGS = [f"{p}/{s}" for p in PRESETS for s in SOURCES]


@pytest.fixture(scope="module")
def data():
    return load_explorer_data()


@pytest.fixture(scope="module")
def fresh():
    """The explorer's grids recomputed for every preset and source (what the stored file must hold)."""
    return explorer_data()


@pytest.fixture(scope="module")
def paper():
    return experiment_for("paper2014", "cr51")


@pytest.fixture(scope="module")
def fits():
    return {key: MagneticMomentFit(experiment_for(*key.split("/"))) for key in CONFIGS}


# -- the stored file is what the code computes -------------------------------------------------------
@pytest.mark.parametrize("key", CONFIGS)
def test_stored_config_equals_recomputation(data, fresh, key):
    a, b = fresh["configs"][key], data["configs"][key]
    for k in ("preset", "source", "base_activity_MCi", "days", "mass_t", "gap_m"):
        assert a[k] == b[k]
    for k in ("S", "M", "B_other", "B_xe136"):
        np.testing.assert_allclose(a["mu"][k], b["mu"][k], rtol=1e-6, atol=0)
    assert a["mu"]["delta_chi2"] == b["mu"]["delta_chi2"]
    for k in ("S0", "shape", "reco_edges_cm"):
        np.testing.assert_allclose(a["sterile"][k], b["sterile"][k], rtol=1e-6, atol=0)
    np.testing.assert_allclose(a["sterile"]["D"], b["sterile"]["D"], rtol=1e-6, atol=1e-9)
    for k in ("N_other", "N_xe136", "background_sigma", "signal_sigma", "delta_chi2"):
        assert a["sterile"][k] == b["sterile"][k]


def test_stored_page_data_equal_recomputation(data, fresh):
    assert set(fresh) == set(data)
    for k in set(data) - {"configs", "gallium"}:
        assert fresh[k] == data[k], k
    for name in ("best", "2014"):
        for kind in ("fill", "line"):
            assert len(fresh["gallium"][name][kind]) == len(data["gallium"][name][kind])
            for p, q in zip(fresh["gallium"][name][kind], data["gallium"][name][kind]):
                np.testing.assert_allclose(p, q, rtol=0, atol=1e-4)
    assert data["command"] == "python -m lxenu.report.explorer --write-data"


# -- the page's formulas equal the fits ---------------------------------------------------------------
def test_spectra_are_the_fits_spectra(data, paper):
    cfg = data["configs"]["paper2014/cr51"]
    _, S, M, B = MagneticMomentFit(paper).spectra(0.5)
    assert sum(cfg["mu"]["S"]) == pytest.approx(S.sum(), rel=1e-6, abs=0)
    assert sum(cfg["mu"]["M"]) == pytest.approx(M.sum(), rel=1e-6, abs=0)
    assert sum(cfg["mu"]["B_other"]) + sum(cfg["mu"]["B_xe136"]) == pytest.approx(B.sum(), rel=1e-6, abs=0)
    assert sum(cfg["mu"]["B_xe136"]) > 0
    # the fit's own 0.1 keV bins below 20 keV
    assert np.allclose(np.diff(MU_EDGES_KEV[MU_EDGES_KEV <= 20.0]), 0.1)


@pytest.mark.parametrize("key", CONFIGS)
def test_mu_limit_equals_the_fit(data, fits, key):
    # bins merged to 1 keV above 20 keV only: within 1e-4 (measured 6.5e-5 at worst), so the page
    # shows the chapters' numbers to the digit (4.79 for the paper's benchmark, not 4.80)
    cfg, fit = data["configs"][key], fits[key]
    for threshold in (0.5, 1.0, 2.0, 5.0, 10.0):
        assert mu_limit(cfg, threshold, 5.0) == pytest.approx(fit.limit(threshold), rel=1e-4, abs=0)
    own = fit.threshold_keV
    assert f"{mu_limit(cfg, own, 5.0) / 1e-12:.2f}" == f"{fit.limit() / 1e-12:.2f}"


def test_paper_benchmark_shows_479(data):
    assert f"{mu_limit(data['configs']['paper2014/cr51'], 2.0, 5.0) / 1e-12:.2f}" == "4.79"


def test_mu_limit_scalings_equal_the_fit(data, paper):
    cfg = data["configs"]["paper2014/cr51"]
    fit = MagneticMomentFit(paper)
    assert mu_limit(cfg, 2.0, 5.0, deployments=3) == pytest.approx(fit.limit_for(2.0, deployments=3), rel=1e-4, abs=0)
    assert mu_limit(cfg, 2.0, 12.0) == pytest.approx(fit.limit_for(2.0, source_mci=12.0), rel=1e-4, abs=0)
    depleted = MagneticMomentFit(paper.with_options(xe136_depletion=0.9))
    assert mu_limit(cfg, 2.0, 5.0, depletion=0.9) == pytest.approx(depleted.limit(2.0), rel=1e-4, abs=0)
    # directions: more activity, deployments or depletion help; a higher threshold hurts
    base = mu_limit(cfg, 2.0, 5.0)
    assert mu_limit(cfg, 2.0, 10.0) < base and mu_limit(cfg, 2.0, 5.0, 2) < base
    assert mu_limit(cfg, 2.0, 5.0, 1, 0.9) < base < mu_limit(cfg, 3.0, 5.0)


def test_sterile_reach_equals_the_fit(data, paper):
    cfg = data["configs"]["paper2014/cr51"]
    dm2 = np.asarray(data["dm2_eV2"])
    fit = SterileFit.for_experiment(paper, n_mc=200_000)
    np.testing.assert_allclose(sterile_reach(cfg, 5.0), fit.sensitivity(dm2), rtol=1e-5)
    dep = SterileFit.for_experiment(paper.with_options(xe136_depletion=0.9), n_mc=200_000, response=fit.response)
    np.testing.assert_allclose(sterile_reach(cfg, 5.0, depletion=0.9), dep.sensitivity(dm2), rtol=1e-5)
    twice = SterileFit.for_experiment(paper.with_options(deployments=2), n_mc=200_000, response=fit.response)
    np.testing.assert_allclose(sterile_reach(cfg, 5.0, deployments=2), twice.sensitivity(dm2), rtol=1e-5)


def test_sterile_reach_improves_with_depletion_and_strength(data):
    cfg = data["configs"]["xenonnt/cr51"]

    def reach(*args, **kw):  # "nothing excluded" (inf) counts as sin^2 2theta = 1
        return np.minimum(sterile_reach(cfg, *args, **kw), 1.0)

    base = reach(5.0)
    finite = base < 1.0
    assert finite.sum() > 30
    for better in (reach(5.0, depletion=0.9), reach(20.0)):
        assert np.all(better[finite] < base[finite]) and np.all(better <= base)


# -- the checker's physics holds for the right formulas ------------------------------------------------
def _shown(cfg, base, data):
    """The four numbers the page shows, rounded as it shows them ('none' as inf)."""
    a, t, n, d = base["activity"], base["threshold"], base["deployments"], base["depletion"]
    reach = sterile_reach(cfg, a, n, d)
    dm2 = np.asarray(data["dm2_eV2"])
    vals = {"mu": round(mu_limit(cfg, t, a, n, d) / 1e-12, 2)}
    for q, m in (("s1", 1.0), ("s2", 2.0), ("s5", 5.0)):
        v = reach[int(np.argmin(np.abs(dm2 - m)))]
        vals[q] = math.inf if math.isinf(v) else round(float(v), 3)
    return vals


def test_the_checkers_expectations_hold_for_the_right_page(data):
    """At each setting of the check, ³⁷Ar beats ⁵¹Cr, XLZD beats every detector and the mass rule holds:
    a failure of the browser check then means a broken page, not a wrong expectation."""
    d = data["defaults"]
    default = {"activity": d["activity_MCi"], "threshold": d["threshold_keV"], "deployments": 1, "depletion": 0.0}
    cf = data["configs"]
    for base in (default if b is None else b for b in check_explorer.BASES):
        shown = {key: _shown(cf[key], base, data) for key in CONFIGS}
        for p in PRESETS:
            assert check_explorer._beats(shown[f"{p}/ar37"], shown[f"{p}/cr51"]) == [], (p, base)
        for s in SOURCES:
            big = check_explorer.BIGGEST[0]
            assert cf[f"{big}/{s}"]["mass_t"] > check_explorer.BIGGEST[1]
            for a, o in itertools.permutations(PRESETS, 2):
                one, other = cf[f"{a}/{s}"], cf[f"{o}/{s}"]
                ruled = one["mass_t"] >= check_explorer.MASS_RATIO * other["mass_t"]
                ruled = ruled and one["gap_m"] <= other["gap_m"] + check_explorer.GAP_SLACK_M
                if a == big or ruled:
                    assert check_explorer._beats(shown[f"{a}/{s}"], shown[f"{o}/{s}"]) == [], (a, o, s, base)


# -- the anomalies drawn on the page --------------------------------------------------------------------
@pytest.mark.parametrize("name,runs", [("best", GALLIUM_RUNS), ("2014", RUNS_2014)])
def test_gallium_outline_is_the_delta_chi2_contour(data, name, runs):
    g = gallium_fit(GALLIUM_S_GRID, GALLIUM_DM2_GRID, runs)
    field = RegularGridInterpolator((np.log10(GALLIUM_S_GRID), np.log10(GALLIUM_DM2_GRID)), g["delta_chi2"])
    lines = data["gallium"][name]["line"]
    assert lines and sum(len(p) for p in lines) > 100  # smooth: many vertices, not a staircase of cells
    for p in lines:
        v = field(np.asarray(p))
        # on the 95 % CL, 2 dof contour (5.99) up to the 1e-4 rounding of the vertices in log10
        np.testing.assert_allclose(v, g["threshold"], rtol=0, atol=0.05)
    # the best fit is inside the filled region, no oscillation far outside
    polys = [PolygonPath(np.asarray(p)) for p in data["gallium"][name]["fill"]]
    best = (math.log10(g["best_sin2_2theta"]), math.log10(g["best_dm2_eV2"]))
    assert sum(pp.contains_point(best) for pp in polys) % 2 == 1
    assert sum(pp.contains_point((-2.0, -1.0)) for pp in polys) % 2 == 0 or name == "2014"


def test_reactor_anomaly_is_the_published_fit(data):
    assert data["reactor"] == {"sin2_2theta": 0.14, "error_95": 0.08, "dm2_min_eV2": 1.5}


# -- bad input ---------------------------------------------------------------------------------------------
def test_bad_inputs(data):
    cfg = data["configs"]["paper2014/cr51"]
    with pytest.raises(ValueError, match="threshold_keV"):
        mu_limit(cfg, 0.7, 5.0)
    with pytest.raises(ValueError, match="threshold_keV"):
        mu_limit(cfg, 20.0, 5.0)
    with pytest.raises(ValueError, match="depletion"):
        sterile_reach(cfg, 5.0, depletion=1.0)
    with pytest.raises(ValueError, match="activity_MCi"):
        mu_limit(cfg, 2.0, -1.0)
    with pytest.raises(ValueError, match="activity_MCi"):
        mu_limit(cfg, 2.0, 1e308)  # was 6.6e-22 with overflow warnings
    with pytest.raises(ValueError, match="activity_MCi"):
        sterile_reach(cfg, 1e-300)  # was 4.3e-19
    with pytest.raises(ValueError, match="activity_MCi"):
        sterile_reach(cfg, 1e300)
    with pytest.raises(ValueError, match="activity_MCi"):
        sterile_reach(cfg, math.nan)
    with pytest.raises(ValueError, match="deployments"):
        sterile_reach(cfg, 5.0, deployments=0)
    with pytest.raises(ValueError, match="deployments"):
        mu_limit(cfg, 2.0, 5.0, deployments=2.5)
    with pytest.raises(ValueError, match="deployments"):
        mu_limit(cfg, 2.0, 5.0, deployments=10**6)
    with pytest.raises(ValueError, match="config"):
        mu_limit({}, 2.0, 5.0)  # was a KeyError
    with pytest.raises(ValueError, match="config"):
        sterile_reach("paper2014/cr51", 5.0)
    with pytest.raises(ValueError, match="n_mc"):
        explorer_data(presets=("paper2014",), sources=("cr51",), n_mc=10)
    with pytest.raises(ValueError, match="presets"):
        explorer_data(presets=())
    assert THRESHOLDS_KEV[0] == 0.5 and THRESHOLDS_KEV[-1] == 10.0
    assert DM2_GRID_EV2[0] == pytest.approx(0.1, rel=1e-9, abs=0) and {1.0, 2.0, 5.0} <= set(DM2_GRID_EV2)


def test_page_is_self_contained(data):
    html = explorer_html(data)
    assert "http://" not in html and "https://" not in html and "<script src" not in html
    assert "ResizeObserver" in html  # redraws when its column changes width


# -- the page in a browser ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page(tmp_path_factory, data):
    return write_explorer_page(tmp_path_factory.mktemp("explorer") / "explorer.html", data)


@needs_browser
def test_javascript_equals_python(page, data):
    from playwright.sync_api import sync_playwright

    points = [(key, 2.0, 5.0, 1, 0.0) for key in CONFIGS] + [
        ("xenonnt/ar37", 1.0, 12.0, 3, 0.9),
        ("xlzd/cr51", 4.5, 0.5, 10, 0.5),
        ("pandax4t/cr51", 10.0, 50.0, 2, 0.99),
        ("lz/ar37", 0.5, 1.0, 7, 0.25),
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=check_explorer.CHROMIUM_FLAGS)
        pg = browser.new_page()
        pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        pg.goto(Path(page).as_uri())
        for key, t, a, n, d in points:
            js_mu, js_st = pg.evaluate(
                """([key, t, a, n, d]) => { const E = Object.values(window.lxenuLandscape)[0];
                     const c = E.data.configs[key]; return [E.muLimit(c, t, a, n, d), E.sterileReach(c, a, n, d)]; }""",
                [key, t, a, n, d],
            )
            cfg = data["configs"][key]
            assert js_mu == pytest.approx(mu_limit(cfg, t, a, n, d), rel=1e-9, abs=0)
            py_st = sterile_reach(cfg, a, n, d)
            js = np.array([np.inf if v is None else v for v in js_st])  # the page's null: no exclusion
            np.testing.assert_allclose(js, py_st, rtol=1e-9)
        # the page opens at the paper's benchmark and shows the chapters' number
        assert pg.text_content("[data-out='mu']") == "4.79"
        browser.close()


@needs_browser
def test_check_explorer_script_passes(page, tmp_path):
    """The checker passes the correct page (two presets here; `make check-book` runs every preset on the
    built chapter)."""
    shot = tmp_path / "explorer.png"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "check_explorer.py"),
            str(page),
            "--screenshot",
            str(shot),
            "--presets",
            "paper2014,xlzd",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "ok"
    assert shot.stat().st_size > 10_000


def _broken_page(tmp_path, data, name, edit=None, data_edit=None) -> Path:
    d = json.loads(json.dumps(data))
    if data_edit:
        data_edit(d)
    path = Path(write_explorer_page(tmp_path / f"{name}.html", d))
    if edit:
        old, new = edit
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _swap(a, b):
    def edit(d):
        d["configs"][a], d["configs"][b] = d["configs"][b], d["configs"][a]
        for key in (a, b):  # keep the labels: only the physics is swapped
            d["configs"][key]["preset"], d["configs"][key]["source"] = key.split("/")

    return edit


def _check(path, presets):
    return check_explorer.check_page(path, CHROMIUM, only_presets=presets)


@needs_browser
def test_checker_catches_swapped_sources(tmp_path, data):
    path = _broken_page(tmp_path, data, "sources", data_edit=_swap("lz/cr51", "lz/ar37"))
    problems = _check(path, ["lz"])
    assert any("³⁷Ar does not beat ⁵¹Cr" in p for p in problems), problems


@needs_browser
def test_checker_catches_swapped_detectors(tmp_path, data):
    def edit(d):
        for s in SOURCES:
            _swap(f"xlzd/{s}", f"pandax4t/{s}")(d)

    problems = _check(_broken_page(tmp_path, data, "detectors", data_edit=edit), ["pandax4t", "xlzd"])
    assert any("xlzd does not beat pandax4t" in p for p in problems), problems
    assert any("xlzd shows a fiducial mass" in p for p in problems), problems


@needs_browser
def test_checker_catches_activity_inverted_except_for_the_paper(tmp_path, data):
    old = "var f = a / cfg.base_activity_MCi * n, S = []"
    new = "var f = (cfg.preset === 'paper2014' ? a / cfg.base_activity_MCi : cfg.base_activity_MCi / a) * n, S = []"
    problems = _check(_broken_page(tmp_path, data, "activity", edit=(old, new)), ["paper2014", "lz"])
    assert any("[lz/" in p and "activity up: mu should fall" in p for p in problems), problems
    assert not any("[paper2014/" in p and "activity up" in p for p in problems), problems


@needs_browser
def test_checker_catches_a_threshold_going_the_wrong_way(tmp_path, data):
    old = "var s = state(), a = s.a, t = s.t,"
    new = "var s = state(), a = s.a, t = D.thresholds_keV[D.thresholds_keV.length - 1 - (+thr.value)],"
    problems = _check(_broken_page(tmp_path, data, "threshold", edit=(old, new)), ["xenonnt"])
    assert any("threshold up: mu should rise" in p for p in problems), problems


@needs_browser
def test_checker_catches_a_sterile_canvas_that_is_not_redrawn(tmp_path, data):
    old = "var dm = D.dm2_eV2;"
    new = "var dm = D.dm2_eV2; reach = window.__frozenReach || (window.__frozenReach = reach);"
    problems = _check(_broken_page(tmp_path, data, "canvas", edit=(old, new)), ["paper2014"])
    assert any("changed but the sterile canvas did not" in p for p in problems), problems


@needs_browser
def test_checker_catches_a_canvas_not_redrawn_after_resize(tmp_path, data):
    # the bug of the first version: the bitmap size measured once, before the layout settled
    old = "var w = Math.max(1, Math.floor(box.getBoundingClientRect().width))"
    new = "var w = canvas.__w0 || (canvas.__w0 = Math.max(1, Math.floor(box.getBoundingClientRect().width)))"
    problems = _check(_broken_page(tmp_path, data, "resize", edit=(old, new)), ["paper2014"])
    assert any("not sharp" in p for p in problems), problems


@needs_browser
def test_check_explorer_script_blocks_the_network(tmp_path, data):
    bad = Path(write_explorer_page(tmp_path / "net.html", data))
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("<body>", "<body><img src='http://example.invalid/pixel.png' alt=''>"),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_explorer.py"), str(bad), "--presets", "paper2014"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "network request to http://example.invalid" in run.stdout


@needs_browser
def test_checker_catches_content_wider_than_its_column(tmp_path, data):
    old = 'data-legend="mu" style="'
    problems = _check(_broken_page(tmp_path, data, "wide", edit=(old, old + "width: 1500px; ")), ["paper2014"])
    assert any("content is" in p and "px wide" in p for p in problems), problems
