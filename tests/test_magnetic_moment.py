import numpy as np
import pytest

from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.constants import MU_UNIT
from lxenu.experiment.experiment import Experiment
from lxenu.predict.backgrounds import background_events_in_window
from lxenu.predict.signal import SignalPrediction
from lxenu.stats.chi2 import delta_chi2_threshold, poisson_chi2


def test_delta_chi2_conventions():
    assert delta_chi2_threshold(0.95, 1, "two_sided") == pytest.approx(3.841, abs=1e-3)
    assert delta_chi2_threshold(0.95, 1, "one_sided") == pytest.approx(2.706, abs=1e-3)
    assert delta_chi2_threshold(0.95, 2) == pytest.approx(5.991, abs=1e-3)
    with pytest.raises(ValueError, match="convention"):
        delta_chi2_threshold(0.95, 1, "bayesian")


def test_poisson_chi2_zero_at_truth_and_positive_elsewhere():
    data = np.array([3.0, 0.0, 10.0])
    assert poisson_chi2(data + np.array([0, 1e-300, 0]), data) == pytest.approx(0.0, abs=1e-12)
    assert poisson_chi2(data + 1.0, data) > 0


def test_chi2_zero_at_truth_and_grows_with_mu(mm_fit):
    mus = np.array([0.0, 1e-12, 3e-12, 1e-11])
    chi2 = mm_fit.chi2(mus)
    assert chi2[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(chi2) > 0)


def test_small_mu_chi2_matches_gaussian_expansion(mm_fit):
    # for small x = mu^2, chi2 ~ x^2 sum M^2 / (S + B)
    _, S, M, B = mm_fit.spectra(2.0)
    mu = 2e-13
    x = (mu / 1e-12) ** 2
    assert mm_fit.chi2(mu) == pytest.approx(x**2 * np.sum(M**2 / (S + B)), rel=1e-3, abs=0)


def test_paper_limit_at_2_keV(mm_fit):
    # paper, sect. 2: mu < 4.9e-12 mu_B at 95 % CL with a 2 keV threshold
    assert mm_fit.limit(2.0) == pytest.approx(4.9e-12, rel=0.10, abs=0)


def test_limit_is_where_delta_chi2_reaches_threshold(mm_fit):
    lim = mm_fit.limit(2.0)
    assert mm_fit.chi2(lim) == pytest.approx(mm_fit.delta_chi2, rel=1e-6, abs=0)


def test_chi2_uses_the_threshold_it_is_given(mm_fit):
    """chi^2 at another threshold is the Poisson chi^2 of that threshold's spectra, and the limit
    there is where that chi^2 reaches the threshold value."""
    mu = 5e-12
    _, S, M, B = mm_fit.spectra(5.0)
    x = (mu / MU_UNIT) ** 2
    assert mm_fit.chi2(mu, threshold_keV=5.0) == pytest.approx(poisson_chi2(S + x * M + B, S + B), rel=1e-12, abs=0)
    assert mm_fit.chi2(mu, threshold_keV=5.0) < mm_fit.chi2(mu)  # less of the 1/T rise above 5 keV
    assert mm_fit.chi2(mm_fit.limit(5.0), threshold_keV=5.0) == pytest.approx(mm_fit.delta_chi2, rel=1e-6, abs=0)


def test_two_sided_convention_is_weaker(paper, mm_fit):
    two = MagneticMomentFit(paper, convention="two_sided").limit(2.0)
    # limit ~ (Delta chi2)^(1/4) because chi2 ~ mu^4
    assert two / mm_fit.limit(2.0) == pytest.approx((3.841 / 2.706) ** 0.25, rel=0.01, abs=0)


def test_limit_falls_with_exposure(mm_fit):
    base = mm_fit.limit_for(2.0)
    five = mm_fit.limit_for(2.0, deployments=5)
    stronger = mm_fit.limit_for(2.0, source_mci=10.0)
    assert five < stronger < base
    # statistics-limited: the limit scales roughly as exposure^(-1/4)
    assert five / base == pytest.approx(5**-0.25, rel=0.05, abs=0)


def test_running_past_a_few_lifetimes_only_adds_background(mm_fit):
    # 200 instead of 100 days: the source (tau = 40 d) adds 8 % signal, the background doubles
    assert mm_fit.limit_for(2.0, days=200.0) > mm_fit.limit_for(2.0)
    # without background, more days always help
    assert mm_fit.limit_for(2.0, days=200.0, background_scale=0.0) < mm_fit.limit_for(2.0, background_scale=0.0)
    # a short run is statistics-starved
    assert mm_fit.limit_for(2.0, days=20.0) > mm_fit.limit_for(2.0)


