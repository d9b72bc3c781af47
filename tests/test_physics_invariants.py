"""Physics that must hold whatever the numbers: decay laws, geometry, oscillations, spectra, fits.

Each test states a law (an exact limit, a normalisation, an integral, a symmetry) and checks the
code against an independent evaluation of it (closed form, quadrature or Monte Carlo).
"""

import numpy as np
import pytest
from scipy import integrate

from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.constants import ELECTRON_MASS_KEV, MU_UNIT
from lxenu.experiment.experiment import Experiment
from lxenu.experiment.geometry import CylindricalDetector, SphericalDetector
from lxenu.experiment.source import LineSource
from lxenu.experiment.target import TARGETS
from lxenu.kinematics import max_recoil_keV
from lxenu.physics import oscillation as osc
from lxenu.physics.backgrounds import Krypton85, Radon222, Xenon136DoubleBeta
from lxenu.physics.beta_decay import BetaBranch, fermi_function
from lxenu.physics.cross_section import dsigma_dT, t_max_keV
from lxenu.physics.double_beta import BA136_Z, XE136_A, XE136_Q_KEV, summed_energy_pdf
from lxenu.physics.solar import SolarNeutrinos
from lxenu.predict.signal import SignalPrediction
from lxenu.stats.chi2 import poisson_chi2


# -- the source ------------------------------------------------------------------------------------
def test_activity_falls_exponentially():
    src = LineSource(activity_MCi=5.0, mean_life_days=40.0)
    assert src.activity_MCi_at(0.0) == 5.0
    assert src.activity_MCi_at(40.0) == pytest.approx(5.0 / np.e, rel=1e-12, abs=0)
    assert src.activity_MCi_at(src.half_life_days) == pytest.approx(2.5, rel=1e-12, abs=0)
    t = np.array([10.0, 20.0, 55.0])
    np.testing.assert_allclose(src.activity_MCi_at(t) / src.activity_MCi_at(t + 7.0), np.exp(7.0 / 40.0), rtol=1e-12)
    # decays per day at t are the activity at t: dN/dt = A(t)
    h = 1e-4
    rate = (src.decays_between(30.0, 30.0 + h) / h) / src.initial_rate_per_day * src.activity_MCi
    assert rate == pytest.approx(src.activity_MCi_at(30.0 + h / 2), rel=1e-8, abs=0)


def test_neutrinos_per_line_follow_the_branchings():
    src = LineSource.from_preset("cr51-four-lines")
    per_line = src.neutrinos_per_line(1e6)
    assert list(per_line) == [line.energy_keV for line in src.lines]
    assert sum(per_line.values()) == pytest.approx(1e6 * sum(x.branching for x in src.lines), rel=1e-12, abs=0)
    assert per_line[747.0] == pytest.approx(0.8163e6, rel=1e-12, abs=0)


def test_largest_recoil_is_compton_like_kinematics():
    # T_max = 2 E^2 / (m_e + 2 E): the electron takes the most energy in a head-on collision
    for E in (430.0, 750.0, 811.0):
        assert max_recoil_keV(E) == pytest.approx(2 * E * E / (ELECTRON_MASS_KEV + 2 * E), rel=1e-14, abs=0)
        assert t_max_keV(E) == max_recoil_keV(E)
    assert LineSource().max_recoil_keV == pytest.approx(559.42, abs=0.01)
    assert LineSource.from_preset("ar37").max_recoil_keV == pytest.approx(max_recoil_keV(813.0), rel=1e-14, abs=0)


# -- geometry --------------------------------------------------------------------------------------
def test_cylinder_solid_angle_on_its_axis_section():
    det = CylindricalDetector()
    g, top, R = det.gap_cm, det.gap_cm + det.height_cm, det.radius_cm
    # below the rim corner the sphere of radius L cuts the bottom face only: cos from g/L to 1
    L = np.linspace(g + 1.0, np.hypot(g, R) - 1.0, 7)
    np.testing.assert_allclose(det.solid_angle_fraction(L), 0.5 * (1.0 - g / L), rtol=1e-12)
    # beyond the top corner nothing is inside; nothing below the gap either
    assert np.all(det.solid_angle_fraction([0.5 * g, np.hypot(top, R) + 1.0]) == 0.0)
    # the flux integral is the integral of f(L) dL
    num, _ = integrate.quad(det.solid_angle_fraction, g, np.hypot(top, R), limit=200, points=[np.hypot(g, R), top])
    assert num == pytest.approx(det.flux_integral_cm, rel=1e-8, abs=0)


