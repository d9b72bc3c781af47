"""Chapter 9's landscape: projections of the presets, today's limits, the activity needed.

The stored projections (lxenu/data/landscape_projections.json) are checked against a fresh
computation: every row for the paper's analyses, two rows (two presets, both sources between them)
for the realistic ones. The realistic rows are sampled because each costs 15-25 s of CPU (the
(T, L, t) Poisson profile on ~2e5 bins, the (L, T) grid and the root search for the activity)
and they run the same code for every preset: the inputs they share with the paper rows (detector,
source, backgrounds) are covered by the full paper-analysis check.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy import integrate
from scipy.optimize import brentq

from lxenu import MagneticMomentFit, SterileFit
from lxenu.analyses.full_information import MagneticMomentFullFit, SterileFullFit
from lxenu.analyses.landscape import (
    ACTIVITY_THRESHOLDS_KEV,
    DM2_EV2,
    PRESETS,
    PROJECTIONS_COMMAND,
    REACH_DM2_EV2,
    SHARE_REGIONS,
    SOURCES,
    TARGET_LIMIT,
    _from_json,
    _json_safe,
    _projections_path,
    _scaled_limit,
    convert_confidence_level,
    experiment_for,
    gain_ranges,
    gain_table,
    landscape,
    load_projections,
    mu_limits,
    project,
    projection_table_markdown,
    required_activity_MCi,
    required_activity_realistic_MCi,
    share_table,
)
from lxenu.stats.chi2 import delta_chi2_threshold
from lxenu.stats.likelihood import BEST_ACTIVITY_RELATIVE_SIGMA, PoissonNuisanceModel


@pytest.fixture(scope="module")
def stored():
    return {(r.preset, r.source): r for r in load_projections()}


@pytest.fixture(scope="module")
def paper_cr51():
    return experiment_for("paper2014", "cr51")


@pytest.fixture(scope="module")
def paper_fit(paper_cr51):
    return MagneticMomentFit(paper_cr51)


@pytest.fixture(scope="module")
def fresh_paper_rows():
    """Every row recomputed with the paper's analyses, reach curves, shares and activity curves."""
    return {(r.preset, r.source): r for r in landscape(realistic=False, curves=True)}


# -- the stored table is what the code computes -----------------------------------------------------
def test_stored_projections_cover_every_preset_and_source(stored):
    assert list(stored) == [(p, s) for p in PRESETS for s in SOURCES]
    for r in stored.values():
        assert r.dm2_eV2 == DM2_EV2 and r.reach_dm2_eV2 == REACH_DM2_EV2
        assert r.activity_thresholds_keV == ACTIVITY_THRESHOLDS_KEV
        assert 1e-12 < r.mu_paper_muB < 1e-11 and 1e-12 < r.mu_realistic_muB < 1e-11
        assert all(0 < v < 1 for v in r.sterile_paper + r.sterile_realistic)
        assert set(r.shares_paper) == set(SHARE_REGIONS) == set(r.shares_realistic)
        assert len(r.reach_paper) == len(r.reach_realistic) == len(REACH_DM2_EV2)


@pytest.mark.parametrize("key", [(p, s) for p in PRESETS for s in SOURCES])
def test_stored_paper_analysis_equals_recomputation(stored, fresh_paper_rows, key):
    s, f = stored[key], fresh_paper_rows[key]
    for name in ("mass_t", "gap_m", "activity_MCi", "mean_life_days", "mu_threshold_keV"):
        assert getattr(f, name) == getattr(s, name), name
    assert f.mu_paper_muB == pytest.approx(s.mu_paper_muB, rel=1e-9, abs=0)
    np.testing.assert_allclose(f.sterile_paper, s.sterile_paper, rtol=1e-6)
    np.testing.assert_allclose(f.reach_paper, s.reach_paper, rtol=1e-6)
    assert f.shares_paper == pytest.approx(s.shares_paper, rel=1e-12, abs=0)
    np.testing.assert_allclose(f.activity_paper_MCi, s.activity_paper_MCi, rtol=1e-6)
    assert f.activity_paper_own_MCi == pytest.approx(s.activity_paper_own_MCi, rel=1e-6, abs=0)


