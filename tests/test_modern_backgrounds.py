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
    # reversed edges used to return 0 events for 136Xe
    with pytest.raises(ValueError, match="edges_keV"):
        Xenon136DoubleBeta().events_per_tonne_day([5.0, 2.0])
    with pytest.raises(ValueError, match="edges_keV"):
        Radon222().events_per_tonne_day([1.0, float("nan")])
    with pytest.raises(ValueError, match="edges_keV"):
        Xenon136DoubleBeta().events_per_tonne_day([-1.0, 2.0])


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


# ---------------------------------------------------------------- 214Pb single-site fractions (the modern preset)
from lxenu.analyses.full_information import MagneticMomentFullFit  # noqa: E402
from lxenu.analyses.sterile import sterile_window_keV  # noqa: E402
from lxenu.experiment.experiment import Experiment  # noqa: E402
from lxenu.physics.backgrounds import (  # noqa: E402
    PB214_EXCITED_LEVELS_KEV,
    PB214_GROUND_STATE_BRANCHING,
    PB214_GROUND_STATE_DEFICIT_1_15_KEV,
    Xenon136DoubleBeta,
    pb214_single_site_fractions,
)
from lxenu.physics.beta_decay import linear_shape_for_window_deficit  # noqa: E402
from lxenu.physics.cross_section import t_max_keV, weak_sigma_between  # noqa: E402
from lxenu.predict.backgrounds import background_events_in_window, background_true_events  # noqa: E402
from lxenu.predict.binned import FullInformationPrediction  # noqa: E402

AVOGADRO = 6.02214076e23  # CODATA, exact
XE_MOLAR_MASS = 131.293  # g/mol, IUPAC standard atomic weight of xenon (the target's)


@pytest.fixture(scope="module")
def modern():
    return Experiment.from_file("paper2014-modern")


def _mu_xe(E_keV, density=2.9):
    return float(att.mass_attenuation_cm2_g("Xe", E_keV)) * density


def test_preset_single_site_fractions_are_the_computed_ones(modern):
    det = modern.detector
    naked, kept = pb214_single_site_fractions(det.radius_cm, det.height_cm, det.density_g_cm3)
    rn = modern.backgrounds.rn222
    np.testing.assert_allclose(rn.naked_beta_fraction, naked, rtol=1e-5)
    np.testing.assert_allclose(rn.excited_single_site_fraction, kept, rtol=1e-5)
    # the chapter's table: 2.0, 2.5, 5.2 % naked; 41.5, 34.4, 17.2 % kept
    np.testing.assert_allclose(naked, [0.0195395, 0.0246657, 0.0521628], rtol=1e-5)
    np.testing.assert_allclose(kept, [0.415303, 0.343590, 0.171568], rtol=1e-5)


def test_single_site_fractions_against_a_direct_volume_average():
    """Nested quadrature over (r, z) of 1/2 E_2(mu d), d the distance to the nearest face, against the
    inner-parallel-body formula; kept is 1 - exp(-mu x separation)."""
    R, H = 12.0, 20.0
    naked, kept = pb214_single_site_fractions(R, H, separation_cm=0.7)
    for i, level in enumerate(PB214_EXCITED_LEVELS_KEV):
        mu = _mu_xe(level)

        def inner(r, mu=mu):
            side = R - r
            f = lambda z: 0.5 * expn(2, mu * min(side, z, H - z))  # noqa: E731
            return integrate.quad(f, 0.0, H, points=sorted({side, H - side}), limit=200, epsrel=1e-9)[0]

        avg = integrate.quad(lambda r: 2 * np.pi * r * inner(r), 0.0, R, points=[R - 2.0], limit=200, epsrel=1e-8)[0]
        assert naked[i] == pytest.approx(avg / (np.pi * R * R * H), rel=1e-5, abs=0)
        assert kept[i] == pytest.approx(1 - np.exp(-0.7 * mu), rel=1e-12, abs=0)


