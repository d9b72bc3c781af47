import numpy as np
import pytest

from lxenu.analyses.full_information import MagneticMomentFullFit, SterileFullFit, band_with_errors, mu_limit_table
from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.physics.solar import PRODUCTION_DENSITY_NA_CM3, SolarNeutrinos, survival_probability
from lxenu.predict.binned import FullInformationPrediction, parse_observables, time_edges_days
from lxenu.stats.chi2 import delta_chi2_threshold, profiled_gaussian_chi2
from lxenu.stats.likelihood import BEST_ACTIVITY_RELATIVE_SIGMA

#: lxenu's paper-benchmark limit at 2 keV, one-sided 95 % CL (DESIGN.md table; paper: 4.9e-12).
PAPER_LIMIT_MUB = 4.794e-12


@pytest.fixture(scope="module")
def full(paper, mm_fit):
    """(T, L, t) prediction of the benchmark, 136Xe and the rest in separate groups."""
    return FullInformationPrediction(paper, "TLt", background_groups="xe136", energy_spectra=mm_fit.energy_spectra)


@pytest.fixture(scope="module")
def full_all(paper, mm_fit):
    return FullInformationPrediction(paper, "TLt", energy_spectra=mm_fit.energy_spectra)


@pytest.fixture(scope="module")
def only_T(paper, mm_fit):
    return FullInformationPrediction(paper, "T", energy_spectra=mm_fit.energy_spectra)


# -- predictions ------------------------------------------------------------------------------
def test_summing_over_L_and_t_gives_the_energy_spectrum(full, mm_fit):
    _, S, M, B = mm_fit.spectra(2.0)
    assert full.shape == (S.size, full.distance_edges_cm.size - 1, full.time_edges_days.size - 1)
    np.testing.assert_allclose(full.signal.sum(axis=(1, 2)), S, rtol=1e-12)
    np.testing.assert_allclose(full.magnetic.sum(axis=(1, 2)), M, rtol=1e-12)
    np.testing.assert_allclose(full.background.sum(axis=(1, 2)), B, rtol=1e-9)
    # the two groups are 136Xe and everything else; 136Xe is most of the 2-140 keV background
    xe = full.backgrounds["136Xe"].sum()
    assert 0.5 < xe / full.background.sum() < 1.0


def test_subsets_are_marginals_of_the_full_prediction(paper, mm_fit, full_all):
    for obs, axes in (("TL", (2,)), ("Tt", (1,)), ("T", (1, 2))):
        p = FullInformationPrediction(paper, obs, energy_spectra=mm_fit.energy_spectra)
        np.testing.assert_allclose(p.signal, full_all.signal.sum(axis=axes), rtol=1e-12)
        np.testing.assert_allclose(p.background, full_all.background.sum(axis=axes), rtol=1e-12)
    # the reversed spelling means the same axes
    assert parse_observables("tLT") == ("T", "L", "t")


def test_signal_decays_exponentially_in_time_and_background_is_constant(full):
    tau = full.experiment.source.mean_life_days
    f = full.signal_time_fraction
    edges = full.time_edges_days
    assert edges[0] == 0.0 and edges[-1] == 100.0 and f.size == 10
    np.testing.assert_allclose(f[:-1] / f[1:], np.exp(10.0 / tau), rtol=1e-12)
    assert f.sum() == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(full.background_time_fraction, 0.1, rtol=1e-14)
    # first bin: (1 - e^{-10/tau}) / (1 - e^{-100/tau})
    assert f[0] == pytest.approx((1 - np.exp(-10 / tau)) / (1 - np.exp(-100 / tau)), rel=1e-12, abs=0)


def test_time_bins_end_at_the_run_length():
    np.testing.assert_allclose(time_edges_days(100.0, 30.0), [0, 30, 60, 90, 100])


def test_time_fractions_per_deployment(paper):
    late = paper.with_options(start_day=20.0, deployments=3)
    p = FullInformationPrediction(late, "Tt")
    # a late start does not change the shape within a deployment (exponential is memoryless)
    q = FullInformationPrediction(paper, "Tt")
    np.testing.assert_allclose(p.signal_time_fraction, q.signal_time_fraction, rtol=1e-12)
    # three deployments, each starting 20 d late: 3 exp(-20/tau) times the signal
    tau = paper.source.mean_life_days
    assert p.signal.sum() / q.signal.sum() == pytest.approx(3 * np.exp(-20.0 / tau), rel=1e-9, abs=0)
    assert p.background.sum() / q.background.sum() == pytest.approx(3.0, rel=1e-9, abs=0)


