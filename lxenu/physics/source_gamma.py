r"""MeV gammas from activated impurities of the 51Cr source: how many reach the fiducial volume.

Chromium irradiated in a reactor also activates its impurities. The paper (Coloma, Huber &
Link 2014, sect. 2) bases its estimate on the measured gamma activity of the GALLEX source
(Cribier et al., Nucl. Instrum. Meth. A 378 (1996) 233): ~1e13 gammas per day in all
directions, an attenuation of 1e-11 at 1.5 MeV through 17 cm of tungsten and 70 cm of liquid xenon, "about
10" gammas per day Compton-scattering in the fiducial volume, "< 1 event per day at the
start" after cuts, and "~95 % of MeV gammas from short-lived isotopes (64Cu, 77Ge, 24Na)".

The per-nuclide impurity activities of the GALLEX and BEST sources could not be retrieved
here, so they are **inputs** (:class:`ImpurityInventory`, becquerel per nuclide at the end of
irradiation); this module supplies the nuclear data and the transport:

* half-lives and gamma lines (energy, photons per decay) of the candidate nuclides,
  ENSDF values as listed by NNDC NuDat (see :data:`NUCLIDES`);
* the probability that an isotropically emitted gamma of energy E crosses the tungsten shell
  and the liquid xenon below the fiducial volume and interacts inside it
  (:func:`fiducial_interaction_probability`), from the NIST attenuation coefficients of
  :mod:`lxenu.physics.attenuation`;
* the fraction of those interactions that deposit a single-site energy in a window such as
  [threshold, 560 keV] (below the 51Cr recoil endpoint), from the Klein-Nishina spectrum
  (:func:`single_site_window_fraction`).

Geometry (stated assumptions): the source is a point on the cylinder axis, ``gap`` below the
fiducial volume (:class:`lxenu.experiment.geometry.CylindricalDetector`); the tungsten is a spherical
shell, so every direction crosses the same thickness; the liquid xenon between shield and
fiducial volume is a slab of thickness ``lxe_cm`` directly below the bottom face, so a
direction at polar angle theta crosses lxe_cm / cos(theta) of it. Only directions through
the bottom face reach the fiducial volume. Transmission is narrow-beam (uncollided photons)
unless ``buildup="linear"``. Gammas below 150 keV (the table's lower edge) are taken as fully
absorbed: 17 cm of tungsten is > 500 mean free paths for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..constants import AVOGADRO, CLASSICAL_ELECTRON_RADIUS_CM, ELECTRON_MASS_KEV, SECONDS_PER_DAY
from ..experiment.geometry import LXE_DENSITY_G_CM3, XENON_MOLAR_MASS_G, XENON_Z, CylindricalDetector
from ..validation import check_non_negative, check_positive, check_range
from .attenuation import (
    PAPER_LXE_CM,
    PAPER_TUNGSTEN_CM,
    TUNGSTEN_DENSITY_G_CM3,
    buildup_factor,
    energy_range_keV,
    mass_attenuation_cm2_g,
)
from .beta_decay import legendre_nodes

#: 51Cr recoil endpoint for the 752 keV line, keV: the upper edge of the signal window.
CR51_MAX_RECOIL_KEV = 560.0


@dataclass(frozen=True)
class GammaNuclide:
    """A gamma emitter: half-life (days) and lines [(energy keV, photons per decay)]."""

    name: str
    half_life_days: float
    lines: tuple[tuple[float, float], ...]

    def __post_init__(self):
        check_positive(f"{self.name} half_life_days", self.half_life_days, "d")
        for E, y in self.lines:
            check_positive(f"{self.name} line energy", E, "keV")
            check_range(f"{self.name} line yield", y, 0.0, 2.0)

    @property
    def gammas_per_decay(self) -> float:
        return float(sum(y for _, y in self.lines))


_H = 1.0 / 24.0
#: ENSDF decay data as listed by NNDC NuDat 3 (half-life; strongest lines, photons per decay).
#: Annihilation photons (511 keV, 2 per beta+) are included for the beta+ emitters.
#: 77Ge (T1/2 = 11.2 h), which the paper names, is not included: its many lines were not
#: available to check here.
NUCLIDES: dict[str, GammaNuclide] = {
    # 51Cr: 27.704 d; 320.08 keV in 9.91 % of decays (ENSDF, Nucl. Data Sheets 107 (2006) 2715)
    "51Cr": GammaNuclide("51Cr", 27.704, ((320.08, 0.0991),)),
    # 24Na: 14.997 h; 1368.63 keV (99.99 %), 2754.01 keV (99.86 %)
    "24Na": GammaNuclide("24Na", 14.997 * _H, ((1368.63, 0.9999), (2754.01, 0.9986))),
    # 64Cu: 12.701 h; beta+ 17.6 % -> 2 x 0.176 annihilation photons; 1345.77 keV (0.475 %)
    "64Cu": GammaNuclide("64Cu", 12.701 * _H, ((511.0, 0.352), (1345.77, 0.00475))),
    # 46Sc: 83.79 d; 889.28 keV (99.98 %), 1120.55 keV (99.99 %)
    "46Sc": GammaNuclide("46Sc", 83.79, ((889.28, 0.9998), (1120.55, 0.9999))),
    # 59Fe: 44.495 d; 1099.25 keV (56.5 %), 1291.59 keV (43.2 %)
    "59Fe": GammaNuclide("59Fe", 44.495, ((1099.25, 0.565), (1291.59, 0.432))),
    # 60Co: 5.2713 yr; 1173.23 keV (99.85 %), 1332.49 keV (99.98 %)
    "60Co": GammaNuclide("60Co", 5.2713 * 365.25, ((1173.23, 0.9985), (1332.49, 0.9998))),
    # 65Zn: 243.93 d; 1115.54 keV (50.04 %); beta+ 1.42 % -> 2 x 0.0142 annihilation photons
    "65Zn": GammaNuclide("65Zn", 243.93, ((511.0, 0.0284), (1115.54, 0.5004))),
}


# -- transport ----------------------------------------------------------------------------------


def _cos_nodes(detector: CylindricalDetector, n: int = 128):
    """Gauss-Legendre nodes and weights in cos(theta) over the directions through the bottom face.

    Split where the exit point moves from the side to the top face (the chord has a kink there).
    """
    g, top, R = detector.gap_cm, detector.gap_cm + detector.height_cm, detector.radius_cm
    c_min, c_kink = g / np.hypot(g, R), top / np.hypot(top, R)
    x, w = legendre_nodes(n)
    nodes, weights = [], []
    for a, b in ((c_min, c_kink), (c_kink, 1.0)):
        nodes.append(0.5 * (b - a) * x + 0.5 * (b + a))
        weights.append(0.5 * (b - a) * w)
    return np.concatenate(nodes), np.concatenate(weights)


def chord_cm(cos_theta, detector: CylindricalDetector):
    """Path length (cm) inside the fiducial volume along a ray from the source at polar angle theta."""
    c = np.asarray(cos_theta, dtype=float)
    s = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
    enter = detector.gap_cm / c
    with np.errstate(divide="ignore"):
        side = np.where(s > 0, detector.radius_cm / np.where(s > 0, s, 1.0), np.inf)
    leave = np.minimum((detector.gap_cm + detector.height_cm) / c, side)
    return np.clip(leave - enter, 0.0, None)


def chord_integral_cm(detector: CylindricalDetector) -> float:
    """int dOmega/(4 pi) chord(theta), cm. Equals the flux integral int dV/(4 pi L^2) of the detector."""
    c, w = _cos_nodes(detector)
    return float(0.5 * np.sum(w * chord_cm(c, detector)))


def _check_energy(E_keV):
    E = np.atleast_1d(np.asarray(E_keV, dtype=float))
    check_positive("E_keV", E, "keV")
    return E


def fiducial_interaction_probability(
    E_keV,
    detector: CylindricalDetector | None = None,
    tungsten_cm: float = PAPER_TUNGSTEN_CM,
    lxe_cm: float = PAPER_LXE_CM,
    buildup: str = "none",
    interacting: bool = True,
):
    """Probability per isotropically emitted gamma of energy E (keV) to interact in the fiducial volume.

    With ``interacting=False``: the probability to *enter* it (uncollided). Energies below
    the attenuation table (150 keV) give 0 (absorbed in the tungsten); above 3 MeV they raise.
    """
    det = CylindricalDetector() if detector is None else detector
    check_non_negative("tungsten_cm", tungsten_cm, "cm")
    check_non_negative("lxe_cm", lxe_cm, "cm")
    E = _check_energy(E_keV)
    lo, hi = energy_range_keV()
    check_range("E_keV", E, None, hi, unit="keV")
    inside = E >= lo
    Ec = np.where(inside, E, lo)
    mu_w = mass_attenuation_cm2_g("W", Ec) * TUNGSTEN_DENSITY_G_CM3  # cm^-1
    mu_xe = mass_attenuation_cm2_g("Xe", Ec) * det.density_g_cm3
    c, w = _cos_nodes(det)
    mfp = mu_w[:, None] * tungsten_cm + mu_xe[:, None] * lxe_cm / c[None, :]
    through = buildup_factor(mfp, buildup) * np.exp(-mfp)
    if interacting:
        through = through * -np.expm1(-mu_xe[:, None] * chord_cm(c, det)[None, :])
    p = 0.5 * np.sum(w[None, :] * through, axis=1)
    p = np.where(inside, p, 0.0)
    return p if np.ndim(E_keV) else float(p[0])


# -- Compton single-site estimate --------------------------------------------------------------


def klein_nishina_dsigma_dT_cm2_keV(T_keV, E_keV):
    """Klein-Nishina d(sigma)/dT per free electron, cm^2/keV, for recoil energy T from a photon E.

    dsigma/dT = pi r_e^2 / (m eps^2) [2 + s^2/(eps^2 (1-s)^2) + s/(1-s) (s - 2/eps)], s = T/E,
    eps = E/m, for 0 <= T <= T_max = E 2 eps/(1 + 2 eps) (Compton edge); zero outside.
    """
    T = np.asarray(T_keV, dtype=float)
    E = np.asarray(E_keV, dtype=float)
    eps = E / ELECTRON_MASS_KEV
    t_max = E * 2.0 * eps / (1.0 + 2.0 * eps)
    ok = (T >= 0.0) & (T <= t_max)
    s = np.where(ok, T, 0.0) / E
    val = (
        np.pi
        * CLASSICAL_ELECTRON_RADIUS_CM**2
        / (ELECTRON_MASS_KEV * eps**2)
        * (2.0 + s * s / (eps * eps * (1.0 - s) ** 2) + s / (1.0 - s) * (s - 2.0 / eps))
    )
    return np.where(ok, val, 0.0)


def klein_nishina_sigma_cm2(E_keV, n: int = 400):
    """Total Klein-Nishina cross section per electron (cm^2), by Gauss-Legendre over T."""
    E = np.asarray(E_keV, dtype=float)
    eps = E / ELECTRON_MASS_KEV
    t_max = E * 2.0 * eps / (1.0 + 2.0 * eps)
    x, w = legendre_nodes(n)
    T = 0.5 * t_max[..., None] * (x + 1.0)
    return 0.5 * t_max * np.sum(w * klein_nishina_dsigma_dT_cm2_keV(T, E[..., None]), axis=-1)


def single_site_window_fraction(
    E_keV,
    lo_keV: float = 0.0,
    hi_keV: float = CR51_MAX_RECOIL_KEV,
    escape_path_cm: float = 0.0,
    density_g_cm3: float | None = None,
    n: int = 400,
):
    """Fraction of gamma interactions in xenon that are one Compton scatter depositing T in [lo, hi].

    = (Z N_A / A) int_lo^hi dsigma_KN/dT P_esc(E - T) dT / (mu/rho)_total(E), with the Compton
    cross section of free electrons (Klein-Nishina; binding neglected, a few % at MeV).
    P_esc = exp(-mu(E') rho l) is the chance that the scattered photon leaves without a second
    interaction over an escape path l = ``escape_path_cm``. The default l = 0 counts every
    first Compton scatter in the window as single-site: an **upper bound** (any second
    interaction in the active xenon would make the event multi-site or move it out of the
    window). Photoabsorption deposits all of E and pair production > 1 MeV: both outside a
    window below 560 keV for MeV gammas.
    """
    rho = LXE_DENSITY_G_CM3 if density_g_cm3 is None else density_g_cm3
    check_positive("density_g_cm3", rho, "g/cm^3")
    check_non_negative("lo_keV", lo_keV, "keV")
    check_range("hi_keV", hi_keV, lo_keV, None, low_inclusive=False, unit="keV")
    check_non_negative("escape_path_cm", escape_path_cm, "cm")
    E = _check_energy(E_keV)
    lo_tab, hi_tab = energy_range_keV()
    check_range("E_keV", E, lo_tab, hi_tab, unit="keV")
    if escape_path_cm > 0.0 and np.any(E - min(hi_keV, float(E.max())) < lo_tab):
        raise ValueError(
            f"E_keV - hi_keV must be >= {lo_tab:g} keV (the attenuation table) when escape_path_cm > 0; "
            f"got E_keV down to {E.min():g} with hi_keV = {hi_keV:g}"
        )
    x, w = legendre_nodes(n)
    a = np.full_like(E, lo_keV)
    b = np.minimum(hi_keV, E * 2.0 * (E / ELECTRON_MASS_KEV) / (1.0 + 2.0 * E / ELECTRON_MASS_KEV))
    b = np.maximum(a, b)
    T = 0.5 * (b - a)[:, None] * x[None, :] + 0.5 * (b + a)[:, None]
    integrand = klein_nishina_dsigma_dT_cm2_keV(T, E[:, None])
    if escape_path_cm > 0.0:
        integrand = integrand * np.exp(-mass_attenuation_cm2_g("Xe", E[:, None] - T) * rho * escape_path_cm)
    sigma_window = 0.5 * (b - a) * np.sum(w[None, :] * integrand, axis=1)
    electrons_per_g = XENON_Z * AVOGADRO / XENON_MOLAR_MASS_G
    frac = electrons_per_g * sigma_window / mass_attenuation_cm2_g("Xe", E)
    return frac if np.ndim(E_keV) else float(frac[0])


# -- the inventory ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImpurityInventory:
    """Gamma-emitting impurities of an irradiated chromium source.

    Parameters
    ----------
    activities_Bq:
        Activity of each nuclide (keys of :data:`NUCLIDES`) at t = 0 (end of irradiation or
        start of data taking), becquerel. No published values are built in (see module).
    detector, tungsten_cm, lxe_cm, buildup:
        Geometry and shield, as in :func:`fiducial_interaction_probability`.
    """

    activities_Bq: dict = field(default_factory=dict)
    detector: CylindricalDetector = field(default_factory=CylindricalDetector)
    tungsten_cm: float = PAPER_TUNGSTEN_CM
    lxe_cm: float = PAPER_LXE_CM
    buildup: str = "none"

    def __post_init__(self):
        for name, a in self.activities_Bq.items():
            if name not in NUCLIDES:
                raise ValueError(f"activities_Bq keys must be among {tuple(NUCLIDES)}; got {name!r}")
            check_non_negative(f"activities_Bq[{name!r}]", a, "Bq")
        check_non_negative("tungsten_cm", self.tungsten_cm, "cm")
        check_non_negative("lxe_cm", self.lxe_cm, "cm")

    @classmethod
    def from_gamma_emission(cls, gammas_per_day: float, shares: dict, **kwargs) -> ImpurityInventory:
        """Inventory whose total gamma emission at t = 0 is ``gammas_per_day`` (all lines, all
        directions), split between nuclides by ``shares`` (fractions of the gamma emission, summing to 1).

        For scenarios such as the paper's "1e13 gammas per day, ~95 % from short-lived isotopes":
        the split is the caller's stated assumption, not data.
        """
        check_positive("gammas_per_day", gammas_per_day)
        total = sum(shares.values())
        if not np.isclose(total, 1.0, rtol=1e-9):
            raise ValueError(f"shares must sum to 1; got {total:g}")
        activities = {}
        for name, share in shares.items():
            if name not in NUCLIDES:
                raise ValueError(f"shares keys must be among {tuple(NUCLIDES)}; got {name!r}")
            check_range(f"shares[{name!r}]", share, 0.0, 1.0)
            activities[name] = gammas_per_day * share / (NUCLIDES[name].gammas_per_decay * SECONDS_PER_DAY)
        return cls(activities, **kwargs)

    def fiducial_events_between(
        self,
        t_start_days: float,
        t_stop_days: float,
        window_keV: tuple[float, float] | None = None,
        escape_path_cm: float = 0.0,
    ) -> float:
        """Gammas interacting in the fiducial volume (optionally in a single-site window) between two times, exact."""
        t0, t1 = float(self._times(t_start_days)), float(self._times(t_stop_days))
        check_range("t_stop_days", t1, t0, None, unit="d")
        rates0 = self.fiducial_rate_per_day(0.0, window_keV, escape_path_cm, by_nuclide=True)
        total = 0.0
        for name, r0 in rates0.items():
            lam = np.log(2.0) / NUCLIDES[name].half_life_days
            total += float(r0) * (np.exp(-lam * t0) - np.exp(-lam * t1)) / lam
        return total

    def _decays_per_day(self, name: str, t_days):
        nuc = NUCLIDES[name]
        return self.activities_Bq[name] * SECONDS_PER_DAY * np.exp(-np.log(2.0) * t_days / nuc.half_life_days)

    def _times(self, t_days):
        t = np.asarray(t_days, dtype=float)
        check_non_negative("t_days", t, "d")
        return t

    def gammas_per_day(self, t_days, by_nuclide: bool = False):
        """Gammas emitted per day (all directions) at time t (days)."""
        t = self._times(t_days)
        out = {n: self._decays_per_day(n, t) * NUCLIDES[n].gammas_per_decay for n in self.activities_Bq}
        return out if by_nuclide else sum(out.values(), np.zeros_like(t))

    def fiducial_rate_per_day(
        self,
        t_days,
        window_keV: tuple[float, float] | None = None,
        escape_path_cm: float = 0.0,
        by_nuclide: bool = False,
    ):
        """Gammas interacting in the fiducial volume per day at time t.

        With ``window_keV = (lo, hi)``: only those depositing a single-site energy in [lo, hi]
        (see :func:`single_site_window_fraction`, an upper bound by default).
        """
        t = self._times(t_days)
        out = {}
        for name in self.activities_Bq:
            E = np.array([E for E, _ in NUCLIDES[name].lines])
            y = np.array([y for _, y in NUCLIDES[name].lines])
            p = fiducial_interaction_probability(E, self.detector, self.tungsten_cm, self.lxe_cm, self.buildup)
            if window_keV is not None:
                f = np.zeros_like(E)
                ok = p > 0
                if ok.any():
                    f[ok] = single_site_window_fraction(E[ok], *window_keV, escape_path_cm, self.detector.density_g_cm3)
                p = p * f
            out[name] = self._decays_per_day(name, t) * float(np.sum(y * p))
        return out if by_nuclide else sum(out.values(), np.zeros_like(t))

    def short_lived_fraction(self, t_days=0.0, threshold_days: float = 1.0) -> float:
        """Share of MeV (>= 1 MeV) gamma emission from nuclides with T1/2 < threshold_days, at time t."""
        check_positive("threshold_days", threshold_days, "d")
        t = float(self._times(t_days))
        total = short = 0.0
        for name in self.activities_Bq:
            nuc = NUCLIDES[name]
            mev = sum(y for E, y in nuc.lines if E >= 1000.0)
            rate = float(self._decays_per_day(name, t)) * mev
            total += rate
            short += rate if nuc.half_life_days < threshold_days else 0.0
        if total == 0.0:
            raise ValueError("activities_Bq has no MeV gamma emitter with non-zero activity")
        return short / total


def paper_estimate(
    gammas_per_day: float = 1e13,
    E_keV: float = 1500.0,
    detector: CylindricalDetector | None = None,
    window_keV: tuple[float, float] | None = None,
) -> dict[str, float]:
    """The paper's arithmetic, computed: gammas per day of energy E entering / interacting in the fiducial volume.

    Returns {"transmission_axis": narrow-beam T along the axis, "solid_angle_fraction",
    "entering_per_day", "interacting_per_day", and with a window "in_window_per_day"}.
    """
    check_positive("gammas_per_day", gammas_per_day)
    det = CylindricalDetector() if detector is None else detector
    mu_w = mass_attenuation_cm2_g("W", E_keV) * TUNGSTEN_DENSITY_G_CM3
    mu_xe = mass_attenuation_cm2_g("Xe", E_keV) * det.density_g_cm3
    out = {
        "transmission_axis": float(np.exp(-(mu_w * PAPER_TUNGSTEN_CM + mu_xe * PAPER_LXE_CM))),
        "solid_angle_fraction": 0.5 * (1.0 - det.gap_cm / np.hypot(det.gap_cm, det.radius_cm)),
        "entering_per_day": gammas_per_day * fiducial_interaction_probability(E_keV, det, interacting=False),
        "interacting_per_day": gammas_per_day * fiducial_interaction_probability(E_keV, det),
    }
    if window_keV is not None:
        out["in_window_per_day"] = out["interacting_per_day"] * single_site_window_fraction(
            E_keV, *window_keV, density_g_cm3=det.density_g_cm3
        )
    return out
