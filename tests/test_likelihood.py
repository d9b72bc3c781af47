import numpy as np
import pytest
from scipy import optimize

from lxenu.stats.chi2 import poisson_chi2, profiled_gaussian_chi2
from lxenu.stats.likelihood import (
    BEST_ACTIVITY_RELATIVE_SIGMA,
    PoissonNuisanceModel,
    profile_gaussian_quadratic,
    profile_poisson,
    source_off_sigma,
)


@pytest.fixture(scope="module")
def toy():
    """A small spectrum: falling signal, flatter magnetic part, two background shapes."""
    T = np.linspace(1.0, 50.0, 60)
    S = 40.0 * np.exp(-T / 30.0)
    M = 15.0 / T
    B1 = np.full_like(T, 25.0)
    B2 = 10.0 * np.exp(-(((T - 30.0) / 8.0) ** 2)) + 0.5
    return S, M, np.vstack([B1, B2])


def brute_force(S, M, B, data, x, sigmas, start):
    """Independent minimisation: Nelder-Mead on the explicit chi^2 with pulls."""
    free = [i for i, s in enumerate(sigmas) if s is None or s > 0]

    def f(p):
        theta = np.ones(len(sigmas))
        theta[free] = p
        N = theta[0] * (S + x * M) + theta[1:] @ B
        if np.any(N <= 0):
            return 1e30
        pulls = sum(((theta[i] - 1.0) / sigmas[i]) ** 2 for i in free if sigmas[i] is not None)
        return poisson_chi2(N, data) + pulls

    res = optimize.minimize(
        f,
        np.asarray(start)[free],
        method="Nelder-Mead",
        options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 40000, "maxfev": 40000},
    )
    theta = np.ones(len(sigmas))
    theta[free] = res.x
    return res.fun, theta


@pytest.mark.parametrize("sigmas", [(None, 0.05, 0.0), (0.02, None, None), (0.1, 0.01, 0.3), (None, None, None)])
@pytest.mark.parametrize("x", [0.0, 0.7, 3.0])
def test_newton_profile_equals_numerical_minimisation(toy, sigmas, x):
    S, M, B = toy
    rng = np.random.default_rng(7)
    data = rng.poisson(S + B.sum(axis=0)).astype(float)
    chi2, theta = profile_poisson(S + x * M, B, data, sigmas[0], sigmas[1:])
    ref, ref_theta = brute_force(S, M, B, data, x, sigmas, [1.05, 0.97, 1.02])
    assert chi2 == pytest.approx(ref, rel=1e-9, abs=1e-9)
    assert chi2 <= ref + 1e-9  # Newton finds the minimum, not just a nearby point
    np.testing.assert_allclose(theta, ref_theta, atol=2e-6)


def test_newton_profile_is_vectorised_over_x(toy):
    S, M, B = toy
    data = S + B.sum(axis=0) + 3.0
    xs = np.array([0.0, 0.5, 2.0, 5.0])
    chi2, theta = profile_poisson(S + xs[:, None] * M, B, data, None, (0.05, None))
    for i, x in enumerate(xs):
        c, t = profile_poisson(S + x * M, B, data, None, (0.05, None))
        assert chi2[i] == pytest.approx(c, rel=1e-12, abs=0)
        np.testing.assert_allclose(theta[i], t, rtol=1e-10)


def test_known_nuisances_give_the_plain_poisson_chi2(toy):
    S, M, B = toy
    data = S + B.sum(axis=0)
    chi2, theta = profile_poisson(S + 2.0 * M, B, data, 0.0, (0.0, 0.0))
    assert chi2 == pytest.approx(poisson_chi2(S + 2.0 * M + B.sum(axis=0), data), rel=1e-14, abs=0)
    np.testing.assert_array_equal(theta, 1.0)


def test_prior_width_enters_as_one_over_sigma_squared(toy):
    """A single pull: chi^2 = data fit + ((a - 1)/sigma)^2 exactly at the profiled a."""
    S, M, B = toy
    data = 1.1 * S + B.sum(axis=0)  # asks for a = 1.1
    for sigma in (0.01, 0.05, 0.5):
        chi2, theta = profile_poisson(S, B, data, sigma, (0.0, 0.0))
        a = theta[0]
        fit_part = poisson_chi2(a * S + B.sum(axis=0), data)
        assert chi2 == pytest.approx(fit_part + ((a - 1.0) / sigma) ** 2, rel=1e-12, abs=0)
        # gradient of the data term balances the pull: 2 sum S (1 - D/N) = -2 (a - 1)/sigma^2
        N = a * S + B.sum(axis=0)
        assert 2.0 * np.sum(S * (1.0 - data / N)) == pytest.approx(-2.0 * (a - 1.0) / sigma**2, rel=1e-7, abs=0)
    # a tight prior holds a near 1, a wide one lets it go to the data's 1.1
    assert profile_poisson(S, B, data, 1e-4, (0.0, 0.0))[1][0] == pytest.approx(1.0, abs=1e-3)
    assert profile_poisson(S, B, data, 1e3, (0.0, 0.0))[1][0] == pytest.approx(1.1, abs=1e-4)