def test_distance_distributions(paper, mm_fit):
    p = FullInformationPrediction(paper, "TL", position_resolution_cm=0.0, energy_spectra=mm_fit.energy_spectra)
    det = paper.detector
    edges = p.distance_edges_cm
    # without vertex smearing: the exact flux and volume in each bin
    np.testing.assert_allclose(
        p.signal_distance_fraction, det.flux_in_bins_cm(edges) / det.flux_integral_cm, rtol=1e-10, atol=1e-15
    )
    np.testing.assert_allclose(
        p.background_distance_fraction, det.volume_in_bins_cm3(edges) / det.volume_cm3, rtol=1e-10, atol=1e-15
    )
    # with the 1 cm vertex resolution only the bins at the edges of the volume change much
    q = FullInformationPrediction(paper, "TL", energy_spectra=mm_fit.energy_spectra)
    qe = q.distance_edges_cm
    q_inner = (qe[:-1] >= 110.0) & (qe[1:] <= 230.0)
    p_inner = (edges[:-1] >= 110.0) & (edges[1:] <= 230.0)
    np.testing.assert_array_equal(qe[:-1][q_inner], edges[:-1][p_inner])
    np.testing.assert_allclose(q.signal_distance_fraction[q_inner], p.signal_distance_fraction[p_inner], rtol=0.01)
    # the signal falls as 1/L^2 relative to the background: mean distance is smaller
    c = 0.5 * (edges[1:] + edges[:-1])
    assert c @ p.signal_distance_fraction < c @ p.background_distance_fraction - 15.0
    # signal / background per bin goes as 1/L^2 (to the 1 % of averaging over 10 cm bins)
    inner = (edges[:-1] >= 110.0) & (edges[1:] <= 220.0)
    ratio = p.signal_distance_fraction[inner] / p.background_distance_fraction[inner]
    expected = 1.0 / c[inner] ** 2
    np.testing.assert_allclose(ratio / ratio[0], expected / expected[0], rtol=0.015)
    assert ratio[-1] / ratio[0] == pytest.approx(expected[-1] / expected[0], rel=0.015, abs=0)


# -- the paper's analysis as a special case -------------------------------------------------
def test_default_equals_the_paper_analysis(paper, mm_fit):
    fit = MagneticMomentFullFit(paper, mm_fit=mm_fit)
    assert fit.delta_chi2 == pytest.approx(2.7055, abs=1e-4)  # one-sided 95 %, 1 dof
    ref = MagneticMomentFit(paper, convention="one_sided").limit(2.0)
    assert fit.limit() == pytest.approx(ref, rel=1e-9, abs=0)
    assert fit.limit() == pytest.approx(PAPER_LIMIT_MUB, rel=1e-3, abs=0)


def test_default_band_equals_the_paper_toys(paper, mm_fit):
    fit = MagneticMomentFullFit(paper, mm_fit=mm_fit)
    band = fit.expected_band(40, seed=11)
    ref = mm_fit.expected_band(40, 2.0, seed=11)
    for k in ("-2sigma", "-1sigma", "median", "+1sigma", "+2sigma"):
        assert band[k] == pytest.approx(ref[k], rel=1e-7, abs=0)
    assert band["-2sigma"] < band["-1sigma"] < band["median"] < band["+1sigma"] < band["+2sigma"]


def test_asimov_chi2_is_zero_at_the_truth_and_minimal_there(full):
    for s_sig, b_sig in ((0.0, 0.0), (None, None), (0.01, {"136Xe": None, "other": 0.05})):
        fit = MagneticMomentFullFit.from_prediction(full, signal_norm_sigma=s_sig, background_norm_sigma=b_sig)
        c, theta = fit.profile(0.0)
        assert c == pytest.approx(0.0, abs=1e-8)
        np.testing.assert_allclose(theta, 1.0, atol=1e-8)
        assert np.all(np.diff(fit.chi2(np.array([0.0, 1e-12, 3e-12, 6e-12]))) > 0)


def test_an_injected_moment_is_recovered_with_free_normalisations(full):
    fit = MagneticMomentFullFit.from_prediction(full, signal_norm_sigma=None, background_norm_sigma=None)
    x0 = (4e-12 / 1e-12) ** 2
    observed = full.signal + x0 * full.magnetic + 1.02 * full.background
    mu_hat, theta = fit.best_fit(observed)
    assert mu_hat == pytest.approx(4e-12, rel=1e-6, abs=0)
    np.testing.assert_allclose(theta, [1.0, 1.02, 1.02], rtol=1e-7)