def test_cylinder_contains_exactly_its_volume():
    det = CylindricalDetector(height_m=1.0, diameter_m=0.8, gap_m=0.5)
    inside = np.array([[0.0, 0.0, 51.0], [39.9, 0.0, 100.0], [0.0, 0.0, 149.9]])
    outside = np.array([[0.0, 0.0, 49.0], [40.1, 0.0, 100.0], [0.0, 0.0, 150.1], [30.0, 30.0, 100.0]])
    assert det.contains(inside).all() and not det.contains(outside).any()
    rng = np.random.default_rng(7)
    box = rng.uniform([-40, -40, 50], [40, 40, 150], size=(200_000, 3))
    frac = det.contains(box).mean()
    assert frac == pytest.approx(np.pi / 4, abs=4 * np.sqrt(0.25 * 0.75 / box.shape[0]))
    assert det.contains(det.sample_uniform_points_cm(1000, rng)).all()


def test_sphere_distance_distributions():
    det = SphericalDetector(radius_m=1.0, distance_m=3.0)
    D, R = det.distance_cm, det.radius_cm
    L = np.array([220.0, 300.0, 380.0])
    cos_lo, cos_hi = det.cos_limits(L)
    np.testing.assert_allclose(cos_lo, (L**2 + D**2 - R**2) / (2 * L * D), rtol=1e-14)
    assert np.all(cos_hi == 1.0)
    lo, hi = det.distance_range_cm
    assert (lo, hi) == (D - R, D + R)
    num, _ = integrate.quad(det.solid_angle_fraction, lo, hi)
    assert det.flux_integral_cm == pytest.approx(num, rel=1e-10, abs=0)
    assert det.cumulative_volume_cm3(hi) == pytest.approx(4 / 3 * np.pi * R**3, rel=1e-12, abs=0)
    vol, _ = integrate.quad(det.volume_density_in_L_cm2, lo, 300.0)
    assert det.cumulative_volume_cm3(300.0) == pytest.approx(vol, rel=1e-10, abs=0)
    # far away the flux integral tends to V / (4 pi D^2), with corrections of order R^2 / D^2
    far = SphericalDetector(radius_m=1.0, distance_m=100.0)
    lead = far.volume_cm3 / (4 * np.pi * far.distance_cm**2)
    assert far.flux_integral_cm == pytest.approx(lead, rel=2e-4, abs=0)
    est, err = far.flux_integral_mc_cm(100_000, np.random.default_rng(3))
    assert abs(est - far.flux_integral_cm) < 4 * err


# -- oscillations ----------------------------------------------------------------------------------
def test_survival_probability_shape():
    E, s, m = 750.0, 0.3, 1.7
    L_min = osc.first_minimum_cm(E, m)
    assert osc.survival_probability(0.0, E, s, m) == 1.0
    assert osc.survival_probability(L_min, E, s, m) == pytest.approx(1.0 - s, rel=1e-12, abs=0)
    period = 2 * L_min  # sin^2 has period pi in its phase
    L = np.linspace(10.0, 300.0, 9)
    np.testing.assert_allclose(
        osc.survival_probability(L + period, E, s, m), osc.survival_probability(L, E, s, m), rtol=1e-10
    )
    # the phase scales as dm2 L / E: doubling E and L leaves P unchanged
    np.testing.assert_allclose(osc.survival_probability(2 * L, 2 * E, s, m), osc.survival_probability(L, E, s, m))
    # 1.267 dm2[eV^2] L[m] / E[MeV]: the textbook phase
    assert osc.oscillation_phase_per_cm(1.0, 1000.0) * 100.0 == pytest.approx(1.267, rel=1e-3, abs=0)


def test_bin_averaged_oscillation_limits():
    E, m = 750.0, 2.0
    L = 123.0
    k = osc.oscillation_phase_per_cm(m, E)
    assert osc.bin_averaged_sin2(L, L + 1e-6, E, m) == pytest.approx(np.sin(k * L) ** 2, rel=1e-6, abs=0)
    assert osc.bin_averaged_sin2(100.0, 100.0 + 2000 * np.pi / k, E, m) == pytest.approx(0.5, rel=1e-12, abs=0)


