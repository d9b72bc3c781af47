import numpy as np
import pytest
from scipy import integrate, optimize

from lxenu.analyses.sterile import SterileFit, bin_averaged_sin2, first_minimum_cm, survival_probability
from lxenu.experiment.experiment import Experiment
from lxenu.predict.distance_response import build_distance_response
from lxenu.predict.signal import SignalPrediction
from lxenu.stats.chi2 import profiled_gaussian_chi2


@pytest.fixture(scope="module")
def fit():
    return SterileFit.for_experiment(Experiment(), n_mc=400_000)


def test_first_minimum_at_750_keV():
    assert first_minimum_cm(750.0, 1.0) == pytest.approx(93.0, abs=0.5)


def test_survival_probability_limits():
    assert survival_probability(100.0, 750.0, 0.0, 1.0) == 1.0
    assert survival_probability(first_minimum_cm(750.0), 750.0, 0.2, 1.0) == pytest.approx(0.8, abs=1e-12)


def test_bin_averaged_sin2_matches_quadrature():
    for dm2 in (0.01, 1.0, 30.0):
        num, _ = integrate.quad(lambda L, dm2=dm2: np.sin(12.67 * dm2 * L / 750.0) ** 2, 100.0, 103.0, limit=200)
        assert bin_averaged_sin2(100.0, 103.0, 750.0, dm2) == pytest.approx(num / 3.0, rel=2e-3, abs=0)
    # fast oscillations average to one half
    assert bin_averaged_sin2(100.0, 200.0, 750.0, 1e4) == pytest.approx(0.5, abs=1e-3)


def test_response_conserves_events():
    det = Experiment().detector
    r = build_distance_response(det, Experiment().source.shape, n_events=100_000, seed=3)
    cols = r.matrix.sum(axis=0)
    filled = r.true_flux_cm > 0
    np.testing.assert_allclose(cols[filled], 1.0, atol=1e-12)
    # the finite source changes the flux integral by well under a percent
    assert r.joint_flux_cm.sum() == pytest.approx(det.flux_integral_cm, rel=0.01, abs=0)


def test_response_is_reproducible():
    det, shape = Experiment().detector, Experiment().source.shape
    a = build_distance_response(det, shape, n_events=50_000, seed=9)
    b = build_distance_response(det, shape, n_events=50_000, seed=9)
    np.testing.assert_array_equal(a.joint_flux_cm, b.joint_flux_cm)


def test_no_oscillation_gives_zero_chi2(fit):
    assert fit.chi2(0.0, 1.0) == pytest.approx(0.0, abs=1e-9)
    assert np.allclose(fit.chi2_grid([0.0], [0.1, 1.0, 10.0]), 0.0, atol=1e-9)


def test_signal_and_background_totals(paper, fit):
    assert fit.signal_events == pytest.approx(
        SignalPrediction(paper).events_in_window(5.0, SignalPrediction(paper).max_recoil_keV), rel=0.01, abs=0
    )
    assert fit.background.sum() == pytest.approx(fit.background_events, rel=1e-3, abs=0)


@pytest.mark.parametrize("norm_sigma", [None, 0.02])
def test_analytic_profile_equals_numerical_minimum(fit, norm_sigma):
    keep = (fit.signal_no_oscillation + fit.background) > 0
    B = fit.background[keep]
    D = fit.signal_no_oscillation[keep] + B
    for s, m in [(0.1, 1.0), (0.3, 3.0), (0.05, 0.5)]:
        S = fit.signal(s, m)[keep]
        chi2, a, b = profiled_gaussian_chi2(S, B, D, norm_sigma, 0.005)

        def full(p, S=S):
            pred = (1 + p[0]) * S + (1 + p[1]) * B
            pen = (p[1] / 0.005) ** 2 + (0.0 if norm_sigma is None else (p[0] / norm_sigma) ** 2)
            return np.sum((pred - D) ** 2 / D) + pen

        res = optimize.minimize(
            full, x0=[0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 4000}
        )
        assert chi2 == pytest.approx(res.fun, rel=1e-5, abs=1e-8)
        assert a == pytest.approx(res.x[0], abs=1e-4)


def test_grid_equals_pointwise(fit):
    s = np.array([0.05, 0.2])
    m = np.array([0.5, 2.0, 7.0])
    grid = fit.chi2_grid(s, m)
    for i, si in enumerate(s):
        for j, mj in enumerate(m):
            assert grid[i, j] == pytest.approx(fit.chi2(si, mj), rel=1e-10, abs=0)


