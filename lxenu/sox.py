"""A Borexino/SOX-like comparison: the same 51Cr source under a large scintillator sphere.

The paper (Fig. 2 left) compares the xenon sensitivity with SOX (Bellini et al.,
JHEP 08 (2013) 038) for the same 5 MCi source, shape information only. We model
SOX as follows (our assumptions, each stated; the paper does not give its SOX inputs):

* the source sits in the pit under the detector, D = 8.25 m from its centre
  (SOX "position A", Bellini et al. 2013, sect. 3);
* the fiducial volume is the whole inner vessel, a sphere of R = 4.25 m of
  pseudocumene (C9H12, 0.878 g/cm^3: 278 t, Borexino, NIM A 600 (2009) 568);
* the vertex resolution is 15 cm (Borexino quotes 14 cm at 1 MeV; Smirnov et al.,
  Phys. Procedia 61 (2015) 511);
* the analysis window is 250-559 keV of (true) recoil energy, above 14C and below
  the 750 keV line's edge; energy smearing is neglected;
* the background is flat in the window at 35 counts per day per 100 t, the order of
  the Borexino Phase-II rates of 7Be neutrinos (~48 cpd/100 t over the whole spectrum),
  210Bi and 85Kr there (Borexino, Nature 562 (2018) 505), with the same 0.5 %
  normalisation prior as the xenon analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constants import AVOGADRO
from .cross_section import t_max_keV, weak_sigma_between
from .sterile import SterileFit
from .validation import check_positive

#: Pseudocumene (1,2,4-trimethylbenzene, C9H12): electrons per molecule and molar mass (g/mol).
PSEUDOCUMENE_ELECTRONS = 9 * 6 + 12
PSEUDOCUMENE_MOLAR_MASS_G = 9 * 12.011 + 12 * 1.008


@dataclass(frozen=True)
class SphericalDetector:
    """A spherical fiducial volume of radius R whose centre is a distance D from the source.

    Geometry as in :class:`~lxenu.detector.CylindricalDetector`: the source at the
    origin, the sphere centred at (0, 0, D). At distance L the fraction of the sphere
    of radius L inside the volume is f(L) = (1 - c)/2, c = (L^2 + D^2 - R^2) / (2 L D).
    """

    radius_m: float = 4.25
    distance_m: float = 8.25
    density_g_cm3: float = 0.878
    electrons_per_molecule: int = PSEUDOCUMENE_ELECTRONS
    molar_mass_g: float = PSEUDOCUMENE_MOLAR_MASS_G

    def __post_init__(self):
        check_positive("radius_m", self.radius_m, "m")
        check_positive("distance_m", self.distance_m, "m")
        if self.distance_m <= self.radius_m:
            raise ValueError(
                f"distance_m must exceed radius_m (source outside the sphere); got {self.distance_m} <= {self.radius_m}"
            )

    @property
    def radius_cm(self) -> float:
        return 100.0 * self.radius_m

    @property
    def distance_cm(self) -> float:
        return 100.0 * self.distance_m

    @property
    def volume_cm3(self) -> float:
        return 4.0 / 3.0 * np.pi * self.radius_cm**3

    @property
    def mass_t(self) -> float:
        return self.volume_cm3 * self.density_g_cm3 * 1e-6

    @property
    def electrons_per_cm3(self) -> float:
        return self.density_g_cm3 * self.electrons_per_molecule * AVOGADRO / self.molar_mass_g

    @property
    def distance_range_cm(self) -> tuple[float, float]:
        return self.distance_cm - self.radius_cm, self.distance_cm + self.radius_cm

    def _c(self, L):
        D, R = self.distance_cm, self.radius_cm
        return np.clip((L * L + D * D - R * R) / (2.0 * L * D), -1.0, 1.0)

    def cumulative_flux_cm(self, L_cm):
        D, R = self.distance_cm, self.radius_cm
        lo, hi = self.distance_range_cm
        L = np.clip(np.asarray(L_cm, dtype=float), lo, hi)

        def anti(x):
            return x / 2.0 - x * x / (8.0 * D) - (D * D - R * R) / (4.0 * D) * np.log(x)

        return anti(L) - anti(lo)

    @property
    def flux_integral_cm(self) -> float:
        return float(self.cumulative_flux_cm(self.distance_range_cm[1]))

    def cumulative_volume_cm3(self, L_cm):
        D, R = self.distance_cm, self.radius_cm
        lo, hi = self.distance_range_cm
        L = np.clip(np.asarray(L_cm, dtype=float), lo, hi)

        def anti(x):
            return 2.0 * np.pi * (x**3 / 3.0 - x**4 / (8.0 * D) - (D * D - R * R) * x * x / (4.0 * D))

        return anti(L) - anti(lo)

    def volume_in_bins_cm3(self, edges_cm):
        return np.diff(self.cumulative_volume_cm3(edges_cm))

    def sample_flux_weighted_points_cm(self, n: int, rng: np.random.Generator, grid_points: int = 4097):
        lo, hi = self.distance_range_cm
        grid = np.linspace(lo, hi, grid_points)
        cdf = self.cumulative_flux_cm(grid)
        L = np.interp(rng.random(n), cdf / cdf[-1], grid)
        c = self._c(L)
        cos_t = c + (1.0 - c) * rng.random(n)
        sin_t = np.sqrt(np.clip(1.0 - cos_t**2, 0.0, None))
        phi = 2.0 * np.pi * rng.random(n)
        return np.column_stack((L * sin_t * np.cos(phi), L * sin_t * np.sin(phi), L * cos_t))


#: Flat background assumed in the SOX window, counts per day per 100 t (see module docstring).
SOX_BACKGROUND_CPD_PER_100T = 35.0


def sox_sterile_fit(experiment=None, detector: SphericalDetector | None = None, window_keV=(250.0, None),
                    background_cpd_per_100t: float = SOX_BACKGROUND_CPD_PER_100T,
                    position_resolution_cm: float = 15.0, bin_cm: float = 15.0, **kwargs) -> SterileFit:
    """A :class:`~lxenu.sterile.SterileFit` for SOX with the experiment's source and run plan."""
    from .experiment import Experiment

    exp = Experiment() if experiment is None else experiment
    det = SphericalDetector() if detector is None else detector
    lines = exp.signal.line_energies_keV
    lo = window_keV[0]
    hi = float(t_max_keV(lines.max())) if window_keV[1] is None else window_keV[1]
    n_nu = exp.signal.neutrinos_per_line
    sigma = np.array([weak_sigma_between(lo, hi, E, "e", exp.sin2_theta_w) for E in lines])
    per_flux = n_nu * det.electrons_per_cm3 * sigma
    background = background_cpd_per_100t / 100.0 * det.mass_t * exp.run.live_days
    return SterileFit(det, exp.source.shape, lines, per_flux, background, position_resolution_cm=position_resolution_cm,
                      bin_cm=bin_cm, label="SOX", **kwargs)
