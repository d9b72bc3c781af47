"""The distance response: from true neutrino path length to reconstructed distance.

The oscillation phase depends on the true path length L from the emission point
inside the source to the interaction point. The analysis sees the distance from
the source *centre* to the *reconstructed* interaction point. The two differ
because the source has a finite size (the paper: a 14 cm x 14 cm cylinder) and
because the vertex is reconstructed with a resolution (the paper: 1 cm).

The response is built once by Monte Carlo (paper, sect. 3):

1. interaction points x are drawn from the exact flux-weighted distribution of a
   point source at the source centre (``detector.sample_flux_weighted_points_cm``);
2. emission points e are drawn uniformly in the source volume; the event is
   re-weighted by ``|x|^2 / |x - e|^2``, the ratio of the true to the sampled flux density;
3. ``L_true = |x - e|``; the vertex is smeared by a Gaussian of ``resolution_cm`` in each
   coordinate and ``L_reco = |x_smeared|``.

The weighted joint histogram, normalised to the point-source flux integral, is
``joint_flux_cm[i, j]``: the flux integral (cm) of events with reconstructed
distance in bin i and true distance in bin j. Dividing by its column sums gives
the response matrix P(reco bin i | true bin j), which conserves events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from ..validation import check_integer, check_non_negative, check_positive


@dataclass
class DistanceResponse:
    """Joint (reconstructed, true) distance distribution of signal events."""

    reco_edges_cm: np.ndarray
    true_edges_cm: np.ndarray
    joint_flux_cm: np.ndarray  # (n_reco, n_true)
    n_events: int
    seed: int

    @property
    def matrix(self) -> np.ndarray:
        """P(reco bin i | true bin j); columns sum to one where the true bin has events."""
        col = self.joint_flux_cm.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(col > 0, self.joint_flux_cm / np.where(col > 0, col, 1.0), 0.0)

    @property
    def true_flux_cm(self) -> np.ndarray:
        """Flux integral per true-distance bin, cm."""
        return self.joint_flux_cm.sum(axis=0)

    @property
    def reco_flux_cm(self) -> np.ndarray:
        """Flux integral per reconstructed-distance bin, cm."""
        return self.joint_flux_cm.sum(axis=1)

    @property
    def true_centres_cm(self) -> np.ndarray:
        return 0.5 * (self.true_edges_cm[1:] + self.true_edges_cm[:-1])

    @property
    def reco_centres_cm(self) -> np.ndarray:
        return 0.5 * (self.reco_edges_cm[1:] + self.reco_edges_cm[:-1])


def analysis_edges_cm(detector, bin_cm: float, margin_cm: float) -> np.ndarray:
    """Bin edges of width ``bin_cm`` covering the detector's distance range plus a margin."""
    lo, hi = detector.distance_range_cm
    start = bin_cm * np.floor((lo - margin_cm) / bin_cm)
    stop = bin_cm * np.ceil((hi + margin_cm) / bin_cm)
    return np.arange(max(start, 0.0), stop + 0.5 * bin_cm, bin_cm)


def build_distance_response(
    detector,
    source_shape,
    resolution_cm: float = 1.0,
    reco_bin_cm: float = 3.0,
    true_bin_cm: float = 0.5,
    n_events: int = 1_000_000,
    seed: int = 51,
    chunk: int = 500_000,
) -> DistanceResponse:
    """Monte Carlo distance response for a detector and a source shape (see module docstring)."""
    check_non_negative("resolution_cm", resolution_cm, "cm")
    check_positive("reco_bin_cm", reco_bin_cm, "cm")
    check_positive("true_bin_cm", true_bin_cm, "cm")
    n_events = check_integer("n_events", n_events, 1000)
    extent = 0.5 * np.hypot(getattr(source_shape, "diameter_cm", 0.0), getattr(source_shape, "height_cm", 0.0))
    margin = extent + 5.0 * resolution_cm + reco_bin_cm
    reco_edges = analysis_edges_cm(detector, reco_bin_cm, margin)
    true_edges = analysis_edges_cm(detector, true_bin_cm, extent + true_bin_cm)
    rng = np.random.default_rng(seed)
    joint = np.zeros((reco_edges.size - 1, true_edges.size - 1))
    done = 0
    while done < n_events:
        n = min(chunk, n_events - done)
        x = detector.sample_flux_weighted_points_cm(n, rng)
        e = source_shape.sample_points_cm(n, rng)
        d = x - e
        L_true = np.sqrt(np.einsum("ij,ij->i", d, d))
        weight = np.einsum("ij,ij->i", x, x) / L_true**2
        if resolution_cm > 0:
            x = x + rng.normal(0.0, resolution_cm, size=x.shape)
        L_reco = np.sqrt(np.einsum("ij,ij->i", x, x))
        h, _, _ = np.histogram2d(L_reco, L_true, bins=(reco_edges, true_edges), weights=weight)
        joint += h
        done += n
    joint *= detector.flux_integral_cm / n_events
    return DistanceResponse(reco_edges, true_edges, joint, n_events, seed)


def smear_distance_1d(true_edges_cm, true_content, reco_edges_cm, resolution_cm: float) -> np.ndarray:
    """Smear a distribution given in fine true-distance bins with a Gaussian (backgrounds)."""
    t = np.asarray(true_edges_cm, dtype=float)
    c = 0.5 * (t[1:] + t[:-1])
    r = np.asarray(reco_edges_cm, dtype=float)
    if resolution_cm <= 0:
        cdf = (r[:, None] > c[None, :]).astype(float)
    else:
        cdf = ndtr((r[:, None] - c[None, :]) / resolution_cm)
    return np.diff(cdf, axis=0) @ np.asarray(true_content, dtype=float)
