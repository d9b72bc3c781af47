import numpy as np
import pytest

from lxenu.experiment.experiment import Experiment
from lxenu.experiment.source import Cr51Source
from lxenu.physics.cross_section import sigma_total
from lxenu.predict.signal import T_FLOOR_KEV, SignalPrediction


def test_paper_signal_events(paper):
    # paper, sect. 2: 12,518 events in 100 days (all recoil energies)
    assert SignalPrediction(paper).total_events() == pytest.approx(12518, rel=0.02, abs=0)


def test_paper_signal_in_window(paper):
    # paper, sect. 2: 3,656 signal events in 2-140 keV after smearing
    assert SignalPrediction(paper).events_in_window(2.0, 140.0) == pytest.approx(3656, rel=0.03, abs=0)


def test_total_is_decays_times_electrons_times_flux_times_cross_section(paper):
    det = paper.detector
    decays = paper.run.source_decays(paper.source)
    expected = (
        decays
        * det.electrons_per_cm3
        * det.flux_integral_cm
        * (
            0.9 * sigma_total(750.0, sin2_theta_w=paper.sin2_theta_w)
            + 0.1 * sigma_total(430.0, sin2_theta_w=paper.sin2_theta_w)
        )
    )
    assert SignalPrediction(paper).total_events() == pytest.approx(expected, rel=1e-12, abs=0)


def test_events_scale_with_strength_and_deployments(paper):
    base = SignalPrediction(paper).total_events()
    assert SignalPrediction(paper.with_options(source_mci=10)).total_events() == pytest.approx(
        2 * base, rel=1e-12, abs=0
    )
    assert SignalPrediction(paper.with_options(deployments=5)).total_events() == pytest.approx(
        5 * base, rel=1e-12, abs=0
    )


def test_events_follow_decay_law_in_days(paper):
    tau = paper.source.mean_life_days
    e50 = SignalPrediction(paper.with_options(days=50)).total_events()
    e100 = SignalPrediction(paper).total_events()
    assert e100 / e50 == pytest.approx((1 - np.exp(-100 / tau)) / (1 - np.exp(-50 / tau)), rel=1e-12, abs=0)


def test_events_fall_as_inverse_square_of_distance():
    far1 = SignalPrediction(Experiment().with_options(gap_m=40.0)).total_events()
    far2 = SignalPrediction(Experiment().with_options(gap_m=80.0)).total_events()
    assert far1 / far2 == pytest.approx(((80.69) / (40.69)) ** 2, rel=2e-3, abs=0)


def test_smeared_spectrum_conserves_events(paper):
    edges = np.linspace(-20, 620, 3201)
    smeared = SignalPrediction(paper).smeared_events(edges)

    assert smeared.sum() == pytest.approx(SignalPrediction(paper).total_events(T_min_keV=T_FLOOR_KEV), rel=1e-9, abs=0)


def test_binned_true_spectrum_matches_dN_dT(paper):
    edges = np.array([10.0, 10.1])
    assert SignalPrediction(paper).true_events(edges)[0] == pytest.approx(
        SignalPrediction(paper).dN_dT(10.05) * 0.1, rel=1e-5, abs=0
    )


def test_magnetic_moment_adds_low_energy_events(paper):
    sm = SignalPrediction(paper).events_in_window(2.0, 10.0)
    mm = SignalPrediction(paper).events_in_window(2.0, 10.0, mu_nu_muB=1e-10)
    hi_sm = SignalPrediction(paper).events_in_window(100.0, 140.0)
    hi_mm = SignalPrediction(paper).events_in_window(100.0, 140.0, mu_nu_muB=1e-10)
    assert (mm - sm) / sm > 10 * (hi_mm - hi_sm) / hi_sm


def test_four_line_option_changes_signal_by_less_than_a_percent(paper):
    four = paper.replace(source=Cr51Source.four_lines())
    assert SignalPrediction(four).total_events() == pytest.approx(
        SignalPrediction(paper).total_events(), rel=0.01, abs=0
    )
    assert SignalPrediction(four).total_events() != SignalPrediction(paper).total_events()


def test_window_input_checked(paper):
    with pytest.raises(ValueError, match="high_keV"):
        SignalPrediction(paper).events_in_window(10.0, 5.0)
    with pytest.raises(ValueError, match="T_min_keV"):
        SignalPrediction(paper).total_events(mu_nu_muB=1e-11)


def test_smeared_magnetic_spectrum_conserves_events_away_from_the_threshold(paper):
    """Smearing moves magnetic events between bins but loses none: far from the 1/T divergence the
    smeared and true magnetic excesses agree in a wide window, and the smeared one is positive."""
    sig = SignalPrediction(paper)
    mu = 3e-11
    edges = np.linspace(20.0, 600.0, 581)
    excess = sig.smeared_events(edges, mu) - sig.smeared_events(edges)
    true_excess = sig.true_events(np.array([20.0, 600.0]), mu)[0] - sig.true_events(np.array([20.0, 600.0]))[0]
    assert np.all(excess[:-10] > 0)
    assert excess.sum() == pytest.approx(true_excess, rel=1e-4, abs=0)  # the 20 keV edge leaks 1e-5