@pytest.mark.parametrize("preset,source", [("paper2014", "cr51"), ("pandax4t", "ar37")])
def test_stored_realistic_analysis_equals_recomputation(stored, preset, source):
    s = stored[(preset, source)]
    f = project(preset, source, curves=True)
    assert f.mu_realistic_muB == pytest.approx(s.mu_realistic_muB, rel=1e-6, abs=0)
    np.testing.assert_allclose(f.sterile_realistic, s.sterile_realistic, rtol=1e-6)
    np.testing.assert_allclose(f.reach_realistic, s.reach_realistic, rtol=1e-6)
    assert f.shares_realistic == pytest.approx(s.shares_realistic, rel=1e-12, abs=0)
    assert f.activity_realistic_own_MCi == pytest.approx(s.activity_realistic_own_MCi, rel=1e-5, abs=0)


def test_stored_file_names_its_command():
    import json

    with open(_projections_path(), encoding="utf-8") as fh:
        head = json.load(fh)
    assert head["command"] == PROJECTIONS_COMMAND == "python -m lxenu.analyses.landscape"
    assert head["target_limit"] == TARGET_LIMIT and head["share_regions"] == SHARE_REGIONS


def test_paper_row_reproduces_the_paper_benchmark(stored):
    row = stored[("paper2014", "cr51")]
    # the book's paper benchmark (chapter 4): 4.79e-12 mu_B (paper: 4.9e-12), 5 MCi, 100 d, 2 keV
    assert row.mu_paper_muB == pytest.approx(4.794391e-12, rel=1e-5, abs=0)
    assert row.mass_t == pytest.approx(5.98584, rel=1e-5, abs=0)


def test_reduced_monte_carlo_moves_the_reach_by_less_than_one_percent(paper_cr51):
    coarse = SterileFit.for_experiment(paper_cr51, n_mc=200_000).sensitivity(DM2_EV2)
    full = SterileFit.for_experiment(paper_cr51).sensitivity(DM2_EV2)
    np.testing.assert_allclose(coarse, full, rtol=0.01)


def test_realistic_analysis_is_never_worse_than_the_paper_by_much(stored):
    # TLt adds information but profiles the activity (0.23 %) and background (~1.5 %): the two
    # effects nearly cancel; LT for sterile separates the 136Xe background and helps.
    for r in stored.values():
        assert r.mu_realistic_muB < 1.001 * r.mu_paper_muB
        assert all(b < a for a, b in zip(r.sterile_paper, r.sterile_realistic))
        assert r.activity_realistic_own_MCi < r.activity_paper_own_MCi


# -- scaling laws of the projections: mass --------------------------------------------------------------
def _dense(exp, k=2.0):
    """The same detector with k times the density: k times the mass at fixed geometry."""
    return exp.with_options(density_g_cm3=k * exp.detector.density_g_cm3)


@pytest.mark.parametrize("preset", PRESETS)
def test_mass_scaling_of_the_paper_analyses(preset):
    base = experiment_for(preset, "cr51")
    dense = _dense(base)
    row = project(dense, "cr51", realistic=False)
    fit = MagneticMomentFit(base)
    assert row.mass_t == pytest.approx(2.0 * base.detector.mass_t, rel=1e-12, abs=0)
    # twice the mass doubles signal and background exactly ...
    assert row.mu_paper_muB == pytest.approx(fit.limit(None, 2.0, 2.0), rel=1e-9, abs=0)
    # ... and with thousands of events chi^2 is Gaussian in mu^2: mu_lim ~ exposure^(-1/4)
    assert row.mu_paper_muB / fit.limit() == pytest.approx(2.0**-0.25, rel=0.01, abs=0)
    # distance fit: every count doubles, so chi^2 doubles except the background prior term:
    # chi2_dense(s, m) = 2 chi2(s, m) with the background prior widened by sqrt(2), exactly
    sf = SterileFit.for_experiment(base, n_mc=200_000)
    wide = SterileFit.for_experiment(base, n_mc=200_000, response=sf.response, background_sigma=0.005 * math.sqrt(2))
    heavy = SterileFit.for_experiment(dense, n_mc=200_000, response=sf.response)
    s, m = np.array([0.02, 0.1, 0.4]), np.array([0.5, 2.0, 8.0])
    np.testing.assert_allclose(heavy.chi2_grid(s, m), 2.0 * wide.chi2_grid(s, m), rtol=1e-9)
    for dm2, reach in zip(DM2_EV2, row.sterile_paper):
        expected = brentq(lambda x, m=dm2: 2.0 * float(wide.chi2(x, m)) - wide.delta_chi2, 0.0, 1.0, xtol=1e-12)
        assert reach == pytest.approx(expected, rel=1e-5, abs=0)
        assert reach < float(sf.sensitivity([dm2])[0])