def test_free_normalisations_chi2_scales_with_exposure(full_all):
    """Without pull terms the profiled Poisson chi^2 is homogeneous: ten times every template
    gives ten times the chi^2 at every mu, also in (T, L, t)."""
    p = FullInformationPrediction(full_all.experiment, "TLt", energy_spectra=full_all.energy_spectra)
    for name in ("signal", "magnetic"):
        p.__dict__[name] = 10.0 * getattr(full_all, name)
    p.__dict__["backgrounds"] = {k: 10.0 * v for k, v in full_all.backgrounds.items()}
    big = MagneticMomentFullFit.from_prediction(p, signal_norm_sigma=None, background_norm_sigma=None)
    base = MagneticMomentFullFit.from_prediction(full_all, signal_norm_sigma=None, background_norm_sigma=None)
    mu = np.array([2e-12, 5e-12])
    np.testing.assert_allclose(big.chi2(mu), 10.0 * base.chi2(mu), rtol=1e-8)


# -- information and nuisances --------------------------------------------------------------
def test_flat_distance_and_time_carry_no_information(paper, mm_fit):
    """If the signal were spread in L and t like the background, (T, L, t) = T exactly."""
    p = FullInformationPrediction(paper, "TLt", energy_spectra=mm_fit.energy_spectra)
    p.__dict__["signal_distance_fraction"] = p.background_distance_fraction
    p.__dict__["signal_time_fraction"] = p.background_time_fraction
    flat = MagneticMomentFullFit.from_prediction(p).limit()
    assert flat == pytest.approx(MagneticMomentFullFit(paper, mm_fit=mm_fit).limit(), rel=1e-9, abs=0)


def test_more_information_never_hurts_and_nuisances_never_help(paper, mm_fit, full_all, only_T):
    rows = {}
    for name, pred in (("T", only_T), ("TLt", full_all)):
        rows[name] = [
            MagneticMomentFullFit.from_prediction(pred, signal_norm_sigma=s, background_norm_sigma=b).limit()
            for s, b in ((0.0, 0.0), (None, 0.0), (0.0, None), (None, None))
        ]
        known, sig_free, bkg_free, both_free = rows[name]
        assert known < sig_free <= both_free
        assert known < bkg_free <= both_free
    assert all(f < t for f, t in zip(rows["TLt"], rows["T"]))
    # (T, L, t) recovers the background-normalisation part: with the signal known, freeing the
    # background costs 1.4 % instead of 2.3 %
    assert rows["TLt"][2] / rows["TLt"][0] < rows["T"][2] / rows["T"][0]
    # with both free, (T, L, t) wins back more than half of what freeing them costs in T alone (59 %)
    recovered = (rows["T"][3] - rows["TLt"][3]) / (rows["T"][3] - rows["T"][0])
    assert recovered > 0.5
    assert recovered == pytest.approx(0.5906, abs=2e-4)


def test_priors_interpolate_between_known_and_free(only_T):
    def lim(s):
        return MagneticMomentFullFit.from_prediction(only_T, signal_norm_sigma=s).limit()

    known, best, wide, free = lim(0.0), lim(BEST_ACTIVITY_RELATIVE_SIGMA), lim(0.1), lim(None)
    assert known < best < wide < free
    assert lim(1e-7) == pytest.approx(known, rel=1e-6, abs=0)
    assert lim(1e3) == pytest.approx(free, rel=1e-4, abs=0)
    # a prior ten times too wide is a different answer
    assert lim(10 * BEST_ACTIVITY_RELATIVE_SIGMA) > best * 1.01


def test_source_off_constraint(only_T):
    fit = MagneticMomentFullFit.from_prediction(only_T)
    sig = fit.source_off_sigmas(300.0)
    n_off = only_T.background.sum() * 3.0
    assert sig["background"] == pytest.approx(1.0 / np.sqrt(n_off), rel=1e-12, abs=0)
    lims = [
        MagneticMomentFullFit.from_prediction(only_T, background_norm_sigma=b).limit()
        for b in (0.0, sig, MagneticMomentFullFit.from_prediction(only_T).source_off_sigmas(30.0), None)
    ]
    assert lims[0] < lims[1] < lims[2] < lims[3]


