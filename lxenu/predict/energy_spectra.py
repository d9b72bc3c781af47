r"""Signal and background spectra on the reconstructed-energy bins of an analysis.

An energy analysis (the paper's, sect. 2: 0.1 keV bins from the threshold to 140 keV)
needs, on its bins, three vectors: the Standard-Model signal S, the magnetic-moment signal
M at :data:`~lxenu.constants.MU_UNIT` (it scales as mu^2) and the background B (or its
components). With the solar option ``[backgrounds.solar] moment_in_fit = true`` the moment also
acts on solar neutrinos (:class:`~lxenu.physics.solar.SolarNeutrinos`, with the flavours of
``flavours_with_moment``): their magnetic recoils are then part of M, kept apart as
:meth:`EnergySpectra.magnetic_parts` because they are uniform in distance and constant in time.

The vectors are built once per experiment from cumulative response sums on a fixed grid of bin
edges, so that any threshold on that grid, or between two of its edges, costs a difference of
two rows:

.. math::

    X_i = \sum_j \big[P(\hat T < e_{i+1} \mid T_j) - P(\hat T < e_i \mid T_j)\big]\, X_j^{\rm true},

with :math:`X_j^{\rm true}` the events in fine true-energy bins
(:func:`~lxenu.predict.signal.fine_true_edges_keV`) and the Gaussian resolution of the
experiment (:mod:`lxenu.predict.response`).
"""

from __future__ import annotations

from functools import cached_property, lru_cache

import numpy as np

from ..constants import MU_UNIT
from ..validation import check_positive, check_range
from .backgrounds import background_model, background_true_events
from .response import cumulative_response
from .signal import SignalPrediction, fine_true_edges_keV

#: Finest analysis bins, keV: 1/20 of the paper's 0.2 keV resolution at 1 keV.
MIN_BIN_KEV = 0.01

#: Grids with more edges than this are not kept in memory: their response is summed in chunks.
_MAX_CACHED_EDGES = 4000
#: Rows of the cumulative response computed at once when it is not kept.
_CHUNK = 256


@lru_cache(maxsize=2)
def _grid_response(resolution, grid_bytes: bytes, centres_bytes: bytes) -> np.ndarray:
    """P(reco < grid edge | true centre), kept for the last two (resolution, grid, true grid):
    every experiment with the same resolution and analysis grid (variants that differ in their
    backgrounds or source) shares it. ~40 MB for the paper's 0.1 keV grid."""
    P = cumulative_response(np.frombuffer(grid_bytes), np.frombuffer(centres_bytes), resolution)
    P.setflags(write=False)
    return P


def solar_moment_component(experiment):
    """The experiment's solar component if the fitted moment acts on it (``moment_in_fit``), else None."""
    for key, comp in background_model(experiment).components:
        if key == "solar" and getattr(comp, "moment_in_fit", False):
            return comp
    return None


