import numpy as np
import pytest
from scipy import integrate

from lxenu.constants import ELECTRON_MASS_KEV
from lxenu.constants import ELECTRON_MASS_KEV as me
from lxenu.experiment.backgrounds import BackgroundModel
from lxenu.experiment.target import TARGETS
from lxenu.physics.backgrounds import XENON_ATOMS_PER_TONNE, Krypton85, Radon222, Xenon136DoubleBeta
from lxenu.physics.beta_decay import BetaBranch, fermi_function, finite_size_correction, screened_electron_factor
from lxenu.physics.double_beta import XE136_Q_KEV, summed_energy_fraction, summed_energy_pdf
from lxenu.physics.solar import SolarNeutrinos, survival_probability
from lxenu.predict.backgrounds import background_events_in_window, events_per_tonne_day
from lxenu.predict.signal import SignalPrediction

EDGES = np.linspace(0.0, 3000.0, 30001)


@pytest.mark.parametrize("component", [Krypton85(), Radon222(), Xenon136DoubleBeta()])
def test_spectrum_integrates_to_decay_rate(component):
    assert component.events_per_tonne_day(EDGES).sum() == pytest.approx(
        component.decays_per_tonne_day(), rel=1e-4, abs=0
    )


def test_kr85_rate_from_concentration():
    kr = Krypton85(natkr_ppt=0.1, kr85_fraction=2e-11)
    atoms = XENON_ATOMS_PER_TONNE * 1e-13 * 2e-11
    assert kr.decays_per_tonne_day() == pytest.approx(atoms * np.log(2) / (10.739 * 365.25), rel=1e-9, abs=0)
    assert kr.decays_per_tonne_day() == pytest.approx(1.62, abs=0.01)


def test_kr85_endpoint_and_forbidden_shape():
    kr = Krypton85()
    main = kr.branches[0]
    assert main.pdf(687.5) == 0.0 and main.pdf(686.0) > 0.0
    # the unique first-forbidden factor q^2 + p^2 hardens the spectrum relative to allowed
    allowed = BetaBranch(687.0, 37, 85, 1.0)
    mean_forbidden = integrate.quad(lambda E: E * main.pdf(E), 0, 687)[0]
    mean_allowed = integrate.quad(lambda E: E * allowed.pdf(E), 0, 687)[0]
    assert mean_forbidden > mean_allowed
    assert 230 < mean_forbidden < 280  # published mean beta energy of 85Kr: 251 keV


def test_radon_rate_and_low_energy_branch():
    rn = Radon222(activity_uBq_per_kg=0.1)
    assert rn.decays_per_tonne_day() == pytest.approx(0.1e-6 * 1000 * 86400, rel=1e-6, abs=0)
    # below 295 keV only the 11 % ground-state branch contributes
    low = rn.events_per_tonne_day(np.array([0.0, 290.0]))[0]
    gs = rn.branches[0]
    assert low == pytest.approx(
        rn.decays_per_tonne_day() * 0.11 * gs.fraction_in_bins(np.array([0.0, 290.0]))[0], rel=1e-9, abs=0
    )
    # nothing above the Q value of 1019 keV
    assert rn.events_per_tonne_day(np.array([1020.0, 3000.0]))[0] == 0.0


def test_xe136_rate_and_depletion_scaling():
    nat = Xenon136DoubleBeta()
    atoms = XENON_ATOMS_PER_TONNE * 0.08857
    assert nat.decays_per_tonne_day() == pytest.approx(atoms * np.log(2) / (2.165e21 * 365.25), rel=1e-9, abs=0)
    edges = np.array([5.0, 140.0, 559.0])
    depleted = Xenon136DoubleBeta(depletion=0.9)
    np.testing.assert_allclose(depleted.events_per_tonne_day(edges), 0.1 * nat.events_per_tonne_day(edges), rtol=1e-12)


def test_double_beta_spectrum_shape():
    assert summed_energy_pdf(0.0) == 0.0
    assert summed_energy_pdf(XE136_Q_KEV + 1) == 0.0
    K = np.linspace(1, XE136_Q_KEV - 1, 2000)
    peak = K[np.argmax(summed_energy_pdf(K))]
    assert 650 < peak < 950  # the summed-energy spectrum peaks near Q/3
    assert summed_energy_fraction(0.0, XE136_Q_KEV) == pytest.approx(1.0, abs=1e-9)
    # linear rise at low energy: dN/dK ~ K
    assert summed_energy_pdf(20.0) / summed_energy_pdf(10.0) == pytest.approx(2.0, rel=0.05, abs=0)


