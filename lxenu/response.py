"""Detector energy response: Gaussian smearing of the electron recoil energy.

The paper smears recoil energies event by event with a Gaussian of width
sigma(T) = 0.20 sqrt(T) (T and sigma in keV; sect. 2). Here the resolution is

    sigma(T)^2 = (a^2 T) + (b T)^2 + c^2,

with a = 0.20 keV^(1/2), b = c = 0 by default (the paper); b (a constant
term) and c (a noise term, keV) are options.

Smearing is a matrix R[i, j] = P(reconstructed energy in bin i | true energy at
the centre of true bin j). Summed over a set of reconstructed bins that covers
all energies, every column sums to one: the matrix conserves events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .validation import as_float_array, check_edges, check_non_negative, check_range, check_scalar_fields


@dataclass(frozen=True)
class EnergyResolution:
    """Gaussian energy resolution sigma(T)^2 = stochastic^2 T + (constant T)^2 + noise^2.

    Parameters
    ----------
    stochastic_keV_sqrt:
        The a in a sqrt(T), keV^(1/2) (paper: 0.20).
    constant:
        Relative constant term b (dimensionless).
    noise_keV:
        Energy-independent term c, keV.
    """

    stochastic_keV_sqrt: float = 0.20
    constant: float = 0.0
    noise_keV: float = 0.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("stochastic_keV_sqrt", self.stochastic_keV_sqrt, "keV^1/2")
        check_non_negative("constant", self.constant)
        check_non_negative("noise_keV", self.noise_keV, "keV")

    def sigma_keV(self, T_keV):
        """Gaussian width at true energy T (keV), keV."""
        T = np.clip(np.asarray(T_keV, dtype=float), 0.0, None)
        return np.sqrt(self.stochastic_keV_sqrt**2 * T + (self.constant * T) ** 2 + self.noise_keV**2)

    @property
    def is_perfect(self) -> bool:
        return self.stochastic_keV_sqrt == 0 and self.constant == 0 and self.noise_keV == 0


@dataclass(frozen=True)
class DetectorResponse(EnergyResolution):
    """Energy resolution (see :class:`EnergyResolution`) and vertex resolution.

    Parameters
    ----------
    vertex_resolution_cm:
        Gaussian resolution of each vertex coordinate, cm (paper, sect. 3: 1 cm). The distance
        response adds the finite source size by Monte Carlo (:mod:`lxenu.distance_response`).
    """

    vertex_resolution_cm: float = 1.0

    def __post_init__(self):
        check_scalar_fields(self)
        super().__post_init__()
        check_non_negative("vertex_resolution_cm", self.vertex_resolution_cm, "cm")


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
    centres = 0.5 * (t_edges[1:] + t_edges[:-1])
    cdf = _cdf_below(r_edges, centres, resolution.sigma_keV(centres))
    return np.diff(cdf, axis=0)


def cumulative_response(reco_edges_keV, true_centres_keV, resolution: EnergyResolution) -> np.ndarray:
    """P(reco < edge | true centre), shape (n_edges, n_true): differences give the matrix."""
    centres = np.asarray(true_centres_keV, dtype=float)
    return _cdf_below(reco_edges_keV, centres, resolution.sigma_keV(centres))


def window_efficiency(T_keV, low_keV: float, high_keV: float, resolution: EnergyResolution):
    """P(low <= reconstructed energy < high | true energy T)."""
    check_non_negative("low_keV", low_keV, "keV")
    check_range("high_keV", high_keV, low_keV, None, low_inclusive=False, unit="keV")
    T = as_float_array("T_keV", T_keV)
    cdf = _cdf_below(np.array([low_keV, high_keV]), T.ravel(), resolution.sigma_keV(T.ravel()))
    return (cdf[1] - cdf[0]).reshape(T.shape)


def smeared_window_counts(true_edges_keV, events, low_keV: float, high_keV: float, resolution: EnergyResolution):
    """Events reconstructed in [low, high) from events in true-energy bins (last axis of ``events``)."""
    edges = np.asarray(true_edges_keV, dtype=float)
    centres = 0.5 * (edges[1:] + edges[:-1])
    return np.asarray(events, dtype=float) @ window_efficiency(centres, low_keV, high_keV, resolution)