def test_mass_scaling_of_the_realistic_analyses(paper_cr51):
    dense = _dense(paper_cr51)
    sig = BEST_ACTIVITY_RELATIVE_SIGMA
    # (T, L, t): Poisson chi^2 doubles; the activity prior stays, and the source-off width falls as
    # 1/sqrt(2): chi2_dense = 2 chi2_base(activity prior x sqrt(2), the base's source-off width)
    heavy = MagneticMomentFullFit(dense, "TLt", signal_norm_sigma=sig)
    heavy = MagneticMomentFullFit.from_prediction(
        heavy.prediction, signal_norm_sigma=sig, background_norm_sigma=heavy.source_off_sigmas(100.0)
    )
    base = MagneticMomentFullFit(paper_cr51, "TLt", signal_norm_sigma=sig)
    off = base.source_off_sigmas(100.0)
    (off_base,) = off.values()
    assert heavy.background_sigmas[0] == pytest.approx(off_base / math.sqrt(2), rel=1e-12, abs=0)
    equiv = MagneticMomentFullFit.from_prediction(
        base.prediction, signal_norm_sigma=sig * math.sqrt(2), background_norm_sigma=off
    )
    x = equiv.model.upper_limit(heavy.delta_chi2 / 2.0)
    assert heavy.limit() == pytest.approx(math.sqrt(x) * 1e-12, rel=1e-6, abs=0)
    assert project(dense, "cr51", realistic=True).mu_realistic_muB == pytest.approx(heavy.limit(), rel=1e-9, abs=0)
    # (L, T): chi^2 doubles with the background prior widened by sqrt(2)
    lt = SterileFullFit(paper_cr51, "LT", n_mc=200_000)
    lt_heavy = SterileFullFit(dense, "LT", n_mc=200_000, response=lt.response)
    lt_wide = SterileFullFit(paper_cr51, "LT", n_mc=200_000, response=lt.response, background_norm_sigma=0.005 * 2**0.5)
    s, m = np.array([0.02, 0.1, 0.4]), np.array([0.5, 2.0, 8.0])
    np.testing.assert_allclose(lt_heavy.chi2_grid(s, m), 2.0 * lt_wide.chi2_grid(s, m), rtol=1e-9)


# -- distance ---------------------------------------------------------------------------------------------
def _flux_integral_quadrature(det) -> float:
    """int_V dV / (4 pi L^2) for the source on the axis, by 2-d quadrature over (z, r), cm."""
    R, g, h = det.radius_cm, det.gap_cm, det.height_cm
    val, _ = integrate.dblquad(lambda r, z: 0.5 * r / (r * r + z * z), g, g + h, 0.0, R, epsabs=0, epsrel=1e-11)
    return val


@pytest.mark.parametrize("preset", PRESETS)
def test_distance_enters_the_mu_limit_through_the_flux_integral(preset):
    near = experiment_for(preset, "cr51")
    far = near.with_options(gap_m=near.detector.gap_m + 1.0)
    f = _flux_integral_quadrature(far.detector) / _flux_integral_quadrature(near.detector)
    assert far.detector.flux_integral_cm / near.detector.flux_integral_cm == pytest.approx(f, rel=1e-8, abs=0)
    fit = MagneticMomentFit(near)
    row = project(far, "cr51", realistic=False)
    assert row.mu_paper_muB == pytest.approx(fit.limit(None, f, 1.0), rel=1e-9, abs=0)
    assert row.mu_paper_muB > fit.limit()
    assert all(a > b for a, b in zip(row.sterile_paper, project(near, "cr51", realistic=False).sterile_paper))


def test_flux_integral_is_inverse_square_far_away(paper_cr51):
    # far from the detector the flux integral is V / (4 pi d^2), d the distance to its centre
    det = paper_cr51.with_options(gap_m=100.0).detector
    d = det.gap_cm + 0.5 * det.height_cm
    assert det.flux_integral_cm == pytest.approx(det.volume_cm3 / (4 * math.pi * d * d), rel=1e-4, abs=0)