def test_primakoff_rosen_closed_form_and_comparison():

    k0 = XE136_Q_KEV / me

    def pr(K):
        k = K / me
        return k * (k0 - k) ** 5 * (1 + 2 * k + 4 * k**2 / 3 + k**3 / 3 + k**4 / 30)

    norm = integrate.quad(pr, 0, XE136_Q_KEV)[0]
    for K in (50.0, 500.0, 1500.0):
        assert summed_energy_pdf(K, model="primakoff_rosen") == pytest.approx(pr(K) / norm, rel=1e-4, abs=0)
    # the non-relativistic Fermi function underestimates the low-energy part for Z = 56
    assert summed_energy_fraction(5, 559, model="primakoff_rosen") < 0.95 * summed_energy_fraction(5, 559)


def test_finite_size_and_screening_corrections():

    T = np.array([1.0, 10.0, 100.0, 559.0, 1500.0])
    W = 1.0 + T / ELECTRON_MASS_KEV
    pW = np.sqrt(W * W - 1.0) * W
    # no nuclear charge, no finite-size effect; for Z = 56 a smooth few-per-cent slope
    np.testing.assert_allclose(finite_size_correction(0, T, 136), 1.0, rtol=1e-12)
    L0 = finite_size_correction(56, T, 136)
    assert np.all(np.diff(L0) < 0) and L0[0] / L0[3] == pytest.approx(1.0, abs=0.03)
    # no screening electrons: the bare F p W; with 54 electrons fewer low-energy electrons escape
    np.testing.assert_allclose(screened_electron_factor(56, T, 136, 0), fermi_function(56, T, 136) * pW, rtol=1e-9)
    screened = screened_electron_factor(56, T, 136, 54) / (fermi_function(56, T, 136) * pW)
    assert np.all(screened < 1.0) and screened[-1] > 0.99


def test_double_beta_default_is_percent_level_in_the_detector_windows():
    # finite nuclear size and atomic screening leave the window fractions within 1 %
    for lo, hi in ((2.0, 140.0), (5.0, 559.0), (0.0, 600.0)):
        exact = summed_energy_fraction(lo, hi, model="fermi_l0_screened")
        assert summed_energy_fraction(lo, hi) == pytest.approx(exact, rel=0.01, abs=0)
    assert summed_energy_fraction(0.0, XE136_Q_KEV, model="fermi_l0_screened") == pytest.approx(1.0, abs=1e-9)


def test_fermi_function_limits():
    # no charge: F = 1
    assert fermi_function(0, np.array([10.0, 500.0]), 85) == pytest.approx(1.0, rel=1e-9, abs=0)
    # electrons are attracted (F > 1), positrons repelled (F < 1)
    assert fermi_function(37, 100.0, 85) > 1.0 > fermi_function(-37, 100.0, 85)


def test_solar_survival_probability():
    vacuum = survival_probability(300.0, 0.0)
    s12, s13 = 0.303, 0.02203
    c13 = 1 - s13
    assert vacuum == pytest.approx(c13**2 * (1 - 2 * s12 * (1 - s12)) + s13**2, rel=1e-9, abs=0)
    # matter lowers P_ee with energy and density
    assert survival_probability(862.0, 85.0) < survival_probability(862.0, 0.0)
    assert survival_probability(862.0, 85.0) > survival_probability(1442.0, 85.0)


def test_solar_rates_close_to_the_paper():
    solar = SolarNeutrinos()
    pp = solar.rate_per_tonne_day("pp")
    be7 = solar.rate_per_tonne_day("7Be")
    assert pp == pytest.approx(1.05, rel=0.06, abs=0)  # paper: 1.05 /t/d
    # paper quotes 0.51 /t/d for 7Be; the SSM flux with oscillations gives ~0.37 (see chapter 3)
    assert 0.30 < be7 < 0.45


