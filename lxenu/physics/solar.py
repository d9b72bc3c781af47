r"""Solar neutrinos scattering on xenon electrons: the irreducible background.

The rate of electron recoils from a solar flux component with spectrum lambda(E)
(normalised) and total flux Phi is, per electron,

.. math::

    \frac{dR}{dT} = \Phi \int dE\, \lambda(E)\Big[P_{ee}(E)\frac{d\sigma_{\nu_e}}{dT}
        + \big(1 - P_{ee}(E)\big)\frac{d\sigma_{\nu_{\mu,\tau}}}{dT}\Big].

Fluxes: the B16-GS98 standard solar model (Vinyoles et al., ApJ 835 (2017) 202,
table 6), in cm^-2 s^-1. Spectral shapes: pp, 13N and 15O are allowed beta-plus
shapes (Bahcall, *Neutrino Astrophysics*, 1989, ch. 6; for pp the endpoint is the
420.2 keV of the reaction, without the ~3 keV thermal smearing of Bahcall's tables); 7Be gives
lines at 861.8 keV (89.7 %) and 384.3 keV (10.3 %), pep a line at 1442 keV.

Survival probability: three-flavour adiabatic MSW (LMA),

    P_ee = cos^4(theta13) [1/2 + 1/2 cos(2 theta12) cos(2 theta12^m)] + sin^4(theta13),

with the mixing angle in matter at an effective production electron density
n_e (in N_A cm^-3) for each component; NuFIT 5.2 (2022, normal ordering)
oscillation parameters. The effective densities (pp 65, pep 70, 7Be 85, CNO 95
N_A cm^-3) are the electron density of the SSM near the median production radius
of each flux (Bahcall, Serenelli & Basu, ApJ 621 (2005) L85, tabulated model);
below 1 MeV the matter effect moves P_ee by at most 0.03, so this is a ~1 % input.

The paper (sect. 2, from Baudis et al., JCAP 01 (2014) 044) uses 1.05 (pp) and
0.51 (7Be) events per tonne per day; :func:`rate_per_tonne_day` computes ours.

Magnetic moment (option ``mu_nu_muB``, default 0: the paper's background). A magnetic
moment adds the incoherent term pi r_e^2 mu^2 (1/T - 1/E) per electron (Vogel & Engel, PRD 39
(1989) 3378). Moments live in the mass basis, mu_jk; solar neutrinos arrive as an incoherent
mixture of mass states (nu_j with probability abs(U_ej)^2 modified by MSW), so the rate is set
by the effective moment

.. math::

    \mu_{\rm eff}^2 = \sum_k \Big|\sum_j A_{ej}(E, L)\, \mu_{jk}\Big|^2
    \;\approx\; P_{ee}\,\mu_e^2 + (1 - P_{ee})\,\mu_{\mu\tau}^2

(Beacom & Vogel, PRL 83 (1999) 5222; Grimus et al., Nucl. Phys. B 648 (2003) 376; the form
quoted by Borexino, PRD 96 (2017) 091103, and XENONnT, PRL 129 (2022) 161805), with mu_e the
moment of nu_e and mu_mutau the common moment of nu_mu and nu_tau. ``flavours_with_moment``
chooses which flavours carry it:

* ``"all"``: a flavour-blind moment, mu_e = mu_mutau = mu_nu, so mu_eff = mu_nu whatever P_ee
  (what XENONnT's solar limit constrains);
* ``"e"``: only nu_e carries mu_nu (mu_mutau = 0), so mu_eff^2 = P_ee(E) mu_nu^2 -- the moment a
  51Cr nu_e source measures, seen with the solar nu_e fraction (about 0.55 for pp).

Two ways to use it. ``mu_nu_muB > 0`` adds the magnetic recoils at that fixed moment to this
background (for spectra: what the solar background looks like if mu_nu is this). In a
magnetic-moment fit the moment is the fitted parameter itself: ``moment_in_fit = True`` (with
``mu_nu_muB = 0``) makes the fit's moment act on the solar neutrinos too, so their magnetic recoils
join the magnetic template and scale with mu^2 (:mod:`lxenu.predict.energy_spectra`). A fixed
``mu_nu_muB`` in a fit is a second, unfitted moment and only adds background.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import ELECTRON_MASS_KEV, MATTER_POTENTIAL_EV_PER_NA_CM3, SECONDS_PER_DAY, SIN2_THETA_W_DEFAULT
from ..experiment.backgrounds import register_component
from ..experiment.target import XENON, Target
from ..validation import check_edges, check_flag, check_non_negative, check_range, check_scalar_fields
from .backgrounds import cached_per_edges
from .beta_decay import fermi_function, legendre_nodes
from .cross_section import magnetic_sigma_between, t_max_keV, weak_sigma_between

#: NuFIT 5.2 (2022), normal ordering, with SK atmospheric data: sin^2 theta12, sin^2 theta13, dm2_21 (eV^2).
SIN2_THETA12 = 0.303
SIN2_THETA13 = 0.02203
DM2_21_EV2 = 7.41e-5

#: B16-GS98 fluxes, cm^-2 s^-1 (Vinyoles et al. 2017, table 6).
SOLAR_FLUX_CM2_S = {
    "pp": 5.98e10,
    "pep": 1.44e8,
    "7Be": 4.93e9,
    "13N": 2.78e8,
    "15O": 2.05e8,
}

#: Effective production electron density, N_A cm^-3 (see module docstring).
PRODUCTION_DENSITY_NA_CM3 = {"pp": 65.0, "pep": 70.0, "7Be": 85.0, "13N": 95.0, "15O": 95.0}

#: Continuous components: (endpoint neutrino energy keV, daughter Z, A) of the beta-plus decay.
_CONTINUA = {
    "pp": (420.22, 1, 2),
    "13N": (1198.5, 6, 13),
    "15O": (1732.0, 7, 15),
}
#: Line components: [(energy keV, fraction)].
_LINES = {
    "7Be": [(861.8, 0.897), (384.3, 0.103)],
    "pep": [(1442.2, 1.0)],
}

#: The paper's components (sect. 2): pp and 7Be.
PAPER_COMPONENTS = ("pp", "7Be")
COMPONENTS = tuple(SOLAR_FLUX_CM2_S)

#: Which flavours carry the magnetic moment (see module docstring).
MOMENT_FLAVOURS = ("all", "e")


def survival_probability(
    E_keV,
    density_NA_cm3: float = 0.0,
    sin2_theta12: float = SIN2_THETA12,
    sin2_theta13: float = SIN2_THETA13,
    dm2_21_eV2: float = DM2_21_EV2,
):
    """Adiabatic-MSW nu_e survival probability for solar neutrinos of energy E (keV)."""
    check_non_negative("density_NA_cm3", density_NA_cm3)
    check_range("sin2_theta12", sin2_theta12, 0.0, 1.0)
    check_range("sin2_theta13", sin2_theta13, 0.0, 1.0)
    E_eV = np.asarray(E_keV, dtype=float) * 1e3
    c13_2 = 1.0 - sin2_theta13
    cos2t = 1.0 - 2.0 * sin2_theta12
    sin2t = np.sqrt(1.0 - cos2t**2)
    # matter potential for the 1-2 sector is reduced by cos^2 theta13
    beta = 2.0 * c13_2 * MATTER_POTENTIAL_EV_PER_NA_CM3 * density_NA_cm3 * E_eV / dm2_21_eV2
    cos2t_m = (cos2t - beta) / np.sqrt((cos2t - beta) ** 2 + sin2t**2)
    return c13_2**2 * (0.5 + 0.5 * cos2t * cos2t_m) + sin2_theta13**2


def allowed_beta_plus_neutrino_spectrum(E_keV, endpoint_keV: float, Z_daughter: int, A: int):
    """Unnormalised neutrino spectrum of an allowed beta-plus decay (E_nu in keV).

    dN/dE_nu ~ E_nu^2 p_e W_e F(-Z, W_e), with the positron kinetic energy endpoint - E_nu.
    """
    E = np.asarray(E_keV, dtype=float)
    inside = (E > 0) & (E < endpoint_keV)
    Te = np.where(inside, endpoint_keV - E, 1.0)
    W = 1.0 + Te / ELECTRON_MASS_KEV
    p = np.sqrt(W * W - 1.0)
    val = E**2 * p * W * fermi_function(-Z_daughter, Te, A)
    return np.where(inside, val, 0.0)


def _weak_rate_in_bins(solar_and_component, edges):
    """Weak-scattering events per electron per second of one solar component in recoil bins."""
    solar, component = solar_and_component
    return solar._per_electron_rate_between(component, edges[:-1], edges[1:])


@register_component("solar", "solar")
@dataclass(frozen=True)
class SolarNeutrinos:
    """Solar-neutrino electron recoils in xenon.

    Parameters
    ----------
    components:
        Which fluxes to include (the paper: pp and 7Be).
    flux_scale:
        Common factor on all fluxes (1 = B16-GS98).
    sin2_theta_w:
        Weak mixing angle of the nu-e cross sections.
    atomic_binding:
        Apply the xenon stepping factor to the recoil spectrum.

        Inside an :class:`lxenu.experiment.experiment.Experiment` these two follow the experiment's
        own ``sin2_theta_w`` and ``atomic_binding``, so that signal and solar background
        always share one cross section.
    oscillations:
        ``False`` sets P_ee = 1 (all neutrinos arrive as nu_e), for comparison.
    mu_nu_muB:
        Neutrino magnetic moment, Bohr magnetons (0 = the paper). When > 0 the magnetic
        scattering is added to every component; bins must then start above 0 keV.
    flavours_with_moment:
        ``"all"`` (flavour-blind effective moment) or ``"e"`` (nu_e only), see the module docstring.
    moment_in_fit:
        In magnetic-moment fits, let the fitted moment act on the solar neutrinos as well (their
        magnetic recoils, for ``flavours_with_moment``, join the magnetic template). Requires
        ``mu_nu_muB = 0``: the background itself then carries no moment.
    """

    label = "solar"

    components: tuple[str, ...] = PAPER_COMPONENTS
    flux_scale: float = 1.0
    sin2_theta_w: float = SIN2_THETA_W_DEFAULT
    atomic_binding: bool = False
    oscillations: bool = True
    mu_nu_muB: float = 0.0
    flavours_with_moment: str = "all"
    moment_in_fit: bool = False

    def __post_init__(self):
        check_scalar_fields(self)
        check_flag("moment_in_fit", self.moment_in_fit)
        check_flag("oscillations", self.oscillations)
        for c in self.components:
            if c not in COMPONENTS:
                raise ValueError(f"components must be drawn from {COMPONENTS}; got {c!r}")
        check_non_negative("flux_scale", self.flux_scale)
        check_non_negative("mu_nu_muB", self.mu_nu_muB, "mu_B")
        if self.flavours_with_moment not in MOMENT_FLAVOURS:
            raise ValueError(
                f"flavours_with_moment must be one of {MOMENT_FLAVOURS}; got {self.flavours_with_moment!r}"
            )
        if self.moment_in_fit and self.mu_nu_muB > 0:
            raise ValueError(
                f"mu_nu_muB must be 0 when moment_in_fit is true (the fitted moment acts on the solar "
                f"neutrinos; a fixed one would be a second moment); got mu_nu_muB = {self.mu_nu_muB:g}"
            )

    @staticmethod
    def _energy_nodes(component: str):
        """(E_nu nodes keV, weights normalised to 1) for a component's spectrum."""
        if component in _LINES:
            E, f = zip(*_LINES[component])
            return np.array(E), np.array(f)
        endpoint, Z, A = _CONTINUA[component]
        x, w = legendre_nodes(160)
        E = 0.5 * endpoint * (x + 1.0)
        w = 0.5 * endpoint * w * allowed_beta_plus_neutrino_spectrum(E, endpoint, Z, A)
        return E, w / w.sum()

    def _per_electron_rate_between(self, component, T1, T2):
        """Events per electron per second in recoil bins [T1, T2)."""
        return self._per_electron_rate_by_node(component, T1, T2).sum(axis=0)

    def _per_electron_rate_by_node(self, component, T1, T2):
        """Events per electron per second in recoil bins [T1, T2), for each neutrino-energy node."""
        E, w = self._energy_nodes(component)
        pee = self._survival(component, E)
        Tlo = np.asarray(T1, dtype=float)[None, :]
        Thi = np.asarray(T2, dtype=float)[None, :]
        Ec = E[:, None]
        sig_e = weak_sigma_between(Tlo, Thi, Ec, "e", self.sin2_theta_w, self.atomic_binding)
        sig_mu = weak_sigma_between(Tlo, Thi, Ec, "mu", self.sin2_theta_w, self.atomic_binding)
        per_E = pee[:, None] * sig_e + (1.0 - pee[:, None]) * sig_mu
        flux = SOLAR_FLUX_CM2_S[component] * self.flux_scale
        return flux * w[:, None] * per_E

    def _survival(self, component, E):
        return survival_probability(E, PRODUCTION_DENSITY_NA_CM3[component]) if self.oscillations else np.ones_like(E)

    def _magnetic_per_electron_rate_between(self, component, T1, T2, mu_nu_muB):
        """Magnetic-scattering events per electron per second in recoil bins [T1, T2) (T1 > 0)."""
        E, w = self._energy_nodes(component)
        weight = self._survival(component, E) if self.flavours_with_moment == "e" else np.ones_like(E)
        sig = magnetic_sigma_between(
            np.asarray(T1, dtype=float)[None, :],
            np.asarray(T2, dtype=float)[None, :],
            E[:, None],
            mu_nu_muB,
            self.atomic_binding,
        )
        flux = SOLAR_FLUX_CM2_S[component] * self.flux_scale
        return flux * np.sum((w * weight)[:, None] * sig, axis=0)

    def magnetic_events_per_tonne_day(
        self, edges_keV, component: str | None = None, mu_nu_muB: float | None = None, target: Target = XENON
    ) -> np.ndarray:
        """Magnetic-moment part of the solar recoil spectrum, events per tonne per day in bins.

        Summed over the included components (or one ``component``), at ``mu_nu_muB``
        (default: this object's moment). Bins must start above 0 keV (the 1/T rate diverges).
        """
        edges = check_edges("edges_keV", edges_keV)
        if edges[0] <= 0.0:
            raise ValueError(f"edges_keV must start above 0 keV for the magnetic term (1/T diverges); got {edges[0]:g}")
        mu = self.mu_nu_muB if mu_nu_muB is None else mu_nu_muB
        check_non_negative("mu_nu_muB", mu, "mu_B")
        comps = self.components if component is None else (component,)
        total = np.zeros(edges.size - 1)
        for c in comps:
            if c not in COMPONENTS:
                raise ValueError(f"component must be one of {COMPONENTS}; got {c!r}")
            total += self._magnetic_per_electron_rate_between(c, edges[:-1], edges[1:], mu)
        return total * target.electrons_per_tonne * SECONDS_PER_DAY

    def spectrum_per_tonne_day_keV(self, T_keV, target: Target = XENON) -> np.ndarray:
        """dN/dT, events per tonne per day per keV (weak + magnetic), by central differences of exact bins."""
        T = np.atleast_1d(np.asarray(T_keV, dtype=float))
        check_non_negative("T_keV", T, "keV")
        h = np.maximum(1e-4 * T, 1e-4)
        lo = np.maximum(T - h, 1e-9 if self.mu_nu_muB > 0 else 0.0)
        hi = T + h
        out = np.zeros_like(T)
        for c in self.components:
            rate = self._per_electron_rate_between(c, lo, hi)
            if self.mu_nu_muB > 0:
                rate = rate + self._magnetic_per_electron_rate_between(c, lo, hi, self.mu_nu_muB)
            out += rate
        return out * target.electrons_per_tonne * SECONDS_PER_DAY / (hi - lo)

    @staticmethod
    def electrons_per_tonne(target: Target = XENON) -> float:
        """Electrons per tonne of the target (xenon: 2.48e29)."""
        return target.electrons_per_tonne

    def component_events_per_tonne_day(self, component: str, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne of target per day in recoil-energy bins, for one component (+ magnetic if mu > 0)."""
        if component not in COMPONENTS:
            raise ValueError(f"component must be one of {COMPONENTS}; got {component!r}")
        edges = check_edges("edges_keV", edges_keV)
        check_non_negative("edges_keV", edges[0], "keV")
        rate = cached_per_edges(_weak_rate_in_bins, (self, component), edges)
        weak = rate * target.electrons_per_tonne * SECONDS_PER_DAY
        if self.mu_nu_muB > 0:
            return weak + self.magnetic_events_per_tonne_day(edges, component, target=target)
        return weak

    def events_per_tonne_day(self, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne per day in recoil bins, summed over the included components."""
        edges = check_edges("edges_keV", edges_keV)
        total = np.zeros(edges.size - 1)
        for c in self.components:
            total += self.component_events_per_tonne_day(c, edges, target)
        return total

    def events_per_tonne_day_by_part(self, edges_keV, target: Target = XENON) -> dict[str, np.ndarray]:
        """Events per tonne per day in recoil bins for each included flux, labelled "solar <flux>"."""
        edges = check_edges("edges_keV", edges_keV)
        return {f"solar {c}": self.component_events_per_tonne_day(c, edges, target) for c in self.components}

    def line_rate_per_tonne_day(self, component: str, line_keV: float, target: Target = XENON) -> float:
        """Recoil rate (all recoil energies) of one neutrino line of a component, events per tonne per day.

        For comparison with measurements of a single line, such as Borexino's 862 keV 7Be rate.
        """
        if component not in _LINES:
            raise ValueError(f"component must have neutrino lines, one of {tuple(_LINES)}; got {component!r}")
        E, _ = self._energy_nodes(component)
        match = np.flatnonzero(np.isclose(E, line_keV, atol=0.5))
        if match.size != 1:
            raise ValueError(f"line_keV must be one of the {component} lines {tuple(E)} keV; got {line_keV}")
        top = np.array([float(t_max_keV(E[match[0]]))])
        rate = self._per_electron_rate_by_node(component, np.zeros(1), top)[match[0], 0]
        return float(rate * target.electrons_per_tonne * SECONDS_PER_DAY)

    def rate_per_tonne_day(
        self, component: str, T_min_keV: float = 0.0, T_max_keV: float | None = None, target: Target = XENON
    ) -> float:
        """Total recoil rate of one component, events per tonne per day (all energies by default)."""
        E, _ = self._energy_nodes(component)
        hi = float(t_max_keV(E.max())) if T_max_keV is None else T_max_keV
        return float(self.component_events_per_tonne_day(component, np.array([T_min_keV, hi]), target)[0])
