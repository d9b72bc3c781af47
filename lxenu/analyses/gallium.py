"""The gallium anomaly computed from the source experiments.

GALLEX and SAGE calibrated their radiochemical gallium detectors with 51Cr (and
SAGE with 37Ar) sources placed inside them; BEST (2022) repeated this with a
3.4 MCi 51Cr source at the centre of a two-zone gallium target. The measured
ratios R = observed / expected are below one. In a 3+1 model each ratio is the
survival probability averaged over the flux-weighted path lengths in the detector
and over the source lines weighted by their gallium capture cross sections; a
chi^2 fit gives the allowed region.

Inputs, with what was checked against the source ("read" = read in the paper's abstract by
this project; "not verified" = taken from the compilations named, not read in the source):

* ratios (asymmetric errors symmetrised; the experiments uncorrelated apart from the common
  cross section below):

  - GALLEX Cr1 0.953 +- 0.11 and Cr2 0.812 +0.10 -0.11, the reanalysis of Kaether et al.,
    PLB 685 (2010) 47, as compiled by Giunti & Laveder, PRC 83 (2011) 065504: **not verified**
    (the reanalysis's abstract says only that the source results drop like the solar rate);
  - SAGE Cr 0.95 +- 0.12 (expt): read (Abdurashitov et al., PRC 59 (1999) 2246, abstract:
    the ratio to Bahcall's cross section);
  - SAGE Ar 0.79 +0.09 -0.10: read (Abdurashitov et al., PRC 73 (2006) 045805, abstract);
  - BEST inner 0.791 +- 0.05 and outer 0.766 +- 0.05: read (Barinov et al., PRL 128 (2022)
    232501, abstract: 0.79 and 0.77; the three digits as quoted in the abstract of Elliott,
    Gavrin, Haxton, Ibragimova & Rule, arXiv:2303.13623).

* geometries (as used by Giunti & Laveder 2011 and by BEST; **not verified** against the
  experiments' papers): GALLEX a cylinder of radius 1.9 m and height 5.0 m with the source on the
  axis 2.7 m above the bottom; SAGE a cylinder of radius 0.7 m and height 1.47 m with the source on
  the axis 0.72 m above the bottom; BEST an inner sphere of radius 66.75 cm around the source and an
  outer cylinder of radius 109 cm and height 234.5 cm centred on it.

* lines and 71Ga cross sections (Bahcall, PRC 56 (1997) 3391, via Giunti & Laveder 2011; the
  cross sections **not verified**): 51Cr 747/752/427/432 keV with branchings
  0.8163/0.0849/0.0895/0.0093 (as in ``lxenu/data/sources/cr51-four-lines.toml``; branching-weighted
  mean 0.72 MeV, as Giunti, Li, Ternes & Xin, arXiv:2212.09722, state) and cross sections
  60.8/61.5/26.7/27.1 x 1e-46 cm^2; 37Ar 811/813 keV, 0.902/0.098, 70.1/70.3 x 1e-46 cm^2. Only the
  *relative* weights of the lines enter R: the normalisation cancels in the ratio.

* the 71Ga capture cross section is common to every measurement: the ratios are relative to
  Bahcall's cross section, so an error on it is a *fully correlated* normalisation of all ratios.
  With ``xs_sigma`` it enters as a nuisance xi with a Gaussian prior, prediction (1 + xi) P_i,
  profiled analytically. Bahcall quotes the theoretical error of the 51Cr ratio as +0.04 / -0.03 on
  R = 0.95 (read: PRC 56 (1997) 3391, abstract), i.e. +4.2 / -3.2 %:
  :data:`CROSS_SECTION_EVALUATIONS` symmetrises it to 3.7 %. A cross section that differs from
  Bahcall's by a factor f rescales every ratio by 1 / f (``xs_scale``).
  The newer evaluations — Kostensalo, Suhonen, Giunti & Srivastava, PLB 795 (2019) 542 (shell
  model); Semenov, Phys. At. Nucl. 83 (2020) 1549; Elliott et al., arXiv:2303.13623 — give
  central values and widths that this project could not read (only the abstracts were
  reachable, and they quote no cross section): they are **not encoded**. What their abstracts
  do state is kept in :data:`PUBLISHED_SIGNIFICANCES` and compared with :func:`deficit_significance`.

The flux-weighted distance distributions are computed once from random directions
(seeded): the fraction of each sphere around the source that lies in the gallium.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize

from ..stats.chi2 import delta_chi2_threshold
from ..validation import as_float_array, check_flag, check_non_negative, check_positive, check_range
from .sterile import bin_averaged_sin2

#: (energy keV, branching, 71Ga capture cross section 1e-46 cm^2) per line; see the module docstring.
CR51_GA_LINES = ((747.0, 0.8163, 60.8), (752.0, 0.0849, 61.5), (427.0, 0.0895, 26.7), (432.0, 0.0093, 27.1))
AR37_GA_LINES = ((811.0, 0.902, 70.1), (813.0, 0.098, 70.3))

#: The detector geometries :func:`flux_weighted_distance_histogram` knows.
GEOMETRIES = ("gallex", "sage", "best_in", "best_out")
#: The sources and their lines.
SOURCES = {"Cr": CR51_GA_LINES, "Ar": AR37_GA_LINES}


@dataclass(frozen=True)
class GalliumSourceRun:
    """One source measurement: R = observed / expected (Bahcall's cross section) and its 1 sigma error."""

    name: str
    ratio: float
    error: float
    geometry: str  # one of GEOMETRIES
    source: str  # "Cr" or "Ar"
    reference: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string; got {self.name!r}")
        check_positive("ratio", self.ratio)
        check_positive("error", self.error)
        if self.geometry not in GEOMETRIES:
            raise ValueError(f"geometry must be one of {GEOMETRIES}; got {self.geometry!r}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {tuple(SOURCES)}; got {self.source!r}")


GALLIUM_RUNS = (
    GalliumSourceRun(
        "GALLEX Cr1",
        0.953,
        0.11,
        "gallex",
        "Cr",
        "Kaether et al., PLB 685 (2010) 47, via Giunti & Laveder 2011 (not verified)",
    ),
    GalliumSourceRun(
        "GALLEX Cr2",
        0.812,
        0.105,
        "gallex",
        "Cr",
        "Kaether et al., PLB 685 (2010) 47, via Giunti & Laveder 2011 (not verified)",
    ),
    GalliumSourceRun("SAGE Cr", 0.95, 0.12, "sage", "Cr", "Abdurashitov et al., PRC 59 (1999) 2246"),
    GalliumSourceRun("SAGE Ar", 0.79, 0.095, "sage", "Ar", "Abdurashitov et al., PRC 73 (2006) 045805"),
    GalliumSourceRun("BEST inner", 0.791, 0.05, "best_in", "Cr", "Barinov et al., PRL 128 (2022) 232501"),
    GalliumSourceRun("BEST outer", 0.766, 0.05, "best_out", "Cr", "Barinov et al., PRL 128 (2022) 232501"),
)

#: The gallium anomaly as known to the paper (2014): GALLEX and SAGE only.
RUNS_2014 = tuple(r for r in GALLIUM_RUNS if not r.name.startswith("BEST"))

#: BEST alone (Barinov et al., PRC 105 (2022) 065502, abstract: best fit dm2 = 3.3 (+inf -2.3) eV^2,
#: sin^2 2theta = 0.42 (+0.15 -0.17)).
RUNS_BEST = tuple(r for r in GALLIUM_RUNS if r.name.startswith("BEST"))

#: The published BEST-alone fit (read in the abstract of Barinov et al., PRC 105 (2022) 065502).
BEST_PUBLISHED_FIT = {
    "sin2_2theta": 0.42,
    "sin2_2theta_plus": 0.15,
    "sin2_2theta_minus": 0.17,
    "dm2_eV2": 3.3,
    "dm2_minus_eV2": 2.3,  # no upper error: "+inf"
    "reference": "Barinov et al., PRC 105 (2022) 065502, arXiv:2201.07364",
}

#: Relative (1 sigma) uncertainty of the 71Ga capture cross section, common to all runs.
#: Bahcall, PRC 56 (1997) 3391: theory error +0.04 / -0.03 on R = 0.95, symmetrised.
CROSS_SECTION_EVALUATIONS = {"bahcall1997": 0.035 / 0.95}

#: Significances of the gallium deficit as their abstracts state them (each read there), for
#: comparison with :func:`deficit_significance`. None of them is an input of any fit here.
PUBLISHED_SIGNIFICANCES = (
    {
        "key": "GiuntiLaveder2011",
        "data": "GALLEX + SAGE",
        "cross_section": "Bahcall 1997",
        "statement": "about 3.0σ",
    },
    {
        "key": "Kostensalo2019",
        "data": "GALLEX + SAGE",
        "cross_section": "shell model (Kostensalo et al.)",
        "statement": "2.3σ (from 3.0σ)",
    },
    {
        "key": "ElliottGavrinHaxton2023",
        "data": "GALLEX + SAGE + BEST",
        "cross_section": "conservative uncertainties",
        "statement": "approximately 4σ",
    },
    {
        "key": "GiuntiLiTernesXin2022",
        "data": "GALLEX + SAGE + BEST",
        "cross_section": "every model they consider",
        "statement": "larger than about 5σ",
    },
)


def _inside(geometry: str, p: np.ndarray) -> np.ndarray:
    """Whether points (..., 3), relative to the source in cm, are in the gallium volume."""
    r = np.hypot(p[..., 0], p[..., 1])
    z = p[..., 2]
    if geometry == "gallex":
        return (r <= 190.0) & (z >= -270.0) & (z <= 500.0 - 270.0)
    if geometry == "sage":
        return (r <= 70.0) & (z >= -72.0) & (z <= 147.0 - 72.0)
    rho = np.linalg.norm(p, axis=-1)
    if geometry == "best_in":
        return rho <= 66.75
    if geometry == "best_out":
        return (rho > 66.75) & (r <= 109.0) & (np.abs(z) <= 117.25)
    raise ValueError(f"geometry must be one of {GEOMETRIES}; got {geometry!r}")


@lru_cache(maxsize=8)
def flux_weighted_distance_histogram(geometry: str, n_directions: int = 20_000, seed: int = 71, bin_cm: float = 1.0):
    """(edges, weights) of path length L for a point source in a gallium detector (weights sum to 1).

    The flux-weighted density in L is the fraction f(L) of the sphere of radius L around the
    source that lies in the gallium; it is estimated at each bin centre from ``n_directions``
    random directions (seeded), which avoids the 1/L^2 weights of volume sampling.
    """
    if geometry not in GEOMETRIES:
        raise ValueError(f"geometry must be one of {GEOMETRIES}; got {geometry!r}")
    rng = np.random.default_rng(seed)
    u = rng.normal(size=(n_directions, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    edges = np.arange(0.0, 700.0 + bin_cm, bin_cm)
    centres = 0.5 * (edges[1:] + edges[:-1])
    f = np.array([_inside(geometry, L * u).mean() for L in centres])
    last = np.nonzero(f)[0].max() + 2
    edges, f = edges[: last + 1], f[:last]
    w = f * np.diff(edges)
    return edges, w / w.sum()


def capture_weighted_lines(source: str) -> tuple[np.ndarray, np.ndarray]:
    """(energies keV, weights summing to 1): the source's lines weighted by branching x 71Ga cross section."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {tuple(SOURCES)}; got {source!r}")
    lines = SOURCES[source]
    weights = np.array([b * s for _, b, s in lines])
    return np.array([E for E, _, _ in lines]), weights / weights.sum()


def _grid(name, values, low, high, unit="", low_inclusive=True) -> np.ndarray:
    arr = as_float_array(name, values)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-d array; got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")
    check_range(name, arr, low, high, low_inclusive=low_inclusive, unit=unit)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def averaged_survival(run: GalliumSourceRun, sin2_2theta, dm2_eV2):
    """Expected ratio R for a run at (sin^2 2theta, dm2); broadcasts over both (outer product).

    ``sin2_2theta`` in [0, 1], ``dm2_eV2`` >= 0 (numbers or 1-d arrays).
    """
    if not isinstance(run, GalliumSourceRun):
        raise ValueError(f"run must be a GalliumSourceRun; got {run!r}")
    s = _grid("sin2_2theta", sin2_2theta, 0.0, 1.0)
    dm2 = _grid("dm2_eV2", dm2_eV2, 0.0, None, "eV^2")
    edges, w = flux_weighted_distance_histogram(run.geometry)
    energies, weights = capture_weighted_lines(run.source)
    avg = 0.0
    for E, lw in zip(energies, weights):
        s2 = bin_averaged_sin2(edges[:-1], edges[1:], E, dm2[..., None])
        avg = avg + lw * (s2 @ w)
    return 1.0 - np.multiply.outer(s, avg)


def _xs_sigma(xs_sigma) -> float | None:
    if xs_sigma is None:
        return None
    if isinstance(xs_sigma, str):
        if xs_sigma not in CROSS_SECTION_EVALUATIONS:
            raise ValueError(
                f"xs_sigma must be a number >= 0 or one of {sorted(CROSS_SECTION_EVALUATIONS)}; got {xs_sigma!r}"
            )
        return CROSS_SECTION_EVALUATIONS[xs_sigma]
    check_non_negative("xs_sigma", xs_sigma)
    return float(xs_sigma)


def _runs(runs) -> tuple:
    try:
        runs = tuple(runs)
    except TypeError:
        raise ValueError(f"runs must be a sequence of GalliumSourceRun; got {runs!r}") from None
    if not runs or not all(isinstance(r, GalliumSourceRun) for r in runs):
        raise ValueError(f"runs must be a non-empty sequence of GalliumSourceRun; got {runs!r}")
    return runs


def gallium_chi2_grid(sin2_2theta_values, dm2_values, runs=GALLIUM_RUNS, xs_sigma=None, xs_scale=1.0) -> np.ndarray:
    """chi^2 of the gallium ratios on a (sin^2 2theta, dm2) grid, shape (n_sin2, n_dm2).

    ``xs_sigma``: relative error of the common 71Ga cross section (a number, or a key of
    :data:`CROSS_SECTION_EVALUATIONS`); None ignores it (uncorrelated ratios, as in 2014).
    With it, the common normalisation xi (prediction (1 + xi) P_i, prior xi ~ N(0, xs_sigma))
    is profiled: chi^2 = sum r_i^2 / e_i^2 - (sum P_i r_i / e_i^2)^2 / (sum P_i^2 / e_i^2 +
    1 / xs_sigma^2), r_i = R_i - P_i. ``xs_scale`` (> 0): the cross section used, relative to
    Bahcall's; the ratios and their errors are divided by it.
    """
    s = _grid("sin2_2theta_values", sin2_2theta_values, 0.0, 1.0)
    m = _grid("dm2_values", dm2_values, 0.0, None, "eV^2")
    runs = _runs(runs)
    sig = _xs_sigma(xs_sigma)
    check_positive("xs_scale", xs_scale)
    rr = pr = pp = 0.0
    for run in runs:
        pred = averaged_survival(run, s, m)
        w = xs_scale**2 / run.error**2
        r = run.ratio / xs_scale - pred
        rr = rr + w * r * r
        pr = pr + w * pred * r
        pp = pp + w * pred * pred
    if not sig:
        return rr
    return rr - pr * pr / (pp + 1.0 / sig**2)


def gallium_fit(
    sin2_2theta_values,
    dm2_values,
    runs=GALLIUM_RUNS,
    confidence_level: float = 0.95,
    xs_sigma=None,
    xs_scale=1.0,
    refine: bool = False,
) -> dict:
    """Best fit, no-oscillation Delta chi^2, the Delta chi^2 field and the allowed-region mask (2 dof).

    The best fit is the minimum on the grid (``sin2_2theta_values`` in [0, 1] and ``dm2_values``
    > 0 eV^2, 1-d); with ``refine`` it is then polished off the grid (Nelder–Mead in log s and
    log dm2, inside the grid's range), so that it does not depend on the grid's spacing.
    ``delta_chi2`` (chi^2 - the minimum) is the field to draw smooth contours
    of (``plt.contour(s, m, fit["delta_chi2"].T, [fit["threshold"]])``); ``allowed`` is its
    boolean mask, kept for :func:`covered_fraction`. See :func:`gallium_chi2_grid` for ``xs_sigma``
    and ``xs_scale``.
    """
    s = np.atleast_1d(_grid("sin2_2theta_values", sin2_2theta_values, 0.0, 1.0))
    m = np.atleast_1d(_grid("dm2_values", dm2_values, 0.0, None, "eV^2", low_inclusive=False))
    threshold = delta_chi2_threshold(confidence_level, 2)
    chi2 = gallium_chi2_grid(s, m, runs, xs_sigma, xs_scale)
    i, j = np.unravel_index(np.argmin(chi2), chi2.shape)
    best_s, best_m, chi2_min = float(s[i]), float(m[j]), float(chi2[i, j])
    if check_flag("refine", refine) and best_s > 0:
        best_s, best_m, chi2_min = _refine(runs, xs_sigma, xs_scale, best_s, best_m, chi2_min, s, m)
    chi2_null = float(np.ravel(gallium_chi2_grid(np.array([0.0]), m[:1], runs, xs_sigma, xs_scale))[0])
    delta = chi2 - chi2_min
    return {
        "chi2": chi2,
        "delta_chi2": delta,
        "best_sin2_2theta": best_s,
        "best_dm2_eV2": best_m,
        "chi2_min": chi2_min,
        "delta_chi2_no_oscillation": float(chi2_null - chi2_min),
        "allowed": delta <= threshold,
        "threshold": threshold,
    }


def _refine(runs, xs_sigma, xs_scale, s0, m0, chi2_0, s_grid, m_grid):
    """The minimum of chi^2 near the grid's best point, inside the grid's range: (s, dm2, chi2)."""
    lo = np.log([max(s_grid[s_grid > 0].min(), 1e-6), m_grid.min()])
    hi = np.log([s_grid.max(), m_grid.max()])

    def chi2(p):
        q = np.clip(p, lo, hi)
        return float(gallium_chi2_grid(np.exp(q[:1]), np.exp(q[1:]), runs, xs_sigma, xs_scale)[0, 0])

    res = minimize(chi2, np.log([s0, m0]), method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
    if res.fun >= chi2_0:
        return s0, m0, chi2_0
    q = np.exp(np.clip(res.x, lo, hi))
    return float(q[0]), float(q[1]), float(res.fun)


def deficit_significance(runs=GALLIUM_RUNS, xs_sigma=None, xs_scale=1.0) -> dict:
    """Significance of the common deficit: R_i = r for every run, tested against r = 1 (1 dof).

    With the common cross-section nuisance xi (prior width ``xs_sigma``) the test is
    Delta chi^2 = (1 - R_mean)^2 / (sigma_mean^2 + xs_sigma^2), R_mean the error-weighted mean of
    the ratios (divided by ``xs_scale``) and sigma_mean its error: the quantity the abstracts of
    :data:`PUBLISHED_SIGNIFICANCES` quote, up to their treatment of errors.
    Returns ``mean``, ``error`` (statistical), ``total_error`` and ``sigma`` (signed: > 0 for a deficit).
    """
    runs = _runs(runs)
    sig = _xs_sigma(xs_sigma) or 0.0
    check_positive("xs_scale", xs_scale)
    w = np.array([xs_scale**2 / r.error**2 for r in runs])
    R = np.array([r.ratio / xs_scale for r in runs])
    mean = float(np.sum(w * R) / np.sum(w))
    err = float(1.0 / math.sqrt(np.sum(w)))
    total = math.hypot(err, sig)
    return {"mean": mean, "error": err, "total_error": total, "sigma": (1.0 - mean) / total}


#: Reactor antineutrino anomaly (Mention et al., PRD 83 (2011) 073006): combined reactor,
#: gallium and MiniBooNE fit, sin^2 2theta = 0.14 +- 0.08 and dm2 > 1.5 eV^2 (95 % CL).
#: Kept for chapters 5/6; :mod:`lxenu.analyses.reactor` holds the same numbers with their meaning
#: (a best fit with ranges, to be drawn as a point with error bars, not a region).
REACTOR_ANOMALY = {"sin2_2theta": 0.14, "sin2_2theta_error": 0.08, "dm2_min_eV2": 1.5}


def covered_fraction(allowed, exclusion_chi2, threshold, delta_chi2=None) -> float:
    """Fraction of an allowed region (boolean grid) where an experiment's chi^2 reaches the threshold.

    On a grid uniform in log(sin^2 2theta) and log(dm2) this is the fraction of the region's area
    in the usual logarithmic plane. With ``delta_chi2`` (the anomaly's chi^2 - chi^2_min on the
    same grid) each point is weighted by exp(-delta_chi2 / 2): the fraction of the anomaly's
    likelihood that is covered, which weighs the best-fit region more than the edges.
    ``threshold``: a number >= 0 (Wilks) or an array of the grid's shape (Feldman–Cousins).
    """
    allowed = np.asarray(allowed)
    if allowed.dtype != bool:
        raise ValueError(f"allowed must be a boolean grid; got dtype {allowed.dtype}")
    if not allowed.any():
        raise ValueError("allowed must contain at least one True grid point")
    chi2 = as_float_array("exclusion_chi2", exclusion_chi2)
    if chi2.shape != allowed.shape:
        raise ValueError(f"exclusion_chi2 must have the shape of allowed {allowed.shape}; got {chi2.shape}")
    if np.isnan(chi2).any():
        raise ValueError("exclusion_chi2 must not contain NaN")
    thr = as_float_array("threshold", threshold)
    if np.isnan(thr).any() or np.any(thr < 0):
        raise ValueError(f"threshold must be >= 0 and not NaN; got {threshold if thr.ndim == 0 else 'such an array'}")
    if thr.ndim and thr.shape != allowed.shape:
        raise ValueError(f"threshold must be a number or have the shape of allowed {allowed.shape}; got {thr.shape}")
    covered = chi2 >= thr
    if delta_chi2 is None:
        return float(np.mean(covered[allowed]))
    d = as_float_array("delta_chi2", delta_chi2)
    if d.shape != allowed.shape or np.isnan(d).any() or np.any(d < 0):
        raise ValueError(f"delta_chi2 must be >= 0, without NaN, of the shape of allowed {allowed.shape}")
    w = np.exp(-0.5 * d) * allowed
    return float(np.sum(w * covered) / np.sum(w))