def test_single_site_fractions_thick_body_limit_and_skin():
    """For a body much larger than 1/mu: f_naked -> (S / V) / (4 mu), since int 1/2 E_2(mu d) dd = 1/(4 mu)."""
    R, H = 4000.0, 8000.0
    naked, _ = pb214_single_site_fractions(R, H)
    for i, level in enumerate(PB214_EXCITED_LEVELS_KEV):
        assert naked[i] == pytest.approx((2 / R + 2 / H) / (4 * _mu_xe(level)), rel=2e-3, abs=0)
    thin, _ = pb214_single_site_fractions(69.0, 138.0, skin_cm=2.0)
    thick, _ = pb214_single_site_fractions(69.0, 138.0, skin_cm=10.0)
    bare, _ = pb214_single_site_fractions(69.0, 138.0)
    assert all(a > b > c > 0 for a, b, c in zip(bare, thin, thick))
    # with a skin s the slab average is E_3(mu s) / (2 mu) per unit area: the ratio to s = 0 is 2 E_3(mu s)
    for i, level in enumerate(PB214_EXCITED_LEVELS_KEV):
        assert thin[i] / bare[i] == pytest.approx(2 * expn(3, 2.0 * _mu_xe(level)), rel=0.02, abs=0)
    assert pb214_single_site_fractions(69.0, 138.0, separation_cm=0.0)[1] == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"radius_cm": float("nan")}, "radius_cm"),
        ({"height_cm": -1.0}, "height_cm"),
        ({"skin_cm": -0.5}, "skin_cm"),
        ({"separation_cm": float("nan")}, "separation_cm"),
        ({"density_g_cm3": 0.0}, "density_g_cm3"),
    ],
)
def test_single_site_bad_input(kwargs, name):
    args = {"radius_cm": 69.0, "height_cm": 138.0} | kwargs
    with pytest.raises(ValueError, match=name):
        pb214_single_site_fractions(**args)


# ---------------------------------------------------------------- 214Pb first-forbidden ground state and branching


def _gs_fraction(shape, params, lo, hi):
    return float(BetaBranch(1019.0, 83, 214, 1.0, 0.0, shape, params).fraction_in_bins(np.array([lo, hi]))[0])


def test_calibrated_shape_reproduces_the_published_deficit():
    slopes = []
    for deficit in (*PB214_GROUND_STATE_DEFICIT_1_15_KEV, 0.191):
        a = linear_shape_for_window_deficit(1019.0, 83, 214, deficit)
        slopes.append(a)
        ratio = _gs_fraction("empirical", (a, 0.0, 0.0), 1.0, 15.0) / _gs_fraction("allowed", (), 1.0, 15.0)
        assert 1 - ratio == pytest.approx(deficit, rel=1e-9, abs=0)
    np.testing.assert_allclose(slopes, [0.381989, 0.903374, 0.588148], rtol=1e-5)  # the chapter's a
    assert slopes[0] < slopes[2] < slopes[1]
    assert linear_shape_for_window_deficit(1019.0, 83, 214, 0.0) == 0.0
    # the calibrated shape is a spectrum: normalised to one decay
    a = slopes[2]
    whole = BetaBranch(1019.0, 83, 214, 1.0, 0.0, "empirical", (a, 0.0, 0.0)).fraction_in_bins(
        np.linspace(0, 1019, 2001)
    )
    assert whole.sum() == pytest.approx(1.0, rel=1e-7, abs=0)
    # what it implies in 1-200 keV (the chapter's table): 10.7 / 13.6 / 16.6 %, below Hayen et al.'s "up to 20 %"
    implied = [1 - _gs_fraction("empirical", (s, 0, 0), 1, 200) / _gs_fraction("allowed", (), 1, 200) for s in slopes]
    np.testing.assert_allclose(implied, [0.107199, 0.165801, 0.136500], rtol=1e-4)
    with pytest.raises(ValueError, match="ground_state_deficit_1_15keV"):
        Radon222(ground_state_deficit_1_15keV=0.5)
    with pytest.raises(ValueError, match="deficit"):
        linear_shape_for_window_deficit(1019.0, 83, 214, -0.1)
    with pytest.raises(ValueError, match="not both"):
        Radon222(ground_state_shape_params=(0.1, 0.0, 0.0), ground_state_deficit_1_15keV=0.1)


def test_ground_state_options_keep_the_decays_normalised():
    for kwargs in (
        {"ground_state_deficit_1_15keV": 0.191},
        {"ground_state_branching": 0.098},
        {"ground_state_branching": 0.127, "ground_state_deficit_1_15keV": 0.232},
    ):
        rn = Radon222(**kwargs)
        assert rn.surviving_fraction() == pytest.approx(1.0, rel=1e-12, abs=0)
        assert rn.events_per_tonne_day(ALL).sum() == pytest.approx(rn.decays_per_tonne_day(), rel=1e-6, abs=0)
    # the ground-state branch alone reaches below 180 keV: its events there scale with the branching
    low = np.array([1.0, 150.0])
    a, b = Radon222(ground_state_branching=0.098), Radon222(ground_state_branching=0.127)
    assert b.events_per_tonne_day(low)[0] / a.events_per_tonne_day(low)[0] == pytest.approx(
        0.127 / 0.098, rel=1e-9, abs=0
    )
    # with the single-site cut, what survives is the ground state plus naked + kept of the rescaled excited
    naked, kept = (0.02, 0.025, 0.05), (0.4, 0.35, 0.2)
    rn = Radon222(naked_beta_fraction=naked, excited_single_site_fraction=kept, ground_state_branching=0.098)
    scale = (1 - 0.098) / (1 - PB214_BRANCHES[0][1])
    expected = 0.098 + sum(
        i * scale * (n + (1 - n) * k) for (_, i), n, k in zip(PB214_BRANCHES[1:], naked, kept, strict=True)
    )
    assert rn.surviving_fraction() == pytest.approx(expected, rel=1e-12, abs=0)
    with pytest.raises(ValueError, match="ground_state_branching"):
        Radon222(ground_state_branching=float("nan"))
    with pytest.raises(ValueError, match="ground_state_branching"):
        Radon222(ground_state_branching=1.2)


