"""The expected 51Cr neutrino signal: events, recoil spectra true and smeared.

For a line of energy E carrying N_nu neutrinos over the run, the number of
events with recoil energy in [T1, T2] is

    N = N_nu * n_e * Phi * sigma(E; T1, T2),

with n_e the electron density (cm^-3), Phi = int dV / (4 pi L^2) the flux
integral of the fiducial volume (cm) and sigma the integrated cross section
(cm^2). The product N_nu n_e Phi (cm^-2) is the line's *luminosity* here.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..physics.cross_section import dsigma_dT, magnetic_sigma_between, weak_sigma_between
from ..validation import as_float_array, check_edges, check_non_negative, check_positive, check_range
from .response import energy_response_matrix, smeared_window_counts

#: Lowest true recoil energy followed when smearing, keV. Events below it are
#: reconstructed below ~0.05 keV and never enter an analysis window; the cut keeps the
#: 1/T magnetic-moment rate finite.
T_FLOOR_KEV = 0.01


def fine_true_edges_keV(T_high_keV: float) -> np.ndarray:
    """A true-energy grid fine where the resolution is narrow: 0.01-1 keV logarithmic,
    0.02 keV steps to 10 keV, 0.05 keV steps above, ending exactly at T_high."""
    check_positive("T_high_keV", T_high_keV, "keV")
    parts = [
        np.geomspace(T_FLOOR_KEV, 1.0, 101),
        np.arange(1.0, 10.0, 0.02),
        np.arange(10.0, T_high_keV, 0.05),
        [T_high_keV],
    ]
    edges = np.unique(np.concatenate(parts))
    return edges[edges <= T_high_keV]


class SignalPrediction:
    """Signal events for an :class:`~lxenu.experiment.experiment.Experiment`.

    ``mu_nu_muB`` arguments are the neutrino magnetic moment in Bohr magnetons
    (0 = Standard Model).
    """

    def __init__(self, experiment):
        self.experiment = experiment

    # -- normalisation -----------------------------------------------------------------
    @cached_property
    def neutrinos_per_line(self) -> np.ndarray:
        """Neutrinos emitted in each line during data taking (all deployments)."""
        exp = self.experiment
        decays = exp.run.source_decays(exp.source)
        return np.array([line.branching * decays for line in exp.source.lines])

    @cached_property
    def line_energies_keV(self) -> np.ndarray:
        return np.array([line.energy_keV for line in self.experiment.source.lines])

    @cached_property
    def luminosity_per_cm2(self) -> np.ndarray:
        """N_nu n_e Phi for each line, cm^-2: events = luminosity x cross section."""
        det = self.experiment.detector
        return self.neutrinos_per_line * det.electrons_per_cm3 * det.flux_integral_cm

    @property
    def max_recoil_keV(self) -> float:
        """Largest recoil energy of any line, keV."""
        return self.experiment.source.max_recoil_keV

    # -- true spectra ----------------------------------------------------------------------
    def _kw(self):
        exp = self.experiment
        return dict(sin2_theta_w=exp.sin2_theta_w, atomic_binding=exp.atomic_binding)

    def true_events_per_line(self, edges_keV, mu_nu_muB: float = 0.0) -> np.ndarray:
        """Events in true-recoil bins for each line, shape (n_lines, n_bins); exact bin integrals."""
        edges = check_edges("edges_keV", edges_keV)
        check_non_negative("mu_nu_muB", mu_nu_muB, "mu_B")
        check_non_negative("edges_keV", edges[0], "keV")
        E = self.line_energies_keV[:, None]
        kw = self._kw()
        sig = weak_sigma_between(edges[None, :-1], edges[None, 1:], E, "e", kw["sin2_theta_w"], kw["atomic_binding"])
        if mu_nu_muB:
            if edges[0] <= 0:
                raise ValueError("edges_keV must start above 0 when mu_nu_muB > 0: the magnetic rate diverges as 1/T")
            sig = sig + magnetic_sigma_between(edges[None, :-1], edges[None, 1:], E, mu_nu_muB, kw["atomic_binding"])
        return self.luminosity_per_cm2[:, None] * sig

    def magnetic_true_events(self, edges_keV, mu_nu_muB: float) -> np.ndarray:
        """Events of the magnetic-moment term alone in true-recoil bins (edges > 0)."""
        edges = check_edges("edges_keV", edges_keV)
        check_positive("edges_keV", edges[0], "keV")
        E = self.line_energies_keV[:, None]
        sig = magnetic_sigma_between(edges[None, :-1], edges[None, 1:], E, mu_nu_muB, self.experiment.atomic_binding)
        return (self.luminosity_per_cm2[:, None] * sig).sum(axis=0)

    def true_events(self, edges_keV, mu_nu_muB: float = 0.0) -> np.ndarray:
        """Events in true-recoil bins summed over lines."""
        return self.true_events_per_line(edges_keV, mu_nu_muB).sum(axis=0)

    def total_events(self, mu_nu_muB: float = 0.0, T_min_keV: float = 0.0) -> float:
        """Events with true recoil energy above T_min (all recoil energies by default)."""
        top = self.max_recoil_keV
        check_range("T_min_keV", T_min_keV, 0.0, top, high_inclusive=False, unit="keV")
        if mu_nu_muB and T_min_keV <= 0:
            raise ValueError("T_min_keV must be > 0 when mu_nu_muB > 0: the magnetic rate diverges as 1/T")
        edges = np.array([T_min_keV, top])
        return float(self.true_events(edges, mu_nu_muB).sum())

    def dN_dT(self, T_keV, mu_nu_muB: float = 0.0):
        """True recoil spectrum dN/dT, events/keV."""
        T = check_non_negative("T_keV", as_float_array("T_keV", T_keV), "keV")
        kw = self._kw()
        out = np.zeros_like(T)
        for lum, E in zip(self.luminosity_per_cm2, self.line_energies_keV):
            out = out + lum * dsigma_dT(T, E, mu_nu_muB, "e", kw["sin2_theta_w"], kw["atomic_binding"])
        return out

    # -- smeared spectra ---------------------------------------------------------------------
    @cached_property
    def _fine_edges(self) -> np.ndarray:
        return fine_true_edges_keV(self.max_recoil_keV)

    def smeared_events(self, reco_edges_keV, mu_nu_muB: float = 0.0) -> np.ndarray:
        """Events in reconstructed-energy bins after Gaussian smearing."""
        reco = check_edges("reco_edges_keV", reco_edges_keV)
        true_edges = self._fine_edges
        R = energy_response_matrix(true_edges, reco, self.experiment.resolution)
        return R @ self.true_events(true_edges, mu_nu_muB)

    def events_in_window(self, low_keV: float, high_keV: float, mu_nu_muB: float = 0.0, smeared: bool = True) -> float:
        """Events with (reconstructed, by default) recoil energy in [low, high), keV."""
        check_non_negative("low_keV", low_keV, "keV")
        if high_keV <= low_keV:
            raise ValueError(f"high_keV must exceed low_keV; got [{low_keV}, {high_keV}]")
        if not smeared:
            lo = max(low_keV, 0.0)
            return float(self.true_events(np.array([lo, max(high_keV, lo)]), mu_nu_muB).sum())
        edges = self._fine_edges
        return float(
            smeared_window_counts(
                edges, self.true_events(edges, mu_nu_muB), low_keV, high_keV, self.experiment.resolution
            )
        )
