r"""Sterile-neutrino oscillations seen as a pattern in distance inside the detector.

In a 3+1 model, short-baseline nu_e disappearance depends on one effective angle and
one mass splitting (the paper's eq. 3.1):

.. math:: P_{ee} = 1 - \sin^2 2\theta_{ee}\,\sin^2\!\Big(\frac{\Delta m^2_{41} L}{4E}\Big),

with the phase 1.267 dm2[eV^2] L[m] / E[MeV]. A mono-energetic source turns P into a
function of L alone; at 750 keV and 1 eV^2 the first minimum is at 93 cm (the paper's
"~90 cm"; the full oscillation length 4 pi E / dm2 is 1.86 m).

The analysis (paper, sect. 3): events between a 5 keV threshold and the maximum
recoil, binned in reconstructed distance (3 cm bins), Gaussian chi^2 against the
no-oscillation Asimov data, a free signal normalisation (shape only; or a Gaussian
prior) and a 0.5 % background normalisation prior, both profiled analytically
(:func:`lxenu.statistics.profiled_gaussian_chi2`). Sensitivity: 95 % CL, 2 dof.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy.optimize import brentq

from .constants import OSC_PHASE_EV2CM_PER_KEV
from .distance_response import build_distance_response, smear_distance_1d
from .statistics import delta_chi2_threshold, profiled_gaussian_chi2
from .validation import check_non_negative, check_positive, check_range


def oscillation_phase_per_cm(dm2_eV2, E_keV):
    """k = dm2 / (4 E) in cm^-1, so that the phase is k L."""
    return OSC_PHASE_EV2CM_PER_KEV * np.asarray(dm2_eV2, dtype=float) / np.asarray(E_keV, dtype=float)


def survival_probability(L_cm, E_keV, sin2_2theta, dm2_eV2):
    """3+1 nu_e survival probability at distance L (cm) and energy E (keV)."""
    check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
    check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
    k = oscillation_phase_per_cm(dm2_eV2, E_keV)
    return 1.0 - np.asarray(sin2_2theta) * np.sin(k * np.asarray(L_cm, dtype=float)) ** 2


def bin_averaged_sin2(L1_cm, L2_cm, E_keV, dm2_eV2):
    """<sin^2(k L)> over [L1, L2]: 1/2 [1 - cos(k (L1 + L2)) sin(k dL) / (k dL)], exact."""
    k = oscillation_phase_per_cm(dm2_eV2, E_keV)
    L1 = np.asarray(L1_cm, dtype=float)
    L2 = np.asarray(L2_cm, dtype=float)
    dL = L2 - L1
    return 0.5 * (1.0 - np.cos(k * (L1 + L2)) * np.sinc(k * dL / np.pi))


def first_minimum_cm(E_keV, dm2_eV2=1.0):
    """Distance of the first oscillation minimum, pi / (2 k), cm."""
    return np.pi / (2.0 * oscillation_phase_per_cm(dm2_eV2, E_keV))


class SterileFit:
    """Sensitivity of a distance-shape analysis to 3+1 nu_e disappearance.

    Generic in the detector: it needs the signal per source line in the energy window
    (as ``events_per_flux_cm``: events per unit flux integral, i.e. N_nu n_e sigma_window),
    the background in the window (uniform in volume), a detector with the geometry
    methods of :class:`~lxenu.detector.CylindricalDetector`, the source shape, and the
    vertex resolution. Use :meth:`for_experiment` for the liquid-xenon set-up. A
    ``response`` built for the same detector, source shape, resolution and bins can be
    passed in to skip the Monte Carlo.
    """

    def __init__(self, detector, source_shape, line_energies_keV, events_per_flux_cm, background_events,
                 position_resolution_cm: float = 1.0, bin_cm: float = 3.0, n_mc: int = 1_000_000, seed: int = 51,
                 norm_sigma: float | None = None, background_sigma: float = 0.005, confidence_level: float = 0.95,
                 label: str = "", response=None):
        self.detector = detector
        self.source_shape = source_shape
        self.line_energies_keV = np.atleast_1d(np.asarray(line_energies_keV, dtype=float))
        self.events_per_flux_cm = np.atleast_1d(np.asarray(events_per_flux_cm, dtype=float))
        if self.line_energies_keV.shape != self.events_per_flux_cm.shape:
            raise ValueError("line_energies_keV and events_per_flux_cm must have the same length")
        check_non_negative("background_events", background_events)
        self.background_events = float(background_events)
        self.position_resolution_cm = check_non_negative("position_resolution_cm", position_resolution_cm, "cm")
        self.bin_cm = check_positive("bin_cm", bin_cm, "cm")
        self.n_mc = n_mc
        self.seed = seed
        if norm_sigma is not None:
            check_positive("norm_sigma", norm_sigma)
        check_positive("background_sigma", background_sigma)
        self.norm_sigma = norm_sigma
        self.background_sigma = background_sigma
        self.delta_chi2 = delta_chi2_threshold(confidence_level, 2)
        self.confidence_level = confidence_level
        self.label = label
        if response is not None:
            self.__dict__["response"] = response

    @classmethod
    def for_experiment(cls, experiment=None, threshold_keV: float = 5.0, max_keV: float | None = None,
                       **kwargs) -> SterileFit:
        """The paper's liquid-xenon analysis for an :class:`~lxenu.experiment.Experiment`.

        The energy window is [threshold, max] in reconstructed energy, ``max`` defaulting
        to the maximum recoil of the highest-energy line (559 keV for 750 keV).
        """
        from .experiment import Experiment

        exp = Experiment() if experiment is None else experiment
        hi = exp.signal.max_recoil_keV if max_keV is None else float(max_keV)
        check_range("threshold_keV", threshold_keV, 0.0, hi, high_inclusive=False, unit="keV")
        per_flux = events_per_flux_in_window(exp, threshold_keV, hi)
        bkg = sum(exp.background_events_in_window(threshold_keV, hi).values())
        return cls(exp.detector, exp.source.shape, exp.signal.line_energies_keV, per_flux, bkg, **kwargs)

    # -- predictions ------------------------------------------------------------------------
    @cached_property
    def response(self):
        return build_distance_response(self.detector, self.source_shape, self.position_resolution_cm, self.bin_cm,
                                       n_events=self.n_mc, seed=self.seed)

    @property
    def reco_edges_cm(self) -> np.ndarray:
        return self.response.reco_edges_cm

    @cached_property
    def signal_no_oscillation(self) -> np.ndarray:
        """Signal events per reconstructed-distance bin without oscillations."""
        return self.events_per_flux_cm.sum() * self.response.reco_flux_cm

    @property
    def signal_events(self) -> float:
        return float(self.signal_no_oscillation.sum())

    @cached_property
    def background(self) -> np.ndarray:
        """Background events per reconstructed-distance bin: volume-weighted, vertex-smeared."""
        lo, hi = self.detector.distance_range_cm
        fine = np.linspace(lo, hi, 2001)
        vol = self.detector.volume_in_bins_cm3(fine)
        per_bin = smear_distance_1d(fine, vol / vol.sum(), self.reco_edges_cm, self.position_resolution_cm)
        return self.background_events * per_bin

    def _deficit(self, dm2_eV2) -> np.ndarray:
        """Events lost per unit sin^2(2 theta) in each reco bin, shape dm2.shape + (n_reco,)."""
        dm2 = np.asarray(dm2_eV2, dtype=float)
        r = self.response
        L1, L2 = r.true_edges_cm[:-1], r.true_edges_cm[1:]
        out = np.zeros(dm2.shape + (r.reco_edges_cm.size - 1,))
        for E, k in zip(self.line_energies_keV, self.events_per_flux_cm):
            avg = bin_averaged_sin2(L1, L2, E, dm2[..., None])  # (..., n_true)
            out += k * avg @ r.joint_flux_cm.T
        return out

    def signal(self, sin2_2theta, dm2_eV2) -> np.ndarray:
        """Oscillated signal per reco bin (broadcast: sin2_2theta x dm2 grids)."""
        check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
        check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
        s = np.asarray(sin2_2theta, dtype=float)
        return self.signal_no_oscillation - s[..., None] * self._deficit(dm2_eV2)

    # -- chi^2 ------------------------------------------------------------------------------
    def _masked(self):
        data = self.signal_no_oscillation + self.background
        return data > 0

    def chi2(self, sin2_2theta, dm2_eV2):
        """Profiled chi^2 at (sin^2 2theta, dm2) against no-oscillation Asimov data (broadcasts)."""
        keep = self._masked()
        S = self.signal(sin2_2theta, dm2_eV2)[..., keep]
        B = self.background[keep]
        data = self.signal_no_oscillation[keep] + B
        chi2, _, _ = profiled_gaussian_chi2(S, B, data, self.norm_sigma, self.background_sigma)
        return chi2

    def chi2_grid(self, sin2_2theta_values, dm2_values) -> np.ndarray:
        """chi^2 on the full grid, shape (n_sin2, n_dm2), one vectorised call."""
        s = np.asarray(sin2_2theta_values, dtype=float)
        check_range("sin2_2theta_values", s, 0.0, 1.0)
        dm2 = np.asarray(dm2_values, dtype=float)
        check_non_negative("dm2_values", dm2, "eV^2")
        keep = self._masked()
        deficit = self._deficit(dm2)[:, keep]  # (n_dm2, n_keep)
        S0 = self.signal_no_oscillation[keep]
        B = self.background[keep]
        S = S0[None, None, :] - s[:, None, None] * deficit[None, :, :]
        chi2, _, _ = profiled_gaussian_chi2(S, B, S0 + B, self.norm_sigma, self.background_sigma)
        return chi2

    def sensitivity(self, dm2_values) -> np.ndarray:
        """Smallest sin^2 2theta excluded at the fit's CL (2 dof) for each dm2; NaN where none."""
        dm2 = np.atleast_1d(np.asarray(dm2_values, dtype=float))
        check_positive("dm2_values", dm2, "eV^2")
        out = np.full(dm2.shape, np.nan)

        def excess(s, m):
            return float(self.chi2(s, m)) - self.delta_chi2

        for idx, m in np.ndenumerate(dm2):
            if excess(1.0, m) <= 0:
                continue
            out[idx] = brentq(excess, 0.0, 1.0, args=(m,), xtol=1e-7, rtol=1e-7)
        return out

    def contour_from_grid(self, sin2_2theta_values, dm2_values, chi2=None) -> np.ndarray:
        """Per dm2 row of a grid, the sin^2 2theta where chi^2 first crosses the threshold
        (log-interpolated); NaN where it never does."""
        s = np.asarray(sin2_2theta_values, dtype=float)
        c = self.chi2_grid(s, dm2_values) if chi2 is None else chi2
        out = np.full(c.shape[1], np.nan)
        above = c >= self.delta_chi2
        for j in range(c.shape[1]):
            idx = np.argmax(above[:, j])
            if not above[idx, j]:
                continue
            if idx == 0:
                out[j] = s[0]
                continue
            c0, c1 = c[idx - 1, j], c[idx, j]
            t = (self.delta_chi2 - c0) / (c1 - c0)
            out[j] = np.exp(np.log(max(s[idx - 1], 1e-12)) + t * (np.log(s[idx]) - np.log(max(s[idx - 1], 1e-12))))
        return out


def events_per_flux_in_window(experiment, low_keV: float, high_keV: float) -> np.ndarray:
    """For each source line, events per unit flux integral (cm^-1) in a reco-energy window."""
    from .response import smeared_window_counts
    from .signal import fine_true_edges_keV

    sig = experiment.signal
    edges = fine_true_edges_keV(sig.max_recoil_keV)
    per_line = smeared_window_counts(edges, sig.true_events_per_line(edges), low_keV, high_keV, experiment.resolution)
    return per_line / experiment.detector.flux_integral_cm
