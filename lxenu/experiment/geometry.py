"""Fiducial volumes and their geometry relative to the source.

The paper (sect. 2) takes a cylindrical fiducial volume with equal height and
diameter, h = 1.38 m, holding ~6 t of liquid xenon, with a point-like source
1 m below the bottom face on the cylinder axis.

Geometry conventions: the source sits at the origin and the detector is
symmetric about the z axis through it. The part of a sphere of radius L around
the source that lies inside the volume is then a polar band
cos_lo(L) <= cos(theta) <= cos_hi(L), and its fraction of the sphere is

    f(L) = [cos_hi(L) - cos_lo(L)] / 2,

so that the flux-weighted distance distribution is dPhi/dL = f(L) (the flux
integral ``int dV / (4 pi L^2)`` is its integral over L) and the volume
distribution is dV/dL = 4 pi L^2 f(L). Every geometry gives f(L) through
``cos_limits`` and the integrals of both distributions in closed form; the
distance distributions, bin integrals and the Monte Carlo point sampler are
shared (:class:`AxisymmetricVolume`).

* :class:`CylindricalDetector`: gap < z < gap + h, x^2 + y^2 < R^2, with
  cos_hi = min(1, (gap + h) / L), cos_lo = max(gap / L, sqrt(1 - R^2 / L^2)).
* :class:`SphericalDetector`: a ball of radius R centred at (0, 0, D), D > R, with
  cos_lo = (L^2 + D^2 - R^2) / (2 L D), cos_hi = 1.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..validation import as_float_array, check_edges, check_instance, check_integer, check_range, check_scalar_fields
from .target import XENON, Target, target_named

#: Standard atomic weight of xenon, g/mol (see :data:`lxenu.experiment.target.XENON`).
XENON_MOLAR_MASS_G = XENON.molar_mass_g
#: Atomic number of xenon.
XENON_Z = XENON.electrons_per_molecule
#: Default liquid-xenon density, g/cm^3. 2.9 g/cm^3 (LXe near 175 K, as in LZ) turns the
#: paper's 1.38 m x 1.38 m cylinder into 5.99 t, the paper's "~6 tons".
LXE_DENSITY_G_CM3 = 2.9
#: Largest detector dimension or source distance accepted, m, and largest density, g/cm^3
#: (osmium, the densest element, is 22.6): beyond them an input is a typing error.
MAX_SIZE_M = 1000.0
MAX_DENSITY_G_CM3 = 25.0


@runtime_checkable
class FiducialGeometry(Protocol):
    """What a fiducial volume must provide (the plug-in point for new detector shapes).

    Contract: the source is at the origin and the volume is symmetric about the z axis;
    all lengths in cm. ``cos_limits(L)`` gives the polar band of the sphere of radius L
    that lies inside the volume (cos_lo <= cos_hi, equal where the sphere misses it);
    ``cumulative_flux_cm`` and ``cumulative_volume_cm3`` are the exact integrals
    int_0^L f dL and int_0^L 4 pi L^2 f dL, which must reach :attr:`flux_integral_cm`
    and :attr:`volume_cm3` at the far end of :attr:`distance_range_cm`. Subclassing
    :class:`AxisymmetricVolume` supplies everything else (bins, densities, sampling).
    """

    @property
    def volume_cm3(self) -> float: ...

    @property
    def distance_range_cm(self) -> tuple[float, float]: ...

    @property
    def flux_integral_cm(self) -> float: ...

    def cos_limits(self, L_cm) -> tuple[np.ndarray, np.ndarray]: ...

    def cumulative_flux_cm(self, L_cm): ...

    def cumulative_volume_cm3(self, L_cm): ...

    def flux_in_bins_cm(self, edges_cm): ...

    def volume_in_bins_cm3(self, edges_cm): ...

    def sample_flux_weighted_points_cm(self, n: int, rng: np.random.Generator) -> np.ndarray: ...


class AxisymmetricVolume:
    """Shared machinery for a fiducial volume filled with a target material.

    Subclasses define ``cos_limits``, ``cumulative_flux_cm``, ``cumulative_volume_cm3``,
    ``volume_cm3``, ``distance_range_cm`` and ``flux_integral_cm``, and carry the fields
    ``density_g_cm3`` and ``target`` (a name from :data:`lxenu.experiment.target.TARGETS`).
    """

    density_g_cm3: float
    target: str

    # -- target --------------------------------------------------------------------------
    @property
    def target_material(self) -> Target:
        return target_named(self.target)

    @property
    def molar_mass_g(self) -> float:
        return self.target_material.molar_mass_g

    @property
    def atomic_number(self) -> int:
        """Electrons per atom (per molecule for a compound)."""
        return self.target_material.electrons_per_molecule

    @property
    def mass_t(self) -> float:
        """Fiducial mass in tonnes."""
        return self.volume_cm3 * self.density_g_cm3 * 1e-6

    @property
    def electrons_per_cm3(self) -> float:
        return self.density_g_cm3 * 1e-6 * self.target_material.electrons_per_tonne

    @property
    def electrons_per_tonne(self) -> float:
        return self.target_material.electrons_per_tonne

    @property
    def n_electrons(self) -> float:
        return self.electrons_per_cm3 * self.volume_cm3

    # -- distance distributions ----------------------------------------------------------
    def solid_angle_fraction(self, L_cm):
        """f(L): fraction of the sphere of radius L (cm) around the source inside the volume."""
        L = _distances("L_cm", L_cm)
        with np.errstate(divide="ignore", invalid="ignore"):
            cos_lo, cos_hi = self.cos_limits(np.where(L > 0, L, 1.0))
        f = 0.5 * np.clip(cos_hi - cos_lo, 0.0, None)
        return np.where(L > 0, f, 0.0)

    def flux_density_in_L(self, L_cm):
        """dPhi/dL = f(L), dimensionless: the flux integral per unit distance."""
        return self.solid_angle_fraction(L_cm)

    def volume_density_in_L_cm2(self, L_cm):
        """dV/dL = 4 pi L^2 f(L), cm^2."""
        L = _distances("L_cm", L_cm)
        return 4.0 * np.pi * L**2 * self.solid_angle_fraction(L)

    def flux_in_bins_cm(self, edges_cm):
        """Flux integral in distance bins (true L), cm; sums to the flux integral."""
        return np.diff(self.cumulative_flux_cm(_distances("edges_cm", check_edges("edges_cm", edges_cm))))

    def volume_in_bins_cm3(self, edges_cm):
        """Fiducial volume in distance bins, cm^3; sums to the fiducial volume."""
        return np.diff(self.cumulative_volume_cm3(_distances("edges_cm", check_edges("edges_cm", edges_cm))))

    # -- Monte Carlo ---------------------------------------------------------------------
    def sample_flux_weighted_points_cm(self, n: int, rng: np.random.Generator, grid_points: int = 4097) -> np.ndarray:
        """Points distributed as 1/(4 pi L^2) over the volume (signal events), (n, 3) cm.

        L is drawn from the exact cumulative flux by inverse transform on a fine grid,
        then cos(theta) uniformly inside the band ``cos_limits(L)``, and phi uniformly.
        """
        n = check_integer("n", n, 0)
        check_instance("rng", rng, np.random.Generator, "a numpy.random.Generator (numpy.random.default_rng(seed))")
        L_min, L_max = self.distance_range_cm
        grid = np.linspace(L_min, L_max, grid_points)
        cdf = self.cumulative_flux_cm(grid)
        L = np.interp(rng.random(n), cdf / cdf[-1], grid)
        cos_lo, cos_hi = self.cos_limits(L)
        cos_t = cos_lo + (cos_hi - cos_lo) * rng.random(n)
        sin_t = np.sqrt(np.clip(1.0 - cos_t**2, 0.0, None))
        phi = 2.0 * np.pi * rng.random(n)
        return np.column_stack((L * sin_t * np.cos(phi), L * sin_t * np.sin(phi), L * cos_t))

    def flux_integral_mc_cm(self, n: int, rng: np.random.Generator) -> tuple[float, float]:
        """Monte Carlo estimate of the flux integral, cm: V <1/(4 pi L^2)> with its error."""
        n = check_integer("n", n, 2)
        check_instance("rng", rng, np.random.Generator, "a numpy.random.Generator (numpy.random.default_rng(seed))")
        p = self.sample_uniform_points_cm(n, rng)
        w = 1.0 / (4.0 * np.pi * np.einsum("ij,ij->i", p, p))
        return float(self.volume_cm3 * w.mean()), float(self.volume_cm3 * w.std(ddof=1) / np.sqrt(n))


def _check_target(volume) -> None:
    """The target must be known, and a target other than the geometry's default needs its own density."""
    name = volume.target
    if not isinstance(name, str):
        raise ValueError(f"target must be a material name (str); got {name!r}")
    target = target_named(name)
    defaults = {f.name: f.default for f in dataclasses.fields(volume)}
    if name != defaults["target"] and volume.density_g_cm3 == defaults["density_g_cm3"]:
        raise ValueError(
            f"density_g_cm3 = {volume.density_g_cm3} g/cm^3 is the density of the default target "
            f"{defaults['target']!r}; give the density of {name!r} (nominal {target.density_g_cm3} g/cm^3)"
        )


