"""The gallium anomaly with the correlated 71Ga cross-section uncertainty.

The fits the book shows (chapter 8) are pinned; the physics checks below fail if the BEST
inner/outer ratios are swapped, if the detector geometries are swapped between experiments, or if
the 51Cr line energies are changed (each mutation was tried).
"""

import dataclasses

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from lxenu.analyses.gallium import (
    AR37_GA_LINES,
    BEST_PUBLISHED_FIT,
    CR51_GA_LINES,
    CROSS_SECTION_EVALUATIONS,
    GALLIUM_RUNS,
    RUNS_2014,
    RUNS_BEST,
    GalliumSourceRun,
    averaged_survival,
    capture_weighted_lines,
    covered_fraction,
    deficit_significance,
    flux_weighted_distance_histogram,
    gallium_chi2_grid,
    gallium_fit,
)
from lxenu.experiment.source import load_source_table

S = np.linspace(0.0, 1.0, 401)
M = np.geomspace(0.1, 100.0, 200)
# chapter 8's grid
GS, GM = np.geomspace(0.01, 1.0, 240), np.geomspace(0.1, 100.0, 240)
RUNS = {"2014": RUNS_2014, "BEST": GALLIUM_RUNS, "BEST alone": RUNS_BEST}


@pytest.mark.parametrize(
    "runs, xs, s_best, m_best, dchi2_null",
    [
        ("2014", None, 0.26096, 2.1217, 6.5900),
        ("2014", "bahcall1997", 0.26209, 2.1222, 4.5055),
        ("BEST", None, 0.38992, 2.8496, 44.381),
        ("BEST", "bahcall1997", 0.39222, 2.8489, 17.631),
    ],
)
def test_the_fits_the_book_shows(runs, xs, s_best, m_best, dchi2_null):
    """Chapter 8's table: best fits (refined off the 240 x 240 grid) and the no-oscillation Delta chi^2."""
    f = gallium_fit(GS, GM, RUNS[runs], xs_sigma=xs, refine=True)
    assert f["best_sin2_2theta"] == pytest.approx(s_best, rel=1e-3, abs=0)
    assert f["best_dm2_eV2"] == pytest.approx(m_best, rel=1e-3, abs=0)
    assert f["delta_chi2_no_oscillation"] == pytest.approx(dchi2_null, rel=1e-3, abs=0)
    # the refined minimum lies below every grid point: the Delta chi^2 field is >= 0
    assert 0 <= f["delta_chi2"].min() < 0.01


def test_refined_best_fit_does_not_depend_on_the_grid():
    a = gallium_fit(GS, GM, RUNS_2014, refine=True)
    b = gallium_fit(np.geomspace(0.01, 1.0, 97), np.geomspace(0.1, 100.0, 131), RUNS_2014, refine=True)
    for key in ("best_sin2_2theta", "best_dm2_eV2", "delta_chi2_no_oscillation"):
        assert a[key] == pytest.approx(b[key], rel=1e-5, abs=0)


def test_best_alone_reproduces_the_published_fit():
    """Barinov et al., PRC 105 (2022) 065502: dm2 = 3.3 (+inf -2.3) eV^2, sin^2 2theta = 0.42 (+0.15 -0.17)."""
    pub = BEST_PUBLISHED_FIT
    f = gallium_fit(GS, GM, RUNS_BEST, refine=True)
    assert (
        pub["sin2_2theta"] - pub["sin2_2theta_minus"]
        <= f["best_sin2_2theta"]
        <= pub["sin2_2theta"] + pub["sin2_2theta_plus"]
    )
    assert f["best_dm2_eV2"] >= pub["dm2_eV2"] - pub["dm2_minus_eV2"]
    # two ratios, two parameters: the fit is exact
    assert f["chi2_min"] == pytest.approx(0.0, abs=1e-6)
    # the published best fit is a minimum of the same two ratios: within Delta chi^2 < 1 of ours
    at_published = float(gallium_chi2_grid([pub["sin2_2theta"]], [pub["dm2_eV2"]], RUNS_BEST)[0, 0])
    assert at_published < 1.0
    # and at the published fit our geometry predicts the inner/outer ordering BEST measured
    inner, outer = RUNS_BEST
    p_in, p_out = (float(averaged_survival(r, pub["sin2_2theta"], pub["dm2_eV2"])) for r in RUNS_BEST)
    assert np.sign(p_in - p_out) == np.sign(inner.ratio - outer.ratio)
    assert (inner.name, inner.ratio, outer.name, outer.ratio) == ("BEST inner", 0.791, "BEST outer", 0.766)