def test_asimov_profile_is_zero_at_the_truth(toy):
    S, M, B = toy
    model = PoissonNuisanceModel(S, M, B, None, (None, 0.1))
    c, slope, theta = model.profile(0.0)
    assert c == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(theta, 1.0, atol=1e-9)
    assert np.all(np.diff(model.chi2(np.linspace(0.0, 5.0, 11))) > 0)


def test_best_fit_recovers_an_injected_moment(toy):
    S, M, B = toy
    model = PoissonNuisanceModel(S, M, B, 0.02, (None, 0.1))
    data = S + 1.7 * M + B.sum(axis=0)
    x_hat, c, theta = model.best_fit(data)
    assert x_hat == pytest.approx(1.7, rel=1e-7, abs=0)
    assert c == pytest.approx(0.0, abs=1e-10)


def test_upper_limit_crosses_the_threshold(toy):
    S, M, B = toy
    for sig in [(0.0, (0.0, 0.0)), (None, (None, 0.05))]:
        model = PoissonNuisanceModel(S, M, B, sig[0], sig[1])
        x = model.upper_limit(2.71)
        assert model.chi2(x) == pytest.approx(2.71, rel=1e-10, abs=0)
        data = np.random.default_rng(3).poisson(S + B.sum(axis=0)).astype(float)
        x_hat, base, _ = model.best_fit(data)
        xd = model.upper_limit(2.71, data)
        assert xd > x_hat
        assert model.chi2(xd, data) - base == pytest.approx(2.71, rel=1e-9, abs=0)


def test_freeing_a_nuisance_never_tightens_the_limit(toy):
    S, M, B = toy
    known = PoissonNuisanceModel(S, M, B, 0.0, (0.0, 0.0)).upper_limit(2.71)
    prior = PoissonNuisanceModel(S, M, B, 0.05, (0.05, 0.05)).upper_limit(2.71)
    free = PoissonNuisanceModel(S, M, B, None, (None, None)).upper_limit(2.71)
    assert known < prior < free


def test_source_off_sigma():
    # 3600 background events in 100 live days, 300 days source-off: N_off = 10800
    assert source_off_sigma(3600.0, 100.0, 300.0) == pytest.approx(1.0 / np.sqrt(10800.0), rel=1e-14, abs=0)
    with pytest.raises(ValueError, match="off_live_days"):
        source_off_sigma(3600.0, 100.0, 0.0)


def test_best_activity_prior():
    # Barinov et al., PRL 128 (2022) 232501: 3.414 MCi; +- 0.008 MCi is 0.23 %
    assert BEST_ACTIVITY_RELATIVE_SIGMA == pytest.approx(0.008 / 3.414, rel=1e-12, abs=0)


def test_gaussian_quadratic_profile_matches_the_two_parameter_closed_form():
    rng = np.random.default_rng(1)
    S = rng.uniform(10, 50, (5, 30))
    B = rng.uniform(20, 40, 30)
    D = S[0] + B + rng.normal(0, 3, 30)
    ref, a_ref, b_ref = profiled_gaussian_chi2(S, B, D, 0.03, 0.005)
    w = 1.0 / D
    r = S + B - D
    g = np.stack([np.sum(w * r * S, axis=-1), np.sum(w * r * B, axis=-1)], axis=-1)
    A = np.empty((5, 2, 2))
    A[:, 0, 0] = np.sum(w * S * S, axis=-1)
    A[:, 1, 1] = np.sum(w * B * B)
    A[:, 0, 1] = A[:, 1, 0] = np.sum(w * S * B, axis=-1)
    chi2, theta = profile_gaussian_quadratic(np.sum(w * r * r, axis=-1), g, A, [1 / 0.03**2, 1 / 0.005**2])
    np.testing.assert_allclose(chi2, ref, rtol=1e-10)
    np.testing.assert_allclose(theta[:, 0], a_ref, rtol=1e-8)
    np.testing.assert_allclose(theta[:, 1], b_ref, rtol=1e-8)


