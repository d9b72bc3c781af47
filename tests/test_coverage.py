"""Coverage of the mu_nu upper limit, and CLs."""

import numpy as np
import pytest

from lxenu.analyses.magnetic_moment import MagneticMomentFit, _data_limit
from lxenu.stats import coverage as cv


@pytest.fixture(scope="module")
def fit():
    return MagneticMomentFit(convention="one_sided")


@pytest.fixture(scope="module")
def spectra(fit):
    return cv._spectra(fit, 2.0)


def test_vectorised_limits_match_the_fit(fit, spectra):
    S, M, B = spectra
    rng = np.random.default_rng(1)
    D = rng.poisson(S + 9.0 * M + B, size=(6, S.size)).astype(float)
    got = cv.limits_from_data(S, M, B, D, fit.delta_chi2)
    ref = np.array([_data_limit(S, M, B, d, fit.delta_chi2) ** 2 for d in D])
    np.testing.assert_allclose(got, ref, rtol=1e-8)
    asimov = cv.limits_from_data(S, M, B, (S + B)[None, :], fit.delta_chi2)[0]
    assert np.sqrt(asimov) * 1e-12 == pytest.approx(fit.limit(2.0), rel=1e-8, abs=0)


def test_best_fit_is_the_constrained_minimum(spectra):
    S, M, B = spectra
    rng = np.random.default_rng(2)
    D = rng.poisson(S + 20.0 * M + B, size=(8, S.size)).astype(float)
    xh = cv.best_fit_x(S, M, B, D)
    assert np.all(xh >= 0)
    grid = np.linspace(0, 150, 3001)
    for d, x in zip(D, xh):
        chi = cv._chi2(S, M, B, np.broadcast_to(d, (grid.size, d.size)), grid)
        assert cv._chi2(S, M, B, d[None], np.array([x]))[0] <= chi.min() + 1e-9


def test_coverage(fit):
    rows = cv.limit_coverage(fit, [0.0, 3e-12, 8e-12], n_toys=1000, seed=2011)
    by = {r["mu_true_muB"]: r for r in rows}
    assert by[0.0]["coverage"] == 1.0  # every limit is >= 0
    # near the boundary (mu^2 within ~1 sigma of 0) Chernoff's mixture over-covers
    assert by[3e-12]["coverage"] > 0.95 + 3 * by[3e-12]["error"]
    # away from it the one-sided Delta chi^2 = 2.71 limit is a 95 % limit
    assert abs(by[8e-12]["coverage"] - 0.95) < 3 * np.sqrt(0.95 * 0.05 / 1000)
    assert by[8e-12]["median_limit_muB"] > by[3e-12]["median_limit_muB"]


def test_same_seed_same_numbers(fit):
    a = cv.limit_coverage(fit, [5e-12], n_toys=100, seed=7)
    b = cv.limit_coverage(fit, [5e-12], n_toys=100, seed=7)
    assert a == b


def test_cls_is_never_below_clsb():
    q = np.linspace(0.0, 12.0, 61)[:, None]
    x = np.array([1.0, 5.0, 20.0, 60.0])[None, :]
    r = cv.cls_asymptotic(q, x, 10.0)
    assert np.all(r["cls"] >= r["clsb"] - 1e-15)
    assert np.all((r["clb"] >= 0) & (r["clb"] <= 1) & np.isfinite(r["cls"]))


def test_cls_limits_are_above_the_clsb_limits(fit, spectra):
    S, M, B = spectra
    rng = np.random.default_rng(3)
    D = rng.poisson(S + B, size=(20, S.size)).astype(float)
    cls = cv.cls_limits_asymptotic(S, M, B, D, 0.05)
    plain = cv.limits_from_data(S, M, B, D, fit.delta_chi2)
    assert np.all(cls >= plain * (1 - 1e-9))


def test_cls_toys_against_asymptotics(fit):
    """For the background-only Asimov data, q_obs is the median of q under the background
    hypothesis: CLb = 1/2 asymptotically; toys agree within their error, and CLs >= CLs+b."""
    r = cv.cls_toys(fit, 4.8e-12, n_toys=2000, seed=2002)
    assert r["cls"] >= r["clsb"]
    assert r["asymptotic"]["clb"] == pytest.approx(0.5, abs=1e-6)
    assert abs(r["clb"] - 0.5) < 3 * r["clb_error"]
    # q_obs ~ 2.71 at the Asimov limit: CLs+b ~ 5 % asymptotically
    assert r["asymptotic"]["clsb"] == pytest.approx(0.05, abs=0.002)


def test_bad_input(fit, spectra):
    S, M, B = spectra
    with pytest.raises(ValueError, match="mu_true_muB"):
        cv.limit_coverage(fit, [-1e-12], n_toys=10)
    with pytest.raises(ValueError, match="mu_true_muB must not contain NaN"):
        cv.limit_coverage(fit, [float("nan")], n_toys=10)
    with pytest.raises(ValueError, match="method"):
        cv.limit_coverage(fit, [1e-12], n_toys=10, method="bayes")
    with pytest.raises(ValueError, match="mu_test_muB"):
        cv.cls_toys(fit, 0.0, n_toys=10)
    for seed, match in [(-1, "seed must lie in"), ("a", "seed must be a number"), (float("nan"), "seed must be")]:
        with pytest.raises(ValueError, match=match):
            cv.limit_coverage(fit, [1e-12], n_toys=10, seed=seed)
        with pytest.raises(ValueError, match=match):
            cv.cls_toys(fit, 4e-12, n_toys=10, seed=seed)
    # CLs: the tested moment and sigma must be > 0, q~ >= 0
    with pytest.raises(ValueError, match="sigma"):
        cv.cls_asymptotic(1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="sigma"):
        cv.cls_asymptotic(1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="q_obs"):
        cv.cls_asymptotic(float("nan"), 1.0, 1.0)
    with pytest.raises(ValueError, match="q_obs"):
        cv.cls_asymptotic(-0.5, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"x must lie in \(0, inf\)"):
        cv.cls_asymptotic(1.0, 0.0, 1.0)
    # data: finite counts >= 0 in the fit's bins
    with pytest.raises(ValueError, match="data must hold finite counts >= 0"):
        cv.cls_toys(fit, 4e-12, data=-(S + B), n_toys=10)
    with pytest.raises(ValueError, match="data must be data sets of"):
        cv.cls_toys(fit, 4e-12, data=np.ones(S.size + 1), n_toys=10)
    with pytest.raises(ValueError, match="data must hold finite counts >= 0"):
        cv.limits_from_data(S, M, B, np.full(S.size, np.inf))
    with pytest.raises(ValueError, match="delta_chi2"):
        cv.limits_from_data(S, M, B, S + B, delta_chi2=0.0)
    with pytest.raises(ValueError, match=r"alpha must lie in \(0, 1\)"):
        cv.cls_limits_asymptotic(S, M, B, S + B, alpha=1.5)