def _sphere_fraction_in_cylinder(L, radius, below, above, hole=0.0):
    """Exact fraction of the sphere of radius L around a source on the axis of a cylinder (radius,
    extending ``below`` and ``above`` the source) that lies in it, outside a sphere of radius ``hole``."""
    L = np.asarray(L, dtype=float)
    lo = np.clip(-below / L, -1, 1)
    hi = np.clip(above / L, -1, 1)
    c = np.sqrt(np.clip(1 - (radius / L) ** 2, 0, None))  # |cos| >= c keeps L sin <= radius
    measure = np.clip(np.minimum(hi, 1) - np.maximum(lo, c), 0, None) + np.clip(
        np.minimum(hi, -c) - np.maximum(lo, -1), 0, None
    )
    measure = np.where(c == 0, hi - lo, measure)
    return np.where(L > hole, measure / 2, 0.0)


#: the geometries as the module docstring quotes them (cm): radius, below and above the source, hole
GEOMETRY_BY_EXPERIMENT = {
    "GALLEX": (190.0, 270.0, 230.0, 0.0),
    "SAGE": (70.0, 72.0, 75.0, 0.0),
    "BEST outer": (109.0, 117.25, 117.25, 66.75),
}


@pytest.mark.parametrize("run", GALLIUM_RUNS, ids=lambda r: r.name)
def test_path_lengths_are_those_of_each_experiments_geometry(run):
    """Flux-weighted mean and rms path length of each run against an exact quadrature of the
    geometry of the experiment the run belongs to (by name): a swapped geometry fails."""
    edges, w = flux_weighted_distance_histogram(run.geometry)
    centres = 0.5 * (edges[1:] + edges[:-1])
    mean, rms = np.sum(centres * w), np.sqrt(np.sum(centres**2 * w))
    L = np.linspace(1e-3, 700.0, 700_001)
    if run.name == "BEST inner":
        f = (L <= 66.75).astype(float)
    else:
        key = next(k for k in GEOMETRY_BY_EXPERIMENT if run.name.startswith(k))
        f = _sphere_fraction_in_cylinder(L, *GEOMETRY_BY_EXPERIMENT[key])
    assert mean == pytest.approx(np.sum(L * f) / np.sum(f), rel=0.01, abs=0)
    assert rms == pytest.approx(np.sqrt(np.sum(L * L * f) / np.sum(f)), rel=0.01, abs=0)


def test_cr51_lines_are_the_sources():
    """The 51Cr lines are those of lxenu's source file, and their branching-weighted mean energy is
    the 0.72 MeV that Giunti, Li, Ternes & Xin (arXiv:2212.09722) quote."""
    table = load_source_table("cr51-four-lines")
    assert [(x["energy_keV"], x["branching"]) for x in table["lines"]] == [(E, b) for E, b, _ in CR51_GA_LINES]
    mean = sum(E * b for E, b, _ in CR51_GA_LINES) / sum(b for _, b, _ in CR51_GA_LINES)
    assert round(mean / 1000, 2) == 0.72
    # 37Ar: the two EC lines near 811 and 813 keV
    assert [E for E, _, _ in AR37_GA_LINES] == [811.0, 813.0]


@pytest.mark.parametrize("run", GALLIUM_RUNS, ids=lambda r: r.name)
def test_small_dm2_deficit_scales_as_dm2_L_over_E_squared(run):
    """For a small phase, 1 - R = sin^2 2theta sum_lines w (1.267 dm2 L / E)^2 averaged over L
    (L in m, E in MeV): doubling the line energies quarters it, a wrong geometry changes <L^2>."""
    dm2, s = 1e-3, 0.5
    edges, w = flux_weighted_distance_histogram(run.geometry)
    centres = 0.5 * (edges[1:] + edges[:-1])
    L2_m2 = np.sum((centres**2 + np.diff(edges) ** 2 / 12) * w) / 1e4
    energies, weights = capture_weighted_lines(run.source)
    expected = s * np.sum(weights * (1.26693 * dm2) ** 2 * L2_m2 / (energies / 1e3) ** 2)
    assert 1 - float(averaged_survival(run, s, dm2)) == pytest.approx(expected, rel=1e-4, abs=0)