def test_exposure_scaling(paper):
    """Ten times the signal and the background: chi^2 scales by ten exactly (Poisson chi^2 is
    homogeneous), so the limit is where the unscaled chi^2 reaches 2.71 / 10, and close to the
    background-dominated power law mu ~ exposure^(-1/4)."""
    base = MagneticMomentFullFit(paper)
    big = MagneticMomentFullFit(paper.with_options(source_mci=50.0, background_scale=10.0))
    mu10 = big.limit()
    assert float(base.chi2(mu10)) == pytest.approx(base.delta_chi2 / 10.0, rel=1e-8, abs=0)
    assert mu10 / base.limit() == pytest.approx(10**-0.25, rel=0.05, abs=0)


#: Chapter 7's table of Asimov limits (2 keV, one-sided 95 %), units of 1e-12 mu_B, as the book
#: shows them (4 digits): {observables: (both known, signal free, background free, both free)}.
BOOK_LIMITS = {
    "T": (4.794391, 5.282833, 4.902433, 6.007992),
    "TL": (4.777556, 5.257459, 4.869782, 5.517064),
    "Tt": (4.755310, 5.226503, 4.830925, 5.354153),
    "TLt": (4.740897, 5.206088, 4.806797, 5.291197),
}


@pytest.fixture(scope="module")
def book_table(paper, full_all):
    predictions = {"TLt": full_all}
    table = mu_limit_table(paper, predictions=predictions, energy_spectra=full_all.energy_spectra)
    return table, predictions


def test_pinned_limit_table(book_table):
    """The table of chapter 7, pinned to 2e-5 (the profile converges to ~1e-12; the book shows 4 digits)."""
    table, predictions = book_table
    assert list(table) == list(BOOK_LIMITS)
    assert set(predictions) == set(BOOK_LIMITS)  # the dict is filled for reuse
    for obs, values in BOOK_LIMITS.items():
        assert list(table[obs]) == ["both known", "signal free", "background free", "both free"]
        for (label, lim), value in zip(table[obs].items(), values):
            assert lim == pytest.approx(value * 1e-12, rel=2e-5, abs=0), (obs, label)


def test_pinned_source_off_table(book_table):
    """Chapter 7's realistic priors: BEST's 0.23 % on the activity, source-off data on the background."""
    _, predictions = book_table
    expected = {"T": (4.863901, 4.833162, 4.903697), "TLt": (4.787153, 4.768449, 4.809156)}
    for obs, values in expected.items():
        p = predictions[obs]
        sigmas = [MagneticMomentFullFit.from_prediction(p).source_off_sigmas(d) for d in (30.0, 100.0)] + [None]
        assert sigmas[0]["background"] == pytest.approx(0.0303395, rel=1e-5, abs=0)
        assert sigmas[1]["background"] == pytest.approx(0.0166176, rel=1e-5, abs=0)
        for sig_b, value in zip(sigmas, values):
            fit = MagneticMomentFullFit.from_prediction(
                p, signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA, background_norm_sigma=sig_b
            )
            assert fit.limit() == pytest.approx(value * 1e-12, rel=2e-5, abs=0), (obs, sig_b)


def test_pinned_expected_band(full_all):
    """Chapter 7's band: 120 pseudo-experiments, (T, L, t), BEST prior, free background (seeded)."""
    fit = MagneticMomentFullFit.from_prediction(
        full_all, signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA, background_norm_sigma=None
    )
    limits = fit.pseudo_experiment_limits(n=120, seed=20141104)
    band = band_with_errors(limits, n_boot=1000, seed=7)
    expected = {"-2sigma": 3.06, "-1sigma": 3.63, "median": 4.73, "+1sigma": 5.83, "+2sigma": 6.91}
    for k, value in expected.items():
        assert band[k][0] == pytest.approx(value * 1e-12, abs=0.005e-12), k  # the book shows 2 decimals
        assert 0.0 < band[k][1] < 0.1 * band[k][0]  # 120 pseudo-experiments: a few per cent
    # the median agrees with the Asimov limit within its statistical error
    assert abs(band["median"][0] - fit.limit()) < 1.0 * band["median"][1]


def test_band_with_errors():
    rng = np.random.default_rng(3)
    x = rng.normal(10.0, 1.0, 4000)
    band = band_with_errors(x, n_boot=400, seed=1)
    assert band["median"][0] == pytest.approx(np.median(x), rel=1e-12, abs=0)
    # the error of a quantile of n normal draws: sqrt(p (1 - p) / n) / phi(z_p)
    assert band["median"][1] == pytest.approx(np.sqrt(0.25 / 4000) / 0.39894, rel=0.15, abs=0)
    assert band["-2sigma"][0] == pytest.approx(8.0, abs=0.1)
    with pytest.raises(ValueError, match="limits_muB"):
        band_with_errors([1.0])
    with pytest.raises(ValueError, match="n_boot"):
        band_with_errors(x, n_boot=0)


