import numpy as np
import pytest
from scipy import integrate

from lxenu.constants import ELECTRON_MASS_KEV, SECONDS_PER_DAY
from lxenu.experiment.geometry import CylindricalDetector
from lxenu.physics import attenuation as att
from lxenu.physics import source_gamma as sg

DET = CylindricalDetector()


@pytest.mark.parametrize("det", [DET, CylindricalDetector(height_m=2.0, diameter_m=1.0, gap_m=0.5)])
def test_chord_integral_is_the_flux_integral(det):
    # int dOmega/4pi chord = int dV / (4 pi L^2): an independent closed form in detector.py
    assert sg.chord_integral_cm(det) == pytest.approx(det.flux_integral_cm, rel=1e-10, abs=0)


def test_no_shield_enters_with_the_solid_angle():
    p = sg.fiducial_interaction_probability(1500.0, DET, tungsten_cm=0.0, lxe_cm=0.0, interacting=False)
    assert p == pytest.approx(0.5 * (1 - 100 / np.hypot(100, 69)), rel=1e-12, abs=0)


def test_thin_target_limit_is_mu_times_flux_integral():
    # with no shield, P_interact -> mu * int dOmega/4pi chord for small mu; here check the exact bound and ordering
    E = 3000.0
    mu = att.mass_attenuation_cm2_g("Xe", E) * DET.density_g_cm3
    p = sg.fiducial_interaction_probability(E, DET, 0.0, 0.0)
    assert p < mu * DET.flux_integral_cm
    thin = CylindricalDetector(density_g_cm3=1e-4)
    mu_thin = att.mass_attenuation_cm2_g("Xe", E) * 1e-4
    assert sg.fiducial_interaction_probability(E, thin, 0.0, 0.0) == pytest.approx(
        mu_thin * thin.flux_integral_cm, rel=1e-3, abs=0
    )


def test_paper_arithmetic():
    est = sg.paper_estimate(1e13, 1500.0, window_keV=(2.0, 560.0))
    assert est["transmission_axis"] == pytest.approx(att.paper_shield_transmission(1500.0), rel=1e-12, abs=0)
    # the chapter's table, pinned: quadratures converge far below these tolerances
    assert est["transmission_axis"] == pytest.approx(6.687239e-12, rel=1e-6, abs=0)
    assert est["solid_angle_fraction"] == pytest.approx(0.08845994, rel=1e-7, abs=0)
    # axis transmission x solid angle is an upper bound: oblique rays cross more xenon
    assert est["entering_per_day"] < 1e13 * est["transmission_axis"] * est["solid_angle_fraction"]
    assert est["entering_per_day"] == pytest.approx(2.712195, rel=1e-6, abs=0)
    assert est["interacting_per_day"] == pytest.approx(2.629678, rel=1e-6, abs=0)
    assert est["in_window_per_day"] == pytest.approx(0.8533947, rel=1e-6, abs=0)  # the paper: "< 1 event per day"


def test_probability_rises_with_energy_and_falls_with_shield():
    E = np.array([600.0, 1000.0, 1500.0, 2000.0, 2750.0])
    p = sg.fiducial_interaction_probability(E)
    assert np.all(np.diff(p) > 0)
    thick = sg.fiducial_interaction_probability(E, tungsten_cm=20.0)
    np.testing.assert_allclose(thick / p, np.exp(-att.mass_attenuation_cm2_g("W", E) * 19.3 * 3.0), rtol=1e-10)
    assert sg.fiducial_interaction_probability(320.0) < 1e-40
    assert sg.fiducial_interaction_probability(100.0) == 0.0
    assert np.all(sg.fiducial_interaction_probability(E, buildup="linear") > p)


def test_klein_nishina_total_and_thomson_limit():
    # analytic Klein-Nishina total cross section
    def kn_total(E):
        k = E / ELECTRON_MASS_KEV
        r2 = 2.8179403262e-13**2
        return (
            2
            * np.pi
            * r2
            * (
                (1 + k) / k**2 * (2 * (1 + k) / (1 + 2 * k) - np.log(1 + 2 * k) / k)
                + np.log(1 + 2 * k) / (2 * k)
                - (1 + 3 * k) / (1 + 2 * k) ** 2
            )
        )

    for E in [1.0, 511.0, 1500.0, 2754.0]:
        assert sg.klein_nishina_sigma_cm2(np.array([E]))[0] == pytest.approx(kn_total(E), rel=1e-8, abs=0)
    assert kn_total(1.0) == pytest.approx(8 * np.pi / 3 * 2.8179403262e-13**2, rel=5e-3, abs=0)


def test_compton_share_below_total_attenuation():
    # Z N_A/A sigma_KN is the incoherent part: below the NIST total, and most of it at 1-3 MeV
    E = np.array([1000.0, 1500.0, 2000.0, 3000.0])
    whole = sg.single_site_window_fraction(E, 0.0, 1e4)
    assert np.all(whole < 1.0) and np.all(whole > 0.75)
    np.testing.assert_allclose(whole, [0.9043, 0.9251, 0.8889, 0.7744], rtol=1e-3)
    assert whole[3] < whole[2] < whole[1]  # pair production takes over above 1.5 MeV
    # window fractions add up
    a = sg.single_site_window_fraction(E, 0.0, 140.0)
    b = sg.single_site_window_fraction(E, 140.0, 560.0)
    np.testing.assert_allclose(a + b, sg.single_site_window_fraction(E, 0.0, 560.0), rtol=1e-8)
    # requiring the scattered photon to escape only removes events
    assert np.all(
        sg.single_site_window_fraction(E[1:], 2.0, 560.0, escape_path_cm=5.0)
        < sg.single_site_window_fraction(E[1:], 2.0, 560.0)
    )


