"""Chapter 9's landscape: projections of the presets, today's limits, the activity needed."""

import dataclasses
import math

import numpy as np
import pytest

from lxenu import MagneticMomentFit, SterileFit
from lxenu.analyses.landscape import (
    DM2_EV2,
    PRESETS,
    SOURCES,
    convert_confidence_level,
    experiment_for,
    load_projections,
    mu_limits,
    project,
    projection_table_markdown,
    required_activity_MCi,
)
from lxenu.stats.chi2 import delta_chi2_threshold


@pytest.fixture(scope="module")
def paper_cr51():
    return experiment_for("paper2014", "cr51")


@pytest.fixture(scope="module")
def paper_fit(paper_cr51):
    return MagneticMomentFit(paper_cr51)


# -- the stored table is what the code computes -----------------------------------------------------
def test_stored_projections_cover_every_preset_and_source():
    rows = load_projections()
    assert [(r.preset, r.source) for r in rows] == [(p, s) for p in PRESETS for s in SOURCES]
    for r in rows:
        assert r.dm2_eV2 == DM2_EV2
        assert 1e-12 < r.mu_paper_muB < 1e-11 and 1e-12 < r.mu_realistic_muB < 1e-11
        assert all(0 < v < 1 for v in r.sterile_paper + r.sterile_realistic)


@pytest.mark.parametrize("preset,source", [("paper2014", "cr51"), ("pandax4t", "ar37")])
def test_stored_projection_equals_recomputation(preset, source):
    stored = {(r.preset, r.source): r for r in load_projections()}[(preset, source)]
    fresh = project(preset, source)
    assert fresh.mu_paper_muB == pytest.approx(stored.mu_paper_muB, rel=1e-9, abs=0)
    assert fresh.mu_realistic_muB == pytest.approx(stored.mu_realistic_muB, rel=1e-6, abs=0)
    np.testing.assert_allclose(fresh.sterile_paper, stored.sterile_paper, rtol=1e-5)
    np.testing.assert_allclose(fresh.sterile_realistic, stored.sterile_realistic, rtol=1e-5)


def test_paper_row_reproduces_the_paper_benchmark():
    row = {(r.preset, r.source): r for r in load_projections()}[("paper2014", "cr51")]
    # the book's paper benchmark (chapter 4): 4.79e-12 mu_B (paper: 4.9e-12), 5 MCi, 100 d, 2 keV
    assert row.mu_paper_muB == pytest.approx(4.794e-12, rel=1e-3, abs=0)
    assert row.mass_t == pytest.approx(5.986, rel=1e-3, abs=0)


def test_reduced_monte_carlo_moves_the_reach_by_less_than_one_percent(paper_cr51):
    coarse = SterileFit.for_experiment(paper_cr51, n_mc=200_000).sensitivity(DM2_EV2)
    full = SterileFit.for_experiment(paper_cr51).sensitivity(DM2_EV2)
    np.testing.assert_allclose(coarse, full, rtol=0.01)


def test_realistic_analysis_is_never_worse_than_the_paper_by_much():
    # TLt adds information but profiles the activity (0.23 %) and background (~1.5 %): the two
    # effects nearly cancel; LT for sterile separates the 136Xe background and helps.
    for r in load_projections():
        assert r.mu_realistic_muB < 1.01 * r.mu_paper_muB
        assert all(b < a for a, b in zip(r.sterile_paper, r.sterile_realistic))


# -- scaling laws of the projections ----------------------------------------------------------------
def test_mass_scaling_density(paper_cr51, paper_fit):
    # twice the density at the same geometry doubles signal and background exactly ...
    dense = paper_cr51.with_options(density_g_cm3=2.0 * paper_cr51.detector.density_g_cm3)
    row = project(dense, "cr51", realistic=False)
    assert row.mass_t == pytest.approx(2.0 * paper_cr51.detector.mass_t, rel=1e-12, abs=0)
    assert row.mu_paper_muB == pytest.approx(paper_fit.limit(None, 2.0, 2.0), rel=1e-9, abs=0)
    # ... and with thousands of events chi^2 is Gaussian in mu^2: mu_lim ~ exposure^(-1/4)
    assert row.mu_paper_muB / paper_fit.limit() == pytest.approx(2.0**-0.25, rel=0.01, abs=0)