def test_observed_data_limit(only_T):
    fit = MagneticMomentFullFit.from_prediction(only_T, signal_norm_sigma=0.01, background_norm_sigma=None)
    asimov = only_T.signal + only_T.background
    assert fit.data_limit(asimov) == pytest.approx(fit.limit(), rel=1e-8, abs=0)
    with pytest.raises(ValueError, match="observed"):
        fit.data_limit(asimov[:-1])


def test_huge_bins_are_one_bin(paper, mm_fit):
    """A time (distance) bin longer than the run (detector) is one bin: the limit without that observable."""
    one_t = MagneticMomentFullFit(paper, "TLt", time_bin_days=1e308, mm_fit=mm_fit)
    assert one_t.prediction.time_edges_days.tolist() == [0.0, 100.0]
    assert one_t.limit() == pytest.approx(MagneticMomentFullFit(paper, "TL", mm_fit=mm_fit).limit(), rel=1e-9, abs=0)
    one_L = MagneticMomentFullFit(paper, "TL", distance_bin_cm=1e308, mm_fit=mm_fit)
    assert one_L.limit() == pytest.approx(PAPER_LIMIT_MUB, rel=1e-3, abs=0)
    assert one_L.limit() == pytest.approx(MagneticMomentFullFit(paper, mm_fit=mm_fit).limit(), rel=1e-9, abs=0)
    # the shortest run accepted (0.01 d, a quarter of an hour) has one time bin and a finite, weak limit
    tiny = MagneticMomentFullFit(paper.with_options(days=0.01), "TLt")
    assert tiny.prediction.shape[-1] == 1 and 1e-11 < tiny.limit() < 1e-8


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"time_bin_days": float("nan")}, "time_bin_days"),
        ({"time_bin_days": -1.0}, "time_bin_days"),
        ({"distance_bin_cm": float("nan")}, "distance_bin_cm"),
        ({"distance_bin_cm": 0.0}, "distance_bin_cm"),
        ({"position_resolution_cm": float("nan")}, "position_resolution_cm"),
        ({"position_resolution_cm": -1.0}, "position_resolution_cm"),
        ({"threshold_keV": float("nan")}, "threshold_keV"),
        ({"signal_norm_sigma": float("nan")}, "signal_norm_sigma"),
        ({"background_norm_sigma": -0.5}, "background_norm_sigma"),
        ({"confidence_level": float("nan")}, "confidence_level"),
        ({"confidence_level": 1.5}, "confidence_level"),
    ],
)
def test_bad_numbers_are_named(paper, kwargs, name):
    with pytest.raises(ValueError, match=name):
        MagneticMomentFullFit(paper, "TLt", **kwargs)


def test_bad_data_and_toys_are_named(only_T):
    fit = MagneticMomentFullFit.from_prediction(only_T)
    n = only_T.shape[0]
    with pytest.raises(ValueError, match="observed"):
        fit.data_limit(np.where(np.arange(n) == 3, np.nan, 1.0))
    with pytest.raises(ValueError, match="observed"):
        fit.best_fit(np.full(n, -1.0))
    with pytest.raises(ValueError, match="mu_muB"):
        fit.chi2(float("nan"))
    with pytest.raises(ValueError, match="n"):
        fit.expected_band(0)
    with pytest.raises(ValueError, match="n"):
        fit.expected_band(float("nan"))


def test_bad_input(paper, only_T):
    with pytest.raises(ValueError, match="observables"):
        MagneticMomentFullFit(paper, observables="Lt")
    with pytest.raises(ValueError, match="observables"):
        MagneticMomentFullFit(paper, observables="TX")
    with pytest.raises(ValueError, match="signal_norm_sigma"):
        MagneticMomentFullFit.from_prediction(only_T, signal_norm_sigma=-1.0)
    with pytest.raises(ValueError, match="background_norm_sigma"):
        MagneticMomentFullFit.from_prediction(only_T, background_norm_sigma={"136Xe": 0.1})
    with pytest.raises(ValueError, match="time_bin_days"):
        FullInformationPrediction(paper, "Tt", time_bin_days=0.0)
    with pytest.raises(ValueError, match="background_groups"):
        FullInformationPrediction(paper, "T", background_groups="radon")
    with pytest.raises(ValueError, match="threshold_keV"):
        FullInformationPrediction(paper, "T", threshold_keV=200.0)
    with pytest.raises(ValueError, match="mu_muB"):
        MagneticMomentFullFit.from_prediction(only_T).chi2(-1e-12)


