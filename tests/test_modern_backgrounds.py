import numpy as np
import pytest
from scipy import integrate
from scipy.special import expn

from lxenu.constants import ELECTRON_MASS_KEV, FINE_STRUCTURE, MAGNETIC_PREFACTOR_CM2, SECONDS_PER_DAY
from lxenu.physics import attenuation as att
from lxenu.physics.backgrounds import PB214_BRANCHES, Krypton85, Radon222
from lxenu.physics.beta_decay import BetaBranch, fermi_function, generalized_fermi_function, lambda2
from lxenu.physics.solar import (
    PRODUCTION_DENSITY_NA_CM3,
    SOLAR_FLUX_CM2_S,
    SolarNeutrinos,
    allowed_beta_plus_neutrino_spectrum,
    survival_probability,
)

WINDOW = np.arange(2.0, 140.0001, 0.1)
ALL = np.linspace(0.0, 1100.0, 2201)


# ---------------------------------------------------------------- 85Kr: lambda_2 Coulomb function


def test_generalized_fermi_functions_limits():
    T = np.array([10.0, 100.0, 500.0])
    np.testing.assert_allclose(lambda2(0, T, 85), 1.0, rtol=1e-12)
    # F_0 here is fermi_function without its (1 + gamma)/2 convention
    g = np.sqrt(1 - (FINE_STRUCTURE * 37) ** 2)
    np.testing.assert_allclose(
        generalized_fermi_function(1, 37, T, 85), fermi_function(37, T, 85) * 2 / (1 + g), rtol=1e-12
    )


def test_lambda2_p2_stays_finite_at_low_momentum():
    # lambda_2 grows like (alpha Z W / p)^2 as p -> 0, so lambda_2 p^2 -> (alpha Z)^2 (1 + ...) stays finite
    T = np.array([1e-3, 1e-2])
    W = 1 + T / ELECTRON_MASS_KEV
    p2 = W**2 - 1
    val = lambda2(37, T, 85) * p2
    assert np.all(np.isfinite(val)) and val[0] == pytest.approx(val[1], rel=0.05, abs=0)
    assert 0.5 * (FINE_STRUCTURE * 37) ** 2 < val[0] < 2 * (FINE_STRUCTURE * 37) ** 2


def test_kr85_mean_energy_against_ensdf():
    coulomb = BetaBranch(687.0, 37, 85, 1.0, 0.0, "unique_first_forbidden_coulomb")
    plain = BetaBranch(687.0, 37, 85, 1.0, 0.0, "unique_first_forbidden")
    assert coulomb.mean_kinetic_energy_keV() == pytest.approx(250.63, rel=1e-3, abs=0)
    assert plain.mean_kinetic_energy_keV() == pytest.approx(256.83, rel=1e-3, abs=0)
    # ENSDF mean beta energy 251 keV: the Coulomb function closes the gap
    assert abs(coulomb.mean_kinetic_energy_keV() - 251.0) < 1.0 < abs(plain.mean_kinetic_energy_keV() - 251.0)
    # cross-check the mean against quad
    assert integrate.quad(lambda E: E * coulomb.pdf(E), 0, 687, limit=200)[0] == pytest.approx(
        coulomb.mean_kinetic_energy_keV(), rel=1e-5, abs=0
    )


def test_kr85_option_normalised_and_moves_window_by_5_percent():
    default, coulomb = Krypton85(), Krypton85(main_branch_shape="unique_first_forbidden_coulomb")
    assert coulomb.events_per_tonne_day(ALL).sum() == pytest.approx(coulomb.decays_per_tonne_day(), rel=1e-6, abs=0)
    ratio = coulomb.events_per_tonne_day(WINDOW).sum() / default.events_per_tonne_day(WINDOW).sum()
    assert ratio == pytest.approx(1.0531, rel=2e-3, abs=0)
    assert Krypton85.label == "85Kr"
    with pytest.raises(ValueError, match="main_branch_shape"):
        Krypton85(main_branch_shape="allowed")


# ---------------------------------------------------------------- 214Pb: single-site and ground-state shape


