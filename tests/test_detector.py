import numpy as np
import pytest
from scipy import integrate

from lxenu.experiment.geometry import CylindricalDetector


def test_paper_fiducial_mass_is_about_six_tonnes():
    det = CylindricalDetector()
    assert det.mass_t == pytest.approx(5.99, abs=0.01)
    assert det.volume_cm3 == pytest.approx(np.pi * 69**2 * 138, rel=1e-6, abs=0)


def test_electron_density_of_xenon():
    det = CylindricalDetector()
    # Z N_A / M x rho
    assert det.electrons_per_cm3 == pytest.approx(2.9 * 54 * 6.02214076e23 / 131.293, rel=1e-9, abs=0)


def test_flux_integral_closed_form_matches_quadrature():
    det = CylindricalDetector()
    R, g, h = det.radius_cm, det.gap_cm, det.height_cm
    val, _ = integrate.dblquad(lambda r, z: 2 * np.pi * r / (4 * np.pi * (z * z + r * r)), g, g + h, 0, R)
    assert det.flux_integral_cm == pytest.approx(val, rel=1e-9, abs=0)


def test_cumulative_flux_and_volume_close():
    det = CylindricalDetector()
    lo, hi = det.distance_range_cm
    assert det.cumulative_flux_cm(hi) == pytest.approx(det.flux_integral_cm, rel=1e-12, abs=0)
    assert det.cumulative_volume_cm3(hi) == pytest.approx(det.volume_cm3, rel=1e-12, abs=0)
    assert det.cumulative_flux_cm(lo) == 0.0


@pytest.mark.parametrize("geometry", [dict(), dict(gap_m=0.3, diameter_m=2.5), dict(height_m=0.5, gap_m=2.0)])
def test_distance_densities_integrate_to_totals(geometry):
    det = CylindricalDetector(**geometry)
    lo, hi = det.distance_range_cm
    flux, _ = integrate.quad(
        det.flux_density_in_L,
        lo,
        hi,
        limit=200,
        points=[np.hypot(det.gap_cm, det.radius_cm), det.gap_cm + det.height_cm],
    )
    vol, _ = integrate.quad(
        det.volume_density_in_L_cm2,
        lo,
        hi,
        limit=200,
        points=[np.hypot(det.gap_cm, det.radius_cm), det.gap_cm + det.height_cm],
    )
    assert flux == pytest.approx(det.flux_integral_cm, rel=1e-7, abs=0)
    assert vol == pytest.approx(det.volume_cm3, rel=1e-7, abs=0)


def test_flux_integral_falls_as_inverse_square_far_away():
    near = CylindricalDetector(gap_m=50.0)
    far = CylindricalDetector(gap_m=100.0)
    # far from the source the detector is a point: Phi -> V / (4 pi d^2), d to the centre
    assert far.flux_integral_cm == pytest.approx(far.volume_cm3 / (4 * np.pi * (far.gap_cm + 69) ** 2), rel=1e-3, abs=0)
    ratio = near.flux_integral_cm / far.flux_integral_cm
    assert ratio == pytest.approx(((100 + 0.69) / (50 + 0.69)) ** 2, rel=2e-3, abs=0)


def test_monte_carlo_flux_integral_agrees_with_exact(rng):
    det = CylindricalDetector()
    mc, err = det.flux_integral_mc_cm(400_000, rng)
    assert abs(mc - det.flux_integral_cm) < 4 * err
    assert err / mc < 0.002


def test_flux_weighted_sampler_follows_exact_distribution(rng):
    det = CylindricalDetector()
    pts = det.sample_flux_weighted_points_cm(300_000, rng)
    assert det.contains(pts).all()
    L = np.linalg.norm(pts, axis=1)
    edges = np.linspace(*det.distance_range_cm, 31)
    counts, _ = np.histogram(L, edges)
    expected = det.flux_in_bins_cm(edges) / det.flux_integral_cm * L.size
    pull = (counts - expected) / np.sqrt(expected)
    assert np.sum(pull**2) < 30 + 5 * np.sqrt(60)


def test_uniform_sampler_follows_volume_distribution(rng):
    det = CylindricalDetector()
    pts = det.sample_uniform_points_cm(200_000, rng)
    L = np.linalg.norm(pts, axis=1)
    edges = np.linspace(*det.distance_range_cm, 21)
    counts, _ = np.histogram(L, edges)
    expected = det.volume_in_bins_cm3(edges) / det.volume_cm3 * L.size
    assert np.sum((counts - expected) ** 2 / expected) < 20 + 5 * np.sqrt(40)


@pytest.mark.parametrize(
    "field, value",
    [("gap_m", 0.0), ("gap_m", -1.0), ("height_m", 0.0), ("density_g_cm3", -2.9), ("diameter_m", float("nan"))],
)
def test_bad_detector_input(field, value):
    with pytest.raises(ValueError, match=field):
        CylindricalDetector(**{field: value})