def test_distance_in_the_realistic_analyses(paper_cr51):
    far = paper_cr51.with_options(gap_m=2.0)
    f = far.detector.flux_integral_cm / paper_cr51.detector.flux_integral_cm
    sig = BEST_ACTIVITY_RELATIVE_SIGMA
    # energy only with the BEST and source-off priors: the signal scales by f, nothing else changes
    near_T = MagneticMomentFullFit(paper_cr51, "T", signal_norm_sigma=sig, background_norm_sigma=0.01)
    far_T = MagneticMomentFullFit(far, "T", signal_norm_sigma=sig, background_norm_sigma=0.01)
    assert far_T.limit() == pytest.approx(_scaled_limit(near_T, f, near_T.delta_chi2), rel=1e-6, abs=0)
    # (T, L, t): the signal total scales by f; the limit and the LT reach get worse
    near, farr = project(paper_cr51, "cr51"), project(far, "cr51")
    pn = MagneticMomentFullFit(paper_cr51, "TLt").prediction
    pf = MagneticMomentFullFit(far, "TLt").prediction
    assert pf.signal.sum() / pn.signal.sum() == pytest.approx(f, rel=1e-9, abs=0)
    assert farr.mu_realistic_muB > near.mu_realistic_muB
    assert all(a > b for a, b in zip(farr.sterile_realistic, near.sterile_realistic))


# -- source lifetime ---------------------------------------------------------------------------------
def _decays_ratio(tau, tau0, days):
    return tau * (1 - math.exp(-days / tau)) / (tau0 * (1 - math.exp(-days / tau0)))


@pytest.mark.parametrize("source", SOURCES)
def test_source_lifetime_scales_the_decays_in_the_run(source):
    exp0 = experiment_for("paper2014", source)
    fit0 = MagneticMomentFit(exp0)
    tau0, days = exp0.source.mean_life_days, exp0.run.days
    sf0 = SterileFit.for_experiment(exp0, n_mc=200_000)
    for tau in (0.5 * tau0, 3.0 * tau0):
        exp = exp0.replace(source=exp0.source.replace(mean_life_days=tau))
        k = _decays_ratio(tau, tau0, days)
        assert MagneticMomentFit(exp).limit() == pytest.approx(fit0.limit(None, k, 1.0), rel=1e-9, abs=0)
        # the distance fit: the signal per bin scales by k, the background is unchanged
        sf = SterileFit.for_experiment(exp, n_mc=200_000, response=sf0.response)
        np.testing.assert_allclose(sf.signal_no_oscillation, k * sf0.signal_no_oscillation, rtol=1e-9)
        np.testing.assert_allclose(sf.background, sf0.background, rtol=1e-12)
        better = tau > tau0
        assert (sf.sensitivity([2.0])[0] < sf0.sensitivity([2.0])[0]) == better


def test_source_lifetime_in_the_realistic_analyses(paper_cr51):
    tau0, days = paper_cr51.source.mean_life_days, paper_cr51.run.days
    sig = BEST_ACTIVITY_RELATIVE_SIGMA
    long = paper_cr51.replace(source=paper_cr51.source.replace(mean_life_days=3.0 * tau0))
    k = _decays_ratio(3.0 * tau0, tau0, days)
    # energy only: the lifetime is a scale of the signal, exactly
    t0 = MagneticMomentFullFit(paper_cr51, "T", signal_norm_sigma=sig, background_norm_sigma=0.01)
    t1 = MagneticMomentFullFit(long, "T", signal_norm_sigma=sig, background_norm_sigma=0.01)
    assert t1.limit() == pytest.approx(_scaled_limit(t0, k, t0.delta_chi2), rel=1e-6, abs=0)
    # (T, L, t): k times the decays, spread as exp(-t / tau) over the run
    p0, p1 = MagneticMomentFullFit(paper_cr51, "TLt").prediction, MagneticMomentFullFit(long, "TLt").prediction
    assert p1.signal.sum() / p0.signal.sum() == pytest.approx(k, rel=1e-9, abs=0)
    frac = p1.signal.sum(axis=(0, 1)) / p1.signal.sum()
    edges = p1.time_edges_days
    tau = 3.0 * tau0
    expected = np.diff(-np.exp(-edges / tau)) / (1 - math.exp(-days / tau))
    np.testing.assert_allclose(frac, expected, rtol=1e-9)
    longer, base = project(long, None), project(paper_cr51, None)
    assert longer.mean_life_days == pytest.approx(3.0 * tau0, rel=1e-12, abs=0)
    assert longer.mu_realistic_muB < base.mu_realistic_muB
    assert all(a < b for a, b in zip(longer.sterile_realistic, base.sterile_realistic))
    assert all(a < b for a, b in zip(longer.sterile_paper, base.sterile_paper))
    # a source preset name replaces the experiment's source (its lifetime too)
    assert project(long, "cr51", realistic=False).mean_life_days == pytest.approx(tau0, rel=1e-12, abs=0)