# -- the signal ------------------------------------------------------------------------------------
@pytest.mark.parametrize("mu, binding", [(0.0, False), (1e-11, False), (1e-11, True)])
def test_spectrum_integrates_to_the_binned_events(mu, binding):
    exp = Experiment(atomic_binding=binding)
    sig = SignalPrediction(exp)
    for lo, hi in ((2.0, 3.0), (40.0, 60.0), (400.0, 420.0)):
        pts = [b for b in (4.786, 5.107, 5.453, 34.561) if lo < b < hi] if binding else None
        num, _ = integrate.quad(lambda T: float(sig.dN_dT(T, mu)), lo, hi, points=pts, epsabs=0, epsrel=1e-11)
        assert sig.true_events(np.array([lo, hi]), mu)[0] == pytest.approx(num, rel=1e-8, abs=0)


def test_above_the_430_keV_edge_only_the_750_keV_line_counts():
    sig = SignalPrediction(Experiment())
    T = 300.0  # above T_max(430 keV) = 270.2 keV
    assert sig.dN_dT(T) == pytest.approx(sig.luminosity_per_cm2[0] * dsigma_dT(T, 750.0), rel=1e-12, abs=0)


# -- 136Xe two-neutrino double-beta decay ----------------------------------------------------------
def test_double_beta_spectrum_is_the_phase_space_convolution():
    """dN/dK ~ (Q - K)^5 int_0^K F(T1) p1 W1 F(K - T1) p2 W2 dT1, normalised: checked by quadrature."""

    def electron(T):
        W = 1.0 + T / ELECTRON_MASS_KEV
        return fermi_function(BA136_Z, T, XE136_A) * np.sqrt(W * W - 1.0) * W

    def unnormalised(K):
        inner, _ = integrate.quad(lambda t: electron(t) * electron(K - t), 0.0, K, epsrel=1e-10)
        return inner * ((XE136_Q_KEV - K) / ELECTRON_MASS_KEV) ** 5

    norm, _ = integrate.quad(unnormalised, 0.0, XE136_Q_KEV, epsrel=1e-8, limit=200)
    for K in (30.0, 300.0, 900.0, 2000.0):
        assert summed_energy_pdf(K) == pytest.approx(unnormalised(K) / norm, rel=2e-4, abs=0)


# -- the magnetic-moment fit -----------------------------------------------------------------------
def test_chi2_minimum_sits_at_the_true_moment_on_asimov_data():
    fit = MagneticMomentFit()
    _, S, M, B = fit.spectra(2.0)
    mu0 = 8e-12
    asimov = S + (mu0 / MU_UNIT) ** 2 * M + B
    mus = np.linspace(6e-12, 10e-12, 81)
    chi2 = fit.chi2(mus, observed=asimov)
    assert mus[np.argmin(chi2)] == pytest.approx(mu0, abs=0.5 * (mus[1] - mus[0]))
    assert chi2.min() == pytest.approx(0.0, abs=1e-9)
    # the scales multiply the templates
    k, b = 2.0, 0.5
    want = poisson_chi2(k * S + (mu0 / MU_UNIT) ** 2 * k * M + b * B, k * S + b * B)
    assert fit.chi2(mu0, signal_scale=k, background_scale=b) == pytest.approx(want, rel=1e-12, abs=0)


def test_expected_band_is_the_quantiles_of_the_toys():
    fit = MagneticMomentFit()
    lim = fit.pseudo_experiment_limits(n=60, seed=5)
    band = fit.expected_band(n=60, seed=5)
    assert band["median"] == pytest.approx(np.median(lim), rel=1e-12, abs=0)
    assert band["-1sigma"] == pytest.approx(np.quantile(lim, 0.15865525393145707), rel=1e-12, abs=0)
    assert band["+2sigma"] == pytest.approx(np.quantile(lim, 0.9772498680518208), rel=1e-12, abs=0)
    assert band["-2sigma"] < band["-1sigma"] < band["median"] < band["+1sigma"] < band["+2sigma"]