def test_radon_default_unchanged_and_exposure_scaling():
    rn = Radon222()
    assert rn.surviving_fraction() == pytest.approx(1.0, rel=1e-6, abs=0)
    assert len(rn.branches) == 4
    assert rn.events_per_tonne_day(ALL).sum() == pytest.approx(rn.decays_per_tonne_day(), rel=1e-6, abs=0)
    np.testing.assert_allclose(
        Radon222(activity_uBq_per_kg=0.3).events_per_tonne_day(WINDOW), 3 * rn.events_per_tonne_day(WINDOW), rtol=1e-12
    )


def test_single_site_cut_removes_excited_branches():
    cut = Radon222(excited_single_site_fraction=0.0)
    assert cut.surviving_fraction() == pytest.approx(0.110, rel=1e-6, abs=0)
    # low-energy window untouched (only the ground-state branch reaches it) ...
    np.testing.assert_allclose(cut.events_per_tonne_day(WINDOW), Radon222().events_per_tonne_day(WINDOW), rtol=1e-12)
    # ... high energies lose the beta + gamma branches
    assert (
        cut.events_per_tonne_day([300.0, 1100.0]).sum() < 0.2 * Radon222().events_per_tonne_day([300.0, 1100.0]).sum()
    )


def test_naked_beta_adds_low_energy_events():
    f = 0.05
    naked = Radon222(naked_beta_fraction=f, excited_single_site_fraction=0.0)
    assert naked.surviving_fraction() == pytest.approx(0.110 + f * (1 - 0.110), rel=1e-6, abs=0)
    extra = naked.events_per_tonne_day(WINDOW).sum() - Radon222().events_per_tonne_day(WINDOW).sum()
    expected = (
        naked.decays_per_tonne_day()
        * f
        * sum(
            i * BetaBranch(1019.0 - lvl, 83, 214, 1.0).fraction_in_bins(WINDOW).sum() for lvl, i in PB214_BRANCHES[1:]
        )
    )
    assert extra == pytest.approx(expected, rel=1e-10, abs=0)
    # per-level fractions
    per_level = Radon222(naked_beta_fraction=(f, f, f))
    np.testing.assert_allclose(
        per_level.events_per_tonne_day(WINDOW), Radon222(naked_beta_fraction=f).events_per_tonne_day(WINDOW)
    )
    assert Radon222(naked_beta_fraction=f).events_per_tonne_day(ALL).sum() == pytest.approx(
        Radon222().decays_per_tonne_day(), rel=1e-6, abs=0
    )


def test_ground_state_empirical_shape_option():
    zero = Radon222(ground_state_shape_params=(0.0, 0.0, 0.0))
    np.testing.assert_allclose(zero.events_per_tonne_day(WINDOW), Radon222().events_per_tonne_day(WINDOW), rtol=1e-10)
    soft = Radon222(ground_state_shape_params=(0.0, 1.0, 0.0))  # C = 1 + 1/W favours low energies
    assert soft.events_per_tonne_day(WINDOW).sum() > Radon222().events_per_tonne_day(WINDOW).sum()


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"naked_beta_fraction": 1.5}, "naked_beta_fraction"),
        ({"naked_beta_fraction": (0.1, 0.2)}, "naked_beta_fraction"),
        ({"excited_single_site_fraction": -0.1}, "excited_single_site_fraction"),
        ({"ground_state_shape_params": (1.0,)}, "ground_state_shape_params"),
    ],
)
def test_radon_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Radon222(**kwargs)


def test_half_space_escape():
    assert att.half_space_escape_probability(352.0, 0.0) == pytest.approx(0.5, rel=1e-6, abs=0)
    mu = att.mass_attenuation_cm2_g("Xe", 352.0) * 2.9
    assert att.half_space_escape_probability(352.0, 3.0) == pytest.approx(0.5 * expn(2, 3 * mu), rel=1e-12, abs=0)
    d = np.array([0.0, 1.0, 5.0, 20.0])
    assert np.all(np.diff(att.half_space_escape_probability(352.0, d)) < 0)
    with pytest.raises(ValueError, match="depth_cm"):
        att.half_space_escape_probability(352.0, -1.0)


def test_bad_edges_named():
    with pytest.raises(ValueError, match="edges_keV"):
        Krypton85().events_per_tonne_day([3.0, 2.0])


# ---------------------------------------------------------------- solar neutrinos through a magnetic moment


