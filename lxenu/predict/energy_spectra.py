r"""Signal and background spectra on the reconstructed-energy bins of an analysis.

An energy analysis (the paper's, sect. 2: 0.1 keV bins from the threshold to 140 keV)
needs, on its bins, three vectors: the Standard-Model signal S, the magnetic-moment signal
M at :data:`~lxenu.constants.MU_UNIT` (it scales as mu^2) and the background B (or its
components). They are built once per experiment from cumulative response sums on a
fixed grid of bin edges, so that any threshold on that grid, or between two of its edges,
costs a difference of two rows:

.. math::

    X_i = \sum_j \big[P(\hat T < e_{i+1} \mid T_j) - P(\hat T < e_i \mid T_j)\big]\, X_j^{\rm true},

with :math:`X_j^{\rm true}` the events in fine true-energy bins
(:func:`~lxenu.predict.signal.fine_true_edges_keV`) and the Gaussian resolution of the
experiment (:mod:`lxenu.predict.response`).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..constants import MU_UNIT
from ..validation import check_positive, check_range
from .backgrounds import background_true_events
from .response import cumulative_response
from .signal import SignalPrediction, fine_true_edges_keV

#: Finest analysis bins, keV: 1/20 of the paper's 0.2 keV resolution at 1 keV.
MIN_BIN_KEV = 0.01

#: Rows of the cumulative response computed at once (bounds the memory of a fine grid).
_CHUNK = 256


class EnergySpectra:
    """S, M and B of an experiment on an energy grid from 0 to ``max_keV`` in ``bin_keV`` steps.

    Parameters
    ----------
    experiment:
        The set-up (:class:`~lxenu.experiment.experiment.Experiment`).
    max_keV:
        Upper end of the analysis window, keV; at most the largest recoil energy of the source.
    bin_keV:
        Width of the analysis bins, keV.
    """

    def __init__(self, experiment, max_keV: float, bin_keV: float):
        self.experiment = experiment
        self.signal = SignalPrediction(experiment)
        check_positive("max_keV", max_keV, "keV")
        top = self.signal.max_recoil_keV
        if max_keV > top:
            raise ValueError(f"max_keV must not exceed the maximum recoil energy {top:.1f} keV; got {max_keV}")
        check_range("bin_keV", bin_keV, MIN_BIN_KEV, max_keV, unit="keV")
        self.max_keV = float(max_keV)
        self.bin_keV = float(bin_keV)
        n = int(round(self.max_keV / self.bin_keV))
        self.grid_edges_keV = np.linspace(0.0, n * self.bin_keV, n + 1)

    @cached_property
    def true_edges_keV(self) -> np.ndarray:
        """Fine true-energy edges reaching 10 sigma above ``max_keV`` (or the maximum recoil)."""
        res = self.experiment.resolution
        top = self.max_keV + 10.0 * float(res.sigma_keV(self.max_keV)) + 1.0
        return fine_true_edges_keV(min(top, self.signal.max_recoil_keV))

    @cached_property
    def true_background_components(self) -> dict[str, np.ndarray]:
        """Background events over the run in the fine true-energy bins, by component."""
        return background_true_events(self.experiment, self.true_edges_keV)

    @cached_property
    def _true(self):
        """True-energy bin centres; SM, magnetic and background events on them."""
        edges = self.true_edges_keV
        centres = 0.5 * (edges[1:] + edges[:-1])
        sm = self.signal.true_events(edges)
        mag = self.signal.magnetic_true_events(edges, MU_UNIT)
        comps = self.true_background_components
        bkg = sum(comps.values()) if comps else np.zeros_like(sm)
        return centres, sm, mag, bkg

    @cached_property
    def _cumulative(self):
        """For each grid edge e_k, sum_j P(reco < e_k | T_j) X_j for X = SM, magnetic, background."""
        centres, sm, mag, bkg = self._true
        X = np.vstack([sm, mag, bkg])  # (3, n_true)
        grid = self.grid_edges_keV
        out = np.empty((grid.size, 3))
        for start in range(0, grid.size, _CHUNK):
            P = cumulative_response(grid[start : start + _CHUNK], centres, self.experiment.resolution)
            out[start : start + _CHUNK] = P @ X.T
        return out

    def _partial_cumulative(self, threshold_keV: float):
        centres, sm, mag, bkg = self._true
        P = cumulative_response([threshold_keV], centres, self.experiment.resolution)[0]
        return np.array([P @ sm, P @ mag, P @ bkg])

    def analysis_edges_keV(self, threshold_keV: float) -> np.ndarray:
        """Bin edges from the threshold to ``max_keV``: the grid's, with a narrower first bin
        when the threshold falls between two grid edges."""
        check_range("threshold_keV", threshold_keV, 0.1, self.max_keV, high_inclusive=False, unit="keV")
        grid = self.grid_edges_keV
        k = int(np.searchsorted(grid, threshold_keV - 1e-9, side="left"))
        if abs(grid[min(k, grid.size - 1)] - threshold_keV) < 1e-9:
            return grid[k:]
        return np.concatenate([[threshold_keV], grid[k:]])

    def spectra(self, threshold_keV: float):
        """(edges, S, M, B) on the analysis bins from ``threshold_keV`` to ``max_keV``."""
        check_range("threshold_keV", threshold_keV, 0.1, self.max_keV, high_inclusive=False, unit="keV")
        grid = self.grid_edges_keV
        k = int(np.searchsorted(grid, threshold_keV - 1e-9, side="left"))
        cum = self._cumulative
        if abs(grid[min(k, grid.size - 1)] - threshold_keV) < 1e-9:
            edges = grid[k:]
            parts = cum[k:]
        else:
            edges = np.concatenate([[threshold_keV], grid[k:]])
            parts = np.vstack([self._partial_cumulative(threshold_keV), cum[k:]])
        binned = np.diff(parts, axis=0)
        return edges, binned[:, 0], binned[:, 1], binned[:, 2]

    def background_components(self, edges_keV) -> dict[str, np.ndarray]:
        """Background events in reconstructed-energy bins ``edges_keV``, by component."""
        edges = np.asarray(edges_keV, dtype=float)
        centres = 0.5 * (self.true_edges_keV[1:] + self.true_edges_keV[:-1])
        comps = self.true_background_components
        if not comps:
            return {}
        X = np.vstack(list(comps.values()))
        binned = np.diff(cumulative_response(edges, centres, self.experiment.resolution) @ X.T, axis=0)
        return {name: binned[:, i] for i, name in enumerate(comps)}