def test_bad_widths_are_rejected(toy):
    S, M, B = toy
    with pytest.raises(ValueError, match="signal_norm_sigma"):
        PoissonNuisanceModel(S, M, B, -0.1, (0.0, 0.0))
    with pytest.raises(ValueError, match="background_norm_sigma"):
        PoissonNuisanceModel(S, M, B, 0.0, (0.0, float("nan")))
    with pytest.raises(ValueError, match="one entry per background"):
        profile_poisson(S, B, S + B.sum(axis=0), 0.0, (0.0,))


# -- the fast single-x path, sparse data and the unscaled magnetic part ----------------------------
@pytest.fixture(scope="module")
def sparse():
    """A (T, L)-like binning with ~0.05 events per bin: pseudo-experiments are mostly empty bins."""
    T = np.linspace(1.0, 50.0, 400)
    f_L = np.linspace(2.0, 0.5, 30)
    S = np.outer(0.02 * np.exp(-T / 30.0), f_L / f_L.sum()).ravel()
    M = np.outer(0.6 / T, f_L / f_L.sum()).ravel()
    B = np.vstack([np.full(S.size, 0.03), np.outer(np.exp(-(((T - 30.0) / 8.0) ** 2)) * 0.3, np.ones(30) / 30).ravel()])
    data = np.random.default_rng(5).poisson(S + B.sum(axis=0)).astype(float)
    assert np.mean(data == 0) > 0.8
    return S, M, B, data


@pytest.mark.parametrize("sigmas", [(None, (None, 0.1)), (0.02, (None, None)), (0.0, (0.0, 0.0))])
def test_empty_bins_enter_through_their_sums(sparse, sigmas):
    """Dropping the empty bins of a data set (they add 2 N, linear) changes nothing: the single-x path
    (which drops them) equals the batched path (which does not), chi^2, slope and normalisations."""
    S, M, B, data = sparse
    model = PoissonNuisanceModel(S, M, B, sigmas[0], sigmas[1])
    for x in (0.0, 0.8, 3.0):
        c1, s1, t1 = model.profile(x, data)
        c2, s2, t2 = model.profile(np.array([x]), data)
        assert c1 == pytest.approx(c2[0], rel=1e-9, abs=1e-9)
        assert s1 == pytest.approx(s2[0], rel=1e-6, abs=1e-9)
        np.testing.assert_allclose(t1, t2[0], rtol=1e-7)
    assert model._bins_for(data).D.size == np.count_nonzero(data)  # the empty bins were dropped


def test_upper_limit_with_sparse_data_crosses_the_threshold(sparse):
    S, M, B, data = sparse
    model = PoissonNuisanceModel(S, M, B, 0.05, (None, 0.1))
    x_hat, base, _ = model.best_fit(data)
    x = model.upper_limit(2.71, data)
    assert x_hat < x < 1e3
    assert float(model.chi2(np.array([x]), data)[0]) - base == pytest.approx(2.71, rel=1e-8, abs=0)


def test_unscaled_magnetic_part_against_brute_force(toy):
    """N = a (S + x M) + x M0 + b.B: the solar-like M0 grows with x but not with a."""
    S, M, B = toy
    M0 = 4.0 / S.size * np.ones_like(S) + 6.0 / np.linspace(1.0, 50.0, S.size)
    data = np.random.default_rng(9).poisson(S + B.sum(axis=0)).astype(float)
    model = PoissonNuisanceModel(S, M, B, None, (0.05, None), magnetic_unscaled=M0)
    for x in (0.5, 2.0):
        chi2, slope, theta = model.profile(x, data)

        def f(p, x=x):
            a, b1, b2 = p  # every normalisation free but b1, which has a 5 % prior
            N = a * (S + x * M) + x * M0 + b1 * B[0] + b2 * B[1]
            if np.any(N <= 0):
                return 1e30
            return poisson_chi2(N, data) + ((b1 - 1.0) / 0.05) ** 2

        res = optimize.minimize(
            f,
            [1.03, 0.98, 1.02],
            method="Nelder-Mead",
            options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 40000, "maxfev": 40000},
        )
        assert chi2 == pytest.approx(res.fun, rel=1e-9, abs=1e-9)
        assert chi2 <= res.fun + 1e-9
        np.testing.assert_allclose(theta, res.x, atol=2e-6)
        # the slope is the derivative of the profiled chi^2 (envelope theorem)
        h = 1e-5
        num = (model.chi2(np.array([x + h]), data)[0] - model.chi2(np.array([x - h]), data)[0]) / (2 * h)
        assert slope == pytest.approx(num, rel=1e-5, abs=0)
    # M0 = 0 is the model without it
    plain = PoissonNuisanceModel(S, M, B, None, (0.05, None))
    zero = PoissonNuisanceModel(S, M, B, None, (0.05, None), magnetic_unscaled=np.zeros_like(S))
    assert zero.upper_limit(2.71) == pytest.approx(plain.upper_limit(2.71), rel=1e-12, abs=0)
    # extra magnetic signal can only tighten the limit
    assert model.upper_limit(2.71) < plain.upper_limit(2.71)


