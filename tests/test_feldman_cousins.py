"""Feldman–Cousins construction for the sterile search: the statistic, the toys, the committed map."""

import numpy as np
import pytest
from scipy import stats

from lxenu.analyses.sterile import SterileFit
from lxenu.stats import feldman_cousins as fc


@pytest.fixture(scope="module")
def fit():
    return SterileFit.for_experiment()


@pytest.fixture(scope="module")
def model(fit):
    return fc.LinearOscillationModel.from_sterile_fit(fit)


def _lstsq_chi2(model, data, s, m):
    """Brute force: weighted least squares with the priors as pseudo-measurements."""
    S = model.signal_no_osc - s * model.deficit([m])[0]
    B = model.background
    sig = np.sqrt(model.signal_no_osc + B)
    X = np.column_stack([S / sig, B / sig])
    y = data / sig
    if model.norm_sigma is not None:
        X = np.vstack([X, [1 / model.norm_sigma, 0]])
        y = np.append(y, 1 / model.norm_sigma)
    X = np.vstack([X, [0, 1 / model.background_sigma]])
    y = np.append(y, 1 / model.background_sigma)
    c, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.sum((X @ c - y) ** 2))


@pytest.mark.parametrize("norm_sigma", [None, 0.02])
def test_profiled_chi2_matches_least_squares(model, norm_sigma):
    mod = fc.LinearOscillationModel(model.signal_no_osc, model.background, model.deficit_fn, norm_sigma, 0.005)
    rng = np.random.default_rng(3)
    D = rng.poisson(mod.prediction(0.2, 2.0), size=(3, mod.signal_no_osc.size)).astype(float)
    m = np.array([0.5, 2.0, 7.0])
    sums = fc._ToySums(mod, D, mod.deficit(m))
    for s in (0.0, 0.3, 1.0):
        got = sums.chi2_fixed_s(s)
        ref = np.array([[_lstsq_chi2(mod, d, s, mm) for mm in m] for d in D])
        np.testing.assert_allclose(np.broadcast_to(got, ref.shape), ref, rtol=1e-9, atol=1e-7)


def test_minimum_over_mixing_is_the_brute_force_minimum(model):
    rng = np.random.default_rng(4)
    D = rng.poisson(model.prediction(0.1, 1.0), size=(20, model.signal_no_osc.size)).astype(float)
    m = np.geomspace(0.3, 30, 7)
    sums = fc._ToySums(model, D, model.deficit(m))
    s = np.linspace(0.0, 1.0, 20001)
    brute = sums.chi2_fixed_s(s[:, None, None]).min(axis=0)
    got = sums.chi2_min_over_s()
    assert np.all(got <= brute + 1e-6)  # never above a point of the physical region
    np.testing.assert_allclose(got, brute, atol=1e-4)


def test_asimov_surface_is_the_sterile_fit_chi2(fit):
    s, m = fc.default_s_grid(12), fc.default_dm2_grid(9)
    np.testing.assert_allclose(fc.asimov_delta_chi2(fit, s, m), fit.chi2_grid(s, m), rtol=1e-6, atol=1e-6)


def test_same_seed_same_numbers(model):
    a = fc.toy_delta_chi2(model, 0.2, 1.0, 200, seed=11)
    b = fc.toy_delta_chi2(model, 0.2, 1.0, 200, seed=11)
    c = fc.toy_delta_chi2(model, 0.2, 1.0, 200, seed=12)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.all(a >= 0)


def test_fc_approaches_wilks_where_wilks_must_hold(model):
    """A million times the statistics, a small mixing (the variance equals the fit's sigma^2 to
    0.2 %), an interior point and a profile grid covering only its neighbourhood: the model is
    linear across its errors, and the toy Delta chi^2 must be chi^2 with 2 dof."""
    scale = 1e6
    big = fc.LinearOscillationModel(
        model.signal_no_osc * scale, model.background * scale, lambda m: model.deficit_fn(m) * scale, None, 0.005
    )
    d = fc.toy_delta_chi2(big, 0.01, 1.0, 4000, seed=5, dm2_profile_eV2=np.geomspace(0.95, 1.05, 801))
    lo, hi = fc.quantile_interval(d, 0.95, z=3.0)
    assert lo <= fc.WILKS_95_2DOF <= hi
    assert stats.kstest(d, stats.chi2(2).cdf).pvalue > 1e-3
    assert np.mean(d) == pytest.approx(2.0, abs=4 * 2.0 / np.sqrt(d.size))  # chi^2_2: mean 2, sd 2


def test_look_elsewhere_and_boundary_effects(model):
    """Where the experiment has no sensitivity, the minimum over many Delta m^2 patterns
    pushes the critical value above Wilks; at full mixing the bound at s = 1 pulls it below."""
    prof = fc.default_profile_grid()
    weak = fc.toy_delta_chi2(model, 0.01, 1.0, 1000, seed=6, dm2_profile_eV2=prof)
    strong = fc.toy_delta_chi2(model, 1.0, 2.0, 1000, seed=6, dm2_profile_eV2=prof)
    assert fc.quantile_interval(weak, 0.95, z=3.0)[0] > fc.WILKS_95_2DOF
    assert fc.quantile_interval(strong, 0.95, z=3.0)[1] < fc.WILKS_95_2DOF