def test_ar37_beats_cr51_through_its_lifetime_and_energy(stored):
    for p in PRESETS:
        cr, ar = stored[(p, "cr51")], stored[(p, "ar37")]
        assert ar.mean_life_days > cr.mean_life_days
        assert ar.mu_paper_muB < cr.mu_paper_muB and ar.mu_realistic_muB < cr.mu_realistic_muB
        assert all(a < c for a, c in zip(ar.sterile_paper, cr.sterile_paper))
        assert ar.activity_paper_own_MCi < cr.activity_paper_own_MCi


def test_bigger_detector_reaches_further(stored):
    assert stored[("xlzd", "cr51")].mu_paper_muB < min(stored[(p, "cr51")].mu_paper_muB for p in PRESETS if p != "xlzd")
    assert stored[("pandax4t", "cr51")].sterile_paper[0] > stored[("xenonnt", "cr51")].sterile_paper[0]


# -- what the chapter quotes ------------------------------------------------------------------------
def test_table_has_one_line_per_row(stored):
    rows = list(stored.values())
    text = projection_table_markdown(rows)
    assert len(text.splitlines()) == len(rows) + 2
    assert "| paper2014 | cr51 | 5.99 | 1.00 | 2 | 4.79 | 4.77 |" in text
    mu, sterile = projection_table_markdown(rows, "mu"), projection_table_markdown(rows, "sterile")
    assert "| paper2014 | cr51 | 5.99 | 1.00 | 2 | 4.79 | 4.77 |" in mu and "0.161" not in mu
    assert "| paper2014 | cr51 | 0.161 / 0.139 | 0.148 / 0.128 | 0.170 / 0.149 |" in sterile
    with pytest.raises(ValueError, match="part"):
        projection_table_markdown(rows, "both")


def test_gains_the_chapter_quotes(stored):
    rows = list(stored.values())
    g = gain_ranges(rows)
    # pinned to the digit the chapter shows (%.1f)
    assert [round(v, 1) for v in g["ar37_mu"]] == [5.4, 6.7]
    assert [round(v, 1) for v in g["ar37_sterile"]] == [12.3, 28.1]
    assert [round(v, 1) for v in g["tlt_mu"]] == [0.1, 3.7]
    assert [round(v, 1) for v in g["lt_sterile"]] == [12.4, 36.7]
    table = {t["preset"]: t for t in gain_table(rows)}
    cr, ar = stored[("lz", "cr51")], stored[("lz", "ar37")]
    assert table["lz"]["ar37_mu"] == pytest.approx(100 * (1 - ar.mu_paper_muB / cr.mu_paper_muB), rel=1e-12, abs=0)


def test_shares_the_chapter_quotes(stored):
    paper = {(t["preset"], t["source"]): t for t in share_table(list(stored.values()), "paper")}
    real = {(t["preset"], t["source"]): t for t in share_table(list(stored.values()), "realistic")}
    # one 5 MCi 51Cr run, distance fit: the BEST region between 1 and 10 eV^2 (400 grid points)
    best_core = {p: paper[(p, "cr51")]["gallium_best_1_10"] for p in PRESETS}
    assert best_core == {"paper2014": 0.9725, "xenonnt": 0.925, "lz": 0.8875, "pandax4t": 0.6525, "xlzd": 1.0}
    # the reactor best fit (0.14, 1.5-10 eV^2): XLZD alone with 51Cr; with 37Ar and LT not PandaX-4T
    assert [p for p in PRESETS if paper[(p, "cr51")]["reactor_best_fit"] > 0.5] == ["xlzd"]
    assert [p for p in PRESETS if real[(p, "ar37")]["reactor_best_fit"] > 0.5] == ["paper2014", "xenonnt", "lz", "xlzd"]
    assert real[("pandax4t", "ar37")]["reactor_best_fit"] == 0.0
    # every share is a fraction, and the realistic analysis never covers less
    for key in paper:
        for region in SHARE_REGIONS:
            assert 0.0 <= paper[key][region] <= real[key][region] <= 1.0


