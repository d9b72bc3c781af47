"""Feldman–Cousins construction for the sterile search: the statistic, the toys, the committed maps."""

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


def _with_norm(model, norm_sigma):
    return fc.LinearOscillationModel(model.signal_no_osc, model.background, model.deficit_fn, norm_sigma, 0.005)


def _lstsq(model, data, s, m, aux=(0.0, 0.0)):
    """Brute force: weighted least squares with the priors as pseudo-measurements at (a0, b0).

    Returns (chi^2, a, b)."""
    S = model.signal_no_osc - s * model.deficit([m])[0]
    B = model.background
    sig = np.sqrt(model.signal_no_osc + B)
    X = np.column_stack([S / sig, B / sig])
    y = data / sig
    if model.norm_sigma is not None:
        X = np.vstack([X, [1 / model.norm_sigma, 0]])
        y = np.append(y, (1 + aux[0]) / model.norm_sigma)
    X = np.vstack([X, [0, 1 / model.background_sigma]])
    y = np.append(y, (1 + aux[1]) / model.background_sigma)
    c, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.sum((X @ c - y) ** 2)), c[0] - 1, c[1] - 1


@pytest.mark.parametrize("norm_sigma", [None, 0.02])
def test_profiled_chi2_matches_least_squares_with_fluctuated_priors(model, norm_sigma):
    """The prior centres (a0, b0) enter the sums linearly; the result is the brute-force minimum."""
    mod = _with_norm(model, norm_sigma)
    rng = np.random.default_rng(3)
    D = rng.poisson(mod.prediction(0.2, 2.0), size=(3, mod.n_bins)).astype(float)
    aux = np.array([[0.0, 0.0], [0.03, -0.004], [-0.02, 0.007]])
    m = np.array([0.5, 2.0, 7.0])
    sums = fc._ToySums(fc._Normal(mod, mod.deficit(m)), D, aux)
    for s in (0.0, 0.3, 1.0):
        got = np.broadcast_to(sums.chi2_fixed_s(s), (3, 3))
        ref = np.array([[_lstsq(mod, d, s, mm, ax)[0] for mm in m] for d, ax in zip(D, aux)])
        np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-7)


@pytest.mark.parametrize("norm_sigma", [None, 0.02])
def test_minimum_over_mixing_is_the_brute_force_minimum(model, norm_sigma):
    mod = _with_norm(model, norm_sigma)
    rng = np.random.default_rng(4)
    D = rng.poisson(mod.prediction(0.1, 1.0), size=(300, mod.n_bins)).astype(float)
    aux = np.column_stack([0.02 * rng.standard_normal(300), 0.005 * rng.standard_normal(300)])
    m = np.geomspace(0.3, 30, 7)
    sums = fc._ToySums(fc._Normal(mod, mod.deficit(m)), D, aux)
    s = np.linspace(0.0, 1.0, 20001)
    brute = sums.chi2_fixed_s(s[:, None, None]).min(axis=0)
    got = sums.chi2_min_over_s()
    assert np.all(got <= brute + 1e-6)  # never above a point of the physical region
    np.testing.assert_allclose(got, brute, atol=1e-4)
    # the pruned global minimum is the same number
    np.testing.assert_allclose(sums.chi2_min(), got.min(axis=-1), rtol=0, atol=1e-9)


