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
from functools import cached_property

import numpy as np

from ..constants import DAYS_PER_YEAR, SECONDS_PER_DAY
from ..experiment.backgrounds import register_component
from ..experiment.target import XENON, Target
from ..validation import check_edges, check_non_negative, check_positive, check_range, check_scalar_fields
from .beta_decay import BetaBranch
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

#: Shape factors offered for the 85Kr ground-state branch (see Krypton85.main_branch_shape).
KR85_MAIN_SHAPES = ("unique_first_forbidden", "unique_first_forbidden_coulomb")


class _BetaEmitter:
    """Spectra of a nuclide with ``branches`` (BetaBranch) and ``decays_per_tonne_day()``."""

    def spectrum_per_tonne_day_keV(self, E_keV, target: Target = XENON):
        """dN/dE of deposited energy, events per tonne per day per keV."""
        return self.decays_per_tonne_day(target) * sum(b.intensity * b.pdf(E_keV) for b in self.branches)

    def events_per_tonne_day(self, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne per day in deposited-energy bins (exact bin integrals of each branch)."""
        edges = check_edges("edges_keV", edges_keV)
        check_non_negative("edges_keV", edges[0], "keV")
        rate = self.decays_per_tonne_day(target)
        return rate * sum(b.intensity * b.fraction_in_bins(edges) for b in self.branches)


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
      ``excited_single_site_fraction`` survives the cut (gamma photo-absorbed within the
      vertex resolution of the beta; it then deposits beta + level energy, >= 295 keV); the
      others are multi-site and removed. No single-site cut: 0 and 1 (the default). For a
      decay at depth d from the edge of the active xenon, the escape probability of a gamma
      of energy E is 1/2 E_2(mu d) (half-space, isotropic;
      :func:`lxenu.physics.attenuation.half_space_escape_probability`).
      Either fraction may be one number or one per excited level (295, 352, 839 keV).
    * The ground-state branch (0+ -> 1-) is first-forbidden non-unique; it is treated as
      allowed because no shape-factor coefficients for it could be found and checked here.
      ``ground_state_shape_params = (a, b, c)`` applies C = 1 + a W + b/W + c W^2 instead.

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

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("activity_uBq_per_kg", self.activity_uBq_per_kg, "uBq/kg")
        n_excited = len(PB214_BRANCHES) - 1
        for name in ("naked_beta_fraction", "excited_single_site_fraction"):
            value = np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
            if value.size not in (1, n_excited):
                raise ValueError(f"{name} must be one number or {n_excited} (one per excited level); got {value.size}")
            check_range(name, value, 0.0, 1.0)
        if self.ground_state_shape_params and len(self.ground_state_shape_params) != 3:
            raise ValueError(
                f"ground_state_shape_params must be () or (a, b, c); got {self.ground_state_shape_params!r}"
            )

    def _per_level(self, name: str) -> np.ndarray:
        return np.broadcast_to(np.asarray(getattr(self, name), dtype=float), (len(PB214_BRANCHES) - 1,))

    @cached_property
    def branches(self):
        (gs_level, gs_intensity), excited = PB214_BRANCHES[0], PB214_BRANCHES[1:]
        gs_shape = "empirical" if self.ground_state_shape_params else "allowed"
        out = [
            BetaBranch(
                PB214_Q_KEV - gs_level, 83, 214, gs_intensity, gs_level, gs_shape, self.ground_state_shape_params
            )
        ]
        naked = self._per_level("naked_beta_fraction")
        kept = self._per_level("excited_single_site_fraction")
        for (level, intensity), f_naked, f_kept in zip(excited, naked, kept):
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
        fraction = summed_energy_fraction(e[:-1], e[1:], XE136_Q_KEV, self.spectrum_model)
        return self.decays_per_tonne_day(target) * fraction
