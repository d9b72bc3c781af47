"""Backgrounds of a liquid-xenon detector: intrinsic radioactivity and solar neutrinos.

Every component gives events per tonne of xenon per day in bins of deposited
(true) energy; the detector response smears them like the signal. All are
uniform in the liquid, so their distribution in source distance follows the
volume (see :meth:`lxenu.detector.CylindricalDetector.volume_in_bins_cm3`).

Components (the paper, sect. 2, after Baudis et al., JCAP 01 (2014) 044):

* solar pp and 7Be neutrinos (:mod:`lxenu.solar`);
* 85Kr beta decay at a natural-krypton concentration (mol/mol) and a 85Kr/Kr ratio;
* 222Rn through the beta decay of its daughter 214Pb, at an activity concentration;
* 136Xe two-neutrino double-beta decay (:mod:`lxenu.double_beta`), optionally depleted.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, runtime_checkable

import numpy as np

from .beta_decay import BetaBranch
from .constants import AVOGADRO, DAYS_PER_YEAR, SECONDS_PER_DAY
from .detector import XENON_MOLAR_MASS_G
from .double_beta import (
    SPECTRUM_MODELS,
    XE136_HALF_LIFE_YR,
    XE136_NATURAL_ABUNDANCE,
    XE136_Q_KEV,
    summed_energy_fraction,
    summed_energy_pdf,
)
from .double_ec import Xenon124DoubleEC
from .solar import SolarNeutrinos
from .target import Target
from .validation import check_edges, check_non_negative, check_positive, check_range, check_scalar_fields

XENON_ATOMS_PER_TONNE = 1e6 * AVOGADRO / XENON_MOLAR_MASS_G

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

    def spectrum_per_tonne_day_keV(self, E_keV):
        """dN/dE of deposited energy, events per tonne per day per keV."""
        return self.decays_per_tonne_day() * sum(b.intensity * b.pdf(E_keV) for b in self.branches)

    def events_per_tonne_day(self, edges_keV) -> np.ndarray:
        """Events per tonne per day in deposited-energy bins (exact bin integrals of each branch)."""
        edges = check_edges("edges_keV", edges_keV)
        return self.decays_per_tonne_day() * sum(b.intensity * b.fraction_in_bins(edges) for b in self.branches)


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
        :mod:`lxenu.beta_decay`): ``"unique_first_forbidden"`` (C = q^2 + p^2, the default and
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

    def decays_per_tonne_day(self) -> float:
        atoms = XENON_ATOMS_PER_TONNE * self.natkr_ppt * 1e-12 * self.kr85_fraction
        return atoms * np.log(2.0) / (KR85_HALF_LIFE_YR * DAYS_PER_YEAR)


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
      of energy E is 1/2 E_2(mu d) (half-space, isotropic; :func:`lxenu.attenuation.half_space_escape_probability`).
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

    def decays_per_tonne_day(self) -> float:
        return self.activity_uBq_per_kg * 1e-6 * 1e3 * SECONDS_PER_DAY


@dataclass(frozen=True)
class Xenon136DoubleBeta:
    """136Xe two-neutrino double-beta decay of the target itself.

    Parameters
    ----------
    depletion:
        Fraction of the 136Xe removed (0 = natural xenon, 0.9 = the paper's "90 % depleted").
    half_life_yr:
        2nu-beta-beta half-life, years.
    spectrum_model:
        "fermi" (default), "fermi_l0_screened" or "primakoff_rosen", see :mod:`lxenu.double_beta`.
    """

    depletion: float = 0.0
    half_life_yr: float = XE136_HALF_LIFE_YR
    natural_abundance: float = XE136_NATURAL_ABUNDANCE
    spectrum_model: str = "fermi"

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("depletion", self.depletion, 0.0, 1.0)
        check_positive("half_life_yr", self.half_life_yr, "yr")
        check_range("natural_abundance", self.natural_abundance, 0.0, 1.0)
        if self.spectrum_model not in SPECTRUM_MODELS:
            raise ValueError(f"spectrum_model must be one of {SPECTRUM_MODELS}; got {self.spectrum_model!r}")

    def decays_per_tonne_day(self) -> float:
        atoms = XENON_ATOMS_PER_TONNE * self.natural_abundance * (1.0 - self.depletion)
        return atoms * np.log(2.0) / (self.half_life_yr * DAYS_PER_YEAR)

    def spectrum_per_tonne_day_keV(self, E_keV):
        return self.decays_per_tonne_day() * summed_energy_pdf(E_keV, XE136_Q_KEV, self.spectrum_model)

    def events_per_tonne_day(self, edges_keV) -> np.ndarray:
        e = np.asarray(edges_keV, dtype=float)
        return self.decays_per_tonne_day() * summed_energy_fraction(e[:-1], e[1:], XE136_Q_KEV, self.spectrum_model)


@runtime_checkable
class BackgroundComponent(Protocol):
    """What a background component provides (the plug-in point for new backgrounds).

    Contract: a frozen dataclass, uniform in the target and constant in time, whose
    ``events_per_tonne_day(edges_keV)`` gives events per tonne of target per day in bins
    of deposited energy (exact bin integrals; edges increasing, keV). It may also give
    ``events_per_tonne_day_by_part(edges_keV)``, a dict of labelled parts that sum to the
    total (the solar fluxes), and ``needs_isotope``, an isotope the target must list.
    """

    def events_per_tonne_day(self, edges_keV) -> np.ndarray: ...


#: Component classes by the table name used in experiment files (``[backgrounds.<key>]``),
#: and the label of each in tables and plots.
COMPONENT_TYPES = {
    "solar": SolarNeutrinos,
    "kr85": Krypton85,
    "rn222": Radon222,
    "xe136": Xenon136DoubleBeta,
    "xe124": Xenon124DoubleEC,
}
COMPONENT_LABELS = {"solar": "solar", "kr85": "85Kr", "rn222": "222Rn", "xe136": "136Xe", "xe124": "124Xe"}
#: Isotopes of the target that a component needs.
COMPONENT_ISOTOPES = {"xe136": "136Xe", "xe124": "124Xe"}
#: The paper's components (sect. 2): solar pp + 7Be, 85Kr, 222Rn (214Pb) and 136Xe.
PAPER_COMPONENT_KEYS = ("solar", "kr85", "rn222", "xe136")


def _default_components():
    return tuple((key, COMPONENT_TYPES[key]()) for key in PAPER_COMPONENT_KEYS)


@dataclass(frozen=True)
class BackgroundModel:
    """The background components of an experiment, each with the same interface.

    Parameters
    ----------
    components:
        ``(key, component)`` pairs, keys from :data:`COMPONENT_TYPES` (the paper's four by
        default: solar pp + 7Be, 85Kr, 222Rn and 136Xe). Each component follows
        :class:`BackgroundComponent`.
    scale:
        Multiplies every component (for "what if the background were N times lower"
        studies) without changing their shapes.

    Components are also reachable by key as attributes (``model.xe136``).
    """

    components: tuple = field(default_factory=_default_components)
    scale: float = 1.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("scale", self.scale)
        if not isinstance(self.components, tuple):
            raise ValueError(f"components must be a tuple of (key, component) pairs; got {self.components!r}")
        keys = [key for key, _ in self.components]
        if len(set(keys)) != len(keys):
            raise ValueError(f"components must have distinct keys; got {keys}")
        for key, comp in self.components:
            if key not in COMPONENT_TYPES:
                raise ValueError(f"background component must be one of {sorted(COMPONENT_TYPES)}; got {key!r}")
            if not isinstance(comp, COMPONENT_TYPES[key]):
                raise ValueError(f"backgrounds.{key} must be a {COMPONENT_TYPES[key].__name__}; got {comp!r}")

    def __getattr__(self, key):
        if key in COMPONENT_TYPES:
            for k, comp in self.__dict__.get("components", ()):
                if k == key:
                    return comp
            raise AttributeError(f"this background model has no {key!r} component")
        raise AttributeError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.components)

    def replace_component(self, key: str, **changes) -> BackgroundModel:
        """A copy with fields of one component changed (``model.replace_component("xe136", depletion=0.9)``)."""
        if key not in self.keys:
            raise ValueError(f"background component must be one of {list(self.keys)}; got {key!r}")
        comps = tuple((k, dataclasses.replace(c, **changes) if k == key else c) for k, c in self.components)
        return dataclasses.replace(self, components=comps)

    def with_component(self, key: str, component) -> BackgroundModel:
        """A copy with the component ``key`` replaced by (or, if absent, extended with) ``component``."""
        if key not in COMPONENT_TYPES:
            raise ValueError(f"background component must be one of {sorted(COMPONENT_TYPES)}; got {key!r}")
        comps = tuple((k, component if k == key else c) for k, c in self.components)
        if key not in self.keys:
            comps += ((key, component),)
        return dataclasses.replace(self, components=comps)

    def check_target(self, target: Target) -> None:
        """Raise a ``ValueError`` if a component cannot be computed for ``target``."""
        if self.components and not target.has_intrinsic_background_model:
            raise ValueError(
                f"backgrounds: lxenu has no background model for the target {target.name!r} "
                f"(components given: {', '.join(self.keys)}); give no [backgrounds.*] tables for it"
            )
        for key, _ in self.components:
            if key in COMPONENT_ISOTOPES:
                target.abundance(COMPONENT_ISOTOPES[key], needed_by=f"backgrounds.{key}")

    def events_per_tonne_day_by_component(self, edges_keV) -> dict[str, np.ndarray]:
        """Events per tonne per day in deposited-energy bins, for each labelled component (or part)."""
        edges = check_edges("edges_keV", edges_keV)
        out = {}
        for key, comp in self.components:
            by_part = getattr(comp, "events_per_tonne_day_by_part", None)
            parts = by_part(edges) if by_part else {COMPONENT_LABELS[key]: comp.events_per_tonne_day(edges)}
            out.update({label: self.scale * rate for label, rate in parts.items()})
        return out

    def events_per_tonne_day(self, edges_keV) -> np.ndarray:
        """Events per tonne per day in deposited-energy bins, all components."""
        parts = self.events_per_tonne_day_by_component(edges_keV)
        return sum(parts.values()) if parts else np.zeros(np.asarray(edges_keV).size - 1)