def test_large_dm2_averages_to_half_the_mixing():
    for run in GALLIUM_RUNS:
        assert float(averaged_survival(run, 0.4, 1e5)) == pytest.approx(1 - 0.4 / 2, rel=1e-3, abs=0)
        assert float(averaged_survival(run, 0.0, 1.0)) == 1.0


def test_profiled_normalisation_is_the_numerical_minimum():
    sig = CROSS_SECTION_EVALUATIONS["bahcall1997"]
    for s, m in [(0.0, 1.0), (0.3, 2.0), (0.8, 20.0)]:
        preds = [float(averaged_survival(r, s, m)) for r in GALLIUM_RUNS]

        def chi2(xi, preds=preds):
            return sum(((r.ratio - (1 + xi) * p) / r.error) ** 2 for r, p in zip(GALLIUM_RUNS, preds)) + (xi / sig) ** 2

        ref = minimize_scalar(chi2, bounds=(-0.5, 0.5), method="bounded", options={"xatol": 1e-12}).fun
        got = float(gallium_chi2_grid(np.array([s]), np.array([m]), GALLIUM_RUNS, sig)[0, 0])
        assert got == pytest.approx(ref, rel=1e-8, abs=0)


def test_limits_of_the_cross_section_error():
    none = gallium_chi2_grid(S[:5], M[:3], GALLIUM_RUNS)
    np.testing.assert_allclose(gallium_chi2_grid(S[:5], M[:3], GALLIUM_RUNS, 0.0), none)
    # a free normalisation leaves only the inner/outer difference of BEST: (0.791 - 0.766)^2 / (2 * 0.05^2)
    free = gallium_fit(S, M, RUNS_BEST, xs_sigma=1e6)
    null = free["delta_chi2_no_oscillation"] + free["chi2_min"]
    assert null == pytest.approx((0.791 - 0.766) ** 2 / (2 * 0.05**2), rel=1e-6, abs=0)


def test_a_correlated_error_weakens_the_anomaly_monotonically():
    sig = [gallium_fit(S, M, GALLIUM_RUNS, xs_sigma=x)["delta_chi2_no_oscillation"] for x in (0.0, 0.02, 0.037, 0.1)]
    assert np.all(np.diff(sig) < 0)
    old = gallium_fit(S, M, RUNS_2014, xs_sigma="bahcall1997")
    assert old["delta_chi2_no_oscillation"] < gallium_fit(S, M, RUNS_2014)["delta_chi2_no_oscillation"]


@pytest.mark.parametrize(
    "runs, xs, mean, sigma",
    [
        ("2014", None, 0.86516, 2.5355),
        ("2014", "bahcall1997", 0.86516, 2.0842),
        ("BEST", None, 0.80506, 6.6209),
        ("BEST", "bahcall1997", 0.80506, 4.1334),
    ],
)
def test_deficit_significance(runs, xs, mean, sigma):
    """Chapter 8's comparison with the published significances; the closed form is the chi^2
    difference between R_i = 1 and a common free ratio, with the cross-section nuisance profiled."""
    d = deficit_significance(RUNS[runs], xs)
    assert d["mean"] == pytest.approx(mean, rel=1e-4, abs=0)
    assert d["sigma"] == pytest.approx(sigma, rel=1e-4, abs=0)
    sig = CROSS_SECTION_EVALUATIONS.get(xs, 0.0) if xs else 0.0

    def chi2(r, xi):
        return (
            sum(((run.ratio - (1 + xi) * r) / run.error) ** 2 for run in RUNS[runs]) + (xi / sig) ** 2
            if sig
            else sum(((run.ratio - r) / run.error) ** 2 for run in RUNS[runs])
        )

    def profiled(r):
        if not sig:
            return chi2(r, 0.0)
        return minimize_scalar(
            lambda xi: chi2(r, xi), bounds=(-0.5, 0.5), method="bounded", options={"xatol": 1e-12}
        ).fun

    free = minimize_scalar(lambda r: chi2(r, 0.0), bounds=(0.5, 1.5), method="bounded", options={"xatol": 1e-12}).fun
    assert profiled(1.0) - free == pytest.approx(d["sigma"] ** 2, rel=1e-6, abs=0)