# -- today's limits ------------------------------------------------------------------------------
def test_limits_file_is_complete():
    lim = mu_limits()
    assert {
        "xenonnt2022",
        "lz2022_recast",
        "borexino2017",
        "gemma2010",
        "texono2007",
        "red_giants2020",
        "red_giants_m5_2013",
    } <= set(lim)
    for v in lim.values():
        assert v.citation and v.checked and isinstance(v.verified, bool)
        assert "arXiv" in v.citation
    assert lim["xenonnt2022"].value_muB == 6.3e-12 and lim["xenonnt2022"].confidence_level == 0.90
    assert lim["xenonnt2022"].constrains == "solar_effective" and not lim["xenonnt2022"].verified
    assert lim["lz2022_recast"].value_muB == 1.1e-11 and lim["lz2022_recast"].verified
    assert "recast" in lim["lz2022_recast"].label
    assert lim["gemma2010"].constrains == "anti_nu_e" and lim["gemma2010"].value_muB == 3.2e-11
    assert lim["red_giants2020"].kind == "astrophysical" and lim["red_giants2020"].value_muB == 1.2e-12
    m5 = lim["red_giants_m5_2013"]
    assert (m5.value_muB, m5.confidence_level, m5.verified, m5.kind) == (4.5e-12, 0.95, True, "astrophysical")
    assert "2307.13050" in lim["red_giants2020"].checked  # the caveat on red-giant bounds


def test_confidence_level_conversion():
    factor = (delta_chi2_threshold(0.95, 1, "one_sided") / delta_chi2_threshold(0.90, 1, "one_sided")) ** 0.25
    assert factor == pytest.approx(1.1331, rel=2e-4, abs=0)
    assert convert_confidence_level(6.3e-12, 0.90, 0.95) == pytest.approx(6.3e-12 * factor, rel=1e-12, abs=0)
    assert convert_confidence_level(convert_confidence_level(1e-11, 0.9, 0.95), 0.95, 0.9) == pytest.approx(
        1e-11, rel=1e-6, abs=0
    )
    with pytest.raises(ValueError, match="from_cl"):
        convert_confidence_level(1e-11, 1.2, 0.95)


def test_conversion_matches_the_fit_in_the_gaussian_regime(paper_cr51, paper_fit):
    at90 = MagneticMomentFit(paper_cr51, confidence_level=0.90).limit()
    assert convert_confidence_level(at90, 0.90, 0.95) == pytest.approx(paper_fit.limit(), rel=0.005, abs=0)


# -- the answer as a curve -----------------------------------------------------------------------
def test_required_activity_reproduces_the_target(paper_cr51):
    fit90 = MagneticMomentFit(paper_cr51, confidence_level=0.90)
    target = mu_limits()["xenonnt2022"].value_muB
    thresholds = [1.0, 2.0, 5.0]
    need = required_activity_MCi(fit90, thresholds, target)
    assert np.all(np.diff(need) > 0)  # a higher threshold needs a stronger source
    for t, a in zip(thresholds, need):
        assert fit90.limit(t, a / paper_cr51.source.activity_MCi) == pytest.approx(target, rel=1e-6, abs=0)
    # the activity that reproduces the benchmark's own limit is the benchmark's 5 MCi
    own = required_activity_MCi(fit90, [2.0], fit90.limit(2.0))[0]
    assert own == pytest.approx(paper_cr51.source.activity_MCi, rel=1e-6, abs=0)
    # a target no activity up to the maximum reaches
    assert math.isinf(required_activity_MCi(fit90, [2.0], 1e-15, max_activity_MCi=100.0)[0])