# -- sterile ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sterile_L(paper):
    return SterileFullFit(paper, "L", n_mc=400_000)


@pytest.fixture(scope="module")
def sterile_LT(paper, sterile_L):
    return SterileFullFit(paper, "LT", response=sterile_L.response)


DM2 = np.array([0.5, 1.0, 2.0, 5.0, 10.0])


def test_sterile_L_is_the_paper_analysis(sterile_L):
    ref = sterile_L.distance_fit
    s = sterile_L.sensitivity(DM2)
    np.testing.assert_allclose(s, ref.sensitivity(DM2), rtol=1e-6)
    np.testing.assert_allclose(ref.chi2(s, DM2), ref.delta_chi2, rtol=1e-9)
    assert sterile_L.delta_chi2 == pytest.approx(5.991, abs=1e-3)  # 95 % CL, 2 dof
    grid_s, grid_m = np.linspace(0.0, 0.4, 9), np.geomspace(0.1, 20.0, 7)
    np.testing.assert_allclose(
        sterile_L.chi2_grid(grid_s, grid_m), ref.chi2_grid(grid_s, grid_m), rtol=1e-9, atol=1e-10
    )


def test_no_exclusion_is_inf_as_in_the_paper_analysis(sterile_L, sterile_LT):
    """Where nothing is excluded (dm2 far below the detector's reach) both analyses say inf, not NaN."""
    tiny = [1e-4, 1e-3]
    assert np.all(np.isinf(sterile_L.distance_fit.sensitivity(tiny)))
    assert np.all(np.isinf(sterile_L.sensitivity(tiny))) and np.all(np.isinf(sterile_LT.sensitivity(tiny)))
    with pytest.raises(ValueError, match="dm2_values"):
        sterile_LT.sensitivity(["1"])


def test_sterile_LT_sums_to_L(sterile_L, sterile_LT):
    np.testing.assert_allclose(
        sterile_LT.signal_no_oscillation.sum(axis=0), sterile_L.signal_no_oscillation[0], rtol=1e-10
    )
    np.testing.assert_allclose(
        sterile_LT.backgrounds.sum(axis=(0, 1)), sterile_L.backgrounds.sum(axis=(0, 1)), rtol=1e-9
    )
    np.testing.assert_allclose(sterile_LT.signal(0.3, 2.0).sum(axis=0), sterile_L.signal(0.3, 2.0)[0], rtol=1e-10)


def test_sterile_chi2_equals_direct_profiling(sterile_LT):
    """The per-dm2 sums reproduce the Gaussian chi^2 built bin by bin."""
    S = sterile_LT.signal(0.2, 1.5)
    B = sterile_LT.backgrounds.sum(axis=0)
    D = sterile_LT.signal_no_oscillation + B
    keep = D > 0
    ref, _, _ = profiled_gaussian_chi2(S[keep], B[keep], D[keep], None, 0.005)
    assert sterile_LT.chi2(0.2, 1.5) == pytest.approx(ref, rel=1e-9, abs=0)
    assert sterile_LT.chi2(0.0, 1.5) == pytest.approx(0.0, abs=1e-9)


def test_sterile_split_backgrounds_against_a_direct_fit(paper, sterile_L):
    fit = SterileFullFit(
        paper,
        "LT",
        response=sterile_L.response,
        background_groups="xe136",
        background_norm_sigma={"136Xe": None, "other": 0.05},
        signal_norm_sigma=0.02,
    )
    S = fit.signal(0.15, 3.0)
    B = fit.backgrounds
    D = fit.signal_no_oscillation + B.sum(axis=0)
    keep = D > 0
    T = np.vstack([S[keep], B[0][keep], B[1][keep]])  # (3, n)
    w = 1.0 / D[keep]
    r = T.sum(axis=0) - D[keep]
    prec = np.diag([1 / 0.02**2, 0.0, 1 / 0.05**2])
    theta = np.linalg.solve((T * w) @ T.T + prec, -(T * w) @ r)
    ref = np.sum(w * (r + theta @ T) ** 2) + theta @ prec @ theta
    assert fit.chi2(0.15, 3.0) == pytest.approx(ref, rel=1e-9, abs=0)


def test_energy_information_improves_the_sterile_reach(paper, sterile_L, sterile_LT):
    s_L = sterile_L.sensitivity(DM2)
    s_LT = sterile_LT.sensitivity(DM2)
    assert np.all(s_LT < s_L)
    # and separate 136Xe / other normalisations, both free, still do better than L alone
    split = SterileFullFit(
        paper, "LT", response=sterile_L.response, background_groups="xe136", background_norm_sigma=None
    )
    assert np.all(split.sensitivity(DM2) < s_L)
    np.testing.assert_allclose(s_L, [0.3540, 0.1610, 0.1486, 0.1701, 0.3847], rtol=2e-3)