def _pp_magnetic_reference(T1, T2, mu, weight_by_pee):
    """Closed-form magnetic cross section integrated (quad) over the normalised pp spectrum."""
    endpoint = 420.22
    norm = integrate.quad(lambda E: allowed_beta_plus_neutrino_spectrum(E, endpoint, 1, 2), 0, endpoint)[0]

    def sigma(E):
        tmax = 2 * E**2 / (ELECTRON_MASS_KEV + 2 * E)
        hi = min(T2, tmax)
        if hi <= T1:
            return 0.0
        s = MAGNETIC_PREFACTOR_CM2 * mu**2 * (np.log(hi / T1) - (hi - T1) / E)
        return s * (survival_probability(E, PRODUCTION_DENSITY_NA_CM3["pp"]) if weight_by_pee else 1.0)

    emin = 0.5 * (T1 + np.sqrt(T1**2 + 2 * ELECTRON_MASS_KEV * T1))  # threshold E for recoil T1
    val = (
        integrate.quad(
            lambda E: allowed_beta_plus_neutrino_spectrum(E, endpoint, 1, 2) * sigma(E),
            emin,
            endpoint,
            limit=400,
            epsabs=0,
            epsrel=1e-10,
        )[0]
        / norm
    )
    electrons = 1e6 * 54 * 6.02214076e23 / 131.293
    return SOLAR_FLUX_CM2_S["pp"] * val * electrons * SECONDS_PER_DAY


@pytest.mark.parametrize("flavours", ["all", "e"])
def test_pp_magnetic_against_closed_form(flavours):
    sol = SolarNeutrinos(components=("pp",), mu_nu_muB=1e-11, flavours_with_moment=flavours)
    ours = sol.magnetic_events_per_tonne_day([2.0, 140.0])[0]
    ref = _pp_magnetic_reference(2.0, 140.0, 1e-11, flavours == "e")
    assert ours == pytest.approx(ref, rel=2e-3, abs=0)


def test_magnetic_scaling_and_flavour_choice():
    base = SolarNeutrinos(mu_nu_muB=1e-11)
    m = base.magnetic_events_per_tonne_day(WINDOW)
    np.testing.assert_allclose(SolarNeutrinos(mu_nu_muB=2e-11).magnetic_events_per_tonne_day(WINDOW), 4 * m, rtol=1e-12)
    assert m.sum() == pytest.approx(0.12313, rel=1e-3, abs=0)
    e_only = SolarNeutrinos(mu_nu_muB=1e-11, flavours_with_moment="e").magnetic_events_per_tonne_day(WINDOW)
    ratio = e_only.sum() / m.sum()
    assert 0.45 < ratio < 0.6  # P_ee ~ 0.55 below 1 MeV
    no_osc = SolarNeutrinos(mu_nu_muB=1e-11, flavours_with_moment="e", oscillations=False)
    np.testing.assert_allclose(no_osc.magnetic_events_per_tonne_day(WINDOW), m, rtol=1e-12)
    # weak + magnetic = total; mu = 0 is the paper
    np.testing.assert_allclose(
        base.events_per_tonne_day(WINDOW), SolarNeutrinos().events_per_tonne_day(WINDOW) + m, rtol=1e-12
    )
    # flux scaling (exposure-like linearity)
    np.testing.assert_allclose(
        SolarNeutrinos(mu_nu_muB=1e-11, flux_scale=2).magnetic_events_per_tonne_day(WINDOW), 2 * m, rtol=1e-12
    )


def test_spectrum_density_matches_bins():
    sol = SolarNeutrinos(mu_nu_muB=3e-11)
    T = np.array([5.0, 30.0, 100.0])
    dens = sol.spectrum_per_tonne_day_keV(T)
    bins = np.array([sol.events_per_tonne_day([t - 0.01, t + 0.01])[0] / 0.02 for t in T])
    np.testing.assert_allclose(dens, bins, rtol=1e-5)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: SolarNeutrinos(mu_nu_muB=-1e-11), "mu_nu_muB"),
        (lambda: SolarNeutrinos(flavours_with_moment="mu"), "flavours_with_moment"),
        (lambda: SolarNeutrinos(mu_nu_muB=1e-11).events_per_tonne_day([0.0, 10.0]), "edges_keV"),
        (lambda: SolarNeutrinos().magnetic_events_per_tonne_day([1.0, 10.0], component="8B"), "component"),
    ],
)
def test_solar_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()
