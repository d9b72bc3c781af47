"""Properties of the fits that pin their internals (written against surviving mutants, issue 11)."""

import numpy as np
import pytest
from scipy import constants

from lxenu import Experiment, MagneticMomentFit
from lxenu.analyses.magnetic_moment import _data_limit
from lxenu.physics.oscillation import (
    bin_averaged_sin2,
    first_minimum_cm,
    oscillation_phase_per_cm,
    survival_probability,
)
from lxenu.stats.chi2 import poisson_chi2, profiled_gaussian_chi2

HBAR_C_EV_CM = constants.hbar * constants.c / constants.e * 100.0


def test_first_minimum_is_2_pi_E_hbar_c_over_dm2():
    for E, dm2 in ((750.0, 1.0), (430.0, 2.0), (811.0, 0.3)):
        assert first_minimum_cm(E, dm2) == pytest.approx(2 * np.pi * E * 1e3 * HBAR_C_EV_CM / dm2, rel=1e-12, abs=0)


def test_phase_is_dm2_L_over_4E():
    # 1.267 dm2[eV^2] L[m] / E[MeV] is the textbook form
    k = oscillation_phase_per_cm(1.0, 1000.0)
    assert k * 100.0 == pytest.approx(1.2669, rel=1e-4, abs=0)


def test_survival_probability_values_and_symmetries():
    L = np.linspace(90.0, 300.0, 7)
    p = survival_probability(L, 750.0, 0.3, 2.0)
    k = oscillation_phase_per_cm(2.0, 750.0)
    assert p == pytest.approx(1.0 - 0.3 * np.sin(k * L) ** 2, rel=1e-14, abs=0)
    assert np.all((p >= 0.7 - 1e-12) & (p <= 1.0))
    # linear in sin^2 2theta; no oscillation at dm2 = 0
    assert 1 - survival_probability(L, 750.0, 0.6, 2.0) == pytest.approx(2 * (1 - p), rel=1e-12, abs=0)
    assert survival_probability(L, 750.0, 0.5, 0.0) == pytest.approx(np.ones_like(L), rel=1e-6, abs=0)
    with pytest.raises(ValueError, match="sin2_2theta"):
        survival_probability(L, 750.0, -0.1, 1.0)


def test_bin_average_is_exact_average():
    k = oscillation_phase_per_cm(3.0, 750.0)
    L1, L2 = 120.0, 126.0
    exact = 0.5 - (np.sin(2 * k * L2) - np.sin(2 * k * L1)) / (4 * k * (L2 - L1))
    assert bin_averaged_sin2(L1, L2, 750.0, 3.0) == pytest.approx(exact, rel=1e-12, abs=0)


@pytest.fixture(scope="module")
def fit():
    return MagneticMomentFit(Experiment())


def test_chi2_is_zero_at_the_truth_and_reaches_the_threshold_at_the_limit(fit):
    assert fit.chi2(0.0) == pytest.approx(0.0, abs=1e-9)
    limit = fit.limit()
    assert fit.chi2(limit) == pytest.approx(fit.delta_chi2, rel=1e-6, abs=0)
    mus = np.array([0.0, 1e-12, 3e-12, limit, 8e-12])
    values = fit.chi2(mus)
    assert np.all(np.diff(values) > 0)
    assert fit.chi2(limit, signal_scale=2.0) > fit.chi2(limit)
    assert fit.chi2(limit, background_scale=2.0) < fit.chi2(limit)


def test_chi2_with_data_has_its_minimum_at_the_injected_moment(fit):
    _, S, M, B = fit.spectra()
    mu_true = 6e-12
    data = S + (mu_true / 1e-12) ** 2 * M + B
    mus = np.linspace(4e-12, 8e-12, 401)
    best = mus[np.argmin(fit.chi2(mus, observed=data))]
    assert best == pytest.approx(mu_true, abs=2e-14)


def test_scales_and_scan(fit):
    exp = fit.experiment
    sig, bkg = fit.scales_for(source_mci=10.0, days=50.0, deployments=3, mass_scale=2.0, background_scale=0.5)
    tau = exp.source.mean_life_days
    assert sig == pytest.approx(2 * 3 * 2 * (1 - np.exp(-50 / tau)) / (1 - np.exp(-100 / tau)), rel=1e-12, abs=0)
    assert bkg == pytest.approx(0.5 * 3 * 2 * 0.5, rel=1e-12, abs=0)
    thresholds = [1.0, 2.5, 4.0]
    assert fit.threshold_scan(thresholds) == pytest.approx([fit.limit(t) for t in thresholds], rel=1e-12, abs=0)
    assert fit.threshold_scan(thresholds, signal_scale=2.0) == pytest.approx(
        [fit.limit(t, signal_scale=2.0) for t in thresholds], rel=1e-12, abs=0
    )


def test_pseudo_experiments_scatter_around_the_asimov_limit(fit):
    limits = fit.pseudo_experiment_limits(n=200, seed=7)
    assert limits.shape == (200,) and np.all(limits > 0)
    assert np.median(limits) == pytest.approx(fit.limit(), rel=0.1, abs=0)
    assert np.array_equal(limits, fit.pseudo_experiment_limits(n=200, seed=7))
    assert not np.array_equal(limits, fit.pseudo_experiment_limits(n=200, seed=8))
    more = fit.pseudo_experiment_limits(n=200, seed=7, signal_scale=4.0)
    assert np.median(more) < np.median(limits)


def test_data_limit_profiles_the_best_fit(fit):

    _, S, M, B = fit.spectra()
    target = fit.delta_chi2
    # Asimov data without a moment: the data limit is the Asimov limit
    assert _data_limit(S, M, B, S + B, target) * 1e-12 == pytest.approx(fit.limit(), rel=1e-6, abs=0)
    # data with a moment: the limit lies above the injected moment, and the chi2 rise from the
    # best fit (x_hat = mu^2 > 0, not the boundary) reaches the threshold there
    x_true = 16.0
    data = S + x_true * M + B
    lim = _data_limit(S, M, B, data, target)
    assert lim > 4.0

    assert poisson_chi2(S + lim**2 * M + B, data) - poisson_chi2(data, data) == pytest.approx(target, rel=1e-6, abs=0)


def test_profiled_gaussian_chi2_free_background_equals_numerical_minimum():
    from scipy import optimize

    rng = np.random.default_rng(3)
    S = rng.uniform(50, 100, 30)
    B = rng.uniform(20, 60, 30) * np.linspace(0.5, 1.5, 30)
    D = S * 0.9 + B * 1.1 + rng.normal(0, 3, 30)
    for ss, sb in ((None, None), (0.02, None), (None, 0.005), (0.05, 0.01)):
        chi2, a, b = profiled_gaussian_chi2(S, B, D, ss, sb)

        def full(p, ss=ss, sb=sb):
            pen = (0 if ss is None else (p[0] / ss) ** 2) + (0 if sb is None else (p[1] / sb) ** 2)
            return np.sum(((1 + p[0]) * S + (1 + p[1]) * B - D) ** 2 / D) + pen

        best = optimize.minimize(full, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
        assert chi2 == pytest.approx(best.fun, rel=1e-6, abs=1e-9)
        assert (a, b) == pytest.approx(tuple(best.x), abs=1e-4)