def test_asimov_surface_is_the_sterile_fit_chi2(fit):
    s, m = fc.default_s_grid(12), fc.default_dm2_grid(9)
    np.testing.assert_allclose(fc.asimov_delta_chi2(fit, s, m), fit.chi2_grid(s, m), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("norm_sigma", [None, 0.02])
def test_conditional_fit_on_asimov_data_at_the_truth_returns_the_truth(model, norm_sigma):
    mod = _with_norm(model, norm_sigma)
    for s, m, a, b in [(0.0, 1.0, 0.0, 0.0), (0.3, 2.0, 0.02, 0.003), (1.0, 0.5, -0.05, -0.004)]:
        asimov = mod.prediction(s, m, a, b)
        a_hat, b_hat = fc.conditional_nuisances(mod, s, m, asimov, (a, b))
        assert float(a_hat) == pytest.approx(a, abs=1e-10)
        assert float(b_hat) == pytest.approx(b, abs=1e-10)


def test_conditional_fit_is_the_least_squares_minimum(model):
    rng = np.random.default_rng(8)
    D = rng.poisson(model.prediction(0.0, 1.0), size=model.n_bins).astype(float)
    for s, m in [(0.05, 1.0), (0.5, 3.0), (1.0, 20.0)]:
        _, a, b = _lstsq(model, D, s, m)
        a_hat, b_hat = fc.conditional_nuisances(model, s, m, D)
        assert float(a_hat) == pytest.approx(a, rel=1e-8, abs=0)
        assert float(b_hat) == pytest.approx(b, rel=1e-8, abs=0)


def test_profile_construction_draws_at_the_profiled_nuisances(model):
    """At (0.5, 2 eV^2) the no-oscillation Asimov data pull the free normalisation up to fill the
    deficit and the background by less than its 0.5 % prior: the toys' mean is the prediction at
    those nuisances, and the background measurement b0 scatters by 0.5 % around b^."""
    s, m, n = 0.5, 2.0, 20_000
    a_hat, b_hat = fc.conditional_nuisances(model, s, m)
    deficit_fraction = s * model.deficit([m])[0].sum() / model.signal_no_osc.sum()
    assert 0 < float(a_hat) < deficit_fraction / (1 - deficit_fraction)  # (1 + a)(1 - f) = 1 at most
    assert abs(float(b_hat)) < min(3 * 0.005, float(a_hat) / 10)
    toys = fc.draw_toys(model, s, m, n, seed=21)
    assert toys["a"] == float(a_hat) and toys["b"] == float(b_hat)
    np.testing.assert_allclose(toys["expected"], model.prediction(s, m, a_hat, b_hat), rtol=1e-12)
    pull = (toys["data"].mean(axis=0) - toys["expected"]) / np.sqrt(toys["expected"] / n)
    assert stats.chi2(model.n_bins).sf(np.sum(pull**2)) > 1e-3  # the mean is the prediction
    assert np.max(np.abs(pull)) < 5
    assert np.all(toys["aux"][:, 0] == toys["a"])  # a free: nothing to fluctuate
    b0 = toys["aux"][:, 1]
    assert abs(b0.mean() - b_hat) < 4 * 0.005 / np.sqrt(n)
    assert b0.std() == pytest.approx(0.005, rel=4 / np.sqrt(2 * n), abs=0)


def test_nominal_construction_draws_at_zero_nuisances(model):
    toys = fc.draw_toys(model, 0.5, 2.0, 10, seed=21, construction="nominal")
    assert toys["a"] == 0.0 and toys["b"] == 0.0 and not toys["aux"].any()
    np.testing.assert_allclose(toys["expected"], model.prediction(0.5, 2.0), rtol=1e-12)
    # without oscillation the Asimov data fit a = b = 0: the constructions differ only by b0
    a0, b0 = fc.conditional_nuisances(model, 0.0, 2.0)
    assert abs(float(a0)) < 1e-12 and abs(float(b0)) < 1e-12


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


@pytest.mark.parametrize("construction", fc.CONSTRUCTIONS)
def test_committed_map_is_found_and_reproduced(fit, model, construction):
    s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
    name = fc.map_file_name(fit, s, m, 1000, 1998, construction=construction)
    assert (fc.PACKAGE_DATA_DIR / name).exists(), "regenerate with scripts/make_fc_map.py"
    crit = fc.fc_critical_values(fit, s, m, 1000, 1998, cache=True, construction=construction)
    assert crit.shape == (50, 50)
    # recompute a few points with 400 new toys: the committed value must sit at the 95 % point
    n = 400
    for i, j in [(0, 10), (25, 25), (40, 20), (49, 30)]:
        d = fc.toy_delta_chi2(
            model,
            s[i],
            m[j],
            n,
            seed=777,
            index=(i, j),
            dm2_profile_eV2=np.union1d(fc.default_profile_grid(), m),
            construction=construction,
        )
        frac = np.mean(d <= crit[i, j])
        err = np.sqrt(0.95 * 0.05 / n + 0.95 * 0.05 / 1000)
        assert abs(frac - 0.95) < 4 * err, (i, j, frac)


@pytest.mark.parametrize("construction", fc.CONSTRUCTIONS)
def test_committed_map_points_are_reproduced_exactly(fit, model, construction):
    """Each grid point has its own random stream: recomputing one point alone gives the stored number."""
    s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
    crit = fc.fc_critical_values(fit, s, m, 1000, 1998, construction=construction)
    prof = np.union1d(fc.default_profile_grid(), m)
    for i, j in [(3, 44), (30, 12), (49, 20)]:
        one = fc._critical_values(
            model, s[[i]], m[[j]], 1000, 1998, 0.95, prof, index_offset=(i, j), construction=construction
        )
        assert one[0, 0] == pytest.approx(crit[i, j], rel=1e-6, abs=0)  # stored as float32


def test_exclusion_curve_interpolates_in_log_s():
    s = np.array([0.01, 0.1, 1.0])
    dchi2 = np.array([[1.0, 0.0], [3.0, 0.0], [9.0, 0.0]])
    out = fc.exclusion_curve(dchi2, 5.0, s)
    assert out[0] == pytest.approx(
        10 ** (-2 / 3), rel=1e-6, abs=0
    )  # 5 is a third of the way from 3 to 9: a third of a decade
    assert out[1] == np.inf  # no exclusion is inf, not NaN
    # a per-point critical map broadcasts like the scalar
    np.testing.assert_array_equal(fc.exclusion_curve(dchi2, np.full((3, 2), 5.0), s), out)


def test_fc_sensitivity_wilks_column_matches_the_sterile_fit(fit):
    res = fc.fc_sensitivity(fit, [1.0, 5.0], n_toys=100, seed=1, s_grid=np.geomspace(0.02, 1, 60))
    np.testing.assert_allclose(res["wilks"], fit.sensitivity([1.0, 5.0]), rtol=0.01)
    assert res["critical_values"].shape == (60, 2)
    assert np.all(np.isfinite(res["fc"]))
    # where nothing on the grid is excluded, both report inf
    none = fc.fc_sensitivity(fit, [1.0], n_toys=20, seed=1, s_grid=[0.01, 0.012])
    assert none["fc"][0] == np.inf and none["wilks"][0] == np.inf


def test_exclusion_bands_and_the_coverage_of_fc(fit):
    """No-oscillation toy experiments (background measurement fluctuated) against the committed FC
    map: the bands are ordered, they contain the Asimov sensitivity, and FC excludes even the
    smallest mixing (no sensitivity there: it stands for the true s = 0) in about 5 % of the toys,
    where Wilks' 5.99 does so far more often."""
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
    # errors: the binomial error of these toys and that of the map's critical value (a quantile of 1,000 toys)
    err = np.hypot(np.sqrt(0.05 * 0.95 / n), np.sqrt(0.05 * 0.95 / 1000))
    assert np.all(np.abs(false_fc - 0.05) < 4 * err)
    assert np.all(false_wilks > 0.05 + 10 * err)


def test_workers_do_not_change_the_numbers(model):
    s, m = fc.default_s_grid(3), fc.default_dm2_grid(4)
    one = fc._critical_values(model, s, m, 50, 9, 0.95, fc.default_profile_grid(61))
    two = fc._critical_values(model, s, m, 50, 9, 0.95, fc.default_profile_grid(61), workers=2)
    np.testing.assert_array_equal(one, two)


# -- bad input: a ValueError naming the parameter, the value and the allowed range --------------
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_toys=0), "n_toys"),
        (dict(s_grid=[1.5]), r"s_grid must lie in \(0, 1\]"),
        (dict(s_grid=[0.5, 0.1]), "s_grid must be strictly increasing"),
        (dict(s_grid=[0.0, 0.5]), r"s_grid must lie in \(0, 1\]"),
        (dict(s_grid=["a"]), "s_grid must be a number"),
        (dict(m_grid=[-1.0]), "m_grid must lie in"),
        (dict(m_grid=[float("nan")]), "m_grid .*NaN"),
        (dict(cl=1.2), r"cl must lie in \(0, 1\)"),
        (dict(cl=0.0), r"cl must lie in \(0, 1\)"),
        (dict(seed=-1), "seed must lie in"),
        (dict(seed="a"), "seed must be a number"),
        (dict(seed=float("nan")), "seed must be an integer"),
        (dict(seed=1.5), "seed must be an integer"),
        (dict(workers=0), "workers"),
        (dict(construction="hybrid"), "construction must be one of"),
        (dict(reference_data=[1.0, 2.0]), "reference_data must have"),
        (dict(dm2_profile_eV2=[2.0, 1.0]), "dm2_profile_eV2 must be strictly increasing"),
    ],
)
def test_bad_input_of_the_map(fit, kwargs, match):
    args = dict(s_grid=[0.1], m_grid=[1.0], n_toys=100, cache=False)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        fc.fc_critical_values(fit, **args)


