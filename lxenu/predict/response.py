"""Detector energy response: Gaussian smearing of the electron recoil energy.

The resolution sigma(T) is the experiment's (:class:`~lxenu.experiment.response.EnergyResolution`;
the paper: 0.20 sqrt(T), T and sigma in keV).

Smearing is a matrix R[i, j] = P(reconstructed energy in bin i | true energy at
the centre of true bin j). Summed over a set of reconstructed bins that covers
all energies, every column sums to one: the matrix conserves events.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from ..experiment.response import EnergyResolution
from ..validation import as_float_array, check_edges, check_instance, check_non_negative, check_range


def _cdf_below(edges, T, sigma):
    """P(reco < edge | true T) for every edge (rows) and true energy (columns)."""
    e = np.asarray(edges, dtype=float)[:, None]
    T = np.asarray(T, dtype=float)[None, :]
    s = np.asarray(sigma, dtype=float)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (e - T) / s
    step = (e > T).astype(float)  # perfect resolution
    return np.where(s > 0, ndtr(np.where(s > 0, z, 0.0)), step)


def energy_response_matrix(true_edges_keV, reco_edges_keV, resolution: EnergyResolution) -> np.ndarray:
    """Smearing matrix from true-energy bins to reconstructed-energy bins, shape (n_reco, n_true).

    Each true bin is represented by its centre; entry [i, j] is the probability that an
    event of true energy T_j is reconstructed in reco bin i.
    """
    t_edges = check_edges("true_edges_keV", true_edges_keV)
    r_edges = check_edges("reco_edges_keV", reco_edges_keV)
    _check_resolution(resolution)
    centres = 0.5 * (t_edges[1:] + t_edges[:-1])
    cdf = _cdf_below(r_edges, centres, resolution.sigma_keV(centres))
    return np.diff(cdf, axis=0)


def cumulative_response(reco_edges_keV, true_centres_keV, resolution: EnergyResolution) -> np.ndarray:
    """P(reco < edge | true centre), shape (n_edges, n_true): differences give the matrix."""
    centres = np.asarray(true_centres_keV, dtype=float)
    return _cdf_below(reco_edges_keV, centres, resolution.sigma_keV(centres))


def _check_resolution(resolution) -> None:
    check_instance("resolution", resolution, EnergyResolution, "an EnergyResolution (or DetectorResponse)")


def window_efficiency(T_keV, low_keV: float, high_keV: float, resolution: EnergyResolution):
    """P(low <= reconstructed energy < high | true energy T); ``high_keV`` may be infinite."""
    check_non_negative("low_keV", low_keV, "keV")
    check_range("high_keV", high_keV, low_keV, None, low_inclusive=False, unit="keV")
    _check_resolution(resolution)
    T = as_float_array("T_keV", T_keV)
    if not np.all(np.isfinite(T)):
        raise ValueError(f"T_keV must be finite; got {T_keV!r}")
    cdf = _cdf_below(np.array([low_keV, high_keV]), T.ravel(), resolution.sigma_keV(T.ravel()))
    return (cdf[1] - cdf[0]).reshape(T.shape)


def smeared_window_counts(true_edges_keV, events, low_keV: float, high_keV: float, resolution: EnergyResolution):
    """Events reconstructed in [low, high) from events in true-energy bins (last axis of ``events``)."""
    edges = check_edges("true_edges_keV", true_edges_keV)
    ev = as_float_array("events", events)
    if ev.shape[-1:] != (edges.size - 1,):
        raise ValueError(
            f"events must have one entry per true-energy bin ({edges.size - 1}) on its last axis; got {ev.shape}"
        )
    if not np.all(np.isfinite(ev)):
        raise ValueError("events must be finite")
    centres = 0.5 * (edges[1:] + edges[:-1])
    return ev @ window_efficiency(centres, low_keV, high_keV, resolution)
