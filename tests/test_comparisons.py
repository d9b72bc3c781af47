import numpy as np
import pytest
from scipy import integrate

from lxenu.analyses.gallium import (
    GALLIUM_RUNS,
    RUNS_2014,
    averaged_survival,
    flux_weighted_distance_histogram,
    gallium_fit,
)
from lxenu.analyses.sox import SphericalDetector, sox_sterile_fit


def test_sphere_geometry_closes():
    det = SphericalDetector()
    lo, hi = det.distance_range_cm
    assert det.cumulative_volume_cm3(hi) == pytest.approx(det.volume_cm3, rel=1e-12, abs=0)
    f = det.solid_angle_fraction
    num, _ = integrate.quad(f, lo, hi)
    assert det.flux_integral_cm == pytest.approx(num, rel=1e-9, abs=0)
    # far away the sphere is a point
    far = SphericalDetector(radius_m=1.0, distance_m=100.0)
    assert far.flux_integral_cm == pytest.approx(far.volume_cm3 / (4 * np.pi * far.distance_cm**2), rel=1e-3, abs=0)


def test_borexino_mass():
    assert SphericalDetector().mass_t == pytest.approx(282, rel=0.03, abs=0)


def test_sox_fit_has_sensitivity_at_low_dm2():
    sox = sox_sterile_fit(n_mc=200_000)
    assert sox.chi2(0.0, 1.0) == pytest.approx(0.0, abs=1e-9)
    reach = sox.sensitivity(np.array([0.3, 1.0]))
    assert np.all(np.isfinite(reach))


def test_gallium_geometry_histograms():
    for geo in ("gallex", "sage", "best_in", "best_out"):
        edges, w = flux_weighted_distance_histogram(geo)
        assert w.sum() == pytest.approx(1.0, rel=1e-6, abs=0)
    # the inner BEST zone: flux-weighted L is uniform on [0, R]
    edges, w = flux_weighted_distance_histogram("best_in")
    mean = np.sum(0.5 * (edges[1:] + edges[:-1]) * w)
    assert mean == pytest.approx(66.75 / 2, rel=0.01, abs=0)


def test_no_oscillation_predicts_unit_ratio():
    for run in GALLIUM_RUNS:
        assert averaged_survival(run, 0.0, 1.0) == pytest.approx(1.0, rel=1e-6, abs=0)


def test_gallium_anomaly_prefers_oscillations():
    s = np.linspace(0.0, 0.6, 121)
    m = np.geomspace(0.1, 30, 80)
    old = gallium_fit(s, m, RUNS_2014)
    new = gallium_fit(s, m)
    assert old["best_sin2_2theta"] > 0.05
    assert new["delta_chi2_no_oscillation"] > old["delta_chi2_no_oscillation"]
    assert new["delta_chi2_no_oscillation"] > 9  # BEST makes it a > 3 sigma effect