@pytest.mark.parametrize(
    "component",
    [
        Krypton85(),
        Krypton85(main_branch_shape="unique_first_forbidden_coulomb"),
        Radon222(),
        Xenon136DoubleBeta(),
        Xenon136DoubleBeta(spectrum_model="primakoff_rosen"),
    ],
    ids=["85Kr", "85Kr Coulomb", "222Rn", "136Xe", "136Xe Primakoff-Rosen"],
)
def test_background_density_integrates_to_its_bin_counts(component):
    """The spectral density dN/dE (plots) and the exact bin integrals (fits) are one spectrum."""
    edges = np.array([0.5, 2.0, 10.0, 60.0, 140.0, 300.0, 559.0])
    bins = component.events_per_tonne_day(edges)
    density = [
        integrate.quad(component.spectrum_per_tonne_day_keV, a, b, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])
    ]
    np.testing.assert_allclose(density, bins, rtol=1e-7, atol=0)


@pytest.mark.parametrize(
    "det",
    [CylindricalDetector(height_m=1.0, diameter_m=0.8, gap_m=0.5), SphericalDetector(radius_m=1.0, distance_m=3.0)],
    ids=["cylinder", "sphere"],
)
def test_uniform_points_fill_the_volume_evenly(det):
    """Uniform in volume: inside, azimuthally symmetric about the axis, and as much volume in the
    inner as in the outer half of the distance-from-axis (cylinder) or radius cubed (sphere)."""
    n = 200_000
    p = det.sample_uniform_points_cm(n, np.random.default_rng(11))
    assert det.contains(p).all()
    five_sigma = 5.0 * np.sqrt(0.25 / n)
    assert np.mean(p[:, 0] > 0) == pytest.approx(0.5, abs=five_sigma)
    assert np.mean(p[:, 1] > 0) == pytest.approx(0.5, abs=five_sigma)
    assert np.mean(np.abs(p[:, 0]) > np.abs(p[:, 1])) == pytest.approx(0.5, abs=five_sigma)
    if isinstance(det, CylindricalDetector):
        inner = np.hypot(p[:, 0], p[:, 1]) < det.radius_cm / np.sqrt(2.0)
    else:
        centre = np.array([0.0, 0.0, det.distance_cm])
        inner = np.linalg.norm(p - centre, axis=1) ** 3 < 0.5 * det.radius_cm**3
    assert inner.mean() == pytest.approx(0.5, abs=five_sigma)


def test_sphere_contains_exactly_its_volume():
    det = SphericalDetector(radius_m=1.0, distance_m=3.0)
    c = np.array([0.0, 0.0, 300.0])
    axes = np.eye(3)
    inside = np.vstack([c + 99.9 * a for a in axes] + [c - 99.9 * a for a in axes] + [c + 57.0 * np.ones(3)])
    outside = np.vstack([c + 100.1 * a for a in axes] + [c - 100.1 * a for a in axes] + [c + 58.0 * np.ones(3)])
    assert det.contains(inside).all() and not det.contains(outside).any()


def test_mean_energy_of_a_branch_to_an_excited_level():
    """214Pb to the 295 keV level of 214Bi: the beta's kinetic energy runs from 0 to the branch's
    endpoint, the deposited energy is shifted by the level; the mean is of the beta alone."""
    Q, level = 1019.0 - 295.2, 295.2
    branch = BetaBranch(Q, 83, 214, 1.0, level)
    quad, _ = integrate.quad(lambda T: T * branch.pdf(T + level), 0.0, Q, limit=200)
    assert branch.mean_kinetic_energy_keV() == pytest.approx(quad, rel=1e-6, abs=0)
    assert 0.3 * Q < branch.mean_kinetic_energy_keV() < 0.5 * Q


def test_solar_rate_scales_with_the_targets_electrons():
    """Without atomic binding the solar nu-e rate per tonne is proportional to electrons per tonne."""
    solar = SolarNeutrinos()
    edges = np.array([1.0, 10.0, 100.0, 500.0])
    xe, pc = TARGETS["xenon"], TARGETS["pseudocumene"]
    ratio = solar.events_per_tonne_day(edges, pc) / solar.events_per_tonne_day(edges, xe)
    np.testing.assert_allclose(ratio, pc.electrons_per_tonne / xe.electrons_per_tonne, rtol=1e-12)