def test_linear_response_is_the_small_x_curvature(toy):
    """Asimov: chi^2(x) = F x^2 + O(x^3) with F the profiled Fisher information."""
    S, M, B = toy
    for sigmas in ((0.0, (0.0, 0.0)), (None, (None, 0.1)), (0.02, (None, None))):
        model = PoissonNuisanceModel(S, M, B, sigmas[0], sigmas[1])
        F, dtheta = model.linear_response(np.ones(3))
        x = 1e-3
        c, _, theta = model.profile(x)
        assert c / x**2 == pytest.approx(F, rel=2e-3, abs=0)
        np.testing.assert_allclose((theta - 1.0) / x, dtheta, rtol=5e-3, atol=1e-8)


def test_templates_and_data_must_be_counts(toy):
    S, M, B = toy
    with pytest.raises(ValueError, match="S must be"):
        PoissonNuisanceModel(-S, M, B, 0.0, (0.0, 0.0))
    with pytest.raises(ValueError, match="magnetic_unscaled"):
        PoissonNuisanceModel(S, M, B, 0.0, (0.0, 0.0), magnetic_unscaled=np.full_like(S, np.nan))
    model = PoissonNuisanceModel(S, M, B, None, (0.0, 0.0))
    with pytest.raises(ValueError, match="data"):
        model.upper_limit(2.71, np.full_like(S, -1.0))
    with pytest.raises(ValueError, match="data"):
        model.profile(1.0, S[:-1])


def test_default_normalisations_are_known(toy):
    """Without widths the signal and the (one) background normalisation are known: the plain chi^2."""
    S, M, B = toy
    data = np.round(S + B[0] + 2.0)
    chi2, theta = profile_poisson(S, B[:1], data)
    assert chi2 == pytest.approx(poisson_chi2(S + B[0], data), rel=1e-14, abs=0)
    np.testing.assert_array_equal(theta, 1.0)


def test_batch_of_data_sets_with_empty_bins_equals_one_by_one(toy):
    """Toys as a batch of data sets (some bins empty, where the Poisson chi^2 is 2N): each row is
    the profile of that data set alone, and the minimum of the explicit chi^2 with its pulls."""
    S, M, B = toy
    small = 0.05
    rng = np.random.default_rng(3)
    data = rng.poisson(small * (S + B.sum(axis=0)), size=(4, S.size)).astype(float)
    assert np.any(data == 0.0)
    sigmas = (0.05, None, 0.3)
    chi2, theta = profile_poisson(small * S, small * B, data, sigmas[0], sigmas[1:])
    assert chi2.shape == (4,) and theta.shape == (4, 3)
    for i in range(4):
        c, t = profile_poisson(small * S, small * B, data[i], sigmas[0], sigmas[1:])
        assert chi2[i] == pytest.approx(c, rel=1e-12, abs=0)
        np.testing.assert_allclose(theta[i], t, rtol=1e-9)
    ref, ref_theta = brute_force(small * S, 0.0 * M, small * B, data[0], 0.0, sigmas, [1.0, 1.0, 1.0])
    assert chi2[0] == pytest.approx(ref, rel=1e-8, abs=1e-8)
    np.testing.assert_allclose(theta[0], ref_theta, atol=1e-5)


def test_a_warm_start_outside_the_physical_region_is_abandoned(toy):
    """A start whose prediction is negative somewhere restarts from the nominal normalisations."""
    S, M, B = toy
    data = np.round(1.05 * S + B.sum(axis=0))
    sigmas = (None, 0.05, None)
    cold = profile_poisson(S, B, data, sigmas[0], sigmas[1:])
    warm = profile_poisson(S, B, data, sigmas[0], sigmas[1:], start=np.array([-3.0, -3.0, -3.0]))
    assert warm[0] == pytest.approx(cold[0], rel=1e-10, abs=0)
    np.testing.assert_allclose(warm[1], cold[1], rtol=1e-8)