def test_a_rescaled_cross_section_rescales_the_ratios():
    d = deficit_significance(RUNS_2014, xs_scale=0.86516)  # a cross section 13.5 % below Bahcall's
    assert abs(d["sigma"]) < 1e-3
    f1 = gallium_chi2_grid([0.2], [2.0], RUNS_2014, xs_scale=0.9)[0, 0]
    scaled = [dataclasses.replace(r, ratio=r.ratio / 0.9, error=r.error / 0.9) for r in RUNS_2014]
    assert f1 == pytest.approx(gallium_chi2_grid([0.2], [2.0], scaled)[0, 0], rel=1e-12, abs=0)


def test_delta_chi2_field_and_mask_agree():
    f = gallium_fit(S, M, RUNS_2014, xs_sigma="bahcall1997")
    assert f["delta_chi2"].min() == 0.0
    np.testing.assert_array_equal(f["allowed"], f["delta_chi2"] <= f["threshold"])


# -- bad input -------------------------------------------------------------------------------
def test_bad_cross_section_error():
    with pytest.raises(ValueError, match="xs_sigma"):
        gallium_chi2_grid(S[:2], M[:2], GALLIUM_RUNS, "haxton2099")
    with pytest.raises(ValueError, match="xs_sigma"):
        gallium_chi2_grid(S[:2], M[:2], GALLIUM_RUNS, -0.1)
    with pytest.raises(ValueError, match="xs_scale"):
        gallium_chi2_grid(S[:2], M[:2], GALLIUM_RUNS, xs_scale=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(source="Xe"), r"source must be one of \('Cr', 'Ar'\); got 'Xe'"),
        (dict(error=0.0), r"error must lie in \(0, inf\)"),
        (dict(ratio=float("nan")), "ratio must be a number in"),
        (dict(ratio="x"), "ratio must be a number"),
        (dict(geometry="borexino"), "geometry must be one of"),
    ],
)
def test_bad_run(kwargs, match):
    args = dict(name="test", ratio=0.9, error=0.1, geometry="sage", source="Cr")
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        GalliumSourceRun(**args)


def test_bad_grids_and_runs():
    with pytest.raises(ValueError, match=r"sin2_2theta_values must lie in \[0, 1\]"):
        gallium_fit([2.0], M[:2])
    with pytest.raises(ValueError, match="dm2_values must lie in"):
        gallium_fit(S[:2], [0.0])
    with pytest.raises(ValueError, match="sin2_2theta_values must be a number"):
        gallium_chi2_grid(["a"], M[:2])
    with pytest.raises(ValueError, match="dm2_values must not contain NaN"):
        gallium_chi2_grid(S[:2], [float("nan")])
    with pytest.raises(ValueError, match="runs must be a non-empty sequence"):
        gallium_chi2_grid(S[:2], M[:2], runs=[])
    with pytest.raises(ValueError, match="runs must be a non-empty sequence"):
        gallium_chi2_grid(S[:2], M[:2], runs=["GALLEX"])
    with pytest.raises(ValueError, match="run must be a GalliumSourceRun"):
        averaged_survival("x", 0.1, 1.0)
    with pytest.raises(ValueError, match="refine must be True or False"):
        gallium_fit(S[:2], M[:2], refine="yes")


def test_bad_coverage_input():
    f = gallium_fit(S[::20], M[::20], RUNS_2014)
    chi2 = np.ones_like(f["chi2"])
    with pytest.raises(ValueError, match="threshold must be >= 0 and not NaN"):
        covered_fraction(f["allowed"], chi2, float("nan"))
    with pytest.raises(ValueError, match="exclusion_chi2 must have the shape of allowed"):
        covered_fraction(f["allowed"], chi2[:, :3], 5.99)
    with pytest.raises(ValueError, match="threshold must be a number or have the shape of allowed"):
        covered_fraction(f["allowed"], chi2, np.ones(3))
    with pytest.raises(ValueError, match="allowed must be a boolean grid"):
        covered_fraction(f["chi2"], chi2, 5.99)
    with pytest.raises(ValueError, match="delta_chi2 must be >= 0"):
        covered_fraction(f["allowed"], chi2, 5.99, -f["delta_chi2"] - 1)
    assert covered_fraction(f["allowed"], chi2 * 10, 5.99) == 1.0