def test_scaled_limit_equals_recomputed_experiment(mm_fit):
    direct = MagneticMomentFit(Experiment().with_options(deployments=5), convention="one_sided").limit(2.0)
    assert mm_fit.limit_for(2.0, deployments=5) == pytest.approx(direct, rel=1e-9, abs=0)


def test_limit_rises_with_threshold_and_background(mm_fit):
    scan = mm_fit.threshold_scan([1.0, 2.0, 5.0, 10.0])
    assert np.all(np.diff(scan) > 0)
    assert mm_fit.limit(2.0, background_scale=2.0) > mm_fit.limit(2.0)
    assert mm_fit.limit(2.0, background_scale=0.5) < mm_fit.limit(2.0)


def test_threshold_between_grid_edges(mm_fit):
    edges, S, M, B = mm_fit.spectra(2.05)
    assert edges[0] == pytest.approx(2.05, rel=1e-6, abs=0)
    assert edges[1] == pytest.approx(2.1, rel=1e-6, abs=0)
    lim = mm_fit.limit(2.05)
    assert mm_fit.limit(2.0) < lim < mm_fit.limit(2.1)


def test_window_matches_signal_and_background(paper, mm_fit):
    _, S, M, B = mm_fit.spectra(2.0)
    assert S.sum() == pytest.approx(SignalPrediction(paper).events_in_window(2.0, 140.0), rel=1e-3, abs=0)
    assert B.sum() == pytest.approx(sum(background_events_in_window(paper, 2.0, 140.0).values()), rel=1e-3, abs=0)


def test_pseudo_experiment_median_close_to_asimov(mm_fit):
    band = mm_fit.expected_band(n=200, seed=7)
    assert band["-2sigma"] < band["-1sigma"] < band["median"] < band["+1sigma"] < band["+2sigma"]
    assert band["median"] == pytest.approx(mm_fit.limit(2.0), rel=0.10, abs=0)


def test_pseudo_experiments_are_reproducible(mm_fit):
    a = mm_fit.pseudo_experiment_limits(n=20, seed=3)
    b = mm_fit.pseudo_experiment_limits(n=20, seed=3)
    np.testing.assert_array_equal(a, b)


def test_atomic_binding_weakens_the_limit(paper, mm_fit):
    bound = MagneticMomentFit(paper.replace(atomic_binding=True), convention="one_sided")
    assert bound.limit(2.0) > mm_fit.limit(2.0)


@pytest.mark.parametrize("threshold", [0.0, -1.0, 140.0, 200.0, float("nan")])
def test_bad_threshold(mm_fit, threshold):
    with pytest.raises(ValueError, match="threshold_keV"):
        mm_fit.limit(threshold)


def test_bad_scales(mm_fit):
    with pytest.raises(ValueError, match="signal_scale"):
        mm_fit.limit(2.0, signal_scale=0.0)
    with pytest.raises(ValueError, match="deployments"):
        mm_fit.limit_for(2.0, deployments=0)


def test_pseudo_experiments_with_scales_are_those_of_the_scaled_experiment(paper, mm_fit):
    """signal_scale = 2 is the source at twice the activity, background_scale = 0.5 half the
    backgrounds: the same seed draws the same pseudo-data, so the limits agree toy by toy."""
    scaled = MagneticMomentFit(paper.with_options(source_mci=10.0, background_scale=0.5), convention="one_sided")
    direct = scaled.pseudo_experiment_limits(40, seed=5)
    via_scales = mm_fit.pseudo_experiment_limits(40, seed=5, signal_scale=2.0, background_scale=0.5)
    np.testing.assert_allclose(via_scales, direct, rtol=1e-7)
    band = mm_fit.expected_band(40, seed=5, signal_scale=2.0, background_scale=0.5)
    assert band["median"] == pytest.approx(np.median(direct), rel=1e-7, abs=0)
    assert band["median"] < mm_fit.expected_band(40, seed=5)["median"]


def test_threshold_scan_passes_on_its_scales(mm_fit):
    ts = [1.0, 3.0]
    got = mm_fit.threshold_scan(ts, signal_scale=2.0, background_scale=3.0)
    want = [mm_fit.limit(t, signal_scale=2.0, background_scale=3.0) for t in ts]
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert np.all(got != mm_fit.threshold_scan(ts))