def test_distance_enters_through_the_flux_integral_only(paper_cr51, paper_fit):
    far = paper_cr51.with_options(gap_m=2.0)
    row = project(far, "cr51", realistic=False)
    f = far.detector.flux_integral_cm / paper_cr51.detector.flux_integral_cm
    assert 0.2 < f < 0.5  # roughly the inverse square of the distance to the detector's middle
    assert row.mu_paper_muB == pytest.approx(paper_fit.limit(None, f, 1.0), rel=1e-9, abs=0)
    assert row.mu_paper_muB > paper_fit.limit()


def test_source_lifetime_scales_the_decays_in_the_run(paper_cr51, paper_fit):
    tau0 = paper_cr51.source.mean_life_days
    days = paper_cr51.run.days
    for tau in (0.5 * tau0, 3.0 * tau0):
        exp = paper_cr51.replace(source=paper_cr51.source.replace(mean_life_days=tau))
        fit = MagneticMomentFit(exp)
        scale = tau * (1 - math.exp(-days / tau)) / (tau0 * (1 - math.exp(-days / tau0)))
        assert fit.limit() == pytest.approx(paper_fit.limit(None, scale, 1.0), rel=1e-9, abs=0)
    # a longer-lived source at the same activity gives more decays in 100 days: a better limit
    longer = MagneticMomentFit(paper_cr51.replace(source=paper_cr51.source.replace(mean_life_days=3 * tau0)))
    assert longer.limit() < paper_fit.limit()


def test_ar37_beats_cr51_through_its_lifetime_and_energy():
    rows = {(r.preset, r.source): r for r in load_projections()}
    for p in PRESETS:
        cr, ar = rows[(p, "cr51")], rows[(p, "ar37")]
        assert ar.mean_life_days > cr.mean_life_days
        assert ar.mu_paper_muB < cr.mu_paper_muB


def test_bigger_detector_reaches_further():
    rows = {(r.preset, r.source): r for r in load_projections()}
    assert rows[("xlzd", "cr51")].mu_paper_muB < min(rows[(p, "cr51")].mu_paper_muB for p in PRESETS if p != "xlzd")
    assert rows[("pandax4t", "cr51")].sterile_paper[0] > rows[("xenonnt", "cr51")].sterile_paper[0]


def test_table_has_one_line_per_row():
    rows = load_projections()
    text = projection_table_markdown(rows)
    assert len(text.splitlines()) == len(rows) + 2
    assert "| paper2014 | cr51 | 5.99 | 1.00 | 2 | 4.79 |" in text


# -- today's limits ------------------------------------------------------------------------------
def test_limits_file_is_complete():
    lim = mu_limits()
    assert {"xenonnt2022", "borexino2017", "gemma2010", "texono2007", "red_giants2020"} <= set(lim)
    for v in lim.values():
        assert v.citation and v.checked and isinstance(v.verified, bool)
        assert "arXiv" in v.citation
    assert lim["xenonnt2022"].value_muB == 6.3e-12 and lim["xenonnt2022"].confidence_level == 0.90
    assert lim["xenonnt2022"].constrains == "solar_effective"
    assert lim["gemma2010"].constrains == "anti_nu_e"
    assert lim["red_giants2020"].kind == "astrophysical"


def test_confidence_level_conversion():
    factor = (delta_chi2_threshold(0.95, 1, "one_sided") / delta_chi2_threshold(0.90, 1, "one_sided")) ** 0.25
    assert factor == pytest.approx(1.1331, abs=2e-4)
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


def test_required_activity_bad_input(paper_fit):
    with pytest.raises(ValueError, match="target_muB"):
        required_activity_MCi(paper_fit, [2.0], -1.0)


def test_projection_dataclass_is_frozen():
    row = load_projections()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.mu_paper_muB = 0.0