def test_inventory_decay_and_rates():
    inv = sg.ImpurityInventory({"24Na": 1e6, "60Co": 1e6})
    t = np.array([0.0, 14.997 / 24.0, 10.0])
    g = inv.gammas_per_day(t, by_nuclide=True)
    assert g["24Na"][0] == pytest.approx(1e6 * SECONDS_PER_DAY * (0.9999 + 0.9986), rel=1e-6, abs=0)
    assert g["24Na"][1] == pytest.approx(g["24Na"][0] / 2, rel=1e-12, abs=0)
    assert g["60Co"][2] == pytest.approx(g["60Co"][0] * 2 ** (-10 / (5.2713 * 365.25)), rel=1e-12, abs=0)
    # rate scales linearly with activity; window rate below full rate
    r = inv.fiducial_rate_per_day(t)
    r2 = sg.ImpurityInventory({"24Na": 2e6, "60Co": 2e6}).fiducial_rate_per_day(t)
    np.testing.assert_allclose(r2, 2 * r, rtol=1e-12)
    assert np.all(inv.fiducial_rate_per_day(t, window_keV=(2.0, 560.0)) < r)
    p_na = sg.fiducial_interaction_probability(np.array([1368.63, 2754.01]))
    expected = 1e6 * SECONDS_PER_DAY * (0.9999 * p_na[0] + 0.9986 * p_na[1])
    assert inv.fiducial_rate_per_day(0.0, by_nuclide=True)["24Na"] == pytest.approx(expected, rel=1e-12, abs=0)
    # short-lived share of MeV gammas falls with time
    assert inv.short_lived_fraction(0.0) == pytest.approx(
        0.5 * (0.9999 + 0.9986) / (0.5 * (0.9999 + 0.9986) + 0.5 * (0.9985 + 0.9998)), rel=1e-12, abs=0
    )
    assert inv.short_lived_fraction(5.0) < 0.01


def test_inventory_from_gamma_emission_and_integral():
    inv = sg.ImpurityInventory.from_gamma_emission(1e13, {"24Na": 0.6, "64Cu": 0.35, "60Co": 0.05})
    g = inv.gammas_per_day(0.0, by_nuclide=True)
    assert inv.gammas_per_day(0.0) == pytest.approx(1e13, rel=1e-12, abs=0)
    assert g["64Cu"] == pytest.approx(0.35e13, rel=1e-12, abs=0)
    # exact time integral against quadrature of the rate
    quad = integrate.quad(lambda t: float(inv.fiducial_rate_per_day(t)), 0.0, 100.0, limit=200, epsrel=1e-10)[0]
    assert inv.fiducial_events_between(0.0, 100.0) == pytest.approx(quad, rel=1e-7, abs=0)
    assert inv.fiducial_events_between(0.0, 10.0) + inv.fiducial_events_between(10.0, 100.0) == pytest.approx(
        inv.fiducial_events_between(0.0, 100.0), rel=1e-12, abs=0
    )
    with pytest.raises(ValueError, match="shares"):
        sg.ImpurityInventory.from_gamma_emission(1e13, {"24Na": 0.5})
    with pytest.raises(ValueError, match="t_stop_days"):
        inv.fiducial_events_between(10.0, 5.0)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: sg.ImpurityInventory({"137Cs": 1.0}), "activities_Bq"),
        (lambda: sg.ImpurityInventory({"24Na": -1.0}), "activities_Bq"),
        (lambda: sg.ImpurityInventory({"24Na": 1.0}).gammas_per_day(-1.0), "t_days"),
        (lambda: sg.fiducial_interaction_probability(4000.0), "E_keV"),
        (lambda: sg.fiducial_interaction_probability(-1.0), "E_keV"),
        (lambda: sg.fiducial_interaction_probability(1000.0, tungsten_cm=-1), "tungsten_cm"),
        (lambda: sg.single_site_window_fraction(1500.0, 100.0, 50.0), "hi_keV"),
        (lambda: sg.single_site_window_fraction(600.0, 2.0, 560.0, escape_path_cm=1.0), "E_keV - hi_keV"),
        (lambda: sg.paper_estimate(0.0), "gammas_per_day"),
        (lambda: sg.ImpurityInventory({"24Na": 1.0}, buildup="x").fiducial_rate_per_day(0.0), "buildup"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_pinned_chapter_inventory():
    """Chapter 7's illustrative inventory: 1e13 gamma/day, 95 % from 24Na and 64Cu, 5 % from 46Sc, 59Fe, 60Co."""
    shares = {"24Na": 0.475, "64Cu": 0.475, "46Sc": 0.05 / 3, "59Fe": 0.05 / 3, "60Co": 0.05 / 3}
    inv = sg.ImpurityInventory.from_gamma_emission(1e13, shares)
    window = (2.0, sg.CR51_MAX_RECOIL_KEV)
    days = np.linspace(0.0, 100.0, 201)
    rates = inv.fiducial_rate_per_day(days, window_keV=window)
    np.testing.assert_allclose(rates[[0, 10, 100]], [7.539768, 0.03164355, 0.001837777], rtol=1e-6)
    assert days[np.argmax(rates < 1.0)] == 2.0
    assert inv.fiducial_events_between(0.0, 100.0, window_keV=window) == pytest.approx(6.982461, rel=1e-6, abs=0)
    assert inv.short_lived_fraction(0.0) == pytest.approx(0.9203293, rel=1e-6, abs=0)
    lines = np.array([1368.63, 2754.01])
    one_line = 1e13 * sg.fiducial_interaction_probability(lines) * sg.single_site_window_fraction(lines, *window)
    np.testing.assert_allclose(one_line, [0.2356495, 31.51650], rtol=1e-6)