def test_committed_map_is_found_and_reproduced(fit, model):
    s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
    name = fc.map_file_name(fit, s, m, 1000, 1998)
    assert (fc.PACKAGE_DATA_DIR / name).exists(), "regenerate with scripts/make_fc_map.py"
    crit = fc.fc_critical_values(fit, s, m, 1000, 1998, cache=True)
    assert crit.shape == (50, 50)
    # recompute a few points with 400 new toys: the committed value must sit at the 95 % point
    n = 400
    for i, j in [(0, 10), (25, 25), (40, 20), (49, 30)]:
        d = fc.toy_delta_chi2(model, s[i], m[j], n, seed=777, dm2_profile_eV2=fc.default_profile_grid(), index=(i, j))
        frac = np.mean(d <= crit[i, j])
        err = np.sqrt(0.95 * 0.05 / n + 0.95 * 0.05 / 1000)
        assert abs(frac - 0.95) < 4 * err, (i, j, frac)


def test_exclusion_curve_interpolates_in_log_s():
    s = np.array([0.01, 0.1, 1.0])
    dchi2 = np.array([[1.0, 0.0], [3.0, 0.0], [9.0, 0.0]])
    out = fc.exclusion_curve(dchi2, 5.0, s)
    assert out[0] == pytest.approx(
        10 ** (-2 / 3), rel=1e-6, abs=0
    )  # 5 is a third of the way from 3 to 9: a third of a decade
    assert out[1] == np.inf


def test_fc_sensitivity_wilks_column_matches_the_sterile_fit(fit):
    res = fc.fc_sensitivity(fit, [1.0, 5.0], n_toys=100, seed=1, s_grid=np.geomspace(0.02, 1, 60))
    np.testing.assert_allclose(res["wilks"], fit.sensitivity([1.0, 5.0]), rtol=0.01)
    assert res["critical_values"].shape == (60, 2)
    assert np.all(np.isfinite(res["fc"]))


def test_exclusion_bands_and_the_coverage_of_fc(fit):
    """No-oscillation toys against the committed FC map: the bands are ordered, they contain the
    Asimov sensitivity, and FC excludes even the smallest mixing (no sensitivity there: it stands
    for the true s = 0) in about 5 % of the toys, where Wilks' 5.99 does so far more often."""
    s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
    cols = [10, 20, 30, 40]
    crit = fc.fc_critical_values(fit, s, m, 1000, 1998)[:, cols]
    n = 300
    b = fc.exclusion_bands(fit, s, m[cols], crit, n_toys=n, seed=3)
    for lo, hi in [("minus2", "minus1"), ("minus1", "median"), ("median", "plus1"), ("plus1", "plus2")]:
        assert np.all(b[lo] <= b[hi])
    asimov = fc.exclusion_curve(fc.asimov_delta_chi2(fit, s, m[cols]), crit, s)
    assert np.all((b["minus2"] <= asimov) & (asimov <= b["plus2"]))
    false_fc = np.mean(b["curves"] <= s[0], axis=0)
    wilks = fc.exclusion_bands(fit, s, m[cols], fc.WILKS_95_2DOF, n_toys=n, seed=3)
    false_wilks = np.mean(wilks["curves"] <= s[0], axis=0)
    err = np.sqrt(0.05 * 0.95 / n)
    assert np.all(np.abs(false_fc - 0.05) < 4 * err)
    assert np.all(false_wilks > 0.05 + 4 * err)


def test_bad_input_names_the_parameter(fit):
    with pytest.raises(ValueError, match="n_toys"):
        fc.fc_critical_values(fit, [0.1], [1.0], n_toys=0, cache=False)
    with pytest.raises(ValueError, match="s_grid"):
        fc.fc_critical_values(fit, [1.5], [1.0], n_toys=100, cache=False)
    with pytest.raises(ValueError, match="m_grid"):
        fc.fc_critical_values(fit, [0.1], [-1.0], n_toys=100, cache=False)
    with pytest.raises(ValueError, match="cl"):
        fc.fc_critical_values(fit, [0.1], [1.0], n_toys=100, cl=1.2, cache=False)


def test_committed_map_points_are_reproduced_exactly(fit, model):
    """Each grid point has its own random stream: recomputing one point alone gives the stored number."""
    s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
    crit = fc.fc_critical_values(fit, s, m, 1000, 1998)
    prof = np.union1d(fc.default_profile_grid(), m)
    for i, j in [(3, 44), (30, 12)]:
        one = fc._critical_values(model, s[[i]], m[[j]], 1000, 1998, 0.95, prof, index_offset=(i, j))
        assert one[0, 0] == pytest.approx(crit[i, j], rel=1e-6, abs=0)  # stored as float32


def test_workers_do_not_change_the_numbers(model):
    s, m = fc.default_s_grid(3), fc.default_dm2_grid(4)
    one = fc._critical_values(model, s, m, 50, 9, 0.95, fc.default_profile_grid(61))
    two = fc._critical_values(model, s, m, 50, 9, 0.95, fc.default_profile_grid(61), workers=2)
    np.testing.assert_array_equal(one, two)