@pytest.fixture(scope="module")
def book_sterile(paper):
    """The chapter's sterile fits: the experiment's own distance response (1e6 events, seed 51)."""
    fit_L = SterileFullFit(paper, "L")
    depleted = paper.with_options(xe136_depletion=0.9)
    return {
        ("natural", "L"): fit_L,
        ("natural", "LT"): SterileFullFit(paper, "LT", response=fit_L.response),
        ("depleted", "L"): SterileFullFit(depleted, "L", response=fit_L.response),
        ("depleted", "LT"): SterileFullFit(depleted, "LT", response=fit_L.response),
    }


def test_pinned_sterile_reach_table(book_sterile):
    """Chapter 7's (L, T) table: sin^2 2theta reach at 95 % CL, 2 dof, and the gain of energy, pinned."""
    dm2 = np.array([0.3, 0.5, 1.0, 2.0, 5.0])
    expected = {
        ("natural", "L"): [0.2964161, 0.3538316, 0.1610761, 0.1484809, 0.1699965],
        ("natural", "LT"): [0.2320644, 0.3275501, 0.1394792, 0.1282789, 0.1488677],
        ("depleted", "L"): [0.1660981, 0.2376064, 0.0979025, 0.0915777, 0.1061747],
        ("depleted", "LT"): [0.1586484, 0.2355069, 0.0960811, 0.0893225, 0.1040863],
    }
    reach = {k: f.sensitivity(dm2) for k, f in book_sterile.items()}
    for k, values in expected.items():
        np.testing.assert_allclose(reach[k], values, rtol=2e-6, err_msg=str(k))
    gain_nat = 1 - reach[("natural", "LT")] / reach[("natural", "L")]
    gain_dep = 1 - reach[("depleted", "LT")] / reach[("depleted", "L")]
    np.testing.assert_allclose(gain_nat, [0.2171, 0.0743, 0.1341, 0.1361, 0.1243], atol=5e-4)
    np.testing.assert_allclose(gain_dep, [0.0449, 0.0088, 0.0186, 0.0246, 0.0197], atol=5e-4)
    # energy helps more where 136Xe dominates, at every dm2 of the table
    assert np.all(gain_nat > gain_dep) and np.all(gain_dep > 0)


def test_sterile_one_energy_bin_is_the_distance_fit(paper, sterile_L):
    one = SterileFullFit(paper, "LT", energy_bin_keV=1e308, response=sterile_L.response)
    assert one.energy_edges_keV.size == 2
    np.testing.assert_allclose(one.sensitivity(DM2), sterile_L.sensitivity(DM2), rtol=1e-6)


def test_sterile_contour_follows_the_sensitivity(sterile_LT):
    s = np.geomspace(1e-3, 1.0, 400)
    contour = sterile_LT.contour_from_grid(s, DM2)
    np.testing.assert_allclose(contour, sterile_LT.sensitivity(DM2), rtol=0.02)


def test_sterile_bad_input(paper, sterile_L):
    with pytest.raises(ValueError, match="observables"):
        SterileFullFit(paper, "T", response=sterile_L.response)
    with pytest.raises(ValueError, match="at most one"):
        SterileFullFit(paper, "L", response=sterile_L.response, background_groups="xe136", background_norm_sigma=None)
    with pytest.raises(ValueError, match="energy_bin_keV"):
        SterileFullFit(paper, "LT", response=sterile_L.response, energy_bin_keV=-5.0)
    with pytest.raises(ValueError, match="dm2_values"):
        sterile_L.sensitivity([0.0])
    with pytest.raises(ValueError, match="dm2_values"):
        sterile_L.sensitivity([1.0, float("nan")])
    with pytest.raises(ValueError, match="energy_bin_keV"):
        SterileFullFit(paper, "LT", response=sterile_L.response, energy_bin_keV=float("nan"))
    with pytest.raises(ValueError, match="threshold_keV"):
        SterileFullFit(paper, "LT", response=sterile_L.response, threshold_keV=float("nan"))
    with pytest.raises(ValueError, match="signal_norm_sigma"):
        SterileFullFit(paper, "LT", response=sterile_L.response, signal_norm_sigma=float("nan"))
    with pytest.raises(ValueError, match="sin2_2theta"):
        sterile_L.chi2(float("nan"), 1.0)