def test_bad_input_of_the_curves_and_surfaces(fit, model):
    s = np.array([0.01, 0.1, 1.0])
    d = np.zeros((3, 2))
    with pytest.raises(ValueError, match="s_grid must be strictly increasing"):
        fc.exclusion_curve(d, 5.0, s[::-1])
    with pytest.raises(ValueError, match=r"s_grid must lie in \(0, 1\]"):
        fc.exclusion_curve(d, 5.0, -s[::-1])
    with pytest.raises(ValueError, match="critical must be >= 0 and not NaN"):
        fc.exclusion_curve(d, float("nan"), s)
    with pytest.raises(ValueError, match="critical must be a scalar or broadcast"):
        fc.exclusion_curve(d, np.ones((4, 2)), s)
    with pytest.raises(ValueError, match="delta_chi2 must have shape"):
        fc.exclusion_curve(np.zeros((4, 2)), 5.0, s)
    with pytest.raises(ValueError, match=r"s_grid must lie in \[0, 1\]"):
        fc.asimov_delta_chi2(fit, [2.0], [1.0])
    with pytest.raises(ValueError, match="data must hold finite counts >= 0"):
        fc.delta_chi2_surface(model, -np.ones(model.n_bins), [0.1], [1.0])
    with pytest.raises(ValueError, match="data must have"):
        fc.delta_chi2_surface(model, np.ones(model.n_bins + 1), [0.1], [1.0])
    with pytest.raises(ValueError, match="aux must be"):
        fc.delta_chi2_surface(model, np.ones((2, model.n_bins)), [0.1], [1.0], aux=np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"cl must lie in \(0, 1\)"):
        fc.fc_sensitivity(fit, [1.0], cl=0)
    with pytest.raises(ValueError, match=r"cl must lie in \(0, 1\)"):
        fc.fc_sensitivity(fit, [1.0], cl=1.5)
    with pytest.raises(ValueError, match="dm2_values must lie in"):
        fc.fc_sensitivity(fit, [-1.0])
    with pytest.raises(ValueError, match="critical_values must be a scalar or broadcast"):
        fc.exclusion_bands(fit, s, [1.0, 2.0], np.ones((2, 2)), n_toys=2)
    with pytest.raises(ValueError, match="seed must lie in"):
        fc.exclusion_bands(fit, s, [1.0], 5.99, n_toys=2, seed=-1)
    with pytest.raises(ValueError, match="fit must be a SterileFit"):
        fc.fc_critical_values("fit", [0.1], [1.0], cache=False)
    with pytest.raises(ValueError, match=r"sin2_2theta must lie in \[0, 1\]"):
        fc.conditional_nuisances(model, 1.5, 1.0)
    with pytest.raises(ValueError, match="dm2_eV2 must lie in"):
        fc.draw_toys(model, 0.5, 0.0, 10, seed=1)


