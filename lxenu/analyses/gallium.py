"""The gallium anomaly computed from the source experiments.

GALLEX and SAGE calibrated their radiochemical gallium detectors with 51Cr (and
SAGE with 37Ar) sources placed inside them; BEST (2022) repeated this with a
3.4 MCi 51Cr source at the centre of a two-zone gallium target. The measured
ratios R = observed / expected (Bahcall's cross sections) are below one. In a 3+1
model each ratio is the survival probability averaged over the flux-weighted
path lengths in the detector and over the source lines weighted by their gallium
capture cross sections; a chi^2 fit gives the allowed region.

Inputs (each a published number):

* ratios: GALLEX Cr1 0.953 +- 0.11 and Cr2 0.812 +0.10 -0.11 (reanalysis, Kaether et al.,
  PLB 685 (2010) 47); SAGE Cr 0.95 +- 0.12 and Ar 0.79 +0.09 -0.10 (Abdurashitov et al.,
  PRC 80 (2009) 015807); BEST inner 0.791 +- 0.05 and outer 0.766 +- 0.05 (Barinov et al.,
  PRL 128 (2022) 232501). Asymmetric errors are symmetrised; experiments are uncorrelated.
* geometries (as used by Giunti & Laveder, PRC 83 (2011) 065504, and by BEST): GALLEX a
  cylinder of radius 1.9 m and height 5.0 m with the source on the axis 2.7 m above the
  bottom; SAGE a cylinder of radius 0.7 m and height 1.47 m with the source on the axis
  0.72 m above the bottom; BEST an inner sphere of radius 66.75 cm around the source and
  an outer cylinder of radius 109 cm and height 234.5 cm centred on it.
* lines and 71Ga cross sections (Bahcall, PRC 56 (1997) 3391, via Giunti & Laveder 2011):
  51Cr 747/752/427/432 keV with branchings 0.8163/0.0849/0.0895/0.0093 and cross sections
  60.8/61.5/26.7/27.1 x 1e-46 cm^2; 37Ar 811/813 keV, 0.902/0.098, 70.1/70.3 x 1e-46 cm^2.

* the 71Ga capture cross section is common to every measurement: the ratios are relative
  to Bahcall's cross sections, so an error on them is a *fully correlated* normalisation of
  all ratios. With ``xs_sigma`` it enters as a nuisance xi with a Gaussian prior,
  prediction (1 + xi) P_i, profiled analytically. Bahcall quotes the theoretical error of
  the 51Cr ratio as +0.04 / -0.03 on R = 0.95 (PRC 56 (1997) 3391, abstract), i.e. +4.2 /
  -3.2 %: :data:`CROSS_SECTION_EVALUATIONS` symmetrises it to 3.7 %. Newer evaluations
  (Kostensalo et al., PLB 795 (2019) 542, shell model: the GALLEX+SAGE anomaly falls from
  3.0 sigma to 2.3 sigma; Elliott, Gavrin, Haxton, Ibragimova & Rule, arXiv:2303.13623 (2023))
  move the central value and the width; they are not encoded here because their numbers
  could not be checked against the papers with this project's tools: pass their relative
  width as ``xs_sigma`` (and rescale the ratios by sigma_Bahcall / sigma_new) to use them.

The flux-weighted distance distributions are computed once from random directions
(seeded): the fraction of each sphere around the source that lies in the gallium.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..stats.chi2 import delta_chi2_threshold
from ..validation import check_non_negative
from .sterile import bin_averaged_sin2

CR51_GA_LINES = ((747.0, 0.8163, 60.8), (752.0, 0.0849, 61.5), (427.0, 0.0895, 26.7), (432.0, 0.0093, 27.1))
AR37_GA_LINES = ((811.0, 0.902, 70.1), (813.0, 0.098, 70.3))


@dataclass(frozen=True)
class GalliumSourceRun:
    name: str
    ratio: float
    error: float
    geometry: str  # "gallex", "sage", "best_in", "best_out"
    source: str  # "Cr" or "Ar"


GALLIUM_RUNS = (
    GalliumSourceRun("GALLEX Cr1", 0.953, 0.11, "gallex", "Cr"),
    GalliumSourceRun("GALLEX Cr2", 0.812, 0.105, "gallex", "Cr"),
    GalliumSourceRun("SAGE Cr", 0.95, 0.12, "sage", "Cr"),
    GalliumSourceRun("SAGE Ar", 0.79, 0.095, "sage", "Ar"),
    GalliumSourceRun("BEST inner", 0.791, 0.05, "best_in", "Cr"),
    GalliumSourceRun("BEST outer", 0.766, 0.05, "best_out", "Cr"),
)

#: The gallium anomaly as known to the paper (2014): GALLEX and SAGE only.
RUNS_2014 = tuple(r for r in GALLIUM_RUNS if not r.name.startswith("BEST"))

#: BEST alone (Barinov et al., PRC 105 (2022) 065502: best fit dm2 = 3.3 (+inf -2.3) eV^2,
#: sin^2 2theta = 0.42 (+0.15 -0.17)).
RUNS_BEST = tuple(r for r in GALLIUM_RUNS if r.name.startswith("BEST"))

#: Relative (1 sigma) uncertainty of the 71Ga capture cross section, common to all runs.
#: Bahcall, PRC 56 (1997) 3391: theory error +0.04 / -0.03 on R = 0.95, symmetrised.
CROSS_SECTION_EVALUATIONS = {"bahcall1997": 0.035 / 0.95}


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
    raise ValueError(f"geometry must be one of gallex, sage, best_in, best_out; got {geometry!r}")


@lru_cache(maxsize=8)
def flux_weighted_distance_histogram(geometry: str, n_directions: int = 20_000, seed: int = 71, bin_cm: float = 1.0):
    """(edges, weights) of path length L for a point source in a gallium detector (weights sum to 1).

    The flux-weighted density in L is the fraction f(L) of the sphere of radius L around the
    source that lies in the gallium; it is estimated at each bin centre from ``n_directions``
    random directions (seeded), which avoids the 1/L^2 weights of volume sampling.
    """
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


def averaged_survival(run: GalliumSourceRun, sin2_2theta, dm2_eV2):
    """Expected ratio R for a run at (sin^2 2theta, dm2); broadcasts over both (outer product)."""
    edges, w = flux_weighted_distance_histogram(run.geometry)
    lines = CR51_GA_LINES if run.source == "Cr" else AR37_GA_LINES
    weights = np.array([b * s for _, b, s in lines])
    weights = weights / weights.sum()
    dm2 = np.asarray(dm2_eV2, dtype=float)
    avg = 0.0
    for (E, _, _), lw in zip(lines, weights):
        s2 = bin_averaged_sin2(edges[:-1], edges[1:], E, dm2[..., None])
        avg = avg + lw * (s2 @ w)
    return 1.0 - np.multiply.outer(np.asarray(sin2_2theta, dtype=float), avg)


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


def gallium_chi2_grid(sin2_2theta_values, dm2_values, runs=GALLIUM_RUNS, xs_sigma=None) -> np.ndarray:
    """chi^2 of the gallium ratios on a (sin^2 2theta, dm2) grid, shape (n_sin2, n_dm2).

    ``xs_sigma``: relative error of the common 71Ga cross section (a number, or a key of
    :data:`CROSS_SECTION_EVALUATIONS`); None ignores it (uncorrelated ratios, as in 2014).
    With it, the common normalisation xi (prediction (1 + xi) P_i, prior xi ~ N(0, xs_sigma))
    is profiled: chi^2 = sum r_i^2 / e_i^2 - (sum P_i r_i / e_i^2)^2 / (sum P_i^2 / e_i^2 +
    1 / xs_sigma^2), r_i = R_i - P_i.
    """
    sig = _xs_sigma(xs_sigma)
    rr = pr = pp = 0.0
    for run in runs:
        pred = averaged_survival(run, sin2_2theta_values, dm2_values)
        w = 1.0 / run.error**2
        r = run.ratio - pred
        rr = rr + w * r * r
        pr = pr + w * pred * r
        pp = pp + w * pred * pred
    if not sig:
        return rr
    return rr - pr * pr / (pp + 1.0 / sig**2)


def gallium_fit(
    sin2_2theta_values, dm2_values, runs=GALLIUM_RUNS, confidence_level: float = 0.95, xs_sigma=None
) -> dict:
    """Best fit, no-oscillation Delta chi^2, the Delta chi^2 field and the allowed-region mask (2 dof).

    ``delta_chi2`` (chi^2 - min on the grid) is the field to draw smooth contours of
    (``plt.contour(s, m, fit["delta_chi2"].T, [fit["threshold"]])``); ``allowed`` is its
    boolean mask, kept for :func:`covered_fraction`. See :func:`gallium_chi2_grid` for ``xs_sigma``.
    """
    s = np.asarray(sin2_2theta_values, dtype=float)
    m = np.asarray(dm2_values, dtype=float)
    chi2 = gallium_chi2_grid(s, m, runs, xs_sigma)
    i, j = np.unravel_index(np.argmin(chi2), chi2.shape)
    chi2_null = float(np.ravel(gallium_chi2_grid(np.array([0.0]), m[:1], runs, xs_sigma))[0])
    threshold = delta_chi2_threshold(confidence_level, 2)
    delta = chi2 - chi2[i, j]
    return {
        "chi2": chi2,
        "delta_chi2": delta,
        "best_sin2_2theta": float(s[i]),
        "best_dm2_eV2": float(m[j]),
        "chi2_min": float(chi2[i, j]),
        "delta_chi2_no_oscillation": float(chi2_null - chi2[i, j]),
        "allowed": delta <= threshold,
        "threshold": threshold,
    }


#: Reactor antineutrino anomaly (Mention et al., PRD 83 (2011) 073006): combined reactor,
#: gallium and MiniBooNE fit, sin^2 2theta = 0.14 +- 0.08 and dm2 > 1.5 eV^2 (95 % CL).
#: Kept for chapters 5/6; :mod:`lxenu.analyses.reactor` holds the same numbers with their meaning
#: (a best fit with ranges, to be drawn as a point with error bars, not a region).
REACTOR_ANOMALY = {"sin2_2theta": 0.14, "sin2_2theta_error": 0.08, "dm2_min_eV2": 1.5}


def covered_fraction(allowed, exclusion_chi2, threshold: float, delta_chi2=None) -> float:
    """Fraction of an allowed region (boolean grid) where an experiment's chi^2 reaches the threshold.

    On a grid uniform in log(sin^2 2theta) and log(dm2) this is the fraction of the region's area
    in the usual logarithmic plane. With ``delta_chi2`` (the anomaly's chi^2 - chi^2_min on the
    same grid) each point is weighted by exp(-delta_chi2 / 2): the fraction of the anomaly's
    likelihood that is covered, which weighs the best-fit region more than the edges.
    """
    allowed = np.asarray(allowed, dtype=bool)
    if not allowed.any():
        raise ValueError("allowed must contain at least one True grid point")
    covered = np.asarray(exclusion_chi2) >= threshold
    if delta_chi2 is None:
        return float(np.mean(covered[allowed]))
    w = np.exp(-0.5 * np.asarray(delta_chi2, dtype=float)) * allowed
    return float(np.sum(w * covered) / np.sum(w))