def solar_magnetic_true_events(experiment, edges_keV, mu_nu_muB: float = MU_UNIT) -> np.ndarray:
    """Solar magnetic-scattering events over the run in true-energy bins at ``mu_nu_muB`` (mu_B),
    for the flavours that carry the moment; zeros unless the solar option ``moment_in_fit`` is set.

    The background scale of the experiment applies (it scales the solar flux like every component).
    """
    edges = np.asarray(edges_keV, dtype=float)
    comp = solar_moment_component(experiment)
    if comp is None:
        return np.zeros(edges.size - 1)
    per_td = comp.magnetic_events_per_tonne_day(edges, mu_nu_muB=mu_nu_muB, target=experiment.detector.target_material)
    return experiment.backgrounds.scale * per_td * experiment.exposure_tonne_days


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

    @property
    def has_solar_moment(self) -> bool:
        """Whether the fitted moment also acts on solar neutrinos (``[backgrounds.solar] moment_in_fit``)."""
        return solar_moment_component(self.experiment) is not None

    @cached_property
    def _true(self):
        """True-energy bin centres and, as rows, SM, source-magnetic, background and solar-magnetic events."""
        edges = self.true_edges_keV
        centres = 0.5 * (edges[1:] + edges[:-1])
        sm = self.signal.true_events(edges)
        mag = self.signal.magnetic_true_events(edges, MU_UNIT)
        comps = self.true_background_components
        bkg = sum(comps.values()) if comps else np.zeros_like(sm)
        solar_mag = solar_magnetic_true_events(self.experiment, edges)
        return centres, np.vstack([sm, mag, bkg, solar_mag])

    @property
    def _true_centres(self) -> np.ndarray:
        edges = self.true_edges_keV
        return 0.5 * (edges[1:] + edges[:-1])

    def _grid_cumulative(self, X) -> np.ndarray:
        """For each grid edge e_k, sum_j P(reco < e_k | T_j) X_j for each row X (shape (n_grid, n_rows))."""
        centres = self._true_centres
        grid = self.grid_edges_keV
        if grid.size <= _MAX_CACHED_EDGES:
            return _grid_response(self.experiment.resolution, grid.tobytes(), centres.tobytes()) @ X.T
        out = np.empty((grid.size, X.shape[0]))
        for start in range(0, grid.size, _CHUNK):
            P = cumulative_response(grid[start : start + _CHUNK], centres, self.experiment.resolution)
            out[start : start + _CHUNK] = P @ X.T
        return out

    @cached_property
    def _cumulative(self):
        """For each grid edge e_k, sum_j P(reco < e_k | T_j) X_j for each row X of :attr:`_true`."""
        return self._grid_cumulative(self._true[1])

    def _partial_cumulative(self, threshold_keV: float):
        centres, X = self._true
        P = cumulative_response([threshold_keV], centres, self.experiment.resolution)[0]
        return X @ P

    def _binned(self, threshold_keV: float):
        """(edges, rows of :attr:`_true` in the analysis bins from the threshold to max_keV)."""
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
        return edges, np.diff(parts, axis=0)

    def spectra(self, threshold_keV: float):
        """(edges, S, M, B) on the analysis bins from ``threshold_keV`` to ``max_keV``.

        M is all magnetic scattering at :data:`~lxenu.constants.MU_UNIT`: the source's, plus the
        solar neutrinos' when the solar option ``moment_in_fit`` is set.
        """
        edges, binned = self._binned(threshold_keV)
        return edges, binned[:, 0], binned[:, 1] + binned[:, 3], binned[:, 2]

    def magnetic_parts(self, threshold_keV: float) -> tuple[np.ndarray, np.ndarray]:
        """(source, solar) magnetic events at MU_UNIT on the analysis bins; solar is zero without the option."""
        _, binned = self._binned(threshold_keV)
        return binned[:, 1], binned[:, 3]

    def background_components(self, edges_keV) -> dict[str, np.ndarray]:
        """Background events in reconstructed-energy bins ``edges_keV``, by component."""
        comps = self.true_background_components
        if not comps:
            return {}
        return dict(zip(comps, self.reco_events(np.vstack(list(comps.values())), edges_keV)))

    def reco_events(self, true_events, edges_keV) -> np.ndarray:
        """Events (rows of ``true_events`` on :attr:`true_edges_keV`) smeared into reconstructed
        bins ``edges_keV``; shape (n_rows, n_bins). Bins on the analysis grid reuse its response."""
        X = np.atleast_2d(np.asarray(true_events, dtype=float))
        if X.shape[-1] != self.true_edges_keV.size - 1:
            raise ValueError(f"true_events must have one entry per true-energy bin ({self.true_edges_keV.size - 1})")
        edges = np.asarray(edges_keV, dtype=float)
        grid = self.grid_edges_keV
        k = int(np.searchsorted(grid, edges[0] - 1e-9))
        if edges.size <= grid.size - k and np.allclose(edges, grid[k : k + edges.size], rtol=0, atol=1e-9):
            cum = self._grid_cumulative(X)[k : k + edges.size]
        else:
            cum = cumulative_response(edges, self._true_centres, self.experiment.resolution) @ X.T
        return np.diff(cum, axis=0).T