def _distances(name: str, L_cm) -> np.ndarray:
    """Source distances: finite and >= 0 cm."""
    L = as_float_array(name, L_cm)
    if not np.all(np.isfinite(L)):
        raise ValueError(f"{name} must be finite; got {L_cm!r}")
    check_range(name, L, 0.0, None, unit="cm")
    return L


@dataclass(frozen=True)
class CylindricalDetector(AxisymmetricVolume):
    """A cylindrical fiducial volume below which the source sits, on its axis.

    Parameters
    ----------
    height_m, diameter_m:
        Fiducial height and diameter, m (paper: 1.38 m each).
    gap_m:
        Distance from the source centre to the bottom face of the fiducial volume, m
        (paper: 1 m), on the cylinder axis.
    density_g_cm3:
        Density of the target, g/cm^3 (liquid xenon: 2.9).
    target:
        Target material (a name in :data:`lxenu.experiment.target.TARGETS`).
    """

    height_m: float = 1.38
    diameter_m: float = 1.38
    gap_m: float = 1.0
    density_g_cm3: float = LXE_DENSITY_G_CM3
    target: str = "xenon"

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("height_m", self.height_m, 0.0, MAX_SIZE_M, low_inclusive=False, unit="m")
        check_range("diameter_m", self.diameter_m, 0.0, MAX_SIZE_M, low_inclusive=False, unit="m")
        check_range("gap_m", self.gap_m, 0.0, MAX_SIZE_M, low_inclusive=False, unit="m")
        check_range("density_g_cm3", self.density_g_cm3, 0.0, MAX_DENSITY_G_CM3, low_inclusive=False, unit="g/cm^3")
        _check_target(self)

    # -- sizes -----------------------------------------------------------------------------
    @property
    def radius_cm(self) -> float:
        return 50.0 * self.diameter_m

    @property
    def height_cm(self) -> float:
        return 100.0 * self.height_m

    @property
    def gap_cm(self) -> float:
        return 100.0 * self.gap_m

    @property
    def volume_cm3(self) -> float:
        return np.pi * self.radius_cm**2 * self.height_cm

    @property
    def distance_range_cm(self) -> tuple[float, float]:
        """Shortest and longest source-to-point distance inside the fiducial volume, cm."""
        far = np.hypot(self.gap_cm + self.height_cm, self.radius_cm)
        return self.gap_cm, float(far)

    # -- distance distributions, exact -----------------------------------------------
    def cos_limits(self, L_cm):
        L = _distances("L_cm", L_cm)
        g, top, R = self.gap_cm, self.gap_cm + self.height_cm, self.radius_cm
        cos_hi = np.minimum(1.0, top / L)
        side = np.sqrt(np.clip(1.0 - (R / L) ** 2, 0.0, None))
        cos_lo = np.maximum(g / L, side)
        return cos_lo, cos_hi

    def _breakpoints(self):
        g, top, R = self.gap_cm, self.gap_cm + self.height_cm, self.radius_cm
        corner_low = np.hypot(g, R)  # sphere reaches the bottom rim: cos_lo switches
        L_max = np.hypot(top, R)
        return g, top, R, corner_low, L_max

    def cumulative_flux_cm(self, L_cm):
        """Phi(<L) = int_0^L f(L') dL', cm. Phi(L_max) is the flux integral."""
        g, top, R, L1, L_max = self._breakpoints()
        L = np.clip(_distances("L_cm", L_cm), g, L_max)

        # int cos_hi dL from g: cos_hi = 1 below `top`, top/L above.
        hi = np.where(L <= top, L - g, (top - g) + top * np.log(np.maximum(L, top) / top))

        # int cos_lo dL from g: g/L below L1, sqrt(1 - R^2/L^2) above.
        def side_antiderivative(x):
            return np.sqrt(x * x - R * R) - R * np.arccos(R / x)

        lo_below = g * np.log(np.minimum(L, L1) / g)
        Lc = np.maximum(L, L1)
        lo_above = np.where(L > L1, side_antiderivative(Lc) - side_antiderivative(L1), 0.0)
        return 0.5 * (hi - (lo_below + lo_above))

    def cumulative_volume_cm3(self, L_cm):
        """V(<L) = int_0^L 4 pi L'^2 f(L') dL', cm^3. V(L_max) is the fiducial volume."""
        g, top, R, L1, L_max = self._breakpoints()
        L = np.clip(_distances("L_cm", L_cm), g, L_max)
        # 2 pi int L^2 cos_hi dL
        hi = np.where(
            L <= top,
            (L**3 - g**3) / 3.0,
            (top**3 - g**3) / 3.0 + top * (np.maximum(L, top) ** 2 - top**2) / 2.0,
        )
        # 2 pi int L^2 cos_lo dL: g L below L1; L sqrt(L^2 - R^2) above.
        lo_below = g * (np.minimum(L, L1) ** 2 - g**2) / 2.0
        Lc = np.maximum(L, L1)
        lo_above = np.where(L > L1, ((Lc**2 - R**2) ** 1.5 - (L1**2 - R**2) ** 1.5) / 3.0, 0.0)
        return 2.0 * np.pi * (hi - (lo_below + lo_above))

    @property
    def flux_integral_cm(self) -> float:
        """int_V dV / (4 pi L^2) for the point source, cm (exact, closed form).

        For a point on the axis this is (1/4) int_gap^{gap+h} ln(1 + R^2/z^2) dz, and
        int ln(1 + R^2/u^2) du = u ln(1 + R^2/u^2) + 2 R arctan(u / R).
        """
        R, g, top = self.radius_cm, self.gap_cm, self.gap_cm + self.height_cm

        def antiderivative(u):
            return u * np.log1p((R / u) ** 2) + 2.0 * R * np.arctan(u / R)

        return 0.25 * float(antiderivative(top) - antiderivative(g))

    # -- Monte Carlo ------------------------------------------------------------------
    def contains(self, points_cm) -> np.ndarray:
        """Whether points (n, 3), in source-centred cm, are inside the fiducial volume."""
        p = np.asarray(points_cm, dtype=float)
        r2 = p[:, 0] ** 2 + p[:, 1] ** 2
        z = p[:, 2]
        return (r2 <= self.radius_cm**2) & (z >= self.gap_cm) & (z <= self.gap_cm + self.height_cm)

    def sample_uniform_points_cm(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Points uniform in the fiducial volume (volume-weighted: backgrounds), (n, 3) cm."""
        r = self.radius_cm * np.sqrt(rng.random(n))
        phi = 2.0 * np.pi * rng.random(n)
        z = self.gap_cm + self.height_cm * rng.random(n)
        return np.column_stack((r * np.cos(phi), r * np.sin(phi), z))


@dataclass(frozen=True)
class SphericalDetector(AxisymmetricVolume):
    """A spherical fiducial volume of radius R whose centre is a distance D from the source.

    The source at the origin, the sphere centred at (0, 0, D). At distance L the part of
    the sphere of radius L inside the volume is the cap cos(theta) >= c,
    c = (L^2 + D^2 - R^2) / (2 L D), so f(L) = (1 - c)/2. The defaults are the Borexino
    inner vessel seen from the SOX pit (see :mod:`lxenu.analyses.sox`).

    Parameters
    ----------
    radius_m, distance_m:
        Radius of the sphere and distance of its centre from the source, m (D > R).
    density_g_cm3, target:
        Target density (g/cm^3) and material (pseudocumene: 0.878 g/cm^3).
    """

    radius_m: float = 4.25
    distance_m: float = 8.25
    density_g_cm3: float = 0.878
    target: str = "pseudocumene"

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("radius_m", self.radius_m, 0.0, MAX_SIZE_M, low_inclusive=False, unit="m")
        check_range("distance_m", self.distance_m, 0.0, MAX_SIZE_M, low_inclusive=False, unit="m")
        check_range("density_g_cm3", self.density_g_cm3, 0.0, MAX_DENSITY_G_CM3, low_inclusive=False, unit="g/cm^3")
        _check_target(self)
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
    def distance_range_cm(self) -> tuple[float, float]:
        return self.distance_cm - self.radius_cm, self.distance_cm + self.radius_cm

    def cos_limits(self, L_cm):
        L = _distances("L_cm", L_cm)
        D, R = self.distance_cm, self.radius_cm
        cos_lo = np.clip((L * L + D * D - R * R) / (2.0 * L * D), -1.0, 1.0)
        return cos_lo, np.ones_like(cos_lo)

    def cumulative_flux_cm(self, L_cm):
        D, R = self.distance_cm, self.radius_cm
        lo, hi = self.distance_range_cm
        L = np.clip(_distances("L_cm", L_cm), lo, hi)

        def anti(x):
            return x / 2.0 - x * x / (8.0 * D) - (D * D - R * R) / (4.0 * D) * np.log(x)

        return anti(L) - anti(lo)

    @property
    def flux_integral_cm(self) -> float:
        return float(self.cumulative_flux_cm(self.distance_range_cm[1]))

    def cumulative_volume_cm3(self, L_cm):
        D, R = self.distance_cm, self.radius_cm
        lo, hi = self.distance_range_cm
        L = np.clip(_distances("L_cm", L_cm), lo, hi)

        def anti(x):
            return 2.0 * np.pi * (x**3 / 3.0 - x**4 / (8.0 * D) - (D * D - R * R) * x * x / (4.0 * D))

        return anti(L) - anti(lo)

    def contains(self, points_cm) -> np.ndarray:
        p = np.asarray(points_cm, dtype=float)
        return (p[:, 0] ** 2 + p[:, 1] ** 2 + (p[:, 2] - self.distance_cm) ** 2) <= self.radius_cm**2

    def sample_uniform_points_cm(self, n: int, rng: np.random.Generator) -> np.ndarray:
        u = rng.normal(size=(n, 3))
        u /= np.linalg.norm(u, axis=1)[:, None]
        r = self.radius_cm * np.cbrt(rng.random(n))
        return u * r[:, None] + np.array([0.0, 0.0, self.distance_cm])


#: Detector geometries by the name used in experiment files (``detector.geometry``).
GEOMETRIES = {"cylinder": CylindricalDetector, "sphere": SphericalDetector}
