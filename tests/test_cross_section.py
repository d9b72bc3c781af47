import numpy as np
import pytest
from scipy import integrate

from lxenu.constants import ELECTRON_MASS_KEV
from lxenu.physics.atomic import shell_occupancies_and_binding_keV, stepping_factor
from lxenu.physics.cross_section import (
    couplings,
    dsigma_dT,
    magnetic_dsigma_dT,
    magnetic_sigma_between,
    sigma_total,
    t_max_keV,
    weak_dsigma_dT,
    weak_sigma_between,
)


def test_t_max_kinematics():
    assert t_max_keV(750.0) == pytest.approx(2 * 750**2 / (ELECTRON_MASS_KEV + 1500), rel=1e-12, abs=0)
    assert t_max_keV(750.0) == pytest.approx(559.4, abs=0.1)
    assert t_max_keV(430.0) == pytest.approx(269.7, abs=0.1)
    # T_max -> E for E >> m_e
    assert t_max_keV(1e7) / 1e7 == pytest.approx(1.0, rel=1e-4, abs=0)


def test_weak_cross_section_vanishes_above_t_max():
    E = 750.0
    assert weak_dsigma_dT(t_max_keV(E) * 1.0001, E) == 0.0
    assert weak_dsigma_dT(t_max_keV(E) * 0.9999, E) > 0.0


@pytest.mark.parametrize("flavour", ["e", "mu"])
@pytest.mark.parametrize("E", [430.0, 750.0, 862.0])
def test_closed_form_integral_matches_quadrature(flavour, E):
    tmax = float(t_max_keV(E))
    num, _ = integrate.quad(lambda T: weak_dsigma_dT(T, E, flavour), 0, tmax, limit=200)
    assert weak_sigma_between(0.0, tmax, E, flavour) == pytest.approx(num, rel=1e-9, abs=0)
    assert sigma_total(E, flavour=flavour) == pytest.approx(num, rel=1e-9, abs=0)


def test_total_cross_section_scale():
    # nu_e e at 750 keV is ~5e-45 cm^2 (G_F^2 m_e E / pi scale); nu_mu is ~5 times smaller
    s_e = sigma_total(750.0)
    s_mu = sigma_total(750.0, flavour="mu")
    assert 4e-45 < s_e < 6e-45
    assert 3.5 < s_e / s_mu < 6.5


def test_couplings():
    gV, gA = couplings("e", 0.25)
    assert (gV, gA) == (1.0, 0.5)
    gV, gA = couplings("mu", 0.25)
    assert (gV, gA) == (0.0, -0.5)
    with pytest.raises(ValueError, match="flavour"):
        couplings("sterile")


def test_magnetic_term_scales_as_mu_squared():
    T, E = np.array([1.0, 10.0, 100.0]), 750.0
    a = magnetic_dsigma_dT(T, E, 1e-11)
    b = magnetic_dsigma_dT(T, E, 2e-11)
    np.testing.assert_allclose(b, 4 * a, rtol=1e-12)
    assert magnetic_sigma_between(1.0, 100.0, E, 3e-11) == pytest.approx(
        9 * magnetic_sigma_between(1.0, 100.0, E, 1e-11), rel=1e-12, abs=0
    )


def test_magnetic_term_is_one_over_T_at_small_T():
    E = 750.0
    a = magnetic_dsigma_dT(0.01, E, 1e-11)
    b = magnetic_dsigma_dT(0.02, E, 1e-11)
    assert a / b == pytest.approx(2.0, rel=1e-4, abs=0)
    # the full cross section is dominated by it as T -> 0 and equals pi r_e^2 mu^2 / T there
    assert a * 0.01 / (np.pi * (2.8179403262e-13) ** 2 * 1e-22) == pytest.approx(1.0, rel=1e-4, abs=0)


def test_magnetic_closed_form_matches_quadrature():
    E = 750.0
    # in u = ln T the 1/T term is smooth, and the quadrature is good to ~1e-13
    num, _ = integrate.quad(
        lambda u: magnetic_dsigma_dT(np.exp(u), E, 1e-11) * np.exp(u),
        np.log(2.0),
        np.log(140.0),
        epsabs=0,
        epsrel=1e-12,
    )
    assert magnetic_sigma_between(2.0, 140.0, E, 1e-11) == pytest.approx(num, rel=1e-9, abs=0)