def test_bad_input_of_quantile_interval():
    with pytest.raises(ValueError, match="values must be a non-empty 1-d sample"):
        fc.quantile_interval([], 0.95)
    with pytest.raises(ValueError, match="values must be finite"):
        fc.quantile_interval([1.0, float("nan")], 0.95)
    with pytest.raises(ValueError, match=r"q must lie in \(0, 1\)"):
        fc.quantile_interval([1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="z must"):
        fc.quantile_interval([1.0, 2.0], 0.5, z=-1)
    assert fc.quantile_interval(np.arange(100.0), 0.5, z=0) == (50.0, 50.0)


def test_sensitivity_does_not_depend_on_the_order_of_the_dm2_values(model):
    a = fc.fc_sensitivity(model, [1.0, 5.0, 2.0], n_toys=30, seed=4, s_grid=np.geomspace(0.02, 1, 20))
    b = fc.fc_sensitivity(model, [5.0, 2.0, 1.0], n_toys=30, seed=4, s_grid=np.geomspace(0.02, 1, 20))
    np.testing.assert_array_equal(a["dm2_eV2"], [1.0, 5.0, 2.0])
    np.testing.assert_array_equal(a["fc"], b["fc"][[2, 0, 1]])
    np.testing.assert_array_equal(a["wilks"], b["wilks"][[2, 0, 1]])
    with pytest.raises(ValueError, match="dm2_values must be distinct"):
        fc.fc_sensitivity(model, [1.0, 1.0], n_toys=30)
