"""Backgrounds of a liquid-xenon detector: intrinsic radioactivity and solar neutrinos.

Every component gives events per tonne of xenon per day in bins of deposited
(true) energy; the detector response smears them like the signal. All are
uniform in the liquid, so their distribution in source distance follows the
volume (see :meth:`lxenu.experiment.geometry.CylindricalDetector.volume_in_bins_cm3`).

Each is registered as a :class:`~lxenu.experiment.backgrounds.BackgroundComponent` under
the key of its ``[backgrounds.<key>]`` table. Components (the paper, sect. 2, after
Baudis et al., JCAP 01 (2014) 044):

* solar pp and 7Be neutrinos (:mod:`lxenu.physics.solar`);
* 85Kr beta decay at a natural-krypton concentration (mol/mol) and a 85Kr/Kr ratio;
* 222Rn through the beta decay of its daughter 214Pb, at an activity concentration;
* 136Xe two-neutrino double-beta decay (:mod:`lxenu.physics.double_beta`), optionally depleted;
* beyond the paper, 124Xe double electron capture (:mod:`lxenu.physics.double_ec`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy.integrate import quad
from scipy.special import expn

from ..constants import DAYS_PER_YEAR, SECONDS_PER_DAY
from ..experiment.backgrounds import register_component
from ..experiment.geometry import LXE_DENSITY_G_CM3
from ..experiment.target import XENON, Target
from ..validation import check_edges, check_non_negative, check_positive, check_range, check_scalar_fields
from .attenuation import mass_attenuation_cm2_g
from .beta_decay import BetaBranch, linear_shape_for_window_deficit
from .double_beta import SPECTRUM_MODELS, XE136_HALF_LIFE_YR, XE136_Q_KEV, summed_energy_fraction, summed_energy_pdf

#: Xenon atoms per tonne of natural xenon (the default target).
XENON_ATOMS_PER_TONNE = XENON.molecules_per_tonne

#: 85Kr: T1/2 = 10.739 yr, Q = 687.0 keV (ENSDF, A = 85 evaluation, via NNDC NuDat).
#: 99.563 % of decays are unique first-forbidden (9/2+ -> 5/2-) to the 85Rb ground state;
#: 0.437 % go to the 514 keV level (Q = 173 keV) whose gamma the xenon absorbs.
KR85_HALF_LIFE_YR = 10.739
KR85_Q_KEV = 687.0
#: 85Kr/natKr atom ratio of present-day atmospheric krypton, ~2e-11 (Baudis et al. 2014;
#: XENON100, EPJC 78 (2018) 132 use (2 +- 1) x 1e-11).
KR85_TO_KR_RATIO = 2e-11

#: 214Pb beta branches (ENSDF, Nucl. Data Sheets 110 (2009) 681, rounded and normalised):
#: (level in 214Bi keV, intensity). Q_beta = 1019 keV.
PB214_Q_KEV = 1019.0
PB214_BRANCHES = ((0.0, 0.110), (295.2, 0.402), (351.9, 0.460), (839.0, 0.028))
#: The excited 214Bi levels fed by 214Pb, keV (each taken to de-excite by one gamma of this energy).
PB214_EXCITED_LEVELS_KEV = tuple(level for level, _ in PB214_BRANCHES[1:])
#: Ground-state branch of 214Pb: ENSDF 2009 (the default above), 0.110; XENONnT's direct
#: measurement (9.8 +- 0.3 stat +0.8/-0.2 sys) %, arXiv:2606.17920 (abstract); a later ENSDF
#: evaluation, as bundled in paceENSDF 0.6.3 ("September 2023" archive; which evaluation is not
#: verified), (12.7 +- 0.9) %.
PB214_GROUND_STATE_BRANCHING = {"ENSDF 2009": 0.110, "XENONnT 2026": 0.098, "ENSDF archive 2023": 0.127}
#: Shell-model calculation of the 214Pb ground-state branch (Haselschwardt, Kostensalo, Mougeot &
#: Suhonen, PRC 102 (2020) 065501, arXiv:2007.13686, abstract): 15.0-23.2 % less rate in 1-15 keV
#: than the allowed shape for g_A = 1.0-0.7. Hayen, Simonucci & Taioli (arXiv:2009.08303, abstract):
#: "in the 1-200 keV window, the predicted flux is up to 20 % lower".
PB214_GROUND_STATE_DEFICIT_1_15_KEV = (0.150, 0.232)
#: Window of that deficit, keV.
PB214_DEFICIT_WINDOW_KEV = (1.0, 15.0)


@lru_cache(maxsize=16)
def pb214_single_site_fractions(
    radius_cm: float,
    height_cm: float,
    density_g_cm3: float = LXE_DENSITY_G_CM3,
    skin_cm: float = 0.0,
    separation_cm: float = 1.0,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    r"""(naked_beta_fraction, excited_single_site_fraction) per excited 214Bi level for 214Pb
    decays spread uniformly through a cylindrical fiducial volume, after a single-site cut.

    Model (each assumption stated):

    * a decay to an excited level emits one gamma of the level energy (295.2, 351.9, 839.0 keV),
      isotropically; cascades through lower levels and internal conversion (which deposits the
      energy at the vertex) are neglected, so the naked fraction is an upper bound;
    * *naked*: the gamma leaves the active xenon without interacting; the event is then a lone
      beta with the branch's endpoint. For a decay at depth d below the nearest face of the
      fiducial volume, with ``skin_cm`` of active xenon outside it, the escape probability is the
      half-space one, 1/2 E_2(mu (d + skin)) (:func:`lxenu.physics.attenuation.half_space_escape_probability`;
      it neglects the curvature and the corners, good while 1/mu, 2-5 cm, is small against the
      radius). Averaged exactly over the cylinder with the inner parallel body:

      .. math::

          f_{\rm naked} = \frac{1}{V}\int_0^{d_{\max}} \tfrac12 E_2(\mu(d + s))\,
              2\pi (R - d)\big[(H - 2d) + (R - d)\big]\,{\rm d}d;

    * *single-site*: a gamma that interacts is kept only if its first interaction lies within
      ``separation_cm`` of the beta vertex (default 1 cm, the paper's vertex resolution), probability
      1 - exp(-mu separation); the event then deposits beta + level energy (>= 295 keV). Counting any
      first interaction, not only photo-absorption, makes this an upper bound on the acceptance.

    mu is the total attenuation coefficient of xenon (NIST, :mod:`lxenu.physics.attenuation`).
    ``skin_cm = 0`` (the fiducial boundary is the edge of the active xenon) gives the most naked betas.
    """
    check_positive("radius_cm", radius_cm, "cm")
    check_positive("height_cm", height_cm, "cm")
    check_positive("density_g_cm3", density_g_cm3, "g/cm^3")
    check_non_negative("skin_cm", skin_cm, "cm")
    check_non_negative("separation_cm", separation_cm, "cm")
    R, H = float(radius_cm), float(height_cm)
    d_max = min(R, 0.5 * H)
    volume = np.pi * R * R * H
    naked, kept = [], []
    for level in PB214_EXCITED_LEVELS_KEV:
        mu = float(mass_attenuation_cm2_g("Xe", level)) * density_g_cm3

        def integrand(d, mu=mu):
            area = 2.0 * np.pi * (R - d) * ((H - 2.0 * d) + (R - d))  # surface of the inner parallel body
            return 0.5 * expn(2, mu * (d + skin_cm)) * area

        breaks = [b / mu for b in (0.1, 1.0, 5.0, 20.0) if b / mu < d_max]
        value, _ = quad(integrand, 0.0, d_max, points=breaks or None, limit=200, epsabs=0.0, epsrel=1e-10)
        naked.append(value / volume)
        kept.append(float(-np.expm1(-mu * separation_cm)))
    return tuple(naked), tuple(kept)


#: Shape factors offered for the 85Kr ground-state branch (see Krypton85.main_branch_shape).
KR85_MAIN_SHAPES = ("unique_first_forbidden", "unique_first_forbidden_coulomb")


def cached_per_edges(function, owner, edges: np.ndarray) -> np.ndarray:
    """``function(owner, edges)`` through a small cache keyed by (function, owner, edges).

    One chapter asks for the spectra of the same components on the same fine grid many times
    (every prediction, window count and fit of an experiment, and again for variants of it that
    share components); the components are frozen dataclasses, so the key is exact. An
    unhashable owner is computed directly. The cached arrays are read-only.
    """
    try:
        hash(owner)
    except TypeError:
        return function(owner, edges)
    return _cached_per_edges(function, owner, np.ascontiguousarray(edges, dtype=float).tobytes())


@lru_cache(maxsize=256)
def _cached_per_edges(function, owner, edges_bytes: bytes) -> np.ndarray:
    out = np.array(function(owner, np.frombuffer(edges_bytes)), dtype=float)
    out.setflags(write=False)
    return out


def _summed_energy_fractions(spectrum_model, edges):
    """Fraction of 136Xe 2nu-beta-beta decays with summed energy in each bin."""
    return summed_energy_fraction(edges[:-1], edges[1:], XE136_Q_KEV, spectrum_model)


def _branch_fractions(emitter, edges):
    """Fraction of an emitter's decays in each deposited-energy bin, all branches."""
    return sum(b.intensity * b.fraction_in_bins(edges) for b in emitter.branches)


class _BetaEmitter:
    """Spectra of a nuclide with ``branches`` (BetaBranch) and ``decays_per_tonne_day()``."""

    def spectrum_per_tonne_day_keV(self, E_keV, target: Target = XENON):
        """dN/dE of deposited energy, events per tonne per day per keV."""
        return self.decays_per_tonne_day(target) * sum(b.intensity * b.pdf(E_keV) for b in self.branches)

    def events_per_tonne_day(self, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne per day in deposited-energy bins (exact bin integrals of each branch)."""
        edges = check_edges("edges_keV", edges_keV)
        check_non_negative("edges_keV", edges[0], "keV")
        return self.decays_per_tonne_day(target) * cached_per_edges(_branch_fractions, self, edges)


@register_component("kr85", "85Kr")
@dataclass(frozen=True)
class Krypton85(_BetaEmitter):
    """85Kr beta decay, uniform in the liquid.

    Parameters
    ----------
    natkr_ppt:
        Natural krypton in xenon, parts per trillion (mol/mol). Baudis et al. assume
        0.1 ppt for a DARWIN-class detector (the paper's source of this background).
    kr85_fraction:
        85Kr/natKr atom ratio.
    main_branch_shape:
        Shape factor of the unique first-forbidden ground-state branch (see
        :mod:`lxenu.physics.beta_decay`): ``"unique_first_forbidden"`` (C = q^2 + p^2, the default and
        the paper reproduction) or ``"unique_first_forbidden_coulomb"`` (C = q^2 + lambda_2 p^2
        with lambda_2 = F_1/F_0, as BetaShape, Mougeot PRC 91 (2015) 055504). The latter gives a
        mean beta energy of 250.6 keV against ENSDF's 251 keV (lambda_2 = 1: 256.8 keV) and puts
        5.3 % more of the branch in 2-140 keV (0.2945 instead of 0.2796 of decays).
    """

    label = "85Kr"

    natkr_ppt: float = 0.1
    kr85_fraction: float = KR85_TO_KR_RATIO
    main_branch_shape: str = "unique_first_forbidden"

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("natkr_ppt", self.natkr_ppt, "ppt")
        check_range("kr85_fraction", self.kr85_fraction, 0.0, 1.0)
        if self.main_branch_shape not in KR85_MAIN_SHAPES:
            raise ValueError(f"main_branch_shape must be one of {KR85_MAIN_SHAPES}; got {self.main_branch_shape!r}")

    @cached_property
    def branches(self):
        main = BetaBranch(KR85_Q_KEV, 37, 85, 0.99563, 0.0, self.main_branch_shape)
        side = BetaBranch(KR85_Q_KEV - 514.0, 37, 85, 0.00437, 514.0, "allowed")
        return (main, side)

    def decays_per_tonne_day(self, target: Target = XENON) -> float:
        """85Kr decays per tonne of target per day (natKr counted per atom or molecule of it)."""
        atoms = target.molecules_per_tonne * self.natkr_ppt * 1e-12 * self.kr85_fraction
        return atoms * np.log(2.0) / (KR85_HALF_LIFE_YR * DAYS_PER_YEAR)


@register_component("rn222", "222Rn")
@dataclass(frozen=True)
class Radon222(_BetaEmitter):
    """222Rn in the liquid, seen through the beta decay of its daughter 214Pb.

    In a multi-tonne volume the gammas that follow the 214Pb decays to excited 214Bi
    levels (295, 352, 839 keV) are absorbed close to the decay, so those branches
    deposit beta + level energy, above 295 keV; only the ground-state branch (11 %)
    reaches the low-energy window with a "naked" beta spectrum. 222Rn, 218Po and
    214Po are alpha decays (MeV, told apart by their S1/S2 ratio) and 214Bi is
    tagged by the 214Bi-214Po delayed coincidence (164 us), so neither is counted.
    The decay chain is taken in equilibrium with 222Rn.

    Options beyond the paper (defaults reproduce it):

    * A single-site selection. Of the excited-state decays, a fraction
      ``naked_beta_fraction`` has its de-excitation gammas leave the active xenon without
      interacting (only near the walls): they deposit the beta alone, a "naked" beta spectrum
      reaching down to 0 keV, and are single-site. Of the rest, only the fraction
      ``excited_single_site_fraction`` survives the cut (gamma absorbed within the vertex
      separation of the beta; it then deposits beta + level energy, >= 295 keV); the others are
      multi-site and removed. No single-site cut: 0 and 1 (the default). Either fraction may be
      one number or one per excited level (295, 352, 839 keV); :func:`pb214_single_site_fractions`
      computes them for a cylindrical fiducial volume from a stated model.
    * The ground-state branch (0+ -> 1-) is first-forbidden non-unique; by default it has the
      allowed shape. ``ground_state_deficit_1_15keV = f`` (0 <= f < 0.387) gives it the shape factor
      C = 1 + a W whose spectrum has the fraction f fewer decays in 1-15 keV than the allowed one
      (:func:`lxenu.physics.beta_decay.linear_shape_for_window_deficit`), calibrated to the
      published integral of the shell-model calculation (:data:`PB214_GROUND_STATE_DEFICIT_1_15_KEV`,
      15.0-23.2 %), not to its shape, which could not be read. ``ground_state_shape_params = (a, b, c)``
      applies C = 1 + a W + b/W + c W^2 instead (not both).
    * ``ground_state_branching``: the ground-state branch (default 0.110, ENSDF 2009; see
      :data:`PB214_GROUND_STATE_BRANCHING`); the excited branches are scaled by a common factor so
      that all branches still sum to one.

    Parameters
    ----------
    activity_uBq_per_kg:
        222Rn activity concentration, micro-becquerel per kg (paper: 0.1).
    """

    label = "222Rn"

    activity_uBq_per_kg: float = 0.1
    naked_beta_fraction: float | tuple = 0.0
    excited_single_site_fraction: float | tuple = 1.0
    ground_state_shape_params: tuple = ()
    ground_state_deficit_1_15keV: float = 0.0
    ground_state_branching: float = PB214_BRANCHES[0][1]

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("activity_uBq_per_kg", self.activity_uBq_per_kg, "uBq/kg")
        n_excited = len(PB214_BRANCHES) - 1
        for name in ("naked_beta_fraction", "excited_single_site_fraction"):
            value = np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
            if value.size not in (1, n_excited):
                raise ValueError(f"{name} must be one number or {n_excited} (one per excited level); got {value.size}")
            check_range(name, value, 0.0, 1.0)
        if self.ground_state_shape_params:
            if len(self.ground_state_shape_params) != 3:
                raise ValueError(
                    f"ground_state_shape_params must be () or (a, b, c); got {self.ground_state_shape_params!r}"
                )
            for x in self.ground_state_shape_params:
                check_range("ground_state_shape_params entry", x, -1e6, 1e6)
            if self.ground_state_deficit_1_15keV != 0.0:
                raise ValueError("give ground_state_shape_params or ground_state_deficit_1_15keV, not both")
        check_range("ground_state_deficit_1_15keV", self.ground_state_deficit_1_15keV, 0.0, 1.0, high_inclusive=False)
        check_range("ground_state_branching", self.ground_state_branching, 0.0, 1.0)
        self.ground_state_shape()  # a deficit beyond what C = 1 + a W can give fails here, by name

    def _per_level(self, name: str) -> np.ndarray:
        return np.broadcast_to(np.asarray(getattr(self, name), dtype=float), (len(PB214_BRANCHES) - 1,))

    def ground_state_shape(self) -> tuple[str, tuple]:
        """(shape, shape_params) of the ground-state branch (see :class:`lxenu.physics.beta_decay.BetaBranch`)."""
        if self.ground_state_shape_params:
            return "empirical", tuple(self.ground_state_shape_params)
        if self.ground_state_deficit_1_15keV > 0.0:
            a = linear_shape_for_window_deficit(
                PB214_Q_KEV,
                83,
                214,
                self.ground_state_deficit_1_15keV,
                *PB214_DEFICIT_WINDOW_KEV,
                name="ground_state_deficit_1_15keV",
            )
            return "empirical", (a, 0.0, 0.0)
        return "allowed", ()

    @cached_property
    def branches(self):
        (gs_level, gs_default), excited = PB214_BRANCHES[0], PB214_BRANCHES[1:]
        gs_shape, gs_params = self.ground_state_shape()
        out = [BetaBranch(PB214_Q_KEV - gs_level, 83, 214, self.ground_state_branching, gs_level, gs_shape, gs_params)]
        rescale = (1.0 - self.ground_state_branching) / (1.0 - gs_default)
        naked = self._per_level("naked_beta_fraction")
        kept = self._per_level("excited_single_site_fraction")
        for (level, intensity), f_naked, f_kept in zip(excited, naked, kept):
            intensity = intensity * rescale
            out.append(BetaBranch(PB214_Q_KEV - level, 83, 214, intensity * (1.0 - f_naked) * f_kept, level, "allowed"))
            if f_naked > 0.0:
                out.append(BetaBranch(PB214_Q_KEV - level, 83, 214, intensity * f_naked, 0.0, "allowed"))
        return tuple(out)

    def surviving_fraction(self) -> float:
        """Fraction of 214Pb decays counted (1 without a single-site cut)."""
        return float(sum(b.intensity for b in self.branches))

    def decays_per_tonne_day(self, target: Target = XENON) -> float:
        """214Pb decays per tonne per day (in equilibrium with the 222Rn activity per kg)."""
        return self.activity_uBq_per_kg * 1e-6 * 1e3 * SECONDS_PER_DAY


@register_component("xe136", "136Xe", isotope="136Xe")
@dataclass(frozen=True)
class Xenon136DoubleBeta:
    """136Xe two-neutrino double-beta decay of the target itself.

    Parameters
    ----------
    depletion:
        Fraction of the 136Xe removed (0 = natural xenon, 0.9 = the paper's "90 % depleted").
        The natural abundance is the target's (:data:`lxenu.experiment.target.XENON`: 8.857 %).
    half_life_yr:
        2nu-beta-beta half-life, years.
    spectrum_model:
        "fermi" (default), "fermi_l0_screened" or "primakoff_rosen", see :mod:`lxenu.physics.double_beta`.
    """

    depletion: float = 0.0
    half_life_yr: float = XE136_HALF_LIFE_YR
    spectrum_model: str = "fermi"

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("depletion", self.depletion, 0.0, 1.0)
        check_positive("half_life_yr", self.half_life_yr, "yr")
        if self.spectrum_model not in SPECTRUM_MODELS:
            raise ValueError(f"spectrum_model must be one of {SPECTRUM_MODELS}; got {self.spectrum_model!r}")

    def decays_per_tonne_day(self, target: Target = XENON) -> float:
        """136Xe decays per tonne of target per day."""
        atoms = target.molecules_per_tonne * target.abundance("136Xe", "backgrounds.xe136") * (1.0 - self.depletion)
        return atoms * np.log(2.0) / (self.half_life_yr * DAYS_PER_YEAR)

    def spectrum_per_tonne_day_keV(self, E_keV, target: Target = XENON):
        """dN/dE of the summed electron energy, events per tonne per day per keV."""
        return self.decays_per_tonne_day(target) * summed_energy_pdf(E_keV, XE136_Q_KEV, self.spectrum_model)

    def events_per_tonne_day(self, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne per day in summed-energy bins (exact bin integrals)."""
        e = check_edges("edges_keV", edges_keV)
        check_non_negative("edges_keV", e[0], "keV")
        return self.decays_per_tonne_day(target) * cached_per_edges(_summed_energy_fractions, self.spectrum_model, e)