def test_sensitivity_improves_with_depletion_and_exposure(fit):
    dm2 = np.array([1.0, 3.0])
    base = fit.sensitivity(dm2)
    depleted = SterileFit.for_experiment(Experiment().with_options(xe136_depletion=0.9), n_mc=400_000).sensitivity(dm2)
    five = SterileFit.for_experiment(Experiment().with_options(deployments=5), n_mc=400_000).sensitivity(dm2)
    assert np.all(depleted < base)
    assert np.all(five < base)


def test_normalisation_prior_helps_only_a_little(fit):
    dm2 = np.array([1.0, 20.0])
    shape_only = fit.sensitivity(dm2)
    constrained = SterileFit.for_experiment(Experiment(), n_mc=400_000, norm_sigma=0.02).sensitivity(dm2)
    assert np.all(constrained <= shape_only + 1e-9)


def test_contour_from_grid_matches_root_finding(fit):
    s = np.geomspace(1e-3, 1, 400)
    m = np.array([1.0, 2.0])
    from_grid = fit.contour_from_grid(s, m)
    exact = fit.sensitivity(m)
    np.testing.assert_allclose(from_grid, exact, rtol=0.01)


def test_contour_from_grid_interpolates_each_case_exactly(fit):
    """A synthetic chi^2 grid, one dm2 column per case: crossing between two positive grid points
    (log interpolation), next to a grid point at 0 (linear), already above at the first point,
    exactly at the threshold (counts as excluded), never above (inf), and a second crossing later
    (the first one counts)."""
    thr = fit.delta_chi2
    s = np.array([0.0, 0.01, 0.1, 1.0])
    c = np.zeros((4, 6))
    c[:, 0] = [0.0, 0.5 * thr, 0.5 * thr, 1.5 * thr]  # crosses halfway between 0.1 and 1 (in log)
    c[:, 1] = [0.0, 2.0 * thr, 3.0 * thr, 4.0 * thr]  # crosses halfway between 0 and 0.01 (linear)
    c[:, 2] = [2.0 * thr, 3.0 * thr, 4.0 * thr, 5.0 * thr]  # excluded at the first point
    c[:, 3] = [0.0, 0.0, thr, 2.0 * thr]  # exactly at the threshold at 0.1
    c[:, 4] = [0.0, 0.1 * thr, 0.2 * thr, 0.9 * thr]  # never
    c[:, 5] = [0.0, 0.25 * thr, 1.25 * thr, 0.0]  # first crossing between 0.01 and 0.1
    got = fit.contour_from_grid(s, np.arange(1.0, 7.0), chi2=c)
    want = [10 ** (-1 + 0.5), 0.005, 0.0, 0.1, np.inf, 10 ** (-2 + 0.75)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_bad_sterile_input(fit):
    with pytest.raises(ValueError, match="sin2_2theta"):
        fit.chi2(1.5, 1.0)
    with pytest.raises(ValueError, match="dm2"):
        fit.chi2(0.1, -1.0)
    with pytest.raises(ValueError, match="threshold_keV"):
        SterileFit.for_experiment(Experiment(), threshold_keV=600.0)


def test_extended_source_raises_the_flux_by_its_second_moments():
    """The distance Monte Carlo averages 1/L^2 over the source: a point source gives the detector's
    exact flux integral; the 14 cm cylinder gives more (1/L^2 is convex), by
    <(4 (n.e)^2 - e^2) / L^2> to second order in the emission offset e (odd moments vanish)."""
    exp = Experiment()
    det, shape = exp.detector, exp.source.shape
    point = build_distance_response(det, type(shape)(0.0, 0.0), 1.0, 3.0, n_events=100_000, seed=3)
    assert point.reco_flux_cm.sum() / det.flux_integral_cm == pytest.approx(1.0, rel=1e-12, abs=0)

    extended = build_distance_response(det, shape, 1.0, 3.0, n_events=1_000_000, seed=3)
    excess = extended.reco_flux_cm.sum() / det.flux_integral_cm - 1.0
    x = det.sample_flux_weighted_points_cm(400_000, np.random.default_rng(4))
    L2 = np.einsum("ij,ij->i", x, x)
    n2 = x**2 / L2[:, None]
    e2 = np.array([shape.diameter_cm**2 / 16, shape.diameter_cm**2 / 16, shape.height_cm**2 / 12])
    expected = np.mean((4 * n2 @ e2 - e2.sum()) / L2)
    assert 5e-4 < expected < 2e-3
    assert excess == pytest.approx(expected, rel=0.3, abs=0)