# ---------------------------------------------------------------- new backgrounds through an Experiment


def _total(exp, label, top_keV):
    """Events over the run at all deposited energies (fine bins: each is integrated by 8-point Gauss-Legendre)."""
    return float(background_true_events(exp, np.linspace(0.0, top_keV, 4001))[label].sum())


def _solar_stated(component, E_nodes, weights):
    """Flux x <P_ee sigma_e + (1 - P_ee) sigma_mu> x electrons per tonne x s per day, independently."""

    pee = survival_probability(E_nodes, PRODUCTION_DENSITY_NA_CM3[component])
    tmax = t_max_keV(E_nodes)
    sig = pee * weak_sigma_between(0.0, tmax, E_nodes, "e") + (1 - pee) * weak_sigma_between(0.0, tmax, E_nodes, "mu")
    electrons = 1e6 / XE_MOLAR_MASS * AVOGADRO * 54
    return SOLAR_FLUX_CM2_S[component] * float(np.sum(weights * sig)) * electrons * SECONDS_PER_DAY


def test_new_backgrounds_are_normalised_to_their_stated_rates(modern):
    exposure = modern.exposure_tonne_days
    atoms = 1e6 / XE_MOLAR_MASS * AVOGADRO  # xenon atoms per tonne
    # 124Xe: natural abundance 0.0952 %, T1/2 = 1.1e22 yr (XENON1T 2022); every decay in one of the lines
    xe124 = atoms * 0.000952 * np.log(2) / (1.1e22 * 365.25)
    assert _total(modern, "124Xe", 100.0) == pytest.approx(xe124 * exposure, rel=1e-9, abs=0)
    # 85Kr with the Coulomb shape: 0.1 ppt natKr x 2e-11 85Kr/Kr, T1/2 = 10.739 yr; all branches
    kr85 = atoms * 0.1e-12 * 2e-11 * np.log(2) / (10.739 * 365.25)
    assert _total(modern, "85Kr", 1000.0) == pytest.approx(kr85 * exposure, rel=1e-6, abs=0)
    # 214Pb with the modern options: 0.1 uBq/kg x the fraction that survives the single-site cut
    rn = modern.backgrounds.rn222
    rn_rate = 0.1e-6 * 1e3 * SECONDS_PER_DAY * rn.surviving_fraction()
    assert _total(modern, "222Rn", 2000.0) == pytest.approx(rn_rate * exposure, rel=1e-6, abs=0)
    assert 0.3 < rn.surviving_fraction() < 0.5
    # pep: one line at 1442.2 keV
    pep = _solar_stated("pep", np.array([1442.2]), np.array([1.0]))
    assert _total(modern, "solar pep", 1300.0) == pytest.approx(pep * exposure, rel=1e-9, abs=0)
    # CNO: allowed beta+ neutrino spectra, integrated here by quad-level Gauss-Legendre of 400 nodes
    for component, (endpoint, Z, A) in {"13N": (1198.5, 6, 13), "15O": (1732.0, 7, 15)}.items():
        x, w = np.polynomial.legendre.leggauss(400)
        E = 0.5 * endpoint * (x + 1)
        lam = allowed_beta_plus_neutrino_spectrum(E, endpoint, Z, A) * 0.5 * endpoint * w
        stated = _solar_stated(component, E, lam / lam.sum())
        assert _total(modern, f"solar {component}", 1600.0) == pytest.approx(stated * exposure, rel=1e-6, abs=0)


@pytest.mark.parametrize("label", ["124Xe", "solar pep", "solar 13N", "solar 15O", "85Kr", "222Rn"])
def test_new_backgrounds_scale_with_exposure(modern, label):
    edges = np.linspace(1.0, 600.0, 60)
    base = background_true_events(modern, edges)[label]
    for changed, factor in ((modern.with_options(days=250.0), 2.5), (modern.with_options(density_g_cm3=1.45), 0.5)):
        np.testing.assert_allclose(background_true_events(changed, edges)[label], factor * base, rtol=1e-12)