def test_thresholds_agree_with_statistics_module():
    assert delta_chi2_threshold(0.95, 1, "one_sided") == pytest.approx(2.7055, abs=1e-4)


# -- solar neutrinos through the magnetic moment ----------------------------------------------
def _solar_moment(exp, flavours, **solar):
    comp = exp.backgrounds.replace_component("solar", moment_in_fit=True, flavours_with_moment=flavours, **solar)
    return exp.replace(backgrounds=comp)


@pytest.fixture(scope="module")
def solar_all(paper):
    return FullInformationPrediction(_solar_moment(paper, "all"), "TLt")


def test_solar_moment_joins_the_magnetic_template(paper, mm_fit, solar_all):
    p = solar_all
    assert p.magnetic_solar is not None
    # the source part is unchanged; the solar part has the backgrounds' distance and time shapes
    np.testing.assert_allclose(p.magnetic.sum(axis=(1, 2)), mm_fit.spectra(2.0)[2], rtol=1e-12)
    in_Lt = p.magnetic_solar.sum(axis=0)
    np.testing.assert_allclose(
        in_Lt / in_Lt.sum(), np.outer(p.background_distance_fraction, p.background_time_fraction), rtol=1e-10
    )
    # summed over L and t, source + solar is the magnetic spectrum of the energy fit
    _, _, M_total, _ = p.energy_spectra.spectra(2.0)
    np.testing.assert_allclose((p.magnetic + p.magnetic_solar).sum(axis=(1, 2)), M_total, rtol=1e-10)
    # and equals the solar component's own magnetic rate at 1e-12 mu_B, smeared, times the exposure
    sol = p.experiment.backgrounds.solar
    edges = p.energy_spectra.true_edges_keV
    direct = sol.magnetic_events_per_tonne_day(edges, mu_nu_muB=1e-12) * paper.exposure_tonne_days
    smeared = p.energy_spectra.reco_events(direct, p.edges["T"])[0]
    np.testing.assert_allclose(p.magnetic_solar.sum(axis=(1, 2)), smeared, rtol=1e-10)
    # without the option there is no solar magnetic part
    assert FullInformationPrediction(paper, "T", energy_spectra=mm_fit.energy_spectra).magnetic_solar is None


def test_solar_moment_improves_the_limit(paper, mm_fit, solar_all):
    """The moment acting on solar neutrinos too can only add signal: the limit improves, in T and in (T, L, t)."""
    base_T = MagneticMomentFullFit(paper, mm_fit=mm_fit).limit()
    e_only = _solar_moment(paper, "e")
    lim_e = MagneticMomentFullFit(e_only).limit()
    lim_all = MagneticMomentFullFit(solar_all.experiment).limit()
    assert lim_all < lim_e < base_T
    assert lim_all == pytest.approx(4.18796e-12, rel=1e-4, abs=0)
    assert lim_e == pytest.approx(4.43337e-12, rel=1e-4, abs=0)
    free = MagneticMomentFullFit.from_prediction(solar_all, signal_norm_sigma=None, background_norm_sigma=None)
    base_free = MagneticMomentFullFit(paper, "TLt", signal_norm_sigma=None, background_norm_sigma=None, mm_fit=mm_fit)
    assert free.limit() < base_free.limit()
    # a fixed moment in the solar background (not the fitted one) only adds background: the limit worsens
    fixed = paper.replace(backgrounds=paper.backgrounds.replace_component("solar", mu_nu_muB=5e-12))
    assert MagneticMomentFullFit(fixed).limit() > base_T


def test_solar_moment_e_is_weighted_by_pee(paper):
    """nu_e only: each solar neutrino counts with its nu_e fraction. One line (pep, 1442 keV) makes it exact."""

    spectra = {}
    for flavours in ("e", "all"):
        exp = _solar_moment(paper, flavours, components=("pep",))
        spectra[flavours] = FullInformationPrediction(exp, "T").magnetic_solar
    pee = float(survival_probability(1442.2, PRODUCTION_DENSITY_NA_CM3["pep"]))
    np.testing.assert_allclose(spectra["e"], pee * spectra["all"], rtol=1e-10)  # cumulative sums differenced
    assert 0.4 < pee < 0.6


def test_solar_moment_needs_no_fixed_moment():

    with pytest.raises(ValueError, match="mu_nu_muB"):
        SolarNeutrinos(moment_in_fit=True, mu_nu_muB=1e-12)
    with pytest.raises(ValueError, match="moment_in_fit"):
        SolarNeutrinos(moment_in_fit="yes")
