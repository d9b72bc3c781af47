import numpy as np
import pytest

from lxenu.analyses.full_information import MagneticMomentFullFit, SterileFullFit, mu_limit_table
from lxenu.analyses.magnetic_moment import MagneticMomentFit
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
    # freeing both costs about 25 % in T alone (issue 12: 4.8 -> 6.0e-12)
    assert rows["T"][3] == pytest.approx(6.008e-12, rel=2e-3, abs=0)
    # (T, L, t) recovers the background-normalisation part: with the signal known, freeing the
    # background costs less than 2 % instead of 2.3 %
    assert rows["TLt"][2] / rows["TLt"][0] < rows["T"][2] / rows["T"][0]
    assert rows["TLt"][3] / rows["TLt"][0] < 0.5 * (rows["T"][3] / rows["T"][0] + 1.0) + 0.02


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


def test_pinned_limits(full_all, only_T):
    """The table of chapter 7 (Asimov, 2 keV, one-sided 95 %): pinned to 0.1 %."""
    expected = {
        ("T", None, None): 6.008e-12,
        ("TLt", 0.0, 0.0): 4.741e-12,
        ("TLt", None, None): 5.291e-12,
        ("TLt", None, 0.0): 5.206e-12,
        ("TLt", 0.0, None): 4.807e-12,
    }
    preds = {"T": only_T, "TLt": full_all}
    for (obs, s, b), value in expected.items():
        lim = MagneticMomentFullFit.from_prediction(preds[obs], signal_norm_sigma=s, background_norm_sigma=b).limit()
        assert lim == pytest.approx(value, rel=1e-3, abs=0), (obs, s, b)


def test_limit_table(paper, mm_fit):
    table = mu_limit_table(paper, observables=("T", "Tt"), mm_fit=mm_fit)
    assert list(table) == ["T", "Tt"]
    assert table["T"]["both known"] == pytest.approx(PAPER_LIMIT_MUB, rel=1e-3, abs=0)
    assert table["T"]["both free"] == pytest.approx(6.008e-12, rel=1e-3, abs=0)
    for row in table.values():
        assert row["both known"] < min(row["signal free"], row["background free"])
        assert max(row["signal free"], row["background free"]) <= row["both free"]
    assert all(table["Tt"][k] < table["T"][k] for k in table["T"])


def test_observed_data_limit(only_T):
    fit = MagneticMomentFullFit.from_prediction(only_T, signal_norm_sigma=0.01, background_norm_sigma=None)
    asimov = only_T.signal + only_T.background
    assert fit.data_limit(asimov) == pytest.approx(fit.limit(), rel=1e-8, abs=0)
    with pytest.raises(ValueError, match="observed"):
        fit.data_limit(asimov[:-1])


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


def test_thresholds_agree_with_statistics_module():
    assert delta_chi2_threshold(0.95, 1, "one_sided") == pytest.approx(2.7055, abs=1e-4)