def test_magnetic_integral_from_zero_is_rejected():
    with pytest.raises(ValueError, match="T1_keV"):
        magnetic_sigma_between(0.0, 10.0, 750.0, 1e-11)


def test_total_includes_magnetic_term():
    E = 750.0
    T = np.array([2.0, 20.0])
    np.testing.assert_allclose(
        dsigma_dT(T, E, 1e-11), weak_dsigma_dT(T, E) + magnetic_dsigma_dT(T, E, 1e-11), rtol=1e-12
    )


def test_stepping_factor_limits():
    assert stepping_factor(0.005) == 0.0
    assert stepping_factor(40.0) == 1.0
    # between L and K shells all but the two K electrons can be ionised
    assert stepping_factor(10.0) == pytest.approx(52 / 54, rel=1e-6, abs=0)


def test_binding_only_lowers_and_vanishes_above_k_shell():
    E = 750.0
    free = weak_sigma_between(1.0, 30.0, E)
    bound = weak_sigma_between(1.0, 30.0, E, atomic_binding=True)
    assert bound < free
    assert weak_sigma_between(40.0, 100.0, E, atomic_binding=True) == pytest.approx(
        weak_sigma_between(40.0, 100.0, E), rel=1e-12, abs=0
    )
    # closed-form shell sum equals quadrature of the stepped cross section
    # every shell edge inside [1, 30] keV as a break point of the stepped integrand
    num, _ = integrate.quad(
        lambda T: dsigma_dT(T, E, atomic_binding=True),
        1.0,
        30.0,
        points=[1.0021, 1.1487, 4.786, 5.107, 5.453],
        limit=400,
        epsabs=0,
        epsrel=1e-12,
    )
    assert bound == pytest.approx(num, rel=1e-7, abs=0)


@pytest.mark.parametrize("bad", [-1.0, 0.0, float("nan")])
def test_bad_neutrino_energy(bad):
    with pytest.raises(ValueError, match="E_keV"):
        weak_dsigma_dT(1.0, bad)


def test_total_cross_section_passes_on_its_settings():
    """dsigma_dT is the weak part at the given sin^2(theta_W) and flavour plus the magnetic part."""
    T, E = np.array([1.0, 50.0, 300.0]), 750.0
    for s2w, flavour in ((0.25, "e"), (0.2312, "mu")):
        np.testing.assert_allclose(
            dsigma_dT(T, E, mu_nu_muB=3e-11, flavour=flavour, sin2_theta_w=s2w),
            weak_dsigma_dT(T, E, flavour, s2w) + magnetic_dsigma_dT(T, E, 3e-11),
            rtol=1e-14,
        )
    assert np.all(np.abs(dsigma_dT(T, E, sin2_theta_w=0.25) / dsigma_dT(T, E) - 1.0) > 0.02)


@pytest.mark.parametrize("atomic_binding", [False, True])
def test_total_cross_section_with_a_magnetic_moment_integrates_the_differential_one(atomic_binding):
    """sigma_total(E, T_min, T_max, mu) is the integral of dsigma/dT (weak + magnetic) over [T_min, T_max]."""
    E, lo, hi, mu = 750.0, 2.0, 140.0, 3e-11
    points = shell_occupancies_and_binding_keV()[1]  # the steps of the binding factor, keV
    quad, _ = integrate.quad(
        lambda T: float(dsigma_dT(T, E, mu_nu_muB=mu, atomic_binding=atomic_binding)),
        lo,
        hi,
        points=[p for p in points if lo < p < hi],
        limit=400,
        epsrel=1e-11,
    )
    got = sigma_total(E, lo, hi, mu_nu_muB=mu, atomic_binding=atomic_binding)
    assert got == pytest.approx(quad, rel=1e-8, abs=0)
    weak = sigma_total(E, lo, hi, atomic_binding=atomic_binding)
    assert got - weak == pytest.approx(float(magnetic_sigma_between(lo, hi, E, mu, atomic_binding)), rel=1e-10, abs=0)
    assert got > weak