def test_exposure_scaling(paper):
    base = sum(background_events_in_window(paper, 2.0, 140.0).values())
    longer = sum(background_events_in_window(paper.with_options(days=200), 2.0, 140.0).values())
    five = sum(background_events_in_window(paper.with_options(deployments=5), 2.0, 140.0).values())
    assert longer == pytest.approx(2 * base, rel=1e-12, abs=0)
    assert five == pytest.approx(5 * base, rel=1e-12, abs=0)


def test_paper_background_counts(paper):
    # paper, sect. 2: 3,450 background events in 2-140 keV
    window = sum(background_events_in_window(paper, 2.0, 140.0).values())
    assert window == pytest.approx(3450, rel=0.10, abs=0)
    # paper, sect. 3: ~51,130 events in the sterile window (5 keV to T_max)
    sterile = background_events_in_window(paper, 5.0, SignalPrediction(paper).max_recoil_keV)
    assert sum(sterile.values()) == pytest.approx(51130, rel=0.05, abs=0)


def test_depletion_option_scales_xe136_exactly(paper):
    hi = SignalPrediction(paper).max_recoil_keV
    nat = background_events_in_window(paper, 5.0, hi)
    dep = background_events_in_window(paper.with_options(xe136_depletion=0.9), 5.0, hi)
    assert dep["136Xe"] == pytest.approx(0.1 * nat["136Xe"], rel=1e-12, abs=0)
    for key in nat:
        if key != "136Xe":
            assert dep[key] == pytest.approx(nat[key], rel=1e-12, abs=0)


def test_background_model_scale():
    edges = np.array([2.0, 140.0])
    assert events_per_tonne_day(BackgroundModel(scale=0.5), edges)[0] == pytest.approx(
        0.5 * events_per_tonne_day(BackgroundModel(), edges)[0], rel=1e-12, abs=0
    )


@pytest.mark.parametrize(
    "factory, name",
    [
        (lambda: Krypton85(natkr_ppt=-1), "natkr_ppt"),
        (lambda: Radon222(activity_uBq_per_kg=-0.1), "activity_uBq_per_kg"),
        (lambda: Xenon136DoubleBeta(depletion=1.5), "depletion"),
        (lambda: Xenon136DoubleBeta(spectrum_model="x"), "spectrum_model"),
        (lambda: SolarNeutrinos(components=("8X",)), "components"),
        (lambda: BackgroundModel(scale=-1), "scale"),
    ],
)
def test_bad_background_input(factory, name):
    with pytest.raises(ValueError, match=name):
        factory()


def test_be7_line_rate_matches_borexino_scaled_to_xenon():
    # Borexino (Nature 562 (2018) 505): 48.3 counts / (day 100 t) of the 862 keV line in a
    # scintillator with 3.307e31 electrons per 100 t; nu-e scattering counts electrons only.
    solar = SolarNeutrinos()
    line = solar.line_rate_per_tonne_day("7Be", 861.8)
    assert line == pytest.approx(0.483 * solar.electrons_per_tonne() / 3.307e29, rel=0.05, abs=0)
    # the two lines add up to the 7Be total, the 862 keV one dominating
    other = solar.line_rate_per_tonne_day("7Be", 384.3)
    assert line + other == pytest.approx(solar.rate_per_tonne_day("7Be"), rel=1e-9, abs=0)
    assert line > 10 * other
    with pytest.raises(ValueError, match="line_keV"):
        solar.line_rate_per_tonne_day("7Be", 750.0)
    with pytest.raises(ValueError, match="component"):
        solar.line_rate_per_tonne_day("pp", 300.0)


def test_a_model_without_components_gives_zero_in_every_bin():
    edges = [1.0, 2.0, 5.0, 140.0]
    rate = events_per_tonne_day(BackgroundModel(components=()), edges)
    assert rate.shape == (3,) and np.all(rate == 0.0)


def test_the_model_passes_its_target_to_the_components():
    """A solar-only model in pseudocumene: the rate per tonne follows the electrons per tonne."""
    from_solar = BackgroundModel(components=(("solar", SolarNeutrinos()),))
    edges = [1.0, 10.0, 100.0, 500.0]
    xe, pc = TARGETS["xenon"], TARGETS["pseudocumene"]
    ratio = events_per_tonne_day(from_solar, edges, pc) / events_per_tonne_day(from_solar, edges, xe)
    np.testing.assert_allclose(ratio, pc.electrons_per_tonne / xe.electrons_per_tonne, rtol=1e-12)