def test_required_activity_realistic_reproduces_the_target(stored, paper_cr51):
    sig = BEST_ACTIVITY_RELATIVE_SIGMA
    ff = MagneticMomentFullFit(paper_cr51, "TLt", signal_norm_sigma=sig)
    ff = MagneticMomentFullFit.from_prediction(
        ff.prediction, signal_norm_sigma=sig, background_norm_sigma=ff.source_off_sigmas(100.0)
    )
    target = mu_limits()[TARGET_LIMIT]
    a = required_activity_realistic_MCi(ff, target.value_muB, target.confidence_level)
    assert a == pytest.approx(stored[("paper2014", "cr51")].activity_realistic_own_MCi, rel=1e-5, abs=0)
    dchi2 = delta_chi2_threshold(target.confidence_level, 1, "one_sided")
    assert _scaled_limit(ff, a / 5.0, dchi2) == pytest.approx(target.value_muB, rel=1e-5, abs=0)
    # the scaled model is the model of the experiment with that activity
    p = ff.prediction
    direct = PoissonNuisanceModel(p.signal, p.magnetic, list(p.backgrounds.values()), sig, ff.background_sigmas)
    assert _scaled_limit(ff, 1.0, ff.delta_chi2) == pytest.approx(
        math.sqrt(direct.upper_limit(ff.delta_chi2)) * 1e-12, rel=1e-12, abs=0
    )


# -- bad input ---------------------------------------------------------------------------------------------
def test_required_activity_bad_input(paper_fit):
    with pytest.raises(ValueError, match="target_muB"):
        required_activity_MCi(paper_fit, [2.0], -1.0)
    with pytest.raises(ValueError, match="max_activity_MCi"):
        required_activity_MCi(paper_fit, [2.0], 6e-12, max_activity_MCi=1e308)  # was a math domain error
    with pytest.raises(ValueError, match="max_activity_MCi"):
        required_activity_MCi(paper_fit, [2.0], 6e-12, max_activity_MCi=0.0)
    with pytest.raises(ValueError, match="thresholds_keV"):
        required_activity_MCi(paper_fit, [-1.0], 6e-12)
    with pytest.raises(ValueError, match="thresholds_keV"):
        required_activity_MCi(paper_fit, ["two"], 6e-12)
    with pytest.raises(ValueError, match="fit"):
        required_activity_MCi("paper2014", [2.0], 6e-12)
    with pytest.raises(ValueError, match="fit"):
        required_activity_realistic_MCi(paper_fit, 6e-12)


def test_projection_bad_input():
    with pytest.raises(ValueError, match="rows"):
        projection_table_markdown([])  # was an IndexError
    with pytest.raises(ValueError, match="rows"):
        gain_table(None)
    with pytest.raises(ValueError, match="dm2_eV2"):
        project("paper2014", dm2_eV2=[-1.0])  # named dm2_values before
    with pytest.raises(ValueError, match="dm2_eV2"):
        project("paper2014", dm2_eV2=[])
    with pytest.raises(ValueError, match="experiment must be one of the presets"):
        project("no-such-detector")
    with pytest.raises(ValueError, match="source"):
        project("paper2014", "cr52")
    with pytest.raises(ValueError, match="preset"):
        project(42)
    with pytest.raises(ValueError, match="source=None"):
        project("paper2014", None)
    with pytest.raises(ValueError, match="off_live_days"):
        project("paper2014", off_live_days=-1.0)
    with pytest.raises(ValueError, match="n_mc"):
        project("paper2014", n_mc=10)
    with pytest.raises(ValueError, match="presets and sources"):
        landscape(presets=())
    row = load_projections()[0]
    with pytest.raises(ValueError, match="both cr51 and ar37"):
        gain_table([row])
    with pytest.raises(ValueError, match="analysis"):
        share_table([row], "bayesian")
    with pytest.raises(ValueError, match="no realistic shares"):
        share_table([dataclasses.replace(row, shares_realistic={})], "realistic")


def test_json_round_trip_keeps_nan_and_inf():
    x = {"a": [1.0, math.nan, math.inf], "b": {"c": -math.inf}}
    back = _from_json(_json_safe(x))
    assert back["a"][0] == 1.0 and math.isnan(back["a"][1]) and back["a"][2] == math.inf
    assert back["b"]["c"] == -math.inf


def test_projection_dataclass_is_frozen():
    row = load_projections()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.mu_paper_muB = 0.0