# ---------------------------------------------------------------- the chapter's modern-background numbers


def _with(exp, key, **changes):
    return exp.replace(backgrounds=exp.backgrounds.replace_component(key, **changes))


def test_pinned_modern_counts(modern):
    c = background_events_in_window(modern, 2.0, 140.0)
    assert c["222Rn"] == pytest.approx(140.188, rel=1e-5, abs=0)
    assert c["124Xe"] == pytest.approx(450.935, rel=1e-5, abs=0)
    assert sum(c.values()) == pytest.approx(4106.658, rel=1e-6, abs=0)
    s = background_events_in_window(modern, *sterile_window_keV(modern))
    assert s["222Rn"] == pytest.approx(1487.31, rel=1e-5, abs=0)
    assert sum(s.values()) == pytest.approx(51628.43, rel=1e-6, abs=0)
    # the single-site cut halves 222Rn in the sterile window (paper: 3088.5)
    paper = background_events_in_window(Experiment(), *sterile_window_keV(modern))
    assert 0.4 < s["222Rn"] / paper["222Rn"] < 0.55


def test_pinned_ground_state_tables(modern):
    """Chapter 7: 222Rn events in 2-140 keV and the (T) limit for each ground-state shape and branching."""
    shapes = {
        0.0: (157.584, 4.817649),
        0.15: (143.923, 4.813968),
        0.191: (140.188, 4.812960),
        0.232: (136.454, 4.811951),
    }
    for deficit, (rn, lim) in shapes.items():
        v = _with(modern, "rn222", ground_state_deficit_1_15keV=deficit)
        assert background_events_in_window(v, 2.0, 140.0)["222Rn"] == pytest.approx(rn, rel=1e-5, abs=0)
        assert MagneticMomentFullFit(v).limit() == pytest.approx(lim * 1e-12, rel=1e-5, abs=0)
    branchings = {
        "ENSDF 2009": (151.315, 4.815227),
        "XENONnT 2026": (140.188, 4.812960),
        "ENSDF archive 2023": (167.077, 4.818433),
    }
    for source, (rn, lim) in branchings.items():
        v = _with(modern, "rn222", ground_state_branching=PB214_GROUND_STATE_BRANCHING[source])
        assert background_events_in_window(v, 2.0, 140.0)["222Rn"] == pytest.approx(rn, rel=1e-5, abs=0)
        assert MagneticMomentFullFit(v).limit() == pytest.approx(lim * 1e-12, rel=1e-5, abs=0)


def test_pinned_solar_moment_table(modern):
    expected = {
        None: (0.0, 4.812960, 5.301489),
        "e": (0.154717, 4.447316, 4.891647),
        "all": (0.283762, 4.199000, 4.594566),
    }
    for flavours, (ratio, lim_T, lim_TLt) in expected.items():
        e = modern if flavours is None else _with(modern, "solar", moment_in_fit=True, flavours_with_moment=flavours)
        p = FullInformationPrediction(e, "TLt")
        solar = 0.0 if p.magnetic_solar is None else p.magnetic_solar.sum()
        assert solar / p.magnetic.sum() == pytest.approx(ratio, rel=1e-5, abs=1e-12)
        only_T = FullInformationPrediction(e, "T", energy_spectra=p.energy_spectra)
        assert MagneticMomentFullFit.from_prediction(only_T).limit() == pytest.approx(lim_T * 1e-12, rel=1e-5, abs=0)
        free = MagneticMomentFullFit.from_prediction(p, signal_norm_sigma=None, background_norm_sigma=None)
        assert free.limit() == pytest.approx(lim_TLt * 1e-12, rel=1e-5, abs=0)


def test_atomic_binding_acts_on_the_solar_magnetic_rate_below_the_k_shell_only():
    """With binding, electrons bound more tightly than T cannot scatter: fewer magnetic events
    below the K-shell energy (34.6 keV), the same above it."""
    free = SolarNeutrinos(mu_nu_muB=1e-11)
    bound = SolarNeutrinos(mu_nu_muB=1e-11, atomic_binding=True)
    low, high = [2.0, 10.0, 30.0], [40.0, 140.0]
    assert np.all(bound.magnetic_events_per_tonne_day(low) < 0.99 * free.magnetic_events_per_tonne_day(low))
    np.testing.assert_allclose(
        bound.magnetic_events_per_tonne_day(high), free.magnetic_events_per_tonne_day(high), rtol=1e-12
    )
